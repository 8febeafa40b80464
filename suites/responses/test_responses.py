"""Runs every responses case on the chosen target."""

from harness.case import Case, parametrize_cases
from suites.responses.cases import CASES


@parametrize_cases(CASES)
def test_responses(case: Case, conformance) -> None:
    conformance(case)
