"""The pytest plugin (entry point `conformance`): options, and the `conformance` fixture.

Inert until a test asks for `conformance`: only then is the target started.
Bad options stop the session with one line and exit code 2.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from harness import servers
from harness.case import Case
from harness.errors import UsageError
from harness.exitcodes import EXIT_CANNOT_RUN
from harness.run import RESULT_PROPERTY, RUN_INFO_PROPERTY, ConformanceRun
from harness.settings import RunSettings
from harness.status import ERROR, FAIL, SKIP, UNSUPPORTED, XFAIL, XPASS

PLUGIN_NAME = "conformance-run"
RUN_DIR_KEY = "conformance_run_dir"
SEED_KEY = "conformance_seed"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "FastAPI conformance harness")
    add = group.addoption
    add(
        "--target",
        default="local",
        help="local (default), inprocess, or a deployed fixture app's URL",
    )
    add("--token", default=None, help="token for the fixture app's /_harness endpoints")
    add("--report-dir", default=None, help="folder for this run's results (default: reports/<run>)")
    add("--timeout-scale", default="1", help="multiply every wait by this factor")
    add(
        "--seed",
        default=None,
        help="seed for generated inputs: a number, or 'random' (default: 1, the same for every run)",
    )
    add("--insecure", action="store_true", help="do not verify the target's TLS certificate")
    add("--ca-bundle", default=None, help="CA certificates to verify the target with")
    add("--header", action="append", default=[], help="extra request header 'Name: value'")
    add(
        "--tls",
        action="store_true",
        help="serve the local target over https and wss (a CA made for the run)",
    )
    add(
        "--server",
        default=servers.DEFAULT,
        help=f"the local target's server, SERVER[:OPTION...]: {servers.configurations_help()} "
        "(docs/servers.md)",
    )
    add(
        "--stack",
        default=None,
        help="a stack file (TOML): middleware, server and proxy of the local target (docs/stacks.md)",
    )
    add(
        "--middleware",
        action="append",
        default=[],
        help="module:Class of one more middleware for the local target's app (repeatable)",
    )
    add("--tier", default="default", help="tiers to run: default, heavy, scale (comma-separated)")
    add(
        "--concurrency",
        default="4",
        help="cases run side by side (heavy and timing-sensitive ones always alone); 1: one at a time",
    )
    add(
        "--expectations",
        default=None,
        help="file or folder of known deviations (default: suites/expectations)",
    )


def pytest_configure(config: pytest.Config) -> None:
    try:
        settings = RunSettings.from_options(config.option, config.invocation_params.dir)
    except UsageError as exc:
        pytest.exit(f"conformance: {exc}", returncode=EXIT_CANNOT_RUN)
    shared = getattr(config, "workerinput", None)
    if shared is not None:  # an xdist worker: the controller's run folder and seed
        settings = replace(settings, report_dir=Path(shared[RUN_DIR_KEY]), seed=shared[SEED_KEY])
    run = ConformanceRun(settings, worker=shared["workerid"] if shared else None)
    config.pluginmanager.register(run, PLUGIN_NAME)
    if config.pluginmanager.hasplugin("xdist") and shared is None:
        config.pluginmanager.register(SharedWithWorkers(run), "conformance-xdist")


class SharedWithWorkers:
    """On an xdist controller: gives every worker the run's folder and seed."""

    def __init__(self, run: ConformanceRun) -> None:
        self.run = run

    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput[RUN_DIR_KEY] = str(self.run.run_dir)
        node.workerinput[SEED_KEY] = self.run.settings.seed


@pytest.fixture(scope="session")
def conformance_run(pytestconfig: pytest.Config) -> ConformanceRun:
    run = pytestconfig.pluginmanager.get_plugin(PLUGIN_NAME)
    assert isinstance(run, ConformanceRun)
    run.start()
    return run


@pytest.fixture
def check_case(
    conformance_run: ConformanceRun, request: pytest.FixtureRequest
) -> Callable[[Case], None]:
    """`check_case(case)`: run one case, record it, and end the test with its status (FAIL fails it)."""

    def check(case: Case) -> None:
        record = conformance_run.record(case)
        if record is None:
            lost = conformance_run.executor.lost_reason if conformance_run.executor else None
            conformance_run.abandon(lost or "the run stopped before this case started")
            pytest.skip("the run stopped before this case started")
        request.node.user_properties.append((RESULT_PROPERTY, record))
        if record.get("target_lost"):
            conformance_run.abandon(record["target_lost"])
        if conformance_run.worker is not None:
            request.node.user_properties.append((RUN_INFO_PROPERTY, conformance_run.run_info))
        conclude(record)

    return check


def conclude(record: dict[str, Any]) -> None:
    """End the test with the pytest outcome that matches the case's status."""
    status, message = record["status"], record["message"]
    if status in (FAIL, XPASS, ERROR):
        pytest.fail(f"{status} {record['id']}: {message}", pytrace=False)
    if status in (UNSUPPORTED, SKIP):
        pytest.skip(f"{status}: {message}")
    if status == XFAIL:
        pytest.xfail(message)
