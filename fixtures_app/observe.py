"""Observation plumbing: the scope a client sends, and the outermost ASGI wrapper.

The harness sends `X-Harness-Scope: <id>` with each request (or `?_scope=<id>`
on a WebSocket URL, for clients that cannot set headers). The wrapper records
`request.received`, `response.started`, `response.finished` and `request.done`
for every HTTP request that carries a scope; `response.finished` is written once
the message that completes the response has been handed to the server: the one
that reaches the declared Content-Length, or else the last body message (a file
sent with `http.response.pathsend` included). A client holding the whole
response may close the connection at once, and the app may then never send an
empty closing message, so the byte count is what says the response is complete.
`request.done` is written when the app's call returns, after every background task.

A request may carry `X-Harness-Send-Delay-Ms: N` (at most 1000): the wrapper then
waits N ms before handing that completing message to the server, as a server
writing to a slow client does. Whatever runs "after the response is sent" must
wait for it; code that runs as soon as the body left the app's own hands does not.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

import anyio
from fastapi import Request, WebSocket

from fixtures_app.journal import Journal

SCOPE_HEADER = "x-harness-scope"
SCOPE_QUERY = "_scope"
NO_SCOPE = ""
SEND_DELAY_HEADER = b"x-harness-send-delay-ms"
MAX_SEND_DELAY_MS = 1000

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Any, Receive, Send], Awaitable[None]]


def route_path(scope: MutableMapping[str, Any]) -> str:
    """The path the app routes on: `path` without the `root_path` a server put in front of it."""
    path, root = str(scope.get("path", "")), str(scope.get("root_path", ""))
    return path[len(root) :] if root and path.startswith(root) else path


def scope_of_asgi(scope: MutableMapping[str, Any]) -> str:
    """The harness scope id of an ASGI connection, or NO_SCOPE."""
    for name, value in scope.get("headers", []):
        if name == SCOPE_HEADER.encode():
            return bytes(value).decode("latin-1")
    query = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1"))
    return query.get(SCOPE_QUERY, [NO_SCOPE])[0]


def send_delay_s(scope: MutableMapping[str, Any]) -> float:
    """The delay the client asked for before the last body message is sent, in seconds (0 by default)."""
    for name, value in scope.get("headers", []):
        if name == SEND_DELAY_HEADER and bytes(value).isdigit():
            return min(int(value), MAX_SEND_DELAY_MS) / 1000
    return 0.0


def is_last_body(message: Message) -> bool:
    return message["type"] == "http.response.pathsend" or (
        message["type"] == "http.response.body" and not message.get("more_body", False)
    )


class Completion:
    """Tells which body message completes one response (see the module's docstring)."""

    def __init__(self) -> None:
        self.declared: int | None = None
        self.sent = 0
        self.done = False

    def start(self, message: Message) -> None:
        for name, value in message.get("headers", []):
            if bytes(name).lower() == b"content-length" and bytes(value).strip().isdigit():
                self.declared = int(value)

    def completes(self, message: Message) -> bool:
        """True for the first message after which the client holds the whole response."""
        if (
            self.done
            or not message["type"].startswith("http.response.")
            or message["type"] == "http.response.start"
        ):
            return False
        self.sent += len(message.get("body", b""))
        reached = self.declared is not None and self.sent >= self.declared
        self.done = reached or is_last_body(message)
        return self.done


def request_scope(request: Request) -> str:
    """Dependency: the scope id of this HTTP request."""
    return scope_of_asgi(request.scope)


def websocket_scope(websocket: WebSocket) -> str:
    """Dependency: the scope id of this WebSocket connection."""
    return scope_of_asgi(websocket.scope)


class JournalWrapper:
    """Pure ASGI wrapper, outermost around the app, recording when responses finish."""

    def __init__(self, app: ASGIApp, journal: Journal) -> None:
        self.app = app
        self.journal = journal

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        scope_id = scope_of_asgi(scope) if scope["type"] == "http" else NO_SCOPE
        if not scope_id:
            await self.app(scope, receive, send)
            return
        self.journal.record(scope_id, "request.received", path=scope["path"])
        delay = send_delay_s(scope)

        completion = Completion()

        async def observed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                completion.start(message)
                await send(message)
                self.journal.record(scope_id, "response.started", status=message["status"])
                return
            completes = completion.completes(message)
            if delay and completes:
                await anyio.sleep(delay)
            await send(message)
            if completes:
                self.journal.record(scope_id, "response.finished")

        try:
            await self.app(scope, receive, observed_send)
        finally:
            # the app call is over: every background task of this request has run (or never will)
            self.journal.record(scope_id, "request.done")
