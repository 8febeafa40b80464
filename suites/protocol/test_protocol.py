"""Runs every protocol case on the chosen target."""

from harness.case import Case, parametrize_cases
from suites.protocol.cases import CASES


@parametrize_cases(CASES)
def test_protocol(case: Case, check_case) -> None:
    check_case(case)
