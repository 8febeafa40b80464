"""Small apps that each carry one documented middleware configuration, mounted under the main app.

- `/mw-order`: three middlewares added in the order a, b, c (a pure ASGI class via
  `add_middleware`, a function via `@app.middleware('http')`, the class again); each
  writes its entry and exit to the journal and appends its name to `X-Middleware-Trail`.
- `/gzip`: GZipMiddleware(minimum_size=500).
- `/trusted`: TrustedHostMiddleware(allowed_hosts=["allowed.example", "*.example.org"]).
- `/https-only`: HTTPSRedirectMiddleware.
- `/cors-strict` (dispatched before the main app's wildcard CORS, see application.py): CORSMiddleware
  with one origin, credentials, two methods, one allowed and one exposed header, max_age 600.
- `/cors-variants/...` (dispatched the same way): one CORSMiddleware option each, an
  origin regex with an exposed header and a max_age, credentials with a wildcard origin,
  and private network access where Starlette has it.
- `/gzip-fast`: GZipMiddleware(compresslevel=1); `/gzip/...` also serves bodies GZip must
  leave alone (an image type, a body already encoded, a partial response).
- `/trusted-www`: TrustedHostMiddleware(allowed_hosts=["www.example.org"]) (www_redirect on).
- `/mw-context`: a context variable set by the endpoint, read after it by a BaseHTTPMiddleware
  and by a pure ASGI middleware, each reporting what it saw in a header.
"""

from __future__ import annotations

import asyncio
import contextvars
import gzip
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response, WebSocket
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.middleware.httpsredirect import HTTPSRedirectMiddleware
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from fastapi.responses import FileResponse, PlainTextResponse, StreamingResponse

from fixtures_app.features import has_feature
from fixtures_app.journal import Journal
from fixtures_app.observe import (
    ASGIApp,
    Message,
    Receive,
    Send,
    request_scope,
    route_path,
    scope_of_asgi,
)
from fixtures_app.state import AppState

TRAIL = "x-middleware-trail"
STRICT_PREFIX = "/cors-strict"
VARIANTS_PREFIX = "/cors-variants"
REGEX_ORIGINS = r"https://[a-z0-9-]+\.example\.org"
STRICT_ORIGIN = "https://allowed.example"
GZIP_MINIMUM = 500
LINE = "The quick brown fox jumps over the lazy dog. "


class Recorder:
    """Pure ASGI middleware that journals its entry and exit and marks the response."""

    def __init__(self, app: ASGIApp, name: str, journal: Journal) -> None:
        self.app, self.name, self.journal = app, name, journal

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        scope_id = scope_of_asgi(scope) if scope["type"] == "http" else ""
        if scope_id:
            self.journal.record(scope_id, "mw.enter", name=self.name)

        async def mark(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": [*message["headers"], (TRAIL.encode(), self.name.encode())],
                }
            await send(message)

        await self.app(scope, receive, mark)
        if scope_id:
            self.journal.record(scope_id, "mw.exit", name=self.name)


def order_app(journal: Journal) -> FastAPI:
    app = FastAPI()
    app.add_middleware(Recorder, name="a", journal=journal)

    @app.middleware("http")
    async def b(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        scope = request_scope(request)
        journal.record(scope, "mw.enter", name="b")
        response = await call_next(request)
        response.headers.append(TRAIL, "b")
        journal.record(scope, "mw.exit", name="b")
        return response

    app.add_middleware(Recorder, name="c", journal=journal)

    @app.get("/ping")
    def ping(request: Request) -> dict[str, str]:
        journal.record(request_scope(request), "endpoint")
        return {"pong": "yes"}

    return app


def gzip_app(compresslevel: int = 9, static_dir: Path | None = None) -> FastAPI:
    app = FastAPI()
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM, compresslevel=compresslevel)
    if static_dir is not None:
        add_uncompressible_routes(app, static_dir)

    @app.get("/text/{size}")
    def text(size: int) -> PlainTextResponse:
        return PlainTextResponse((LINE * (size // len(LINE) + 1))[: min(size, 1_000_000)])

    @app.get("/stream")
    def stream() -> StreamingResponse:
        async def body() -> AsyncIterator[bytes]:
            for _ in range(20):
                yield (LINE * 5).encode()
                await asyncio.sleep(0)

        return StreamingResponse(body(), media_type="text/plain")

    @app.get("/events")
    def events() -> StreamingResponse:
        async def body() -> AsyncIterator[str]:
            for index in range(20):
                yield f"data: {LINE * 3}{index}\n\n"

        return StreamingResponse(body(), media_type="text/event-stream")

    return app


def add_uncompressible_routes(app: FastAPI, static_dir: Path) -> None:
    """Bodies over the minimum size that GZip must pass as they are."""
    text = (LINE * 40).encode()

    @app.get("/image")
    def image() -> Response:
        return Response(text, media_type="image/png")

    @app.get("/encoded")
    def encoded() -> Response:
        body = gzip.compress(text, mtime=0)
        return Response(body, media_type="text/plain", headers={"Content-Encoding": "gzip"})

    @app.get("/file")
    def file() -> FileResponse:
        return FileResponse(static_dir / "data.bin", media_type="text/plain")


def trusted_app(allowed_hosts: tuple[str, ...] = ("allowed.example", "*.example.org")) -> FastAPI:
    app = FastAPI()
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))

    @app.get("/ping")
    def ping() -> dict[str, str]:
        return {"pong": "yes"}

    return app


def https_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(HTTPSRedirectMiddleware)

    @app.get("/ping")
    def ping() -> dict[str, str]:
        return {"pong": "yes"}

    @app.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.close()

    return app


def cors_app(prefix: str, **options: Any) -> FastAPI:
    """An app with one CORSMiddleware configuration and one resource at `prefix`/resource."""
    app = FastAPI()
    app.add_middleware(CORSMiddleware, **options)

    @app.get(f"{prefix}/resource")
    def resource(response: Response) -> dict[str, str]:
        response.headers["X-Exposed"] = "visible"
        return {"resource": prefix}

    return app


def cors_variants_app() -> ASGIApp:
    variants: dict[str, dict[str, Any]] = {
        "regex": {
            "allow_origin_regex": REGEX_ORIGINS,
            "expose_headers": ["X-Exposed"],
            "max_age": 321,
        },
        "credentials-wildcard": {"allow_origins": ["*"], "allow_credentials": True},
    }
    if has_feature("cors-private-network"):
        variants["private-network"] = {
            "allow_origins": [STRICT_ORIGIN],
            "allow_private_network": True,
        }
    app: ASGIApp = PlainTextResponse("no such CORS variant", status_code=404)
    for name, options in variants.items():
        prefix = f"{VARIANTS_PREFIX}/{name}"
        app = PrefixDispatch(app, prefix, cors_app(prefix, **options))
    return app


def strict_cors_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[STRICT_ORIGIN],
        allow_credentials=True,
        allow_methods=["GET", "POST"],
        allow_headers=["X-Allowed"],
        expose_headers=["X-Exposed"],
        max_age=600,
    )

    @app.get(f"{STRICT_PREFIX}/resource")
    def resource(response: Response) -> dict[str, str]:
        response.headers["X-Exposed"] = "visible"
        return {"resource": "strict"}

    return app


SEEN: contextvars.ContextVar[str] = contextvars.ContextVar("seen", default="unset")


class ContextReader:
    """Pure ASGI middleware: reads the context variable when the response starts."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        async def mark(message: Message) -> None:
            if message["type"] == "http.response.start":
                header = (b"x-context-seen-by-asgi", SEEN.get().encode())
                message = {**message, "headers": [*message["headers"], header]}
            await send(message)

        await self.app(scope, receive, mark)


def context_app() -> FastAPI:
    """A ContextVar set by the endpoint, read after it by a BaseHTTPMiddleware and a pure one."""
    app = FastAPI()
    app.add_middleware(ContextReader)

    @app.middleware("http")
    async def base(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["X-Context-Seen-By-Base"] = SEEN.get()
        return response

    @app.get("/set")
    async def set_variable() -> dict[str, str]:
        SEEN.set("set")
        return {"set": "yes"}

    return app


def mount(app: FastAPI, state: AppState) -> None:
    app.mount("/mw-context", context_app())
    app.mount("/mw-order", order_app(state.journal))
    app.mount("/gzip", gzip_app(static_dir=state.settings.static_dir))
    app.mount("/gzip-fast", gzip_app(compresslevel=1))
    app.mount("/trusted", trusted_app())
    app.mount("/trusted-www", trusted_app(("www.example.org",)))
    app.mount("/https-only", https_app())


class PrefixDispatch:
    """Sends requests under one path prefix to another app, before the main app's middleware."""

    def __init__(self, main: ASGIApp, prefix: str, other: ASGIApp) -> None:
        self.main, self.prefix, self.other = main, prefix, other

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        path = route_path(scope)
        routed = path == self.prefix or path.startswith(self.prefix + "/")
        await (self.other if routed else self.main)(scope, receive, send)
