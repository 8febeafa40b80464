"""One conformance run: its event loop, target, run folder and results files.

Registered as a pytest plugin object for the session (as pytest's junitxml is).
Once the target is up, the session's cases run on an executor (`harness.executor`:
independent cases side by side, heavy and timing-sensitive ones alone) whose
records reach results.jsonl as each case ends; each pytest test waits for its
case's record and ends with its status. results.json and junit.xml are written
when the session finishes, whatever ended it.

With pytest-xdist (`-n 2`) each worker opens its own target (its own local
server, its own work folder) and sends each record, with its run info, in
the test report; the controller alone writes the run's files.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from harness.case import Case
from harness.errors import TargetUnavailable
from harness.executor import Executor, Loop
from harness.exitcodes import EXIT_CANNOT_RUN
from harness.expectations import apply_expectation
from harness.junit import write_junit
from harness.report.render import render_run
from harness.report.terminal import summary_lines
from harness.results import JSON, ResultsWriter
from harness.runinfo import build_run_info, now_iso, stack_info
from harness.runner import run_case
from harness.settings import RunSettings
from harness.targets import Target, make_target

RESULT_PROPERTY = "conformance-result"
# How long a target that stays silent after a failed exchange is asked before the run ends (exit 2).
LIVENESS_BOUND_S = 30.0
RUN_INFO_PROPERTY = "conformance-run-info"


class ConformanceRun:
    """State and hooks of one run."""

    def __init__(self, settings: RunSettings, worker: str | None = None) -> None:
        self.settings = settings
        self.worker = worker  # the xdist worker id, or None in the process that writes the files
        self.run_dir = settings.report_dir or settings.report_root / _run_name(settings.target)
        self.started = time.perf_counter()
        self.loop: Loop | None = None
        self.target: Target | None = None
        self.writer: ResultsWriter | None = None
        self.executor: Executor | None = None
        self.cases: list[Case] = []
        self.run_info: dict[str, Any] = {}
        self.document: dict[str, Any] | None = None

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """The cases this session runs, in the order collected (and selected)."""
        for item in session.items:
            callspec = getattr(item, "callspec", None)
            case = callspec.params.get("case") if callspec is not None else None
            if isinstance(case, Case):
                self.cases.append(case)

    def start(self) -> None:
        """Open the target and the results files, and start the cases; exits 2 when the target
        cannot be used."""
        signal.signal(signal.SIGTERM, _interrupt)
        self.loop = Loop()
        self.run_dir.mkdir(parents=True, exist_ok=True)
        if self.worker is None:
            _point_latest(self.settings.report_root, self.run_dir)
        work = self.run_dir / ("work" if self.worker is None else f"work-{self.worker}")
        options = replace(self.settings.target_options, work_dir=str(work))
        self.target = make_target(
            self.settings.target,
            options,
            tls=self.settings.tls,
            server=self.settings.server,
            stack=self.settings.stack,
        )
        time_start = now_iso()
        try:
            info = self.loop.run(self.target.start())
        except TargetUnavailable as exc:
            hint = self._stack_hint()
            self.stop()
            pytest.exit(f"conformance: {exc}{hint}", returncode=EXIT_CANNOT_RUN)
        described = self.target.describe()
        self.run_info = build_run_info(info, described, self.settings.seed, time_start)
        self.run_info["stack"] = stack_info(self.settings.stack.describe(), info, described)
        self.run_info["tiers"] = list(self.settings.tiers)
        self.run_info["concurrency"] = self.settings.concurrency
        if self.worker is None:
            self.writer = ResultsWriter(self.run_dir, self.run_info)
        keep = self.writer.add if self.writer is not None else _reported_by_the_test
        self.executor = Executor(
            self.loop, self.run_case, self.lost, keep, self.settings.concurrency
        )
        self.executor.schedule(self.cases)

    def _stack_hint(self) -> str:
        """For a target with a stack's middleware: that it runs on /_harness/info too."""
        stack = self.settings.stack
        if not stack.middleware or self.target is None:
            return ""
        log = self.target.describe().get("server_log")
        return (
            f" (the stack {stack.name!r} adds middleware to every answer, /_harness/info "
            f"included: see {log})"
        )

    async def run_case(self, case: Case) -> dict[str, Any]:
        """One case's record, its expectation applied."""
        assert self.target is not None
        scale = self.settings.target_options.timeout_scale
        features = self.run_info["features"]
        seed, tiers = self.settings.seed, self.settings.tiers
        errors = self.run_info.get("feature_errors", {})
        record = await run_case(case, self.target, features, scale, seed, tiers, errors)
        return apply_expectation(record, self.settings.expectations, self.run_info)

    async def lost(self) -> str | None:
        """Asked after an ERROR or a failed exchange: None while the target still answers, else why not."""
        assert self.target is not None
        return await self.target.lost(self.settings.target_options.timeout(LIVENESS_BOUND_S))

    def record(self, case: Case) -> dict[str, Any] | None:
        """The case's record once it ended (run here if the session did not schedule it);
        None when the target was lost before the case could start."""
        assert self.loop is not None and self.executor is not None
        if case.id not in self.executor.records:
            record = self.loop.run(self.run_case(case))
            if self.writer is not None:
                self.writer.add(record)
            return record
        return self.executor.record(case)

    def abandon(self, reason: str) -> None:
        """End the run with exit code 2: the target is gone (every finished case is kept)."""
        if self.writer is None:  # an xdist worker: its controller keeps the records it reports
            return
        pytest.exit(
            f"conformance: the target stopped answering during the run ({reason}); "
            f"the finished cases are kept in {self.run_dir / JSON}",
            returncode=EXIT_CANNOT_RUN,
        )

    def stop(self) -> None:
        if self.loop is None:
            return
        try:
            if self.executor is not None:
                self.executor.cancel()
            if self.target is not None:
                self.loop.run(self.target.stop())
        finally:
            self.loop.close()
            self.loop = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call" or self.worker is not None:
            return
        properties = dict(report.user_properties)
        run_info = properties.get(RUN_INFO_PROPERTY)
        if self.writer is None and isinstance(run_info, dict):
            # the controller of xdist workers: the first report brings the run info
            self.run_info = run_info
            self.run_dir.mkdir(parents=True, exist_ok=True)
            _point_latest(self.settings.report_root, self.run_dir)
            self.writer = ResultsWriter(self.run_dir, self.run_info)
        record = properties.get(RESULT_PROPERTY)
        if self.writer is not None and self.executor is None and isinstance(record, dict):
            self.writer.add(record)  # as the controller of xdist workers; else kept as it ended

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        # the run is ending: a second SIGTERM must not cut short the writing of what it has
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        self.stop()
        if self.writer is None:
            return
        self.run_info["time_end"] = now_iso()
        duration = time.perf_counter() - self.started
        order = [case.id for case in self.cases]
        self.document = self.writer.finish(duration, complete=exitstatus in (0, 1), order=order)
        write_junit(self.document, self.run_dir / "junit.xml")
        (self.run_dir / "index.html").write_text(render_run(self.document), encoding="utf-8")

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.document is None:
            return
        terminalreporter.write_sep("=", "conformance")
        for line in summary_lines(self.document):
            terminalreporter.write_line(line)
        terminalreporter.write_line(f"results: {self.run_dir / JSON}")
        terminalreporter.write_line(f"report:  {self.run_dir / 'index.html'}")


def _reported_by_the_test(record: dict[str, Any]) -> None:
    """An xdist worker keeps nothing itself: each test reports its record to the controller."""


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _run_name(target: str) -> str:
    kind = target if target in ("local", "inprocess") else "url"
    return f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{kind}-{os.getpid()}"


def _point_latest(report_root: Path, run_dir: Path) -> None:
    """Make reports/latest name this run, when the run folder is under reports/."""
    if run_dir.parent != report_root:
        return
    link = report_root / "latest"
    temporary = report_root / f".latest-{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(run_dir.name)
    os.replace(temporary, link)
