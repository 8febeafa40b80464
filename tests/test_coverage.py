"""The coverage map: generated from suites/features.toml, current, and true to the catalogue."""

from __future__ import annotations

from harness import coverage
from suites.catalog import all_cases

DATA = coverage.load()
MINIMUM_COVERED = 0.95


def test_every_feature_has_cases_or_a_reason_and_every_case_exists() -> None:
    assert coverage.problems(DATA, (case.id for case in all_cases())) == []


def test_docs_coverage_md_is_generated_from_the_data() -> None:
    page = coverage.COVERAGE_PAGE.read_text(encoding="utf-8")
    assert page == coverage.render(DATA), "docs/coverage.md is stale: python -m harness coverage"


def test_nearly_every_documented_feature_has_a_case() -> None:
    assert coverage.ratio(DATA) >= MINIMUM_COVERED


def test_a_feature_without_cases_or_reason_is_named() -> None:
    feature = coverage.Feature(
        id="x.y", area="x", title="t", doc="https://d", since="", behavior="b"
    )
    found = coverage.problems(coverage.CoverageData((feature,)), [])
    assert found == ["feature 'x.y' names no case and gives no reason"]


def test_an_unknown_case_id_is_named() -> None:
    claim = coverage.Claim(claim="c", verdict="true", detail="", cases=("no.such.case",))
    found = coverage.problems(coverage.CoverageData((), (claim,)), [])
    assert found == ["claim 'c' names 'no.such.case', which is not a case"]
