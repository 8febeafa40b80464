"""Unit tests of the harness's small parts: cookie parsing, recording, content, results, journal."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx

from fixtures_app.journal import Journal
from harness.content import chunks, content, digest
from harness.cookies import parse_set_cookie
from harness.junit import render_junit
from harness.recording import MASKED, http_exchange, reproduction
from harness.results import ResultsWriter, summarize
from harness.targets.base import TargetOptions
from harness.targets.remote import UrlTarget, environment_proxy


def test_set_cookie_is_parsed_as_sent() -> None:
    cookie = parse_set_cookie('id="a b"; Path=/; SameSite=lax; Secure; HttpOnly; Max-Age=10')
    assert (cookie.name, cookie.value) == ("id", '"a b"')
    assert cookie.attributes == {
        "path": "/",
        "samesite": "lax",
        "secure": True,
        "httponly": True,
        "max-age": "10",
    }


def test_exchange_masks_secrets_and_reproduces_as_curl() -> None:
    request = httpx.Request(
        "GET", "http://h/x?q=1", headers={"X-Harness-Token": "s3cret", "X-A": "b c"}
    )
    response = httpx.Response(
        200, headers=[("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")], content=b"ok", request=request
    )
    exchange = http_exchange(response, 0.01)
    assert ["x-harness-token", MASKED] in exchange["request"]["headers"]
    assert exchange["response"]["headers"][:2] == [["set-cookie", "a=1"], ["set-cookie", "b=2"]]
    line = reproduction(exchange)
    assert line.startswith("curl -sS -i -X GET") and "s3cret" not in line
    assert "'x-a: b c'" in line and line.endswith("'http://h/x?q=1'")


def test_content_is_deterministic_and_streamed() -> None:
    assert content(1000, 7) == content(1000, 7) != content(1000, 8)
    assert [len(piece) for piece in chunks(10, 1, chunk=4)] == [4, 4, 2]
    assert digest(0, 1) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_results_writer_appends_then_writes_the_document(tmp_path: Path) -> None:
    writer = ResultsWriter(tmp_path, {"time_end": None})
    record = {
        "id": "a.b.c",
        "area": "a",
        "status": "FAIL",
        "message": "m",
        "duration_s": 0.1,
        "reproduction": "curl x",
    }
    writer.add(record)
    assert json.loads((tmp_path / "results.jsonl").read_text()) == record
    document = writer.finish(1.0, complete=True)
    assert document["summary"] == {**summarize([record])} and document["summary"]["FAIL"] == 1
    junit = render_junit(document).decode()
    assert 'failures="1"' in junit and "curl x" in junit


def test_journal_is_bounded(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("fixtures_app.journal.PRUNE_EVERY", 10)
    journal = Journal(tmp_path / "j.sqlite3", max_events=15, max_age_s=3600)
    for number in range(40):
        journal.record("s", "e", n=number)
    events = journal.read("s")
    assert len(events) <= 25
    assert events[-1]["detail"] == {"n": 39}
    assert [e["seq"] for e in events] == sorted(e["seq"] for e in events)


def test_journal_drops_old_events(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("fixtures_app.journal.PRUNE_EVERY", 1)
    journal = Journal(tmp_path / "j.sqlite3", max_events=1000, max_age_s=0.05)
    journal.record("s", "old")
    time.sleep(0.1)
    journal.record("s", "new")
    assert [e["event"] for e in journal.read("s")] == ["new"]


async def test_missing_capability_or_feature_is_unsupported(tmp_path: Path) -> None:
    from harness.case import Case
    from harness.runner import run_case
    from harness.targets import TargetOptions
    from harness.targets.inprocess import InProcessTarget

    async def never_called(ctx: object) -> None:
        raise AssertionError("an unsupported case must not run")

    target = InProcessTarget(TargetOptions(work_dir=str(tmp_path)))
    timing = Case("a.b.timing", "d.", "e.", never_called, "https://x", needs=frozenset({"timing"}))
    feature = Case("a.b.feature", "d.", "e.", never_called, "https://x", feature="future-thing")
    first = await run_case(timing, target, [], 1.0)
    second = await run_case(feature, target, [], 1.0)
    assert (first["status"], first["message"]) == ("UNSUPPORTED", "target 'inprocess' lacks timing")
    assert (second["status"], second["message"]) == (
        "UNSUPPORTED",
        "this FastAPI/Starlette has no 'future-thing'",
    )


def test_unstable_cases_lists_each_attempt_of_a_case_that_moved() -> None:
    from harness.stability import unstable_cases

    def document(outcomes: dict[str, tuple[str, str, int]]) -> dict:
        return {
            "results": [
                {"id": k, "status": v, "message": m, "observations": {"size": n}, "wire": []}
                for k, (v, m, n) in outcomes.items()
            ]
        }

    documents = [
        document({"a.b.c": ("PASS", "", 1), "a.b.d": ("PASS", "", 1), "a.b.e": ("PASS", "", 1)}),
        document(
            {"a.b.c": ("FAIL", "late", 1), "a.b.d": ("PASS", "", 1), "a.b.e": ("PASS", "", 2)}
        ),
    ]
    assert unstable_cases(documents) == {
        "a.b.c": [
            {"attempt": "1", "status": "PASS", "message": "", "moved": []},
            {
                "attempt": "2",
                "status": "FAIL",
                "message": "late",
                "moved": ["status: PASS → FAIL: late"],
            },
        ],
        "a.b.e": [
            {"attempt": "1", "status": "PASS", "message": "", "moved": []},
            {"attempt": "2", "status": "PASS", "message": "", "moved": ["observed: size: 1 → 2"]},
        ],
    }


def test_results_lines_survive_unicode_line_separators(tmp_path: Path) -> None:
    """An observed body with U+2028, U+0085 or U+001C must not split its results.jsonl line."""
    from harness.results import recover

    writer = ResultsWriter(tmp_path, {"time_end": None})
    odd = "a\u2028b\x85c\x1cd\u2029e"
    record = {"id": "a.b.c", "area": "a", "status": "PASS", "message": odd, "duration_s": 0.1}
    writer.add(record)
    writer.add({**record, "id": "a.b.d"})
    assert len((tmp_path / "results.jsonl").read_text().splitlines()) == 2
    recovered = recover(tmp_path)
    assert [r["message"] for r in recovered["results"]] == [odd, odd]


def test_the_environment_proxy_is_read_once_per_target(monkeypatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("NO_PROXY", "internal.invalid")
    assert environment_proxy("https://app.example/fixtures") == "http://proxy.invalid:3128"
    assert environment_proxy("https://internal.invalid") is None
    assert environment_proxy("http://app.example") is None  # no HTTP_PROXY set
    target = UrlTarget("https://app.example", TargetOptions())
    monkeypatch.delenv("HTTPS_PROXY")
    assert target.proxy == "http://proxy.invalid:3128"  # later changes are not read
