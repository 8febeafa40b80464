"""The catalogue of conformance cases: the areas, listed once, and every case of each.

Everything that needs to know which cases exist (the CLI's `--area` and `list`,
mutation, run settings, the harness's own tests) asks here; nothing else imports
an area's module by name. Invariants: every area is a package `suites/<area>/`
with `cases.py` defining `CASES`; case ids are unique across the catalogue.
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path

from harness.case import Case

AREAS = (
    "background",
    "cookies",
    "headers",
    "middleware",
    "protocol",
    "responses",
    "static",
    "uploads",
    "websockets",
)
SUITES_DIR = Path(__file__).resolve().parent
EXPECTATIONS_DIR = SUITES_DIR / "expectations"


def area_dir(area: str) -> Path:
    """The folder of one area's cases and test module."""
    return SUITES_DIR / area


def area_cases(area: str) -> list[Case]:
    """The cases of one area, in their rows' order."""
    cases: list[Case] = importlib.import_module(f"suites.{area}.cases").CASES
    return cases


@cache
def _all() -> tuple[Case, ...]:
    cases = tuple(case for area in AREAS for case in area_cases(area))
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise ValueError(f"case id {case.id!r} is used twice: ids are never reused")
        seen.add(case.id)
    return cases


def all_cases(areas: tuple[str, ...] = AREAS) -> list[Case]:
    """Every case of `areas` (default: all), area by area."""
    return [case for case in _all() if case.area in areas]


def case_by_id(case_id: str) -> Case:
    """The case with this id; KeyError naming it when there is none."""
    for case in _all():
        if case.id == case_id:
            return case
    raise KeyError(f"no case has the id {case_id!r}")
