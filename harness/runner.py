"""Running one case against a target and turning what happened into a result record.

The status comes from what the check raised: nothing -> PASS, CaseFailed ->
FAIL (with `peer_failed` when the server or the connection failed the exchange,
or a wait ran out: the run then checks that the target still answers; a case
that outlives its own time-out is such a FAIL), Unsupported -> UNSUPPORTED,
HarnessError -> ERROR, anything else -> ERROR with the traceback (a harness
bug must never pass). A missing capability or app feature
gives UNSUPPORTED before anything is sent; a feature whose probe raised in the app
gives ERROR (the harness cannot tell whether the feature is there).
"""

from __future__ import annotations

import asyncio
import time
import traceback
from collections.abc import Mapping
from typing import Any

from fixtures_app.features import NEEDS
from harness.capabilities import lacking
from harness.case import Case, Context
from harness.errors import (
    CaseFailed,
    HarnessError,
    NoAnswer,
    PeerFailed,
    Unsupported,
    WebSocketClosed,
    WebSocketRejected,
)
from harness.lint import note_names
from harness.recording import reproduction
from harness.status import ERROR, FAIL, PASS, SKIP, UNSUPPORTED
from harness.targets.base import Target
from harness.wire import collapse

MAX_EXCHANGES = 5


TIERS = ("default", "heavy", "scale")


def unsupported_reason(case: Case, target: Target, features: list[str]) -> str | None:
    missing = sorted(case.needs - target.capabilities)
    if missing:
        return lacking(target.kind, missing)
    if case.feature and case.feature not in features:
        needs = NEEDS.get(case.feature)
        return f"this FastAPI/Starlette has no {case.feature!r}" + (
            f": needs {needs}" if needs else ""
        )
    return None


async def run_case(
    case: Case,
    target: Target,
    features: list[str],
    timeout_scale: float,
    seed: int = 0,
    tiers: tuple[str, ...] = ("default",),
    feature_errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Run `case` and return its result record (the `results` entry of results.json)."""
    if case.tier not in tiers:
        return base_record(case, SKIP, f"{case.tier} tier: run it with --tier {case.tier}", 0.0)
    probe_error = (feature_errors or {}).get(case.feature or "")
    if probe_error:
        message = f"the app's probe for the feature {case.feature!r} raised ({probe_error})"
        return base_record(case, ERROR, message, 0.0)
    reason = unsupported_reason(case, target, features)
    if reason:
        return base_record(case, UNSUPPORTED, reason, 0.0)
    ctx = Context(case, target, timeout_scale, seed)
    started = time.perf_counter()
    async with target.own_connections():
        status, message, trace, peer_failed = await _outcome(case, ctx)
    record = base_record(case, status, message, time.perf_counter() - started)
    if peer_failed:
        record["peer_failed"] = True
    observations = ctx.observations | ({"lint": note_names(ctx.lint)} if ctx.lint else {})
    record["observations"] = ctx.normalizer.value(observations)
    record["measurements"] = ctx.measurements
    record["wire"] = collapse(ctx.wire)
    record["seeded"] = ctx.seeded
    if ctx.lint:
        record["lint"] = ctx.lint
    record["exchanges"] = ctx.exchanges[-MAX_EXCHANGES:]
    record["scope"] = ctx.scope
    record["reproduction"] = (
        reproduction(ctx.exchanges[-1]) if ctx.exchanges else "no exchange was made"
    )
    if trace:
        record["traceback"] = trace
    return record


async def _outcome(case: Case, ctx: Context) -> tuple[str, str, str | None, bool]:
    """The status, message, traceback (of a harness bug) and whether the peer failed."""
    timeout = ctx.timeout(case.timeout_s)
    try:
        await asyncio.wait_for(case.check(ctx, **case.params), timeout)
    except PeerFailed as exc:
        return FAIL, str(exc), None, True
    except CaseFailed as exc:
        return FAIL, str(exc), None, False
    except (WebSocketClosed, WebSocketRejected) as exc:
        return FAIL, f"the app ended the WebSocket unexpectedly: {exc}", None, False
    except Unsupported as exc:
        return UNSUPPORTED, str(exc), None, False
    except HarnessError as exc:
        return ERROR, str(exc), None, False
    except TimeoutError:
        return FAIL, str(NoAnswer("the case's exchanges did not all end", timeout)), None, True
    except Exception as exc:
        trace = traceback.format_exc(limit=8)
        return ERROR, f"harness error: {type(exc).__name__}: {exc}", trace, False
    return PASS, "", None, False


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
        "measurements": {},
        "wire": [],
        "exchanges": [],
    }
