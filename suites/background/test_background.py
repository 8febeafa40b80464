"""Runs every background case on the chosen target."""

from harness.case import Case, parametrize_cases
from suites.background.cases import CASES


@parametrize_cases(CASES)
def test_background(case: Case, check_case) -> None:
    check_case(case)
