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
        # results.json holds the cases in the order collected, results.jsonl as they ended
        assert sorted(r["id"] for r in document["results"]) == sorted(r["id"] for r in records)


def test_repeat_keeps_every_attempt_and_names_no_moved_case(tmp_path) -> None:
    import json
    import subprocess
    import sys

    folder = tmp_path / "repeat"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "harness",
            "run",
            "--repeat",
            "2",
            "--target",
            "inprocess",
            "--area",
            "headers",
            "-p",
            "no:cacheprovider",
            "--report-dir",
            str(folder),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    summary = json.loads((folder / "stability.json").read_text())
    assert summary["attempts"] == 2 and summary["unstable"] == {}
    assert (folder / "attempt-01" / "results.json").exists()
    assert (folder / "attempt-02" / "results.json").exists()
    assert "2 attempts of 30 cases: 0 moved" in completed.stdout


def test_two_runs_at_once_do_not_collide(tmp_path) -> None:
    """Two local runs side by side: own ports, own report folders, own journals; both complete."""
    import json
    import subprocess
    import sys

    def start(name: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "harness",
                "run",
                "--area",
                "background,cookies",
                "-p",
                "no:cacheprovider",
                "-q",
                "--report-dir",
                str(tmp_path / name),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    first, second = start("one"), start("two")
    outputs = [process.communicate(timeout=300)[0] for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    documents = [json.loads((tmp_path / n / "results.json").read_text()) for n in ("one", "two")]
    urls = {document["run_info"]["target"]["url"] for document in documents}
    assert len(urls) == 2
    for document in documents:
        assert document["summary"]["total"] == 80 and document["summary"].get("ERROR", 0) == 0
    assert (tmp_path / "one" / "work" / "journal.sqlite3").exists()
    assert (tmp_path / "two" / "work" / "journal.sqlite3").exists()
