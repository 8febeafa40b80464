"""Runs every middleware case on the chosen target."""

from harness.case import Case, parametrize_cases
from suites.middleware.cases import CASES


@parametrize_cases(CASES)
def test_middleware(case: Case, check_case) -> None:
    check_case(case)
