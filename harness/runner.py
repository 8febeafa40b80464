"""Running one case against a target and turning what happened into a result record.

The status comes from what the check raised: nothing -> PASS, CaseFailed ->
FAIL, HarnessError or a time-out -> ERROR, anything else -> ERROR with the
traceback (a harness bug must never pass). A missing capability or app feature
gives UNSUPPORTED before anything is sent.
"""

from __future__ import annotations

import asyncio
import time
import traceback
from typing import Any

from harness.capabilities import lacking
from harness.case import Case, Context
from harness.errors import CaseFailed, HarnessError, WebSocketClosed, WebSocketRejected
from harness.lint import note_names
from harness.recording import reproduction
from harness.status import ERROR, FAIL, PASS, SKIP, UNSUPPORTED
from harness.targets.base import Target

MAX_EXCHANGES = 5


TIERS = ("default", "heavy", "scale")


def unsupported_reason(case: Case, target: Target, features: list[str]) -> str | None:
    missing = sorted(case.needs - target.capabilities)
    if missing:
        return lacking(target.kind, missing)
    if case.feature and case.feature not in features:
        return f"this FastAPI/Starlette has no {case.feature!r}"
    return None


async def run_case(
    case: Case,
    target: Target,
    features: list[str],
    timeout_scale: float,
    seed: int = 0,
    tiers: tuple[str, ...] = ("default",),
) -> dict[str, Any]:
    """Run `case` and return its result record (the `results` entry of results.json)."""
    if case.tier not in tiers:
        return base_record(case, SKIP, f"{case.tier} tier: run it with --tier {case.tier}", 0.0)
    reason = unsupported_reason(case, target, features)
    if reason:
        return base_record(case, UNSUPPORTED, reason, 0.0)
    await target.fresh_connections()
    ctx = Context(case, target, timeout_scale, seed)
    started = time.perf_counter()
    status, message, trace = await _outcome(case, ctx)
    record = base_record(case, status, message, time.perf_counter() - started)
    record["observations"] = ctx.observations
    if ctx.lint:
        record["observations"]["lint"] = note_names(ctx.lint)
        record["lint"] = ctx.lint
    record["exchanges"] = ctx.exchanges[-MAX_EXCHANGES:]
    record["scope"] = ctx.scope
    record["reproduction"] = (
        reproduction(ctx.exchanges[-1]) if ctx.exchanges else "no exchange was made"
    )
    if trace:
        record["traceback"] = trace
    return record


async def _outcome(case: Case, ctx: Context) -> tuple[str, str, str | None]:
    timeout = ctx.timeout(case.timeout_s)
    try:
        await asyncio.wait_for(case.check(ctx, **case.params), timeout)
    except CaseFailed as exc:
        return FAIL, str(exc), None
    except (WebSocketClosed, WebSocketRejected) as exc:
        return FAIL, f"the app ended the WebSocket unexpectedly: {exc}", None
    except HarnessError as exc:
        return ERROR, str(exc), None
    except TimeoutError:
        message = f"the case did not finish within {timeout:g} s"
        if blame := ctx.target.stalled_by():  # a local server that still runs held it up
            return FAIL, f"{message} ({blame})", None
        return ERROR, message, None
    except Exception as exc:
        return ERROR, f"harness error: {type(exc).__name__}: {exc}", traceback.format_exc(limit=8)
    return PASS, "", None


def base_record(case: Case, status: str, message: str, duration_s: float) -> dict[str, Any]:
    return {
        "id": case.id,
        "area": case.area,
        "description": case.description,
        "expectation": case.expectation,
        "reference": case.reference,
        "status": status,
        "message": message,
        "duration_s": round(duration_s, 6),
        "observations": {},
        "exchanges": [],
    }
