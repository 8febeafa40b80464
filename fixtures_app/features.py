"""Which optional features the installed FastAPI and Starlette have, detected at start-up.

Each feature is found through public API only (a documented parameter, module or
class, or the documented behavior itself), never by comparing version numbers or
by looking for private names, so a backport or a removal is seen as it is. A
probe that raises is not taken for an absent feature: its error is reported (in
`/_harness/info`), and the cases that need the feature are ERROR, not UNSUPPORTED.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.metadata
import inspect
import platform
import sys
import tempfile
import threading
from collections.abc import Callable, Coroutine
from typing import Any

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


def _answers_ranges() -> bool:
    """True when FileResponse answers `Range: bytes=0-0` with 206 (Starlette 0.39 and later)."""
    with tempfile.NamedTemporaryFile(suffix=".txt") as file:
        file.write(b"ab")
        file.flush()
        response = starlette.responses.FileResponse(file.name)
        return _status_of(response, [(b"range", b"bytes=0-0")]) == 206


def _status_of(app: Callable[..., Coroutine[Any, Any, None]], headers: list[Any]) -> int:
    """The status an ASGI app answers a GET with, run on a loop of its own in another thread."""
    scope = {"type": "http", "method": "GET", "path": "/", "headers": headers, "query_string": b""}
    sent: list[dict[str, Any]] = []
    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict[str, Any]:
        if requests:
            return requests.pop()
        while not any(
            m.get("type") == "http.response.body" and not m.get("more_body") for m in sent
        ):
            await asyncio.sleep(0.001)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(app(scope, receive, send))
        except BaseException as exc:  # handed to the caller's thread below
            failure.append(exc)

    worker = threading.Thread(target=run, name="feature-probe")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    return int(next(m["status"] for m in sent if m["type"] == "http.response.start"))


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
    "file-range": _answers_ranges,
    "cookie-partitioned": lambda: (
        sys.version_info >= (3, 14)
        and _has_parameter(starlette.responses.Response.set_cookie, "partitioned")
    ),
}


def probe_features() -> tuple[list[str], dict[str, str]]:
    """The names of the optional features present, sorted, and the error of each probe that raised."""
    present, errors = [], {}
    for name, probe in FEATURES.items():
        try:
            if probe():
                present.append(name)
        except Exception as exc:
            errors[name] = f"{type(exc).__name__}: {exc}"
    return sorted(present), errors


def has_feature(name: str) -> bool:
    """True when the installed versions have the optional feature `name` (a raising probe: False)."""
    try:
        return FEATURES[name]()
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
