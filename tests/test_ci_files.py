"""The CI files in docs/ci: linted (actionlint for GitHub, each system's schema for both), and the
merge job's own commands run here on results made on other machines."""

from __future__ import annotations

import copy
import json
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from harness.results import load_results, write_json_atomic
from tests.conftest import ROOT, harness_command

GITHUB = ROOT / "docs" / "ci" / "github-actions.yml"
GITLAB = ROOT / "docs" / "ci" / "gitlab-ci.yml"
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: the test extra installs it")
    return found


def test_the_github_workflow_passes_actionlint(tmp_path: Path) -> None:
    linted = subprocess.run([tool("actionlint"), str(GITHUB)], capture_output=True, text=True)
    assert linted.returncode == 0 and not linted.stdout, linted.stdout
    broken = tmp_path / "broken.yml"
    broken.write_text(GITHUB.read_text().replace("matrix.server }}", "matrix.servers }}", 1))
    refused = subprocess.run([tool("actionlint"), str(broken)], capture_output=True, text=True)
    assert 'property "servers" is not defined' in refused.stdout


@pytest.mark.parametrize(("file", "schema"), [(GITHUB, "github-workflows"), (GITLAB, "gitlab-ci")])
def test_each_file_follows_its_systems_schema(file: Path, schema: str) -> None:
    command = [tool("check-jsonschema"), "--builtin-schema", f"vendor.{schema}", str(file)]
    checked = subprocess.run(command, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def merge_commands(file: Path) -> list[str]:
    document = yaml.safe_load(file.read_text())
    if file == GITHUB:
        steps = document["jobs"]["merge"]["steps"]
        return [step["run"] for step in steps if "harness" in step.get("run", "")]
    return [line for line in document["comparison"]["script"] if "harness" in line]


@pytest.fixture(scope="module")
def runs_from_other_machines(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three CI cells' run folders: one real run, and copies as other machines would have made
    them (other paths, clocks and Python versions), each in its own artifact folder."""
    base = tmp_path_factory.mktemp("cells")
    first = base / "artifacts" / "fastapi-latest-uvicorn"
    completed = subprocess.run(
        harness_command("--target", "inprocess", "--area", "headers", "--report-dir", str(first)),
        cwd=ROOT,
        capture_output=True,
    )
    assert completed.returncode in (0, 1), completed.stdout[-2000:]
    document = load_results(first)
    for name, python, started in (
        ("other-a", "3.12.8", "2027-03-01T02:00:00.000+00:00"),
        ("other-b", "3.13.1", "2026-01-01T23:59:59.000+00:00"),
    ):
        other = copy.deepcopy(document)
        other["run_info"]["versions"]["python"] = python
        other["run_info"]["time_start"] = started
        other["run_info"]["target"]["server_log"] = f"/builds/{name}/work/server.log"
        folder = base / "artifacts" / f"fastapi-latest-{name}"
        folder.mkdir(parents=True)
        write_json_atomic(folder / "results.json", other)
    return base


@pytest.mark.parametrize("file", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_the_merge_job_merges_results_of_other_machines(
    file: Path, runs_from_other_machines: Path, tmp_path: Path
) -> None:
    work = tmp_path / "job"
    shutil.copytree(
        runs_from_other_machines / "artifacts",
        work / ("artifacts" if file == GITHUB else "results"),
    )
    for command in merge_commands(file):
        argv = shlex.split(command)
        assert argv[:3] == ["python", "-m", "harness"]
        completed = subprocess.run(
            [sys.executable, *argv[1:]], cwd=work, capture_output=True, text=True
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr
    diff = json.loads((work / "diff.json").read_text())
    python = sys.version.split()[0]
    assert sorted(run["label"] for run in diff["runs"]) == sorted(
        f"Python {version}" for version in (python, "3.12.8", "3.13.1")
    )
    assert all(not pair["changed"] and not pair["regressed"] for pair in diff["pairs"])
    suites = ET.fromstring((work / "junit.xml").read_bytes())
    assert len(suites.findall("testsuite")) == 3
    assert (work / "compare.html").stat().st_size > 0
