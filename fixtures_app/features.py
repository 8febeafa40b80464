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
from typing import Annotated, Any

import fastapi
import pydantic
import starlette.middleware.cors
import starlette.responses
import starlette.staticfiles
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
    """The status an ASGI app answers a GET with."""
    return _call(app, "GET", headers)[0]


def _call(
    app: Callable[..., Coroutine[Any, Any, None]],
    method: str,
    headers: list[tuple[bytes, bytes]],
    query: bytes = b"",
    body: bytes = b"",
) -> tuple[int, dict[bytes, bytes], bytes]:
    """Status, headers and body an ASGI app answers, run on a loop of its own in another thread.

    An exception the app raises after it started its response (Starlette's error
    middleware sends the 500, then re-raises) is the answer; one raised before is re-raised.
    """
    scope = {
        "type": "http",
        "method": method,
        "path": "/",
        "raw_path": b"/",
        "root_path": "",
        "scheme": "http",
        "server": ("probe", 80),
        "headers": [(b"host", b"probe"), *headers],
        "query_string": query,
    }
    sent: list[dict[str, Any]] = []
    requests = [{"type": "http.request", "body": body, "more_body": False}]

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
    starts = [m for m in sent if m["type"] == "http.response.start"]
    if failure and not starts:
        raise failure[0]
    body_sent = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return int(starts[0]["status"]), dict(starts[0].get("headers", [])), body_sent


class _Fields(pydantic.BaseModel):
    a: str


def _answers(
    declare: Callable[[fastapi.FastAPI], None], method: str, **request: Any
) -> tuple[int, dict[bytes, bytes], bytes] | None:
    """What a one-route app answers; None when FastAPI refuses to declare the route."""
    app = fastapi.FastAPI()
    try:
        declare(app)
    except (AssertionError, TypeError, fastapi.exceptions.FastAPIError):
        return None
    return _call(app, method, **request)


def _declare(decorator: Callable[[Any], Any], endpoint: Callable[..., Any]) -> None:
    decorator(endpoint)


def _fills_model(kind: Callable[[], Any], method: str, **request: Any) -> bool:
    """True when a Pydantic model parameter declared with `kind()` is filled field by field."""

    def model(data: Any) -> dict[str, str]:
        return {"a": data.a}

    model.__annotations__ = {"data": Annotated[_Fields, kind()], "return": dict[str, str]}
    answer = _answers(
        lambda app: _declare(app.api_route("/", methods=[method]), model), method, **request
    )
    return answer is not None and answer[0] == 200 and answer[2] == b'{"a":"1"}'


async def _yield_items() -> Any:
    yield {"a": 1}


def _streams_yielded_items() -> bool:
    """True when a path operation that yields items streams them as JSON Lines."""
    answer = _answers(lambda app: _declare(app.get("/"), _yield_items), "GET", headers=[])
    return answer is not None and answer[1].get(b"content-type") == b"application/jsonl"


FORM = [(b"content-type", b"application/x-www-form-urlencoded")]


FEATURES: dict[str, Callable[[], bool]] = {
    "lifespan": lambda: _has_parameter(fastapi.FastAPI.__init__, "lifespan"),
    "app-max-body-size": lambda: _has_parameter(fastapi.FastAPI.__init__, "max_body_size"),
    "route-max-body-size": lambda: _has_parameter(fastapi.APIRouter.post, "max_body_size"),
    "depends-scope": lambda: _has_parameter(fastapi.Depends, "scope"),
    "websocket-exception": lambda: hasattr(fastapi, "WebSocketException"),
    "websocket-route-dependencies": lambda: _has_parameter(
        fastapi.APIRouter.websocket, "dependencies"
    ),
    "websocket-denial-response": lambda: hasattr(
        starlette.websockets.WebSocket, "send_denial_response"
    ),
    "sse-response": lambda: _has_module("fastapi.sse"),
    "orjson-response": lambda: _has_module("orjson"),
    "ujson-response": lambda: _has_module("ujson"),
    "file-range": _answers_ranges,
    "form-model": lambda: _fills_model(fastapi.Form, "POST", headers=FORM, body=b"a=1"),
    "parameter-models": lambda: _fills_model(fastapi.Query, "GET", headers=[], query=b"a=1"),
    "path-operation-yield": _streams_yielded_items,
    "frontend": lambda: hasattr(fastapi.FastAPI, "frontend"),
    "strict-content-type": lambda: _has_parameter(fastapi.FastAPI.__init__, "strict_content_type"),
    "form-limits": lambda: _has_parameter(fastapi.APIRouter.post, "form_limits"),
    "static-follow-symlink": lambda: _has_parameter(
        starlette.staticfiles.StaticFiles.__init__, "follow_symlink"
    ),
    "cors-private-network": lambda: _has_parameter(
        starlette.middleware.cors.CORSMiddleware.__init__, "allow_private_network"
    ),
    "cookie-partitioned": lambda: (
        sys.version_info >= (3, 14)
        and _has_parameter(starlette.responses.Response.set_cookie, "partitioned")
    ),
}


# Where each feature came from, for the message of a case a run lacks it for (never used to
# detect it): the release of FastAPI, Starlette or Python, or the package, that brings it.
NEEDS: dict[str, str] = {
    "app-max-body-size": "FastAPI >= 0.164.0",
    "route-max-body-size": "FastAPI >= 0.164.0",
    "depends-scope": "FastAPI >= 0.121.0",
    "websocket-route-dependencies": "FastAPI >= 0.97.0",
    "websocket-denial-response": "Starlette >= 0.37.0",
    "sse-response": "FastAPI >= 0.135.0",
    "orjson-response": "the orjson package",
    "ujson-response": "the ujson package",
    "file-range": "Starlette >= 0.39.0",
    "cookie-partitioned": "Python >= 3.14 and Starlette >= 0.47.0",
    "form-model": "FastAPI >= 0.113.0",
    "parameter-models": "FastAPI >= 0.115.0",
    "path-operation-yield": "FastAPI >= 0.134.0",
    "frontend": "FastAPI >= 0.138.0",
    "strict-content-type": "FastAPI >= 0.132.0",
    "form-limits": "FastAPI >= 0.165.0",
    "static-follow-symlink": "Starlette >= 0.24.0",
    "cors-private-network": "Starlette >= 0.51.0",
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
