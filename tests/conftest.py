"""Shared helpers of the harness's own tests: running the harness as a user would, and tiny servers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class HarnessRun:
    returncode: int
    output: str
    report_dir: Path

    def results(self) -> dict[str, Any]:
        return json.loads((self.report_dir / "results.json").read_text())

    def jsonl(self) -> list[dict[str, Any]]:
        lines = (self.report_dir / "results.jsonl").read_text().split("\n")
        return [json.loads(line) for line in lines if line]


def harness_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "harness", "run", "-p", "no:cacheprovider", *args]


@pytest.fixture
def run_harness(tmp_path: Path):
    """Run `python -m harness run ARGS` in a subprocess, with its report in a temporary folder."""

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> HarnessRun:
        report_dir = tmp_path / "report"
        completed = subprocess.run(
            harness_command(*args, "--report-dir", str(report_dir)),
            cwd=tmp_path,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return HarnessRun(completed.returncode, completed.stdout + completed.stderr, report_dir)

    return run


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def other_server() -> Iterator[str]:
    """An HTTP server that is not the fixture app: JSON 200 on every path."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b'{"hello": "world"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A socket that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


@contextmanager
def served_fixture_app(work: Path, *options: str) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """`python -m fixtures_app` on an ephemeral port with `options`; yields its port and process."""
    ready = work / "port"
    command = [sys.executable, "-m", "fixtures_app", "--port", "0", "--ready-file", str(ready)]
    command += ["--journal", str(work / "journal.sqlite3"), *options]
    with (work / "app.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield int(wait_for_file(ready)), process
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def fixture_server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The fixture app served by `python -m fixtures_app` with token 'secret'."""
    with served_fixture_app(tmp_path, "--token", "secret") as (port, process):
        yield f"http://127.0.0.1:{port}", process


def wait_for_file(path: Path, attempts: int = 2400) -> str:
    import time

    for _ in range(attempts):
        if path.exists() and (text := path.read_text().strip()):
            return text
        time.sleep(0.025)
    raise AssertionError(f"{path} never appeared")


@pytest.fixture
def tls_fixture_server(tmp_path: Path):
    """The fixture app served over https by `python -m fixtures_app`, with a CA made for the test."""
    import trustme

    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1")
    certificate.private_key_pem.write_to_path(str(tmp_path / "key.pem"))
    certificate.cert_chain_pems[0].write_to_path(str(tmp_path / "cert.pem"))
    authority.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    options = [
        "--ssl-certfile",
        str(tmp_path / "cert.pem"),
        "--ssl-keyfile",
        str(tmp_path / "key.pem"),
    ]
    with served_fixture_app(tmp_path, *options) as (port, _):
        yield f"https://127.0.0.1:{port}", tmp_path / "ca.pem"


@pytest.fixture
def scripted_server():
    """`scripted_server(answer)`: a server that reads a request, writes `answer` bytes, and closes."""
    sockets: list[socket.socket] = []

    def start(answer: bytes) -> str:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        sockets.append(sock)

        def serve() -> None:
            while True:
                try:
                    connection, _ = sock.accept()
                except OSError:
                    return
                with connection:
                    connection.recv(65536)
                    connection.sendall(answer)

        threading.Thread(target=serve, daemon=True).start()
        return f"http://127.0.0.1:{sock.getsockname()[1]}"

    yield start
    for sock in sockets:
        sock.close()
