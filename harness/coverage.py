"""The coverage map: every documented feature of the seven areas, and the cases that check it.

`suites/features.toml` is the data; `render(...)` is a pure function from it (and
the case catalogue) to `docs/coverage.md`. Invariants the data must keep, checked
by `problems(...)`:
1. every feature names at least one case or gives a `reason` for naming none;
2. every case id named (by a feature or a tutorial claim) exists in the catalogue;
3. every tutorial claim has a verdict of "true", "false" or "depends on the release".
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FEATURES_FILE = ROOT / "suites" / "features.toml"
COVERAGE_PAGE = ROOT / "docs" / "coverage.md"
VERDICTS = ("true", "false", "depends on the release")
OLDEST = "0.95.2"


@dataclass(frozen=True)
class Feature:
    """One documented feature: its doc section, the release it appeared in, its cases."""

    id: str
    area: str
    title: str
    doc: str
    since: str
    behavior: str
    cases: tuple[str, ...] = ()
    reason: str = ""
    docs_disagree: str = ""

    @property
    def covered(self) -> bool:
        return bool(self.cases)


@dataclass(frozen=True)
class Claim:
    """One claim of the tutorial the project started from, with the verdict its cases give."""

    claim: str
    verdict: str
    detail: str
    cases: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoverageData:
    features: tuple[Feature, ...]
    claims: tuple[Claim, ...] = field(default_factory=tuple)


def load(path: Path = FEATURES_FILE) -> CoverageData:
    """The features and tutorial claims of `path`."""
    raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    features = tuple(_feature(entry) for entry in raw.get("feature", []))
    claims = tuple(
        Claim(
            claim=entry["claim"],
            verdict=entry["verdict"],
            detail=entry.get("detail", ""),
            cases=tuple(entry.get("cases", [])),
        )
        for entry in raw.get("claim", [])
    )
    return CoverageData(features, claims)


def _feature(entry: dict[str, Any]) -> Feature:
    return Feature(
        id=entry["id"],
        area=entry["area"],
        title=entry["title"],
        doc=entry["doc"],
        since=entry.get("since", ""),
        behavior=entry["behavior"],
        cases=tuple(entry.get("cases", [])),
        reason=entry.get("reason", ""),
        docs_disagree=entry.get("docs_disagree", ""),
    )


def problems(data: CoverageData, case_ids: Iterable[str]) -> list[str]:
    """Every way `data` breaks the invariants of this module, one sentence each."""
    known = set(case_ids)
    found = []
    seen: set[str] = set()
    for feature in data.features:
        if feature.id in seen:
            found.append(f"feature {feature.id!r} is listed twice")
        seen.add(feature.id)
        if not feature.cases and not feature.reason:
            found.append(f"feature {feature.id!r} names no case and gives no reason")
        found += [
            f"feature {feature.id!r} names {case!r}, which is not a case"
            for case in feature.cases
            if case not in known
        ]
    for claim in data.claims:
        if claim.verdict not in VERDICTS:
            found.append(
                f"claim {claim.claim!r} has the verdict {claim.verdict!r}, not one of {VERDICTS}"
            )
        found += [
            f"claim {claim.claim!r} names {case!r}, which is not a case"
            for case in claim.cases
            if case not in known
        ]
    return found


def ratio(data: CoverageData) -> float:
    """The share of features that have at least one case."""
    return sum(f.covered for f in data.features) / max(len(data.features), 1)


def _since(feature: Feature) -> str:
    return feature.since or f"before {OLDEST}"


def _cases(cases: tuple[str, ...]) -> str:
    return "<br>".join(f"`{case}`" for case in cases)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _doc_link(doc: str) -> str:
    page = doc.split("://", 1)[-1].split("/", 1)[-1].rstrip("/") or doc
    return f"[{_cell(page)}]({doc})"


def _area_table(area: str, features: list[Feature]) -> list[str]:
    covered = sum(f.covered for f in features)
    lines = [
        f"## {area} ({covered} of {len(features)} covered)",
        "",
        "| feature | doc section | since | cases |",
        "|---|---|---|---|",
    ]
    for f in features:
        checked = _cases(f.cases) if f.cases else f"not covered: {_cell(f.reason)}"
        title = f"**{_cell(f.title)}** (`{f.id}`)<br>{_cell(f.behavior)}"
        if f.docs_disagree:
            title += f"<br>*Docs and framework disagree:* {_cell(f.docs_disagree)}"
        lines.append(f"| {title} | {_doc_link(f.doc)} | {_cell(_since(f))} | {checked} |")
    return [*lines, ""]


def _claims_section(claims: tuple[Claim, ...]) -> list[str]:
    lines = [
        "## The tutorial's claims",
        "",
        "Each claim of the tutorial the project started from, what FastAPI really does, and the",
        "cases that show it. The tutorial's endpoints are served verbatim by the fixture app",
        "(`fixtures_app/routers/tutorial.py`).",
        "",
        "| claim | verdict | what the cases show | cases |",
        "|---|---|---|---|",
    ]
    for claim in claims:
        lines.append(
            f"| {_cell(claim.claim)} | **{claim.verdict}** | {_cell(claim.detail)} "
            f"| {_cases(claim.cases)} |"
        )
    return [*lines, ""]


def render(data: CoverageData) -> str:
    """docs/coverage.md, from the data alone."""
    areas = sorted({f.area for f in data.features})
    covered = sum(f.covered for f in data.features)
    disagreements = [f for f in data.features if f.docs_disagree]
    lines = [
        "# Coverage: documented features and the cases that check them",
        "",
        "Generated by `python -m harness coverage` from `suites/features.toml`; do not edit by hand.",
        "",
        f"{covered} of {len(data.features)} documented features ({ratio(data):.0%}) have at least "
        'one case; each of the others says why it has none. "since" is the FastAPI release the '
        f'feature appeared in (or the Starlette release that owns the behavior); "before {OLDEST}" '
        "means older than the oldest release the suite runs.",
        "",
        "| area | features | covered |",
        "|---|---|---|",
    ]
    for area in areas:
        features = [f for f in data.features if f.area == area]
        lines.append(f"| {area} | {len(features)} | {sum(f.covered for f in features)} |")
    lines += [f"| all | {len(data.features)} | {covered} |", ""]
    if disagreements:
        lines += [
            "Where the documentation and the framework disagree, the cases assert what the framework "
            "does; " + ", ".join(f"`{f.id}`" for f in disagreements) + " say how.",
            "",
        ]
    for area in areas:
        lines += _area_table(area, [f for f in data.features if f.area == area])
    if data.claims:
        lines += _claims_section(data.claims)
    return "\n".join(lines).rstrip() + "\n"
