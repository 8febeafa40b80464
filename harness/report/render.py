"""Rendering: pure functions from results documents to self-contained HTML.

Every value that came from a run (observations, headers, bodies, messages) is
untrusted: Jinja's autoescape turns it into text, links are only rendered for
http(s) URLs, and the page loads nothing from the network.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from importlib.resources import files
from typing import Any

import jinja2

from harness.report.compare import compare_context
from harness.status import STATUSES, UNEXPECTED

TEMPLATES = files("harness.report") / "templates"


def _show(value: Any) -> str:
    return (
        value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    )


def _safe_link(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://"))


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: (TEMPLATES / name).read_text(encoding="utf-8")),
        autoescape=True,
    )
    env.filters["show"] = _show
    env.tests["safe_link"] = _safe_link
    return env


def asset(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def run_info_rows(run_info: dict[str, Any], duration_s: float) -> list[tuple[str, str]]:
    versions = run_info.get("versions", {})
    target = run_info.get("target", {})
    rows = [(name, versions.get(key)) for name, key in VERSION_ROWS]
    rows += [
        ("server", run_info.get("server")),
        ("target", f"{target.get('kind')} {target.get('url')}"),
        ("suite commit", run_info.get("suite_commit")),
        ("seed", run_info.get("seed")),
        ("started", run_info.get("time_start")),
        ("duration", f"{duration_s:.2f} s"),
    ]
    return [(label, str(value)) for label, value in rows]


VERSION_ROWS = [
    ("FastAPI", "fastapi"),
    ("Starlette", "starlette"),
    ("Pydantic", "pydantic"),
    ("python-multipart", "python-multipart"),
    ("Python", "python"),
]


def ordered(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Unexpected results first, then by area and id."""
    return sorted(results, key=lambda r: (r["status"] not in UNEXPECTED, r["id"]))


def area_rows(results: list[dict[str, Any]]) -> list[tuple[str, dict[str, int]]]:
    table: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for record in results:
        table[record["area"]][record["status"]] += 1
        table[record["area"]]["total"] += 1
    columns = (*STATUSES, "total")
    return sorted((area, {c: counts[c] for c in columns}) for area, counts in table.items())


def render_run(document: dict[str, Any]) -> str:
    """The run report (index.html) of one results document."""
    results = document["results"]
    run_info = document["run_info"]
    counts = [(status, document["summary"].get(status, 0)) for status in STATUSES]
    summary_text = f"{len(results)} cases: " + ", ".join(f"{n} {s}" for s, n in counts if n)
    return (
        environment()
        .get_template("index.html.j2")
        .render(
            document=document,
            run_info=run_info,
            faults=run_info.get("faults", []),
            versions=run_info.get("versions", {}),
            target=run_info.get("target", {}),
            info_rows=run_info_rows(run_info, document.get("duration_s", 0.0)),
            counts=counts,
            total=max(len(results), 1),
            summary_text=summary_text,
            statuses=STATUSES,
            area_rows=area_rows(results),
            results=ordered(results),
            unexpected=UNEXPECTED,
            css=asset("style.css"),
            js=asset("report.js"),
        )
    )


def render_compare(documents: list[dict[str, Any]]) -> str:
    """The comparison page (compare.html) of several results documents."""
    context = compare_context(documents)
    return (
        environment()
        .get_template("compare.html.j2")
        .render(**context, css=asset("style.css"), js=asset("compare.js"))
    )
