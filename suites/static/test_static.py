"""Runs every static case on the chosen target."""

from harness.case import Case, parametrize_cases
from suites.static.cases import CASES


@parametrize_cases(CASES)
def test_static(case: Case, check_case) -> None:
    check_case(case)
