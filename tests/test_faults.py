"""Every case can pass and can fail: it passes on the clean app, and fails under each deliberate
fault its row names (`caught_by`). A case this release is known to fail passes under the
faults its row names for that (`passes_with`).

A caught fault must give FAIL (the app misbehaved), never ERROR (the harness could not ask).
Cases run in-process when the in-process target can run them, else on a local server.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures_app.faults import parse_faults
from harness.mutation import cases_in_tiers, declared_faults, statuses_under
from harness.status import FAIL, PASS, XFAIL
from suites.catalog import all_cases

CASES = cases_in_tiers()
FAULTS = declared_faults(CASES)
DEVIATING = [case for case in CASES if case.passes_with]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every tested case's status on the clean app (XFAIL: this release's known deviation)."""
    return statuses_under("", CASES, tmp_path_factory.mktemp("clean"))


@pytest.mark.parametrize("case", all_cases(), ids=lambda case: case.id)
def test_every_case_names_real_faults_that_make_it_fail(case) -> None:
    assert case.caught_by, f"{case.id} names no fault that makes it fail"
    assert parse_faults(",".join(case.caught_by + case.passes_with))


def test_the_clean_app_passes_every_case(clean: dict[str, str]) -> None:
    deviating = {case.id for case in DEVIATING}
    unexpected = {
        i: s for i, s in clean.items() if s != PASS and not (s == XFAIL and i in deviating)
    }
    assert unexpected == {}


@pytest.mark.parametrize("fault", sorted(FAULTS), ids=str)
def test_each_case_fails_under_the_faults_it_names(
    fault: str, clean: dict[str, str], tmp_path: Path
) -> None:
    cases = [case for case in FAULTS[fault] if clean.get(case.id) == PASS]
    statuses = statuses_under(fault, cases, tmp_path)
    assert statuses == {case.id: FAIL for case in cases}


@pytest.mark.parametrize("case", DEVIATING, ids=lambda case: case.id)
def test_a_known_deviation_passes_where_the_behavior_is_right(case, tmp_path: Path) -> None:
    for number, fault in enumerate(case.passes_with):
        assert statuses_under(fault, [case], tmp_path / str(number)) == {case.id: PASS}
