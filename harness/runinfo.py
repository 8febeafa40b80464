"""The run's identity: versions and features the app reports, the target, the suite commit, seed and times."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import harness
from suites.catalog import SUITES_DIR

SUITE_COMMIT_ENV = "CONFORMANCE_SUITE_COMMIT"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def suite_commit(directory: Path = SUITES_DIR) -> str:
    """The git commit of the suites (with '+dirty' if they were changed), else the harness version."""
    try:
        commit = _git(directory, "rev-parse", "HEAD")
        dirty = _git(directory, "status", "--porcelain", "--", ".")
    except (OSError, subprocess.CalledProcessError):
        return f"release-{harness.__version__}"
    return commit + ("+dirty" if dirty else "")


def _git(directory: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=directory, capture_output=True, text=True, check=True, timeout=10
    )
    return result.stdout.strip()


def server_info(app_info: dict[str, Any], target: dict[str, Any]) -> dict[str, Any]:
    """Name, configuration, version, options and protocol of the server: as the harness
    started it (local), else as the app reports it; the protocol is the one negotiated."""
    started = target.get("server")
    if isinstance(started, dict):
        return {
            **started,
            "http_version": target.get("http_version") or started.get("http_version"),
        }
    name = app_info.get("server")
    return {
        "name": name,
        "config": name,
        "version": app_info.get("versions", {}).get(str(name)),
        "options": [],
        "http_version": target.get("http_version"),
    }


def build_run_info(
    app_info: dict[str, Any], target: dict[str, Any], seed: int, time_start: str
) -> dict[str, Any]:
    return {
        "versions": app_info.get("versions", {}),
        "server": server_info(app_info, target),
        "features": app_info.get("features", []),
        "feature_errors": app_info.get("feature_errors", {}),
        "faults": app_info.get("faults", []),
        "target": target,
        "harness": {"version": harness.__version__, "python": platform.python_version()},
        "suite_commit": os.environ.get(SUITE_COMMIT_ENV) or suite_commit(),
        "dependency_mode": os.environ.get("CONFORMANCE_DEPENDENCY_MODE", "installed"),
        "seed": seed,
        "time_start": time_start,
        "time_end": None,
    }


def stack_info(
    stack: dict[str, Any], app_info: dict[str, Any], target: dict[str, Any]
) -> dict[str, Any]:
    """The run info's `stack`: its name and file, the middleware the app says it added (each
    with its distribution and version), and the proxy in front (name, variant, version)."""
    return {**stack, "middleware": app_info.get("middleware", []), "proxy": target.get("proxy")}
