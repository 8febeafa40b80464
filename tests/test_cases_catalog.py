"""The case catalogue: ids are unique and well-formed, and every case says what it checks and why."""

from __future__ import annotations

import importlib

import pytest

from harness.case import Case
from harness.cli import areas


def all_cases() -> list[Case]:
    return [
        case for area in areas() for case in importlib.import_module(f"suites.{area}.cases").CASES
    ]


def test_ids_are_unique() -> None:
    ids = [case.id for case in all_cases()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", all_cases(), ids=lambda case: case.id)
def test_case_is_described(case: Case) -> None:
    assert case.description.endswith(".") and case.expectation.endswith(".")
    assert case.reference.startswith("https://")
    assert case.area in areas()


def test_malformed_id_is_refused() -> None:
    async def check(ctx: object) -> None:
        return None

    with pytest.raises(ValueError, match="is not dotted"):
        Case(id="Uploads.Size", description="", expectation="", check=check, reference="")
