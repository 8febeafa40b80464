"""Bad input: one clear line naming the problem and the fix, and exit code 2."""

from __future__ import annotations

import json

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
    (["--area", "nonsense"], "argument --area: 'nonsense' is not an area"),
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


def test_a_host_name_that_does_not_resolve(run_harness) -> None:
    run = run_harness("--target", "http://no-such-host.invalid", timeout=60)
    assert run.returncode == 2, run.output
    assert "host name does not resolve" in run.output


def test_http_sent_to_an_https_port(run_harness, tls_fixture_server) -> None:
    url, _ = tls_fixture_server
    run = run_harness("--target", url.replace("https://", "http://"), timeout=30)
    assert run.returncode == 2, run.output
    assert "closed the connection without an HTTP answer: if it serves https" in run.output


def test_https_sent_to_an_http_port(run_harness, fixture_server) -> None:
    url, _ = fixture_server
    run = run_harness("--target", url.replace("http://", "https://"), timeout=30)
    assert run.returncode == 2, run.output
    assert "did not speak TLS on that port" in run.output


def test_a_server_that_closes_mid_response(run_harness, scripted_server) -> None:
    url = scripted_server(b'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{"app": ')
    run = run_harness("--target", url, timeout=30)
    assert run.returncode == 2, run.output
    assert (
        "not valid HTTP (peer closed connection without sending complete message body" in run.output
    )


def test_a_server_that_answers_garbage(run_harness, scripted_server) -> None:
    url = scripted_server(b"\x00\xff\x13garbage that is no status line\r\n\r\n")
    run = run_harness("--target", url, timeout=30)
    assert run.returncode == 2, run.output
    assert "answered with something that is not valid HTTP" in run.output


def test_a_target_that_dies_in_the_middle_of_the_run(tmp_path, fixture_server) -> None:
    """The server is killed after some cases: exit 2 in bounded time, one line, finished cases kept."""
    import subprocess
    import time

    from tests.conftest import harness_command

    url, server = fixture_server
    report = tmp_path / "report"
    args = ["--target", url, "--token", "secret", "--area", "responses,cookies"]
    harness = subprocess.Popen(
        harness_command(*args, "--report-dir", str(report)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    jsonl = report / "results.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (
        not jsonl.exists() or len(jsonl.read_text().splitlines()) < 10
    ):
        time.sleep(0.05)
    server.kill()
    output, _ = harness.communicate(timeout=60)
    assert harness.returncode == 2, output
    assert "the target stopped answering during the run" in output
    finished = [line for line in jsonl.read_text().splitlines() if line]
    assert len(finished) >= 10
    assert json.loads(finished[-1])["status"] in ("ERROR", "FAIL")
