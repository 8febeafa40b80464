"""The one-screen summary printed at the end of a run: counts by area and status, the unexpected cases."""

from __future__ import annotations

from typing import Any

from harness.report.render import area_rows
from harness.status import STATUSES, UNEXPECTED

MAX_LISTED = 25


def summary_lines(document: dict[str, Any]) -> list[str]:
    results = document["results"]
    used = [s for s in STATUSES if document["summary"].get(s)]
    lines = [f"{'area':<14}" + "".join(f"{s:>12}" for s in used) + f"{'total':>8}"]
    for area, row in area_rows(results):
        lines.append(
            f"{area:<14}" + "".join(f"{row[s] or '':>12}" for s in used) + f"{row['total']:>8}"
        )
    lines.append(
        f"{'all':<14}"
        + "".join(f"{document['summary'][s]:>12}" for s in used)
        + f"{len(results):>8}"
    )
    for name, error in document["run_info"].get("feature_errors", {}).items():
        lines.append(
            f"the app's probe for the feature {name!r} raised: {error}; its cases are ERROR"
        )
    if document["run_info"].get("faults"):
        lines.append(f"deliberate faults active: {', '.join(document['run_info']['faults'])}")
    if not document["complete"]:
        lines.append("incomplete run: stopped before every selected case ended")
    unreviewed = [r["id"] for r in results if r.get("unreviewed_expectation")]
    if unreviewed:
        lines.append(
            f"{len(unreviewed)} cases match expectations marked review = true, not applied until "
            f"reviewed: {', '.join(unreviewed[:5])}" + (" ..." if len(unreviewed) > 5 else "")
        )
    unexpected = [r for r in results if r["status"] in UNEXPECTED]
    for record in unexpected[:MAX_LISTED]:
        lines.append(f"  {record['status']:<6} {record['id']}: {record['message'][:120]}")
    if len(unexpected) > MAX_LISTED:
        lines.append(
            f"  ... and {len(unexpected) - MAX_LISTED} more unexpected results in the report"
        )
    return lines
