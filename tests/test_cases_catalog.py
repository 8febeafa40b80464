"""The case catalogue: ids are unique and well-formed, and every case says what it checks and why."""

from __future__ import annotations

import pytest

from harness.case import Case
from suites.catalog import AREAS, SUITES_DIR, all_cases


def test_ids_are_unique() -> None:
    ids = [case.id for case in all_cases()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", all_cases(), ids=lambda case: case.id)
def test_case_is_described(case: Case) -> None:
    assert case.description.endswith(".") and case.expectation.endswith(".")
    assert case.reference.startswith("https://")
    assert case.area in AREAS


def test_malformed_id_is_refused() -> None:
    async def check(ctx: object) -> None:
        return None

    with pytest.raises(ValueError, match="is not dotted"):
        Case(id="Uploads.Size", description="", expectation="", check=check, reference="")


def test_areas_are_the_suite_folders() -> None:
    folders = sorted(p.name for p in SUITES_DIR.iterdir() if (p / "cases.py").is_file())
    assert folders == sorted(AREAS)


def test_parameters_that_do_not_fit_the_check_are_refused_when_the_row_is_built() -> None:
    async def check(ctx: object, size: int) -> None:
        return None

    with pytest.raises(ValueError, match="do not fit check"):
        Case(
            id="area.feature.condition",
            description="",
            expectation="",
            check=check,
            reference="",
            params={"sise": 1},
        )
