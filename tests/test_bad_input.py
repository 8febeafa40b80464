"""Bad input: one clear line naming the problem and the fix, and exit code 2."""

from __future__ import annotations

import pytest

from tests.conftest import free_port

BAD_ARGUMENTS = [
    (["--target", "htp:/nowhere"], "is not 'local', 'inprocess' or an http(s) URL"),
    (["--target", "http://"], "is not 'local', 'inprocess' or an http(s) URL"),
    (["--target", "http://127.0.0.1:99999"], "invalid port"),
    (["--timeout-scale", "zero"], "--timeout-scale 'zero' is not a positive number"),
    (["--timeout-scale", "-1"], "--timeout-scale '-1' is not a positive number"),
    (["--seed", "x1"], "--seed 'x1' is not a non-negative integer"),
    (["--header", "no-colon"], "--header 'no-colon' is not 'Name: value'"),
    (["--area", "nonsense"], "--area 'nonsense' is not an area"),
    (["--no-such-option"], "unrecognized arguments: --no-such-option"),
]


@pytest.mark.parametrize(
    ("args", "message"), BAD_ARGUMENTS, ids=[" ".join(a) for a, _ in BAD_ARGUMENTS]
)
def test_bad_arguments_exit_2_with_a_clear_line(run_harness, args: list[str], message: str) -> None:
    run = run_harness(*args)
    assert run.returncode == 2, run.output
    assert message in run.output


def test_nothing_listening(run_harness) -> None:
    run = run_harness("--target", f"http://127.0.0.1:{free_port()}", timeout=30)
    assert run.returncode == 2, run.output
    assert "could not be reached" in run.output
    assert "is the fixture app running there?" in run.output


def test_a_server_that_is_not_the_fixture_app(run_harness, other_server: str) -> None:
    run = run_harness("--target", other_server, timeout=30)
    assert run.returncode == 2, run.output
    assert "is not the fixture app" in run.output


def test_a_server_that_never_answers(run_harness, silent_server: str) -> None:
    run = run_harness("--target", silent_server, "--timeout-scale", "0.2", timeout=30)
    assert run.returncode == 2, run.output
    assert "did not answer /_harness/info within 2 s" in run.output


def test_a_url_without_the_fixture_app_at_that_path(run_harness, fixture_server) -> None:
    url, _ = fixture_server
    run = run_harness("--target", url + "/not-here", "--token", "secret", timeout=30)
    assert run.returncode == 2, run.output
    assert "answered 404 on /_harness/info" in run.output


def test_a_wrong_token(run_harness, fixture_server) -> None:
    url, _ = fixture_server
    run = run_harness("--target", url, "--token", "wrong", timeout=30)
    assert run.returncode == 2, run.output
    assert "refused the harness token" in run.output


def test_an_unknown_command() -> None:
    from harness.cli import main

    assert main(["frobnicate"]) == 2
