"""Feature probes: public API only, and a probe that raises is reported, never taken for absence."""

from __future__ import annotations

import ast
import asyncio
import inspect

import pytest

from fixtures_app import features
from harness.case import Case
from harness.runner import run_case
from harness.status import ERROR, UNSUPPORTED
from harness.targets import TargetOptions
from harness.targets.inprocess import InProcessTarget


def test_probes_name_no_private_attribute() -> None:
    tree = ast.parse(inspect.getsource(features))
    private = [
        node.attr if isinstance(node, ast.Attribute) else node.value
        for node in ast.walk(tree)
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        )
        or (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith("_")
            and not node.value.startswith("__")
        )
    ]
    assert private == []


def test_a_probe_that_raises_is_reported(monkeypatch) -> None:
    def broken() -> bool:
        raise AttributeError("renamed in this release")

    monkeypatch.setitem(features.FEATURES, "file-range", broken)
    present, errors = features.probe_features()
    assert "file-range" not in present
    assert errors == {"file-range": "AttributeError: renamed in this release"}


async def needs_range(ctx: object) -> None:
    return None


CASE = Case(
    id="responses.range.probe",
    description="d.",
    expectation="e.",
    check=needs_range,
    reference="https://example.org",
    feature="file-range",
    caught_by=("flip-response-byte",),
)


@pytest.mark.parametrize(
    ("errors", "status"),
    [({"file-range": "AttributeError: x"}, ERROR), ({}, UNSUPPORTED)],
)
def test_a_case_whose_feature_probe_raised_is_an_error(tmp_path, errors, status) -> None:
    target = InProcessTarget(TargetOptions(work_dir=str(tmp_path)))
    record = asyncio.run(run_case(CASE, target, [], 1.0, feature_errors=errors))
    assert record["status"] == status
    if status == ERROR:
        assert "probe for the feature 'file-range' raised" in record["message"]
