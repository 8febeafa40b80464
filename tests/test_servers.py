"""Servers: the fixture app under each server as the README starts it, and the server table."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from harness.errors import UsageError
from harness.servers import SERVERS, missing_distributions, parse_configuration
from tests.conftest import ROOT, free_port

MARKER = "<!-- servers-by-hand:"


def readme_server_lines() -> list[str]:
    """The command lines of the README's block of servers started by hand."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split(MARKER, 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def wait_for_info(url: str, process: subprocess.Popen[bytes], log: Path) -> httpx.Response:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server exited: {log.read_text()[-2000:]}"
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"no answer on {url}: {log.read_text()[-2000:]}")


def test_readme_names_every_server() -> None:
    assert [shlex.split(line)[0] for line in readme_server_lines()] == list(SERVERS)


@pytest.mark.parametrize("line", readme_server_lines(), ids=lambda line: line.split()[0])
def test_server_started_as_the_readme_says_serves_the_fixture_app(
    line: str, tmp_path: Path
) -> None:
    port = free_port()
    words = shlex.split(re.sub(r"\b8000\b", str(port), line))
    executable = Path(sys.executable).with_name(words[0])
    env = {**os.environ, "FIXTURES_JOURNAL_PATH": str(tmp_path / "journal.sqlite3")}
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(executable), *words[1:]],
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
            env=env,
        )
    try:
        response = wait_for_info(f"http://127.0.0.1:{port}/_harness/info", process, log)
    finally:
        process.terminate()
        process.wait(15)
    assert response.status_code == 200, response.text[:300]
    info = response.json()
    assert info["app"] == "fastapi-conformance-fixtures"
    assert info["server"] == words[0]


def test_importing_the_package_builds_no_app() -> None:
    code = (
        "import fixtures_app, sys; print(fixtures_app.app._app is None, 'fastapi' in sys.modules)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.split()[0] == "True"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nginx", "unknown server 'nginx'; choose from uvicorn, hypercorn"),
        ("uvicorn:h3", "uvicorn has no option 'h3' (its options: h11: the h11 HTTP"),
        ("hypercorn:h2:h2c", "choose one of h2, h2c"),
    ],
)
def test_bad_server_names_say_what_to_choose(spec: str, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        parse_configuration(spec)


def test_configuration_names_protocol_and_capabilities() -> None:
    h2 = parse_configuration("hypercorn:h2")
    assert (h2.name, h2.http_version, h2.tls(False)) == ("hypercorn:h2", "2", True)
    assert "http2" in h2.capabilities() and "http1" not in h2.capabilities()
    combined = parse_configuration("uvicorn:wsproto:h11")
    assert combined.name == "uvicorn:h11:wsproto" and "wsproto" in combined.distributions()
    assert "lifespan" not in parse_configuration("daphne").capabilities()
    forwarding = {
        name for name in SERVERS if "forwarded-headers" in parse_configuration(name).capabilities()
    }
    assert forwarding == {"uvicorn", "daphne", "gunicorn"}


HIDE_GRANIAN = """
import importlib.metadata as metadata
real = metadata.version
def version(name):
    if name == "granian":
        raise metadata.PackageNotFoundError(name)
    return real(name)
metadata.version = version
"""


def test_a_server_that_is_not_installed_is_one_line_and_exit_2(run_harness, tmp_path: Path) -> None:
    hidden = tmp_path / "hide"
    hidden.mkdir()
    (hidden / "sitecustomize.py").write_text(HIDE_GRANIAN)
    result = run_harness("--server", "granian", env={"PYTHONPATH": str(hidden)})
    assert result.returncode == 2, result.output
    assert "--server 'granian' needs granian, not installed here: pip install" in result.output


def test_every_row_is_installed_in_the_test_environment() -> None:
    for name in SERVERS:
        assert missing_distributions(parse_configuration(name)) == []


def run_info_of(config: str, version: str, http: str = "1.1") -> dict[str, object]:
    name = config.split(":")[0]
    server = {
        "name": name,
        "config": config,
        "version": version,
        "options": [],
        "http_version": http,
    }
    return {
        "server": server,
        "versions": {"fastapi": "0.1", name: version},
        "target": {"kind": "local"},
    }


def test_expectations_condition_on_the_server() -> None:
    from harness.expectations import clause_holds

    info = run_info_of("granian:h2", "2.7.1", "2")
    assert clause_holds('server == "granian"', info)
    assert clause_holds('config == "granian:h2"', info)
    assert clause_holds('http_version == "2"', info)
    assert clause_holds('granian < "2.7.2"', info)
    assert not clause_holds('server == "daphne"', info)
    assert clause_holds('server == "uvicorn"', {"server": "uvicorn"})  # runs that kept a name


def test_comparison_columns_are_named_by_the_server_when_it_differs() -> None:
    from harness.report.compare import run_labels

    documents = [{"run_info": run_info_of(config, "1.0")} for config in ("uvicorn", "hypercorn:h2")]
    documents[1]["run_info"]["server"]["http_version"] = "2"  # type: ignore[index]
    assert run_labels(documents) == ["server uvicorn · HTTP 1.1", "server hypercorn:h2 · HTTP 2"]


def test_run_info_names_the_server_of_a_url_target_from_the_app() -> None:
    from harness.runinfo import server_info

    app = {"server": "hypercorn", "versions": {"hypercorn": "0.18.0"}}
    server = server_info(app, {"kind": "url", "http_version": "2"})
    assert server == {
        "name": "hypercorn",
        "config": "hypercorn",
        "version": "0.18.0",
        "options": [],
        "http_version": "2",
    }


def test_a_stream_the_server_reset_while_the_client_sends_is_unsupported_not_an_error() -> None:
    import h2.exceptions
    import httpcore

    from harness.errors import Unsupported
    from harness.transport import from_httpx

    wrapped = httpx.LocalProtocolError("1")
    wrapped.__cause__ = httpcore.LocalProtocolError(h2.exceptions.StreamClosedError(1))
    assert isinstance(from_httpx(wrapped, "POST /x", 1.0), Unsupported)


@pytest.mark.parametrize("config", ["hypercorn", "uvicorn"])
def test_a_relative_report_dir_serves_from_its_own_files(tmp_path: Path, config: str) -> None:
    """The server runs in the run's work folder: a relative `--report-dir` must still name
    its certificate and config files (hypercorn's TOML, with TLS)."""
    completed = subprocess.run(
        [
            sys.executable, "-m", "harness", "run", "-p", "no:cacheprovider",
            "--server", config, "--tls", "-k", "lifespan", "--report-dir", "relative/run",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-1500:] + completed.stderr[-1500:]
    assert (tmp_path / "relative" / "run" / "results.json").is_file()
