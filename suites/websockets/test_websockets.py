"""Runs every websockets case on the chosen target."""

from harness.case import Case, parametrize_cases
from suites.websockets.cases import CASES


@parametrize_cases(CASES)
def test_websockets(case: Case, conformance) -> None:
    conformance(case)
