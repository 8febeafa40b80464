"""Stack files: one TOML file describing what runs behind the local target (docs/stacks.md).

    name = "brotli"
    fastapi = "latest"                   # or a release; nox installs it, a plain run checks it
    mode = "latest"                      # or "era"
    server = "uvicorn"                   # as --server names it
    packages = ["brotli-asgi>=1.4"]      # what nox installs for the stack
    [[middleware]]                       # in order; each is class, setup or init
    class = "brotli_asgi:BrotliMiddleware"
    kwargs = { minimum_size = 400 }
    [proxy]                              # optional: nginx or caddy in front
    name = "nginx"
    variant = "tuned"                    # stock (default) or tuned; or config = "site.conf"

Rules:
1. The file is TOML checked against `harness/schema/stack-1.schema.json`; anything else,
   and every check of rule 2, is a UsageError of one line naming the file and the key.
2. Before a run: each middleware's `module:attr` imports and the distribution a set-up
   function installs is there; each package is installed at a version it allows; the FastAPI
   release is the installed one (unless `latest`); the proxy and the server are installed.
3. `--middleware module:attr` is one more `class` entry, after the file's.
"""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from harness.errors import UsageError
from harness.schemacheck import problem

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "stack-1.schema.json"
KINDS = ("class", "setup", "init")
BARE = "bare"


@dataclass(frozen=True)
class ProxyChoice:
    """The proxy a stack puts in front: a row of `harness.proxies`, and its configuration."""

    name: str
    variant: str = "stock"
    config: Path | None = None


@dataclass(frozen=True)
class Stack:
    """One stack, as its file (or `--middleware`) describes it."""

    name: str = BARE
    source: Path | None = None
    description: str = ""
    fastapi: str | None = None
    mode: str | None = None
    server: str | None = None
    packages: tuple[str, ...] = ()
    middleware: tuple[dict[str, Any], ...] = ()
    proxy: ProxyChoice | None = None

    def fixtures_middleware(self) -> str:
        """FIXTURES_MIDDLEWARE for the fixture app (fixtures_app.stack)."""
        return json.dumps(list(self.middleware))

    def describe(self) -> dict[str, Any]:
        """The run info's `stack` (the app reports the middleware it added, with versions)."""
        return {
            "name": self.name,
            "file": self.source.name if self.source else None,
            "description": self.description,
            "packages": list(self.packages),
        }


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def load_stack(path: Path) -> Stack:
    """The stack in `path`; UsageError (one line) for a missing file, bad TOML or a schema problem."""
    where = f"stack {str(path)!r}"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{where} cannot be read ({exc.strerror or exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{where} is not valid TOML: {exc}") from exc
    found = problem(data, schema())
    if found:
        raise UsageError(f"{where}: {found} (docs/stacks.md)")
    return from_data(data, path)


def from_data(data: dict[str, Any], path: Path | None) -> Stack:
    proxy = data.get("proxy")
    config = proxy.get("config") if proxy else None
    base = path.parent if path else Path.cwd()
    return Stack(
        name=data.get("name") or (path.stem if path else BARE),
        source=path,
        description=data.get("description", ""),
        fastapi=data.get("fastapi"),
        mode=data.get("mode"),
        server=data.get("server"),
        packages=tuple(data.get("packages", ())),
        middleware=tuple(data.get("middleware", ())),
        proxy=ProxyChoice(
            proxy["name"], proxy.get("variant", "stock"), base / config if config else None
        )
        if proxy
        else None,
    )


def with_middleware(stack: Stack, paths: list[str]) -> Stack:
    """Rule 3: the stack with one `class` entry per `--middleware` path."""
    if not paths:
        return stack
    entries = tuple({"class": path} for path in paths)
    name = stack.name if stack.source else "+".join(p.rpartition(":")[2] for p in paths)
    return replace(stack, name=name, middleware=stack.middleware + entries)


def check_stack(stack: Stack) -> None:
    """Rule 2 (but for the server and the proxy, checked where they are chosen)."""
    where = f"stack {stack.source.name!r}" if stack.source else "--middleware"
    for requirement in stack.packages:
        _check_package(requirement, where)
    if stack.middleware:
        _check_middleware(stack, where)
    if stack.fastapi and stack.fastapi != "latest":
        installed = _installed("fastapi")
        if installed != stack.fastapi:
            raise UsageError(
                f"{where}: fastapi = {stack.fastapi!r}, but {installed} is installed: "
                "run it with nox -s conformance -- --stack FILE, which installs it"
            )
    if stack.proxy and stack.proxy.config and not stack.proxy.config.is_file():
        raise UsageError(f"{where}: proxy.config {str(stack.proxy.config)!r} is not a file")


def _check_package(requirement: str, where: str) -> None:
    try:
        parsed = Requirement(requirement)
    except InvalidRequirement as exc:
        raise UsageError(
            f"{where}: packages entry {requirement!r} is not a requirement ({exc})"
        ) from exc
    installed = _installed(parsed.name)
    if installed is None or not parsed.specifier.contains(installed, prereleases=True):
        seen = f"{installed} is installed" if installed else "it is not installed"
        raise UsageError(
            f"{where}: packages needs {requirement!r}, but {seen}: "
            f"pip install {requirement!r} (nox -s conformance -- --stack FILE installs it)"
        )


def _check_middleware(stack: Stack, where: str) -> None:
    """Each entry resolved in a process of its own (fixtures_app.stack.check): importing the
    libraries here would patch the harness, or change the inputs it generates."""
    done = subprocess.run(
        [sys.executable, "-m", "fixtures_app.stack", stack.fixtures_middleware()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise UsageError(f"{where}: the middleware could not be checked ({last})")
    for found in json.loads(done.stdout):
        entry = stack.middleware[found["index"]]
        named = f"{where}: middleware[{found['index']}].{found['kind']} {entry[found['kind']]!r}"
        if "missing" in found:
            raise UsageError(
                f"{named} sets up {found['missing']}, which is not installed: pip install {found['missing']}"
            )
        hint = f"pip install {' '.join(stack.packages)}" if stack.packages else "is it installed?"
        raise UsageError(f"{named} cannot be imported ({found['error']}): {hint}")


def _installed(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None
