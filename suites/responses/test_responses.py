"""Runs every responses case on the chosen target."""

from harness.case import Case, parametrize_cases
from suites.responses.cases import CASES


@parametrize_cases(CASES)
def test_responses(case: Case, check_case) -> None:
    check_case(case)
