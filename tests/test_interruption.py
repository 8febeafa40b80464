"""A run stopped mid-way keeps every finished case on disk and leaves no server behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import harness_command, wait_for_file

SLOW_APP = {"FIXTURES_FAULTS": "delay-response:300"}


def start_slow_run(tmp_path: Path) -> tuple[subprocess.Popen[str], Path]:
    report_dir = tmp_path / "report"
    process = subprocess.Popen(
        harness_command("--report-dir", str(report_dir)),
        cwd=tmp_path,
        env={**os.environ, **SLOW_APP},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process, report_dir


def wait_for_cases(jsonl: Path, count: int) -> None:
    for _ in range(600):
        if jsonl.exists() and len(jsonl.read_text().splitlines()) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"{jsonl} never held {count} cases")


def port_is_closed(port: int) -> bool:
    for _ in range(200):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_stopped_run_keeps_finished_cases(tmp_path: Path, signum: int) -> None:
    process, report_dir = start_slow_run(tmp_path)
    port = int(wait_for_file(report_dir / "work" / "server.port"))
    wait_for_cases(report_dir / "results.jsonl", 2)
    process.send_signal(signum)
    output, _ = process.communicate(timeout=60)
    records = [json.loads(line) for line in (report_dir / "results.jsonl").read_text().splitlines()]
    assert len(records) >= 2
    assert all(record["status"] == "PASS" for record in records), output
    assert port_is_closed(port), "the local server outlived the run"
    if signum != signal.SIGKILL:
        assert process.returncode == 2, output
        document = json.loads((report_dir / "results.json").read_text())
        assert document["complete"] is False
        assert [r["id"] for r in document["results"]] == [r["id"] for r in records]
