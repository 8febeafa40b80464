"""Detection power: every deliberate fault a case row names, and whether the cases catch it.

Each case row names the faults that make it fail (`caught_by`, faults of
`fixtures_app.faults`). Rules:
1. The clean app runs first. A case that does not PASS there is a failure of
   the suite, unless its expectation names this release's deviation; such a
   case names the faults under which it passes (`passes_with`), and must.
2. Under each fault, every case that names it must FAIL (never ERROR or PASS);
   the other cases of its areas run too, and the fault is detected when any case
   that passed on the clean app does not pass. A case that fails on the clean app
   as its expectation says proves the fault with each of its `passes_with` faults
   applied first: it must FAIL under every such pair.
3. A case runs in-process when the in-process target has what it needs, else on
   a local server started with the fault (over TLS when the case needs it; an HTTP/2
   case on hypercorn:h2). The default and heavy tiers run.
`nox -s mutation` prints one row per fault and exits 1 unless every rule holds.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harness.case import Case
from harness.expectations import apply_expectation, load_expectations
from harness.runinfo import build_run_info, now_iso
from harness.runner import run_case
from harness.servers import DEFAULT, parse_configuration
from harness.status import FAIL, PASS, XFAIL
from harness.targets import Target, TargetOptions
from harness.targets.base import HTTP2, TLS
from harness.targets.inprocess import InProcessTarget
from harness.targets.local import LocalTarget
from suites.catalog import EXPECTATIONS_DIR, all_cases

TIERS = ("default", "heavy")
HTTP2_SERVER = "hypercorn:h2"
FAULTS_SETTING = "FIXTURES_FAULTS"


def cases_in_tiers() -> list[Case]:
    return [case for case in all_cases() if case.tier in TIERS]


def declared_faults(cases: list[Case]) -> dict[str, list[Case]]:
    """Each fault some case names, with the cases that name it, in catalogue order."""
    faults: dict[str, list[Case]] = {}
    for case in cases:
        for fault in case.caught_by:
            faults.setdefault(fault, []).append(case)
    return faults


@contextmanager
def faulted(fault: str) -> Iterator[None]:
    """The fixture app of targets made in this block is served with `fault` ('' for none)."""
    previous = os.environ.get(FAULTS_SETTING)
    os.environ[FAULTS_SETTING] = fault
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(FAULTS_SETTING, None)
        else:
            os.environ[FAULTS_SETTING] = previous


async def _run_on(target: Target, cases: list[Case]) -> dict[str, str]:
    info = await target.start()
    try:
        run_info = build_run_info(info, target.describe(), 0, now_iso())
        expectations = load_expectations(EXPECTATIONS_DIR)
        statuses = {}
        for case in cases:
            errors = info.get("feature_errors", {})
            record = await run_case(case, target, info["features"], 1.0, 0, TIERS, errors)
            judged = apply_expectation(record, expectations, run_info)
            statuses[case.id] = (
                XFAIL
                if judged["status"] == XFAIL and record["status"] == FAIL
                else record["status"]
            )
        return statuses
    finally:
        await target.stop()


def where(case: Case) -> str:
    """The target a case runs on here: in-process when it can, else a local server (with TLS)."""
    if case.needs <= InProcessTarget.capabilities:
        return "inprocess"
    if HTTP2 in case.needs:
        return "local-h2"
    return "local-tls" if TLS in case.needs else "local"


def make(kind: str, work: Path) -> Target:
    options = TargetOptions(work_dir=str(work / kind))
    if kind == "inprocess":
        return InProcessTarget(options)
    server = parse_configuration(HTTP2_SERVER if kind == "local-h2" else DEFAULT)
    return LocalTarget(options, tls=kind == "local-tls", server=server)


def statuses_under(fault: str, cases: list[Case], work: Path) -> dict[str, str]:
    """Each case's status against the app served with `fault` ('' for the clean app).

    XFAIL marks a failure that this release's expectation names (only meaningful clean).
    """
    statuses: dict[str, str] = {}
    with faulted(fault):
        for kind in ("inprocess", "local", "local-tls", "local-h2"):
            chosen = [case for case in cases if where(case) == kind]
            if chosen:
                statuses |= asyncio.run(_run_on(make(kind, work), chosen))
    return statuses


@dataclass
class FaultResult:
    fault: str
    declared: list[str]
    missed: list[str]  # declared cases that did not FAIL
    caught: list[str]  # cases that passed clean and did not pass under the fault

    @property
    def line(self) -> str:
        verdict = "detected" if self.caught and not self.missed else "MISSED  "
        missed = f"; {len(self.missed)} declared cases did not fail: {', '.join(self.missed[:3])}"
        return f"{verdict}  {self.fault:<52} {len(self.caught):>4} cases" + (
            missed if self.missed else ""
        )


def judge(
    fault: str, declared: list[Case], statuses: dict[str, str], passing: set[str]
) -> FaultResult:
    """What `fault` did to the cases that passed on the clean app (the others prove nothing here)."""
    proving = [case.id for case in declared if case.id in passing]
    return FaultResult(
        fault=fault,
        declared=proving,
        missed=[case_id for case_id in proving if statuses.get(case_id) != FAIL],
        caught=sorted(i for i, status in statuses.items() if i in passing and status != PASS),
    )


def corrected_outcomes(case: Case, fault: str, work: Path) -> set[str | None]:
    """The case's status under each of its corrective `passes_with` faults, with `fault`
    applied after it ('' for none): one status per corrective fault, as a set."""
    return {
        statuses_under(
            ",".join(filter(None, (corrective, fault))), [case], work / f"{case.id}-{n}"
        ).get(case.id)
        for n, corrective in enumerate(case.passes_with)
    }


def deviations_under(
    fault: str, declared: list[Case], known: set[str], work: Path
) -> dict[str, str]:
    """Rule 2 for the known deviations among `declared`: FAIL when the case fails under
    `fault` with each of its corrective `passes_with` faults, else what one of them gave."""
    statuses = {}
    for case in (case for case in declared if case.id in known):
        outcomes = corrected_outcomes(case, fault, work)
        others = sorted(str(outcome) for outcome in outcomes - {FAIL})
        statuses[case.id] = FAIL if outcomes == {FAIL} else (others or ["no passes_with"])[0]
    return statuses


def unproven_deviations(cases: list[Case], known: set[str], work: Path) -> list[str]:
    """The cases failing on the clean app as expected that do not pass under their `passes_with`."""
    chosen = (case for case in cases if case.id in known)
    return [case.id for case in chosen if corrected_outcomes(case, "", work) != {PASS}]


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="mutation-"))
    cases = cases_in_tiers()
    baseline = statuses_under("", cases, work / "clean")
    passing = {case_id for case_id, status in baseline.items() if status == PASS}
    known = {case_id for case_id, status in baseline.items() if status == XFAIL}
    broken = sorted(set(baseline) - passing - known)
    print(
        f"clean app: {len(passing)} of {len(baseline)} cases pass, {len(known)} fail as their "
        f"expectation says, {len(broken)} fail unexpectedly"
        + (f": {', '.join(broken[:5])}" if broken else "")
    )
    unproven = unproven_deviations(cases, known, work / "deviations")
    if unproven:
        print(f"known deviations not shown to pass under their passes_with: {', '.join(unproven)}")
    results = []
    for number, (fault, declared) in enumerate(declared_faults(cases).items()):
        areas = tuple(sorted({case.area for case in declared}))
        touched = [case for case in cases if case.area in areas]
        statuses = statuses_under(fault, touched, work / f"fault-{number}")
        corrected = deviations_under(fault, declared, known, work / f"fault-{number}-corrected")
        results.append(judge(fault, declared, statuses | corrected, passing | set(corrected)))
        print(results[-1].line, flush=True)
    detected = sum(bool(r.caught) and not r.missed for r in results)
    print(f"detection rate: {detected}/{len(results)} = {detected / max(len(results), 1):.0%}")
    return 0 if detected == len(results) and not broken and not unproven else 1


if __name__ == "__main__":
    sys.exit(main())
