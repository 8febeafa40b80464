"""Runs every headers case on the chosen target."""

from harness.case import Case, parametrize_cases
from suites.headers.cases import CASES


@parametrize_cases(CASES)
def test_headers(case: Case, check_case) -> None:
    check_case(case)
