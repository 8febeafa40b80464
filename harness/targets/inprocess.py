"""The `inprocess` target: the fixture app's ASGI object, called in the test process.

Fastest, and blind to the wire: httpx's ASGI transport returns only after the
app has finished (background tasks included) and buffers streamed bodies.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import httpx

from harness.errors import Unsupported
from harness.rawhttp import RawResponse, asgi_scope, is_acceptable_target
from harness.targets.asgi_driver import Lifespan, call_http, open_asgi_session
from harness.targets.base import (
    HTTP1,
    LIFESPAN,
    RAW_HTTP,
    WEBSOCKET,
    WEBSOCKET_DENIAL,
    Target,
    TargetOptions,
    WebSocketSession,
    no_cookie_jar,
)

BASE_URL = "http://testserver"


class InProcessTarget(Target):
    kind = "inprocess"
    # its driver runs lifespan and WebSocket denials; requests are HTTP/1.1 messages without framing
    capabilities = frozenset({WEBSOCKET, RAW_HTTP, HTTP1, LIFESPAN, WEBSOCKET_DENIAL})

    def __init__(self, options: TargetOptions) -> None:
        super().__init__(options)
        from fixtures_app import Settings, create_app

        work_dir = Path(options.work_dir or tempfile.mkdtemp(prefix="conformance-"))
        journal = work_dir / "journal.sqlite3"
        settings = replace(Settings.from_env(), token=options.token, journal_path=journal)
        self.app = create_app(settings)
        self.lifespan = Lifespan(self.app)

    @property
    def base_url(self) -> str:
        return BASE_URL

    async def _open(self) -> httpx.AsyncClient:
        await self.lifespan.startup(self.options.timeout(10.0))
        transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)
        return httpx.AsyncClient(
            transport=transport,
            base_url=BASE_URL,
            headers=self.options.extra_headers,
            timeout=self.options.timeout(30.0),
            cookies=no_cookie_jar(),
        )

    async def _close(self) -> None:
        await self.lifespan.shutdown(self.options.timeout(10.0))
        self.app.fixture_state.journal.close()

    async def raw_request(
        self, method: str, target: bytes, headers: list[tuple[str, str]]
    ) -> RawResponse:
        if not is_acceptable_target(target):
            raise Unsupported(
                f"the in-process target has no HTTP parser to judge the request target {target[:40]!r}: "
                "run the case on a server (--target local)"
            )
        scope = asgi_scope(method, target, [*self.options.extra_headers.items(), *headers])
        status, response_headers, body = await call_http(
            self.app, scope, self.options.timeout(10.0)
        )
        return RawResponse(status, response_headers, body)

    async def websocket(
        self, path: str, headers: dict[str, str], subprotocols: list[str]
    ) -> WebSocketSession:
        url = BASE_URL + path
        return await open_asgi_session(
            self.app,
            url,
            {**self.options.extra_headers, **headers},
            subprotocols,
            self.options.timeout(10.0),
        )
