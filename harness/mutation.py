"""Detection power: serve the fixture app with each deliberate fault and see which cases catch it.

For every fault of the catalogue, the cases of the areas it touches run
in-process against the faulted app (default and heavy tiers). A fault is
detected when at least one case that passes on the unfaulted app fails on the
faulted one. Prints one row per fault and the detection rate; `nox -s mutation`.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

from harness.case import Case
from harness.runner import run_case
from harness.status import PASS
from harness.targets import TargetOptions
from harness.targets.inprocess import InProcessTarget
from suites.catalog import AREAS, all_cases

TIERS = ("default", "heavy")

# fault -> the areas whose cases are run against it; each imitates a regression, a buggy middleware or a proxy
CATALOG: dict[str, tuple[str, ...]] = {
    "hold-response": ("background", "responses"),
    "flip-response-byte": ("static", "responses"),
    "flip-request-byte": ("uploads",),
    "corrupt-websocket": ("websockets",),
    "drop-websocket-messages:2": ("websockets",),
    "reorder-websocket-messages": ("websockets",),
    "deaf-websocket": ("websockets",),
    "websocket-codes:4999": ("websockets",),
    "swallow-websocket-errors": ("websockets",),
    "deny-websocket:451": ("websockets",),
    "close-websockets-after-accept": ("websockets",),
    "drop-header:set-cookie": ("cookies",),
    "strip-cookie-attribute:samesite": ("cookies",),
    "strip-cookie-attribute:expires": ("cookies",),
    "merge-set-cookie": ("cookies",),
    "strip-cookie-quotes": ("cookies",),
    "set-request-header:cookie=session=x": ("cookies",),
    "set-request-header:user-agent=proxy/1.0": ("headers",),
    "drop-request-header:x-custom-value": ("headers",),
    "rename-request-header:x_custom_value=x-custom-value": ("headers",),
    "merge-request-headers:x-token": ("headers",),
    "duplicate-response-headers": ("headers",),
    "drop-header:access-control-allow-origin": ("middleware",),
    "add-response-header:access-control-allow-origin=*": ("middleware",),
    "drop-header:x-process-time": ("middleware",),
    "drop-request-header:accept-encoding": ("middleware",),
    "set-request-header:host=evil.example": ("middleware",),
    "rewrite-status:500=200": ("middleware", "background"),
    "rewrite-status:307=302": ("responses", "middleware"),
    "rewrite-status:404=200": ("responses",),
    "rewrite-status:405=404": ("responses",),
    "rewrite-status:204=200": ("responses",),
    "drop-header:location": ("responses",),
    "drop-header:content-disposition": ("responses",),
    "drop-header:x-cat-dog": ("responses",),
    "conditional-304": ("responses", "static"),
    "drop-request-header:range": ("responses", "static"),
    "sanitize-filenames": ("uploads",),
    "limit-request-body:1048576": ("uploads",),
    "rewrite-status:422=500": ("uploads",),
    "soft-404": ("static",),
    "serve-outside-static": ("static",),
    "drop-header:etag": ("static",),
    "drop-request-header:if-none-match": ("static",),
    "drop-request-header:if-range": ("static",),
    "rewrite-status:200=299": AREAS,
}


def cases_of(areas: tuple[str, ...]) -> list[Case]:
    return [case for case in all_cases(areas) if case.tier in TIERS]


async def statuses(cases: list[Case], fault: str, work: Path) -> dict[str, str]:
    os.environ["FIXTURES_FAULTS"] = fault
    target = InProcessTarget(TargetOptions(work_dir=str(work)))
    try:
        info = await target.start()
        return {
            c.id: (await run_case(c, target, info["features"], 1.0, 0, TIERS))["status"]
            for c in cases
        }
    finally:
        await target.stop()
        os.environ.pop("FIXTURES_FAULTS", None)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="mutation-"))
    baseline = asyncio.run(statuses(cases_of(AREAS), "", work / "baseline"))
    passing = {case_id for case_id, status in baseline.items() if status == PASS}
    broken = sorted(set(baseline) - passing)
    print(
        f"unfaulted app: {len(passing)} of {len(baseline)} cases pass in-process (others: {len(broken)} unsupported or skipped)"
    )
    detected = 0
    for number, (fault, areas) in enumerate(CATALOG.items()):
        result = asyncio.run(statuses(cases_of(areas), fault, work / f"fault-{number}"))
        caught = sorted(
            case_id for case_id, status in result.items() if case_id in passing and status != PASS
        )
        detected += bool(caught)
        shown = ", ".join(caught[:3]) + (f" and {len(caught) - 3} more" if len(caught) > 3 else "")
        print(
            f"{'detected' if caught else 'MISSED  '}  {fault:<52} {len(caught):>4} cases  {shown}"
        )
    rate = detected / len(CATALOG)
    print(f"detection rate: {detected}/{len(CATALOG)} = {rate:.0%}")
    return 0 if detected == len(CATALOG) else 1


if __name__ == "__main__":
    sys.exit(main())
