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
intermittent = "^status: expected 413, observed 502$"
reason = "a proxy loses an early answer now and then"

[[expect]]
case = "a.b.named"
status = "FAIL"
message = "started before the response was finished$"
reason = "a known race"

[[expect]]
case = "a.b.unreviewed"
status = "FAIL"
reason = "REVIEW: proposed by a tool"
review = true
"""
EARLY = "a task started before the response was finished"
LOST = "status: expected 413, observed 502"


def record(case_id: str, status: str, message: str = "m") -> dict:
    return {"id": case_id, "status": status, "message": message}


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
        ("a.b.other", RUN_OLD, "FAIL", "FAIL"),
    ],
)
def test_status_against_expectations(expectations, case_id, run_info, outcome, status) -> None:
    assert apply_expectation(record(case_id, outcome), expectations, run_info)["status"] == status


@pytest.mark.parametrize(
    ("case_id", "outcome", "message", "status"),
    [
        ("a.b.flaky", "FAIL", LOST, "XFAIL"),
        ("a.b.flaky", "PASS", "", "PASS"),
        ("a.b.flaky", "FAIL", "status: expected 413, observed 500", "FAIL"),
        ("a.b.flaky", "FAIL", "the body broke off", "FAIL"),
        ("a.b.flaky", "ERROR", LOST, "ERROR"),
        ("a.b.named", "FAIL", EARLY, "XFAIL"),
        ("a.b.named", "FAIL", "start.order: expected ['r0-t0'], observed []", "FAIL"),
        ("a.b.named", "PASS", "", "XPASS"),
    ],
)
def test_an_expectation_allows_only_the_failure_it_names(
    expectations, case_id: str, outcome: str, message: str, status: str
) -> None:
    judged = apply_expectation(record(case_id, outcome, message), expectations, RUN_NEW)
    assert judged["status"] == status
    if outcome == "FAIL" and status == "FAIL":
        assert (
            "allows only" in judged["message"] or "expected a failure matching" in judged["message"]
        )


def test_an_unreviewed_expectation_changes_no_status_and_is_reported(expectations) -> None:
    judged = apply_expectation(record("a.b.unreviewed", "FAIL"), expectations, RUN_NEW)
    assert judged["status"] == "FAIL"
    assert judged["unreviewed_expectation"]["review"] is True
    assert "expected" not in judged


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[expect]]\ncase = "a.b.c"\nstatus = "FAIL"\n', "needs case and reason"),
        ('[[expect]]\ncase = "a.b.c"\nreason = "r"\n', "exactly one of status"),
        (
            '[[expect]]\ncase = "a.b.c"\nreason = "r"\nknown_intermittent = ["PASS", "FAIL"]\n',
            "knows only",
        ),
        ('[[expect]]\ncase = "a.b.c"\nreason = "r"\nintermittent = "(("\n', "not a regular"),
        (
            '[[expect]]\ncase = "a.b.c"\nreason = "r"\nstatus = "FAIL"\nmessage = 3\n',
            "is not a string",
        ),
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
    assert [e.case for e in reloaded][-1] == "x.y.z" and reloaded[-1].review
    assert reloaded[0].reason == "old starlette"


def test_a_case_with_two_known_causes_is_judged_by_the_one_that_names_its_failure() -> None:
    from harness.expectations import Expectation, apply_expectation

    def entry(when: str, message: str) -> Expectation:
        return Expectation("a.b.c", when, "FAIL", message, "", "r", "", False)

    expectations = [entry('server == "granian"', "reset"), entry('starlette < "0.40"', "^status")]
    run_info = {"server": {"name": "granian"}, "versions": {"starlette": "0.39"}}
    record = {"id": "a.b.c", "status": "FAIL", "message": "status: expected 400, observed 200"}
    assert apply_expectation(record, expectations, run_info)["status"] == "XFAIL"
    other = {**record, "message": "something else"}
    judged = apply_expectation(other, expectations, run_info)
    assert judged["status"] == "FAIL" and "expected a failure matching /reset/" in judged["message"]
