"""Runs every cookies case on the chosen target."""

from harness.case import Case, parametrize_cases
from suites.cookies.cases import CASES


@parametrize_cases(CASES)
def test_cookies(case: Case, check_case) -> None:
    check_case(case)
