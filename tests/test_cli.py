"""The command line: listing cases, reading runs from folders and globs, where proposals go,
one-line errors, and exit codes that come through nox unchanged."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness.cli import main
from harness.results import ResultsWriter
from suites.catalog import EXPECTATIONS_DIR, all_cases
from tests.conftest import ROOT

LIST_KEYS = {"id", "area", "description", "expectation", "reference", "tier"}


def harness(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness", *args], cwd=cwd, capture_output=True, text=True
    )


def write_run(folder: Path, status: str = "PASS") -> Path:
    record = {"id": "a.b.c", "area": "a", "status": status, "message": "", "duration_s": 0.1}
    writer = ResultsWriter(folder, {"versions": {"fastapi": "1.0"}, "seed": 1})
    writer.add({**record, "observations": {}, "exchanges": []})
    writer.finish(0.1, complete=True)
    return folder


def test_list_names_every_case_without_running_one() -> None:
    listed = harness("list")
    assert listed.returncode == 0, listed.stderr
    assert f"{len(all_cases())} cases" in listed.stdout
    assert all(case.id in listed.stdout for case in all_cases())


def test_list_json_is_an_array_of_cases_with_their_sentences() -> None:
    listed = harness("list", "--json", "--area", "cookies")
    cases = json.loads(listed.stdout)
    assert [case["id"] for case in cases] == [c.id for c in all_cases(("cookies",))]
    assert all(set(case) >= LIST_KEYS and case["area"] == "cookies" for case in cases)


def test_collect_only_lists_the_pytest_ids_and_starts_nothing() -> None:
    collected = harness("run", "--collect-only", "-q", "--area", "headers")
    assert collected.returncode == 0, collected.stdout + collected.stderr
    assert "headers.read.user-agent" in collected.stdout
    assert "results:" not in collected.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["run", "--area", "nope"], "'nope' is not an area"),
        (["run", "--repeat", "0"], "'0' is not a positive whole number"),
        (["compare", "no-such-run", "other"], "'no-such-run' does not exist"),
        (["compare", "no-*-such"], "matches no file or folder"),
        (["matrix", "--mode", "sometimes"], "invalid choice: 'sometimes'"),
    ],
)
def test_a_bad_argument_is_one_line_and_exit_2(args: list[str], says: str, capsys) -> None:
    assert main(args) == 2
    error = capsys.readouterr().err.strip()
    assert says in error and len(error.splitlines()) == 1


def test_compare_reads_folders_of_runs_and_globs(tmp_path: Path, capsys) -> None:
    for job in ("job-1", "job-2", "job-3"):
        write_run(tmp_path / "artifacts" / job / "report")
    output = tmp_path / "compare.html"
    assert main(["compare", str(tmp_path / "artifacts"), "-o", str(output)]) == 0
    data = tmp_path / "diff.json"
    pattern = str(tmp_path / "artifacts" / "job-*" / "report")
    assert main(["compare", pattern, "-o", str(output), "--json", str(data)]) == 0
    assert len(json.loads(data.read_text())["runs"]) == 3


def test_proposals_are_written_beside_the_run_never_where_runs_load_them(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", status="FAIL")
    assert main(["expectations", str(run)]) == 0
    assert "review = true" in (run / "proposed-expectations.toml").read_text()
    inside = EXPECTATIONS_DIR / "proposed.toml"
    assert main(["expectations", str(run), "-o", str(inside)]) == 2
    assert not inside.exists()


@pytest.mark.skipif(shutil.which("nox") is None, reason="nox is not on PATH")
@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--target", "http://127.0.0.1:1"], 2),
        (["--target", "inprocess", "-k", "headers.read.user-agent"], 0),
        (["--target", "inprocess", "-k", "headers.read.user-agent", "--seed", "x"], 2),
    ],
)
def test_nox_conformance_exits_as_the_harness_does(args: list[str], code: int, tmp_path) -> None:
    command = ["nox", "-R", "-s", "conformance", "--", *args, "--report-dir", str(tmp_path)]
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert completed.returncode == code, completed.stdout[-2000:] + completed.stderr[-2000:]


@pytest.mark.skipif(shutil.which("nox") is None, reason="nox is not on PATH")
def test_nox_conformance_exits_1_for_an_unexpected_failure(tmp_path) -> None:
    command = ["nox", "-R", "-s", "conformance", "--", "--target", "inprocess"]
    command += ["-k", "headers.read.user-agent", "--report-dir", str(tmp_path)]
    env = {**__import__("os").environ, "FIXTURES_FAULTS": "set-request-header:user-agent=proxy/1.0"}
    completed = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=300
    )
    assert completed.returncode == 1, completed.stdout[-2000:] + completed.stderr[-2000:]
