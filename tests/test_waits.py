"""One time-out policy and one error mapping: a wait that runs out is a FAIL on every target and
client, a connection that cannot be made is an ERROR, an overloaded target is not a dead one."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from harness.case import Case, Context
from harness.errors import CaseFailed, HarnessError, NoAnswer, PeerFailed, Unsupported
from harness.runner import run_case
from harness.status import ERROR, FAIL, UNSUPPORTED
from harness.targets import TargetOptions
from harness.targets.inprocess import InProcessTarget
from harness.transport import from_connection, from_httpx
from tests.conftest import harness_command, served_fixture_app

REQUEST = httpx.Request("GET", "http://127.0.0.1:1/x")


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (httpx.ReadTimeout("slow", request=REQUEST), NoAnswer),
        (httpx.WriteTimeout("slow", request=REQUEST), NoAnswer),
        (httpx.PoolTimeout("busy", request=REQUEST), NoAnswer),
        (httpx.ConnectTimeout("backlog full", request=REQUEST), NoAnswer),
        (
            httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body"
            ),
            PeerFailed,
        ),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), PeerFailed),
        (httpx.ReadError("reset", request=REQUEST), PeerFailed),
        (httpx.ConnectError("[Errno 111] Connection refused", request=REQUEST), HarnessError),
    ],
)
def test_httpx_failures_map_to_one_family(exc: httpx.HTTPError, kind: type) -> None:
    mapped = from_httpx(exc, "GET /x", 2.0)
    assert type(mapped) is kind


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (TimeoutError(), NoAnswer),
        (ConnectionRefusedError(111, "Connection refused"), HarnessError),
        (ConnectionResetError(104, "reset by peer"), PeerFailed),
    ],
)
def test_socket_failures_map_to_the_same_family(exc: OSError, kind: type) -> None:
    assert type(from_connection(exc, "raw HTTP", 2.0)) is kind


def test_a_timeout_is_a_failure_not_an_error() -> None:
    assert issubclass(NoAnswer, CaseFailed) and not issubclass(NoAnswer, HarnessError)


async def waits_for_a_message(ctx: Context) -> None:
    async with await ctx.websocket("/ws/echo") as ws:
        await ws.receive(0.2)  # the echo route says nothing until spoken to


async def raises(ctx: Context, error: str) -> None:
    raise {"harness": HarnessError("refused"), "unsupported": Unsupported("no parser")}[error]


async def outlives_its_time(ctx: Context) -> None:
    await asyncio.sleep(5)


def case(check, timeout_s: float = 30.0, **params: object) -> Case:
    return Case(
        id="websockets.wait.case",
        description="d.",
        expectation="e.",
        check=check,
        reference="https://example.org",
        params=params,
        timeout_s=timeout_s,
        caught_by=("deaf-websocket",),
    )


@pytest.mark.parametrize(
    ("row", "status", "peer_failed"),
    [
        (case(waits_for_a_message), FAIL, True),
        (case(outlives_its_time, timeout_s=0.2), FAIL, True),
        (case(raises, error="harness"), ERROR, False),
        (case(raises, error="unsupported"), UNSUPPORTED, False),
    ],
    ids=["websocket-wait", "case-time-out", "harness-error", "unsupported"],
)
async def test_statuses_of_the_policy(
    tmp_path: Path, row: Case, status: str, peer_failed: bool
) -> None:
    target = InProcessTarget(TargetOptions(work_dir=str(tmp_path)))
    await target.start()
    try:
        record = await run_case(row, target, [], 1.0)
    finally:
        await target.stop()
    assert (record["status"], bool(record.get("peer_failed"))) == (status, peer_failed)
    if status == FAIL:
        assert "nothing within" in record["message"]


async def test_the_in_process_target_fabricates_no_answer_for_a_raw_target(tmp_path: Path) -> None:
    target = InProcessTarget(TargetOptions(work_dir=str(tmp_path)))
    await target.start()
    try:
        with pytest.raises(Unsupported, match="no HTTP parser"):
            await target.raw_request("GET", "/static/caf\u00e9".encode(), [])
    finally:
        await target.stop()


async def reads_the_journal(ctx: Context) -> None:
    await ctx.request("GET", "/middleware/hello")
    await ctx.journal(until=lambda events: bool(events))


class FailingInserts:
    """A SQLite connection whose writes fail, as a full disk or a locked file makes them."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def execute(self, sql: str, *args: object) -> object:
        if sql.startswith("INSERT"):
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)

    def close(self) -> None:
        self.db.close()


async def test_lost_journal_events_make_the_case_an_error(tmp_path: Path) -> None:
    target = InProcessTarget(TargetOptions(work_dir=str(tmp_path)))
    journal = target.app.fixture_state.journal
    await target.start()
    journal._db = FailingInserts(journal._db)  # type: ignore[assignment]
    try:
        record = await run_case(case(reads_the_journal), target, [], 1.0)
    finally:
        await target.stop()
    assert record["status"] == ERROR
    assert "lost" in record["message"] and "journal events" in record["message"]


def test_an_overloaded_app_fails_its_cases_and_the_run_goes_on(run_harness, tmp_path) -> None:
    """Every answer comes 3 s late, but /_harness answers: FAILs naming the wait, exit 1."""
    os.environ["FIXTURES_FAULTS"] = "delay-response:3000"
    try:
        with served_fixture_app(tmp_path, "--token", "secret") as (port, _):
            run = run_harness(
                *("--target", f"http://127.0.0.1:{port}", "--token", "secret"),
                *("--timeout-scale", "0.05", "-k", "headers.read.user-agent"),
                timeout=120,
            )
    finally:
        del os.environ["FIXTURES_FAULTS"]
    assert run.returncode == 1, run.output
    statuses = {r["id"]: (r["status"], r["message"]) for r in run.results()["results"]}
    assert statuses and all(s == FAIL and "nothing within" in m for s, m in statuses.values())


def test_a_target_that_falls_silent_ends_the_run_after_the_bound(tmp_path, fixture_server) -> None:
    url, server = fixture_server
    report = tmp_path / "report"
    args = ["--target", url, "--token", "secret", "--area", "cookies", "--timeout-scale", "0.1"]
    harness = subprocess.Popen(
        harness_command(*args, "--report-dir", str(report)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    jsonl = report / "results.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (
        not jsonl.exists() or len(jsonl.read_text().splitlines()) < 5
    ):
        time.sleep(0.05)
    os.kill(server.pid, signal.SIGSTOP)
    try:
        output, _ = harness.communicate(timeout=90)
    finally:
        os.kill(server.pid, signal.SIGCONT)
    assert harness.returncode == 2, output
    assert "the target stopped answering during the run" in output and "asked for 3 s" in output
    assert len(jsonl.read_text().splitlines()) >= 5
