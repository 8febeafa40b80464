"""Runs every websockets case on the chosen target."""

from harness.case import Case, parametrize_cases
from suites.websockets.cases import CASES


@parametrize_cases(CASES)
def test_websockets(case: Case, check_case) -> None:
    check_case(case)
