"""Running the suite on many FastAPI versions (and servers, and stacks), each in its own uv environment, in parallel.

For every version (crossed with every server of `--servers` and every stack file of
`--stacks`, when given): an environment is built with uv (the project, editable, with
the packages of every stack of the run,
plus `fastapi==X`; in `era` mode Starlette, Pydantic and python-multipart are
held to the releases that were out on the FastAPI release date), the suite runs
there with `python -m harness run`, and its results land in one folder per
version. One version failing to install is reported and the rest go on. Then
one comparison is rendered from every results.json.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import time
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from harness.index import configured_index, release_times
from harness.report.render import render_compare
from harness.results import JSONL, load_results
from harness.runinfo import SUITE_COMMIT_ENV, suite_commit

ROOT = Path(__file__).resolve().parent.parent
VERSIONS_FILE = Path(__file__).resolve().parent / "versions.toml"
ERA_PACKAGES = ("starlette", "pydantic", "pydantic-core", "python-multipart", "anyio")
MODES = ("latest", "era")


def default_versions() -> list[str]:
    return [entry["fastapi"] for entry in tomllib.loads(VERSIONS_FILE.read_text())["version"]]


def newest(times: dict[str, str]) -> str:
    stable = [v for v in times if all(part.isdigit() for part in v.split("."))]
    return max(stable, key=lambda v: tuple(int(p) for p in v.split(".")))


@dataclass
class VersionRun:
    version: str
    folder: Path
    server: str | None = None  # a --server configuration; None: the harness's default
    stack: Path | None = None  # a stack file; None: the bare app
    status: str = "waiting"
    returncode: int | None = None
    summary: dict[str, int] = field(default_factory=dict)
    started: float = 0.0
    seconds: float = 0.0

    def line(self, total_cases: int | None = None) -> str:
        done = count_lines(self.folder / "report" / JSONL)
        counts = ", ".join(f"{n} {s}" for s, n in self.summary.items() if s != "total" and n)
        extra = f" ({counts})" if counts else ""
        on = f" on {self.server}" if self.server else ""
        on += f" with {self.stack.stem}" if self.stack else ""
        return f"[fastapi {self.version}{on}] {self.status}: {done} cases done{extra}"


def count_lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(1 for _ in handle)
    except OSError:
        return 0


async def run_command(*command: str, log: Path, env: dict[str, str] | None = None) -> int:
    with log.open("ab") as output:
        process = await asyncio.create_subprocess_exec(
            *command,
            stdout=output,
            stderr=asyncio.subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
        return await process.wait()


async def era_pins(version: str, release_time: str, log: Path) -> list[str]:
    """Pins of the packages in ERA_PACKAGES as resolved on the day FastAPI `version` came out."""
    cutoff = (
        datetime.fromisoformat(release_time.replace("Z", "+00:00")) + timedelta(days=1)
    ).astimezone(UTC)
    requirements = log.with_name("era-requirements.in")
    requirements.write_text(f"fastapi=={version}\npython-multipart\n")
    pinned = log.with_name("era-requirements.txt")
    code = await run_command(
        "uv",
        "pip",
        "compile",
        str(requirements),
        "-o",
        str(pinned),
        "--quiet",
        "--python-version",
        f"{sys.version_info.major}.{sys.version_info.minor}",
        "--exclude-newer",
        cutoff.strftime("%Y-%m-%dT%H:%M:%SZ"),
        log=log,
    )
    if code != 0:
        raise RuntimeError(f"uv could not resolve the {version} era: see {log}")
    lines = [line.split(" ")[0] for line in pinned.read_text().splitlines() if "==" in line]
    return [line for line in lines if line.split("==")[0] in ERA_PACKAGES]


ENV_LOCKS: dict[Path, asyncio.Lock] = {}


def stack_packages(stacks: list[Path]) -> list[str]:
    """The `packages` of every stack file (one that cannot be read adds none: its run says why)."""
    packages: list[str] = []
    for path in stacks:
        try:
            listed = tomllib.loads(path.read_text(encoding="utf-8")).get("packages", [])
        except (OSError, tomllib.TOMLDecodeError):
            continue
        packages += [p for p in listed if isinstance(p, str) and p not in packages]
    return packages


async def build_environment(
    run: VersionRun, mode: str, release_time: str | None, cache: Path, packages: list[str]
) -> Path:
    """The environment of the run's version, built once even when several servers share it."""
    env_dir = cache / f"fastapi-{run.version}-{mode}"
    async with ENV_LOCKS.setdefault(env_dir, asyncio.Lock()):
        return await _build_environment(run, mode, release_time, env_dir, packages)


async def _build_environment(
    run: VersionRun, mode: str, release_time: str | None, env_dir: Path, packages: list[str]
) -> Path:
    python = env_dir / "bin" / "python"
    log = run.folder / "install.log"
    pins = await era_pins(run.version, release_time or "", log) if mode == "era" else []
    if not python.exists() and await run_command(
        "uv", "venv", "--quiet", "--python", sys.executable, str(env_dir), log=log
    ):
        raise RuntimeError(f"uv could not create {env_dir}: see {log}")
    code = await run_command(
        "uv",
        "pip",
        "install",
        "--quiet",
        "--python",
        str(python),
        "-e",
        f"{ROOT}[servers]" if run.server else str(ROOT),
        f"fastapi=={run.version}",
        *pins,
        *packages,
        log=log,
    )
    if code != 0:
        raise RuntimeError(f"installing fastapi {run.version} failed: see {log}")
    return python


async def run_version(
    run: VersionRun,
    mode: str,
    release_time: str | None,
    cache: Path,
    args: list[str],
    slots: asyncio.Semaphore,
    commit: str,
    packages: list[str],
) -> None:
    async with slots:
        run.started = time.monotonic()
        run.folder.mkdir(parents=True, exist_ok=True)
        run.status = "installing"
        print(run.line(), flush=True)
        try:
            python = await build_environment(run, mode, release_time, cache, packages)
        except RuntimeError as exc:
            run.status = f"not installed: {exc}"
            print(run.line(), flush=True)
            return
        run.status = "running"
        print(run.line(), flush=True)
        report = run.folder / "report"
        run.returncode = await run_command(
            str(python),
            "-m",
            "harness",
            "run",
            "-p",
            "no:cacheprovider",
            "-q",
            "--report-dir",
            str(report),
            *(["--server", run.server] if run.server else []),
            *(["--stack", str(run.stack)] if run.stack else []),
            *args,
            log=run.folder / "run.log",
            env={"CONFORMANCE_DEPENDENCY_MODE": mode, SUITE_COMMIT_ENV: commit},
        )
        run.seconds = time.monotonic() - run.started
        if (report / "results.json").exists():
            run.summary = load_results(report)["summary"]
        run.status = f"finished in {run.seconds:.1f} s, exit {run.returncode}"
        print(run.line(), flush=True)


async def progress(runs: list[VersionRun], every: float = 5.0) -> None:
    while True:
        await asyncio.sleep(every)
        for run in runs:
            if run.status == "running":
                print(run.line(), flush=True)


def run_folder(
    out: Path, version: str, mode: str, server: str | None, stack: Path | None = None
) -> Path:
    return out / "-".join(
        [
            "fastapi",
            version,
            mode,
            *([server.replace(":", "_")] if server else []),
            *([stack.stem] if stack else []),
        ]
    )


async def run_matrix(
    versions: list[str],
    mode: str,
    out: Path,
    jobs: int,
    args: list[str],
    servers: list[str | None] | None = None,
    stacks: list[Path | None] | None = None,
) -> list[VersionRun]:
    index = configured_index()
    os.environ["UV_INDEX_URL"] = (
        index  # uv resolves and installs from the index release times came from
    )
    times = release_times("fastapi", index)
    resolved = [newest(times) if v == "latest" else v for v in versions]
    cache = Path(os.environ.get("CONFORMANCE_ENV_CACHE", ROOT / ".nox" / "compare-envs"))
    runs = [
        VersionRun(v, run_folder(out, v, mode, server, stack), server, stack)
        for v in dict.fromkeys(resolved)
        for server in servers or [None]
        for stack in stacks or [None]
    ]
    packages = stack_packages([stack for stack in stacks or [] if stack])
    slots = asyncio.Semaphore(jobs)
    ticker = asyncio.create_task(progress(runs))
    commit = (
        suite_commit()
    )  # one suite commit for every version, even if the tree changes meanwhile
    await asyncio.gather(
        *(
            run_version(r, mode, times.get(r.version), cache, args, slots, commit, packages)
            for r in runs
        )
    )
    ticker.cancel()
    return runs


def write_comparison(runs: list[VersionRun], out: Path) -> Path | None:
    documents = [
        load_results(r.folder / "report")
        for r in runs
        if (r.folder / "report" / "results.json").exists()
    ]
    if len(documents) < 2:
        return None
    page = out / "compare.html"
    page.write_text(render_compare(documents), encoding="utf-8")
    (out / "matrix.json").write_text(
        json.dumps(
            [
                {
                    "version": r.version,
                    "server": r.server,
                    "stack": r.stack.stem if r.stack else None,
                    "status": r.status,
                    "returncode": r.returncode,
                    "summary": r.summary,
                    "seconds": round(r.seconds, 1),
                }
                for r in runs
            ],
            indent=1,
        )
    )
    return page


def require_uv() -> str | None:
    return None if shutil.which("uv") else "harness: compare needs uv on PATH: pip install uv"
