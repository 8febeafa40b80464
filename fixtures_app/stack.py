"""The middleware a stack adds to the fixture app: `FIXTURES_MIDDLEWARE`, a JSON list.

Each entry names one import path `module:attr` under exactly one of three keys,
with optional keyword arguments:

    {"class": "brotli_asgi:BrotliMiddleware", "kwargs": {"minimum_size": 400}}
    {"setup": "fixtures_app.stack_setups:prometheus_instrumentator", "kwargs": {}}
    {"init": "fixtures_app.stack_setups:sentry", "kwargs": {"traces_sample_rate": 1.0}}

Rules:
1. `init` entries run first, before the app is made, with their keyword arguments
   alone: process-wide set-up that patches the framework (`sentry_sdk.init`).
2. Then, once every router, mount and the app's own middleware are in place,
   `class` entries become `app.add_middleware(cls, **kwargs)` and `setup` entries
   `function(app, **kwargs)`, in the order listed, as a user's code calls them:
   each `add_middleware` wraps what is there, so the last entry runs outermost.
3. What was added is reported by `/_harness/info` (`middleware`): the import path,
   its kind, the distribution and version that provides it, and whether it is a
   `BaseHTTPMiddleware` (which changes how every response leaves the app).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

KINDS = ("init", "class", "setup")
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Entry:
    """One middleware of the stack, as FIXTURES_MIDDLEWARE names it."""

    kind: str
    path: str
    kwargs: dict[str, Any] = field(default_factory=dict)

    def resolve(self) -> Any:
        """The object `module:attr` names; ImportError or AttributeError when it is not there."""
        return resolve(self.path)


def resolve(path: str) -> Any:
    module_name, _, attribute = path.partition(":")
    if not module_name or not attribute:
        raise ImportError(f"{path!r} is not 'module:attr'")
    target: Any = importlib.import_module(module_name)
    for part in attribute.split("."):
        target = getattr(target, part)
    return target


def parse_middleware(raw: str) -> tuple[Entry, ...]:
    """FIXTURES_MIDDLEWARE as entries; ValueError naming what is wrong."""
    data = json.loads(raw)
    if not isinstance(data, list):
        raise ValueError(f"FIXTURES_MIDDLEWARE is not a JSON list: {raw[:80]!r}")
    return tuple(_entry(item) for item in data)


def _entry(item: Any) -> Entry:
    kinds = [kind for kind in KINDS if isinstance(item, dict) and kind in item]
    if len(kinds) != 1 or not isinstance(item.get("kwargs", {}), dict):
        raise ValueError(
            f"FIXTURES_MIDDLEWARE entry {item!r} needs exactly one of {', '.join(KINDS)} "
            "and, optionally, kwargs (an object)"
        )
    return Entry(kinds[0], str(item[kinds[0]]), dict(item.get("kwargs", {})))


def run_inits(entries: tuple[Entry, ...]) -> None:
    """Rule 1: the `init` entries, before the app is made."""
    for entry in entries:
        if entry.kind == "init":
            entry.resolve()(**entry.kwargs)


def apply_middleware(app: Any, entries: tuple[Entry, ...]) -> list[dict[str, Any]]:
    """Rule 2: the `class` and `setup` entries, in order, on the finished app; returns what
    rule 3 reports of every entry (the middleware classes each one added included)."""
    described = []
    for entry in entries:
        before = list(app.user_middleware)
        target = entry.resolve()
        if entry.kind == "class":
            app.add_middleware(target, **entry.kwargs)
        elif entry.kind == "setup":
            target(app, **entry.kwargs)
        added = [m.cls for m in app.user_middleware if all(m is not b for b in before)]
        described.append(_described(entry, target, added))
    return described


def _described(entry: Entry, target: Any, added: list[Any]) -> dict[str, Any]:
    distribution = getattr(target, "distribution", None) or distribution_of(entry.path)
    return {
        entry.kind: entry.path,
        "kwargs": entry.kwargs,
        "distribution": distribution,
        "version": _version(distribution),
        "added": [f"{cls.__module__}.{cls.__qualname__}" for cls in added],
        "base_http_middleware": any(is_base_http_middleware(cls) for cls in added),
    }


def is_base_http_middleware(target: Any) -> bool:
    from starlette.middleware.base import BaseHTTPMiddleware

    return inspect.isclass(target) and issubclass(target, BaseHTTPMiddleware)


def distribution_of(path: str) -> str | None:
    """The installed distribution that provides the module of `path`, if one does."""
    top = path.partition(":")[0].split(".")[0]
    names = importlib.metadata.packages_distributions().get(top, [])
    return names[0] if names else None


def _version(distribution: str | None) -> str | None:
    if distribution is None:
        return None
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def library(distribution: str) -> Callable[[F], F]:
    """Marks a setup function with the distribution it installs (reported instead of this project)."""

    def mark(function: F) -> F:
        function.distribution = distribution  # type: ignore[attr-defined]
        return function

    return mark


def check(raw: str) -> list[dict[str, Any]]:
    """What stops each entry of a FIXTURES_MIDDLEWARE list from running here: an import that
    fails, an object that cannot be called, or the distribution a set-up function installs.
    Run in a process of its own (`python -m fixtures_app.stack JSON`), so the caller never
    imports the stack's libraries (they would patch it, or change what it generates)."""
    found = []
    for index, entry in enumerate(parse_middleware(raw)):
        try:
            target = entry.resolve()
        except (ImportError, AttributeError) as exc:
            found.append(
                {"index": index, "kind": entry.kind, "error": f"{type(exc).__name__}: {exc}"}
            )
            continue
        distribution = getattr(target, "distribution", None)
        if entry.kind != "class" and distribution and _version(distribution) is None:
            found.append({"index": index, "kind": entry.kind, "missing": distribution})
        elif not callable(target):
            found.append({"index": index, "kind": entry.kind, "error": "not a class or a function"})
    return found


if __name__ == "__main__":
    import sys

    print(json.dumps(check(sys.argv[1])))
