"""Expectations: conditions on the run, XFAIL and XPASS, intermittent outcomes, and proposals."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import UsageError
from harness.expectations import (
    append_proposals,
    apply_expectation,
    load_expectations,
    proposals,
)

RUN_OLD = {
    "versions": {"fastapi": "0.95.2", "starlette": "0.27.0"},
    "server": "uvicorn",
    "target": {"kind": "local"},
}
RUN_NEW = {
    "versions": {"fastapi": "0.165.0", "starlette": "1.10.0"},
    "server": "uvicorn",
    "target": {"kind": "local"},
}
FILE = """
[[expect]]
case = "a.b.c"
when = 'starlette < "0.29" and target == "local"'
status = "FAIL"
reason = "old starlette"

[[expect]]
case = "a.b.flaky"
known_intermittent = ["PASS", "FAIL"]
reason = "timing on shared machines"
"""


def record(case_id: str, status: str) -> dict:
    return {"id": case_id, "status": status, "message": "m"}


@pytest.fixture
def expectations(tmp_path: Path):
    (tmp_path / "known.toml").write_text(FILE)
    return load_expectations(tmp_path)


@pytest.mark.parametrize(
    ("case_id", "run_info", "outcome", "status"),
    [
        ("a.b.c", RUN_OLD, "FAIL", "XFAIL"),
        ("a.b.c", RUN_OLD, "PASS", "XPASS"),
        ("a.b.c", RUN_NEW, "FAIL", "FAIL"),
        ("a.b.c", RUN_NEW, "PASS", "PASS"),
        ("a.b.flaky", RUN_NEW, "FAIL", "XFAIL"),
        ("a.b.flaky", RUN_NEW, "PASS", "PASS"),
        ("a.b.flaky", RUN_NEW, "ERROR", "ERROR"),
        ("a.b.other", RUN_OLD, "FAIL", "FAIL"),
    ],
)
def test_status_against_expectations(expectations, case_id, run_info, outcome, status) -> None:
    assert apply_expectation(record(case_id, outcome), expectations, run_info)["status"] == status


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[expect]]\ncase = "a.b.c"\nstatus = "FAIL"\n', "needs case and reason"),
        ('[[expect]]\ncase = "a.b.c"\nreason = "r"\n', "exactly one of status"),
        ('[[expect]]\ncase = "a.b.c"\nreason = "r"\nstatus = "PASS"\n', "is not FAIL or ERROR"),
        (
            '[[expect]]\ncase = "a.b.c"\nreason = "r"\nstatus = "FAIL"\nwhen = "fastapi < 1"\n',
            "is not 'name op",
        ),
        (
            '[[expect]]\ncase = "a.b.c"\nreason = "r"\nstatus = "FAIL"\nwhen = \'colour == "x"\'\n',
            "known name",
        ),
        ("[[expect]\n", "is not valid TOML"),
    ],
)
def test_bad_expectation_files_are_refused(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "bad.toml").write_text(text)
    with pytest.raises(UsageError, match=message):
        load_expectations(tmp_path)


def test_proposals_keep_existing_entries(tmp_path: Path, expectations) -> None:
    document = {
        "run_info": RUN_NEW,
        "results": [record("x.y.z", "FAIL"), record("a.b.c", "XPASS"), record("p.q.r", "PASS")],
    }
    entries, notes = proposals(document, expectations)
    assert [e["case"] for e in entries] == ["x.y.z"] and entries[0]["review"] is True
    assert notes and "a.b.c" in notes[0]
    target = tmp_path / "review.toml"
    target.write_text(FILE)
    append_proposals(target, entries)
    reloaded = load_expectations(target)
    assert [e.case for e in reloaded] == ["a.b.c", "a.b.flaky", "x.y.z"]
    assert reloaded[0].reason == "old starlette" and reloaded[2].review
