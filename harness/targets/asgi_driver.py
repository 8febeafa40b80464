"""Driving an ASGI app directly, in this process: its lifespan and its WebSocket connections.

The driver speaks the ASGI messages a server would (`lifespan.startup`,
`websocket.connect`, `websocket.receive`, `websocket.disconnect`) and turns
the app's answers into the same results a socket client would see.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from harness.errors import HarnessError, NoAnswer, WebSocketClosed, WebSocketRejected
from harness.targets.base import WebSocketSession

Message = MutableMapping[str, Any]
ASGIApp = Callable[..., Coroutine[Any, Any, None]]
ASGI = {"version": "3.0", "spec_version": "2.4"}


class Channel:
    """The two queues between a driver and one ASGI call of the app."""

    def __init__(self, app: ASGIApp, scope: dict[str, Any]) -> None:
        self.to_app: asyncio.Queue[Message] = asyncio.Queue()
        self.from_app: asyncio.Queue[Message] = asyncio.Queue()
        self.task: asyncio.Task[None] = asyncio.create_task(app(scope, self.to_app.get, self._send))

    async def _send(self, message: Message) -> None:
        await self.from_app.put(message)

    async def next_message(self, timeout: float) -> Message | None:
        """The app's next message, or None if the app returned (or raised) without sending one."""
        if not self.from_app.empty():
            return self.from_app.get_nowait()
        getter = asyncio.ensure_future(self.from_app.get())
        done, _ = await asyncio.wait(
            {getter, self.task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if getter in done:
            return getter.result()
        getter.cancel()
        if self.task in done:
            return None
        raise NoAnswer("the app's next message", timeout)

    @property
    def failed(self) -> bool:
        """True when the app's call ended with an exception (a server answers 500, or closes with 1011)."""
        return self.task.done() and not self.task.cancelled() and self.task.exception() is not None


class Lifespan:
    """The ASGI lifespan protocol, run for an in-process app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.channel: Channel | None = None

    async def startup(self, timeout: float) -> None:
        self.channel = Channel(self.app, {"type": "lifespan", "asgi": ASGI, "state": {}})
        await self.channel.to_app.put({"type": "lifespan.startup"})
        message = await self.channel.next_message(timeout)
        if self.channel.failed:
            raise HarnessError(
                f"the app's lifespan start-up raised {self.channel.task.exception()!r}"
            )
        if message is not None and message["type"] != "lifespan.startup.complete":
            raise HarnessError(f"the app's lifespan start-up failed: {message.get('message', '')}")

    async def shutdown(self, timeout: float) -> None:
        if self.channel is None or self.channel.task.done():
            return
        await self.channel.to_app.put({"type": "lifespan.shutdown"})
        await self.channel.next_message(timeout)


def websocket_scope(url: str, headers: dict[str, str], subprotocols: list[str]) -> dict[str, Any]:
    parts = urlsplit(url)
    raw_headers = [(b"host", (parts.netloc or "testserver").encode())]
    raw_headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    if subprotocols:
        raw_headers.append((b"sec-websocket-protocol", ", ".join(subprotocols).encode()))
    return {
        "type": "websocket",
        "asgi": ASGI,
        "http_version": "1.1",
        "scheme": "wss" if parts.scheme in ("https", "wss") else "ws",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 50000),
        "root_path": "",
        "path": parts.path,
        "raw_path": parts.path.encode(),
        "query_string": parts.query.encode(),
        "headers": raw_headers,
        "subprotocols": subprotocols,
        "state": {},
        "extensions": {"websocket.http.response": {}},
    }


async def open_asgi_session(
    app: ASGIApp, url: str, headers: dict[str, str], subprotocols: list[str], timeout: float
) -> ASGIWebSocket:
    channel = Channel(app, websocket_scope(url, headers, subprotocols))
    await channel.to_app.put({"type": "websocket.connect"})
    message = await channel.next_message(timeout)
    if message is None and channel.failed:
        raise WebSocketRejected(500)
    if message is None or message["type"] == "websocket.close":
        raise WebSocketRejected(403)
    if message["type"] == "websocket.http.response.start":
        body = await _denial_body(channel, timeout)
        raise WebSocketRejected(int(message["status"]), body)
    return ASGIWebSocket(channel, message.get("subprotocol"))


async def _denial_body(channel: Channel, timeout: float) -> bytes:
    body = b""
    while (message := await channel.next_message(timeout)) is not None:
        body += message.get("body", b"")
        if not message.get("more_body", False):
            break
    return body


class ASGIWebSocket(WebSocketSession):
    def __init__(self, channel: Channel, subprotocol: str | None) -> None:
        self.channel = channel
        self.subprotocol = subprotocol
        self.closed: WebSocketClosed | None = None

    async def send(self, message: str | bytes) -> None:
        if self.closed:
            raise self.closed
        key = "text" if isinstance(message, str) else "bytes"
        await self.channel.to_app.put({"type": "websocket.receive", key: message})

    async def receive(self, timeout: float) -> str | bytes:
        if self.closed:
            raise self.closed
        message = await self.channel.next_message(timeout)
        if message is None or message["type"] == "websocket.close":
            # like uvicorn: an app that raised drops the connection (1006), one that returned closes (1000)
            if message is None and self.channel.failed:
                self.closed = WebSocketClosed(1006, "", frame=False)
            else:
                code = 1000 if message is None else int(message.get("code", 1000))
                self.closed = WebSocketClosed(code, (message or {}).get("reason") or "")
            raise self.closed
        if message.get("text") is not None:
            return str(message["text"])
        return bytes(message.get("bytes") or b"")

    async def close(self, code: int = 1000, reason: str = "") -> None:
        if self.closed is None:
            self.closed = WebSocketClosed(code, reason)
            await self.channel.to_app.put(
                {"type": "websocket.disconnect", "code": code, "reason": reason}
            )
        try:
            await asyncio.wait_for(asyncio.shield(self.channel.task), 5.0)
        except (TimeoutError, Exception):
            self.channel.task.cancel()


async def call_http(
    app: ASGIApp, scope: dict[str, Any], timeout: float
) -> tuple[int, list[tuple[str, str]], bytes]:
    """One HTTP request with an empty body; the status, headers and body the app sent.

    Like uvicorn, an app that raises before starting its response gets a 500.
    """
    channel = Channel(app, scope)
    await channel.to_app.put({"type": "http.request", "body": b"", "more_body": False})
    start = await channel.next_message(timeout)
    if start is None:
        return 500, [("content-type", "text/plain; charset=utf-8")], b"Internal Server Error"
    body = b""
    while (message := await channel.next_message(timeout)) is not None:
        body += message.get("body", b"")
        if not message.get("more_body", False):
            break
    await channel.to_app.put({"type": "http.disconnect"})
    headers = [
        (name.decode("latin-1"), value.decode("latin-1")) for name, value in start["headers"]
    ]
    return int(start["status"]), headers, body
