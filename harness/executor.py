"""Running a session's cases: independent ones side by side, the others alone, on one event loop
in a thread of its own, each record kept as soon as its case ends.

Rules:
1. Cases start in the order they were collected, at most `concurrency` at once.
2. A case that runs alone (`Case.runs_alone`: heavy, load or timing-sensitive) starts only
   when no other case runs, and no case starts beside it; those cases run after the others.
3. Cases of one `group` (state of the app they share) never run at the same time.
4. After a case that was an ERROR or whose peer failed, no case starts until the target has
   been asked again; a lost target ends the scheduling, and the cases not started are lost too.
5. Each record, with its expectation applied, is handed to `keep` as its case ends.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

from harness.case import Case
from harness.status import ERROR

T = TypeVar("T")
Record = dict[str, Any]


class Loop:
    """An asyncio event loop running in a daemon thread; coroutines are handed to it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="cases", daemon=True)
        self.thread.start()

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run `coroutine` on the loop and wait for its result here."""
        return self.submit(coroutine).result()

    def close(self) -> None:
        if self.loop.is_closed():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        if not self.thread.is_alive():
            self.loop.close()


class Executor:
    """Schedules the cases of a session by the module's rules and hands out their records."""

    def __init__(
        self,
        loop: Loop,
        run: Callable[[Case], Awaitable[Record]],
        lost: Callable[[], Awaitable[str | None]],
        keep: Callable[[Record], None],
        concurrency: int,
    ) -> None:
        self.loop = loop
        self.run_one = run
        self.lost = lost
        self.keep = keep
        self.concurrency = max(1, concurrency)
        self.records: dict[str, Future[Record]] = {}
        self.lost_reason: str | None = None
        self.main: Future[None] | None = None
        self.clear: asyncio.Event

    def schedule(self, cases: list[Case]) -> None:
        """Start running `cases`; `record(case)` then waits for each."""
        self.records = {case.id: Future() for case in cases}
        self.main = self.loop.submit(self._run_all(cases))

    def record(self, case: Case) -> Record | None:
        """The record of a scheduled case once it ended; None when the target was lost first."""
        future = self.records.get(case.id)
        if future is None:
            return None
        return future.result()

    def cancel(self) -> None:
        """Stop scheduling; cases that did not end are given no record."""
        if self.main is not None:
            self.main.cancel()
        for future in self.records.values():
            if not future.done():
                future.set_result(None)  # type: ignore[arg-type]

    async def _run_all(self, cases: list[Case]) -> None:
        slots = asyncio.Semaphore(self.concurrency)
        groups: dict[str, asyncio.Lock] = {}
        running: set[asyncio.Task[None]] = set()
        self.clear = asyncio.Event()
        self.clear.set()
        ordered = [c for c in cases if not c.runs_alone] + [c for c in cases if c.runs_alone]
        for case in ordered:
            await self.clear.wait()
            if self.lost_reason is not None:
                break
            if case.runs_alone:
                await self._drain(running)
                await self._run_guarded(case, None)
                continue
            await slots.acquire()
            lock = groups.setdefault(case.group, asyncio.Lock()) if case.group else None
            task = asyncio.create_task(self._run_guarded(case, lock))
            running.add(task)

            def finished(done: asyncio.Task[None]) -> None:
                running.discard(done)
                slots.release()

            task.add_done_callback(finished)
        await self._drain(running)
        for future in self.records.values():
            if not future.done():
                future.set_result(None)  # type: ignore[arg-type]

    async def _drain(self, running: set[asyncio.Task[None]]) -> None:
        if running:
            await asyncio.gather(*running, return_exceptions=True)

    async def _run_guarded(self, case: Case, lock: asyncio.Lock | None) -> None:
        future = self.records[case.id]
        try:
            if lock is not None:
                async with lock:
                    record = await self.run_one(case)
            else:
                record = await self.run_one(case)
            if record["status"] == ERROR or record.get("peer_failed"):
                record = await self._ask_again(record)
            self.keep(record)
        except BaseException as exc:  # a harness bug: the case's test shows it
            if not future.done():
                future.set_exception(exc)
            raise
        future.set_result(record)

    async def _ask_again(self, record: Record) -> Record:
        """Rule 4: hold new cases while the target is asked whether it still answers."""
        self.clear.clear()
        try:
            self.lost_reason = self.lost_reason or await self.lost()
        finally:
            self.clear.set()
        return record if self.lost_reason is None else {**record, "target_lost": self.lost_reason}
