"""Runs every uploads case on the chosen target."""

from harness.case import Case, parametrize_cases
from suites.uploads.cases import CASES


@parametrize_cases(CASES)
def test_uploads(case: Case, check_case) -> None:
    check_case(case)
