"""Which optional features the installed FastAPI and Starlette have, detected at start-up.

Each feature is found by looking at the installed code (a parameter, a module,
a method), never by comparing version numbers, so a backport or a removal is
seen as it is. Detection never raises: a feature that cannot be checked is absent.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import platform
import sys
from collections.abc import Callable

import fastapi
import starlette.responses
import starlette.websockets

from fixtures_app.distributions import DISTRIBUTIONS


def _has_parameter(func: Callable[..., object], name: str) -> bool:
    try:
        return name in inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False


def _has_module(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


FEATURES: dict[str, Callable[[], bool]] = {
    "lifespan": lambda: _has_parameter(fastapi.FastAPI.__init__, "lifespan"),
    "app-max-body-size": lambda: _has_parameter(fastapi.FastAPI.__init__, "max_body_size"),
    "route-max-body-size": lambda: _has_parameter(fastapi.APIRouter.post, "max_body_size"),
    "depends-scope": lambda: _has_parameter(fastapi.Depends, "scope"),
    "websocket-exception": lambda: hasattr(fastapi, "WebSocketException"),
    "websocket-denial-response": lambda: hasattr(
        starlette.websockets.WebSocket, "send_denial_response"
    ),
    "sse-response": lambda: _has_module("fastapi.sse"),
    "orjson-response": lambda: _has_module("orjson"),
    "file-range": lambda: hasattr(starlette.responses.FileResponse, "_handle_single_range"),
    "cookie-partitioned": lambda: (
        sys.version_info >= (3, 14)
        and _has_parameter(starlette.responses.Response.set_cookie, "partitioned")
    ),
}


def detect_features() -> list[str]:
    """The names of the optional features present, sorted."""
    return sorted(name for name, probe in FEATURES.items() if _safe(probe))


def has_feature(name: str) -> bool:
    """True when the installed versions have the optional feature `name`."""
    return _safe(FEATURES[name])


def _safe(probe: Callable[[], bool]) -> bool:
    try:
        return probe()
    except Exception:
        return False


def package_versions() -> dict[str, str | None]:
    """Versions of Python and of the distributions that shape FastAPI's behavior."""
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in DISTRIBUTIONS:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


# gunicorn first: with uvicorn's worker both are loaded, and gunicorn is the one started
KNOWN_SERVERS = ("gunicorn", "uvicorn", "hypercorn", "granian", "daphne")


def running_server(configured: str | None) -> str:
    """The ASGI server serving this process: as configured (FIXTURES_SERVER), else the first loaded."""
    if configured:
        return configured
    loaded = [name for name in KNOWN_SERVERS if name in sys.modules]
    return loaded[0] if loaded else "unknown"
