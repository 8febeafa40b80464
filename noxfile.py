"""Sessions: `conformance` (one run), `compare` (many FastAPI versions), `bench`, `tests`, `lint`.

Each session builds its own environment with uv, or with venv where uv is missing.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import nox
from nox.command import CommandFailed

nox.options.default_venv_backend = "uv|venv"
nox.options.sessions = ["tests", "lint"]


def pop_option(args: list[str], name: str) -> tuple[str | None, list[str]]:
    """The value of `name VALUE` or `name=VALUE` in args, and the args without it."""
    for index, arg in enumerate(args):
        if arg == name and index + 1 < len(args):
            return args[index + 1], args[:index] + args[index + 2 :]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1], args[:index] + args[index + 1 :]
    return None, args


EXIT_CANNOT_RUN = 2


def harness(session: nox.Session, *args: str) -> None:
    """`python -m harness ARGS`; its exit code 2 (the run could not be done) leaves nox as 2, not 1."""
    try:
        session.run("python", "-m", "harness", *args)
    except CommandFailed as failure:
        if failure.return_code == EXIT_CANNOT_RUN:
            session.log("the harness could not do the run (exit code 2)")
            sys.exit(EXIT_CANNOT_RUN)
        raise


def stack_of(path: str | None) -> dict[str, object]:
    """The stack file's TOML, or nothing when there is none or it cannot be read (the harness
    then names the problem in one line)."""
    if path is None:
        return {}
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


@nox.session
def conformance(session: nox.Session) -> None:
    """One conformance run: `-- --fastapi X.Y.Z`, `-- --server hypercorn:h2`, `-- --target URL`,
    `-- --stack stacks/brotli.toml` (its FastAPI release and packages are installed), other
    arguments to the harness. The servers extra is installed when a server is named."""
    fastapi, args = pop_option(list(session.posargs), "--fastapi")
    stack = stack_of(pop_option(args, "--stack")[0])
    fastapi = fastapi or (stack.get("fastapi") if isinstance(stack.get("fastapi"), str) else None)
    named_server = pop_option(args, "--server")[0] or stack.get("server")
    project = ".[servers]" if named_server else "."
    pinned = [f"fastapi=={fastapi}"] if fastapi and fastapi != "latest" else []
    upgrade = ["--upgrade", "fastapi"] if fastapi == "latest" else []
    session.install("-e", project, *pinned, *upgrade, *strings(stack.get("packages")))
    harness(session, "run", *args)


@nox.session
def compare(session: nox.Session) -> None:
    """Many FastAPI versions (and servers, and stacks), one comparison: `-- --versions 0.110.0,latest
    --mode era`, `-- --servers uvicorn,hypercorn,granian,daphne` (each version's environment gets
    the servers), `-- --stacks bare,stacks/brotli.toml` (and every stack's packages)."""
    session.install("-e", ".", "uv", "pip")  # pip names its default index when none is configured
    harness(session, "matrix", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmark figures (median of repeated runs), printed and written to reports/bench.json."""
    session.install("-e", ".[servers]")
    session.run("python", "benchmarks/bench.py", *session.posargs)


@nox.session
def mutation(session: nox.Session) -> None:
    """Detection power: each deliberate fault, the cases that catch it, and the detection rate."""
    session.install("-e", ".")
    session.run("python", "-m", "harness.mutation", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """The harness's own tests: bad input, broken apps, interruption, the results contract."""
    session.install("-e", ".[test,servers,stacks]")
    # one worker per core unless told otherwise (`nox -s tests -- -n 0` runs them in one process)
    session.run("pytest", "tests", "-n", "auto", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (lint and format) and mypy --strict on harness/ and fixtures_app/."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
