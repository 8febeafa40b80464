"""Deliberate faults, to prove that every conformance case can fail (and that a case a release
is known to fail can pass).

A fault is an ASGI wrapper chosen by name in the FIXTURES_FAULTS setting
(comma-separated `name` or `name:argument`). Each imitates what a framework
regression, a buggy middleware or a proxy does to traffic; a few (named in
rows' `passes_with`) imitate a stricter server or proxy in front, which corrects a deviation. Faults never touch
`/_harness`, so observation stays truthful, and `/_harness/info` lists every
active fault, so a faulted run can never pass for a clean one.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import re
from collections.abc import Callable
from contextvars import ContextVar
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

from fixtures_app.limits import BodyLimit
from fixtures_app.observe import ASGIApp, Message, Receive, Send, route_path

HARNESS_PREFIX = "/_harness"
STATIC_DIR = str(Path(__file__).resolve().parent / "static")


class Fault:
    """Base: wraps an app; `applies` says whether a connection is affected."""

    def __init__(self, app: ASGIApp, argument: str) -> None:
        self.app = app
        self.argument = argument

    def applies(self, scope: dict[str, Any]) -> bool:
        return scope["type"] in ("http", "websocket") and not route_path(scope).startswith(
            HARNESS_PREFIX
        )

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if self.applies(scope):
            await self.faulty(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        raise NotImplementedError


class HoldResponse(Fault):
    """Holds every message until the app returns: background tasks run before the response."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)

        await self.app(scope, receive, hold)
        for message in held:
            await send(message)


class DropHeader(Fault):
    """Removes one response header (argument: its name)."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        name = self.argument.lower().encode()

        async def drop(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": [h for h in message["headers"] if h[0].lower() != name],
                }
            await send(message)

        await self.app(scope, receive, drop)


class RewriteStatus(Fault):
    """Changes one response status into another (argument: `from=to`)."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        old, _, new = self.argument.partition("=")

        async def rewrite(message: Message) -> None:
            starts = ("http.response.start", "websocket.http.response.start")
            if message["type"] in starts and message["status"] == int(old):
                message = {**message, "status": int(new)}
            await send(message)

        await self.app(scope, receive, rewrite)


def _flip_middle(data: bytes) -> bytes:
    if not data:
        return data
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


class FlipResponseByte(Fault):
    """Flips one bit in the middle of the first non-empty response body message."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        done = False

        async def flip(message: Message) -> None:
            nonlocal done
            if message["type"] == "http.response.body" and message.get("body") and not done:
                message, done = {**message, "body": _flip_middle(message["body"])}, True
            await send(message)

        await self.app(scope, receive, flip)


class FlipRequestByte(Fault):
    """Flips one bit in the middle of the request body (by its Content-Length, else of its first message)."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        target = int(declared) // 2 if declared.isdigit() else None
        seen = 0
        done = False

        async def flip() -> Message:
            nonlocal seen, done
            message = await receive()
            body = message.get("body", b"") if message["type"] == "http.request" else b""
            if body and not done:
                position = len(body) // 2 if target is None else target - seen
                if 0 <= position < len(body):
                    flipped = (
                        body[:position] + bytes([body[position] ^ 0x01]) + body[position + 1 :]
                    )
                    message, done = {**message, "body": flipped}, True
                seen += len(body)
            return message

        await self.app(scope, flip, send)


class SetRequestHeader(Fault):
    """Sets a request header, replacing any it had (argument: `name=value`), as a meddling proxy would."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        name, _, value = self.argument.partition("=")
        key = name.lower().encode()
        headers = [(k, v) for k, v in scope["headers"] if k != key] + [(key, value.encode())]
        await self.app({**scope, "headers": headers}, receive, send)


class DropRequestHeader(Fault):
    """Removes a request header (argument: its name) before the app sees the request."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        key = self.argument.lower().encode()
        headers = [(k, v) for k, v in scope["headers"] if k != key]
        await self.app({**scope, "headers": headers}, receive, send)


class RenameRequestHeader(Fault):
    """Renames a request header (argument: `from=to`), as proxies that rewrite underscores do."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        old, _, new = (part.lower().encode() for part in self.argument.partition("="))
        headers = [(new if k == old else k, v) for k, v in scope["headers"]]
        await self.app({**scope, "headers": headers}, receive, send)


class MergeRequestHeaders(Fault):
    """Folds repeated request headers of one name (argument) into one comma-joined header."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        key = self.argument.lower().encode()
        values = [v for k, v in scope["headers"] if k == key]
        headers = [(k, v) for k, v in scope["headers"] if k != key]
        headers += [(key, b", ".join(values))] if values else []
        await self.app({**scope, "headers": headers}, receive, send)


class Conditional304(Fault):
    """Answers 304 to every conditional GET, as a caching proxy that trusts any validator would."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        names = {k for k, _ in scope["headers"]}
        if scope["type"] == "http" and names & {b"if-none-match", b"if-modified-since"}:
            await send({"type": "http.response.start", "status": 304, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, send)


class ResponseHeadersFault(Fault):
    """Base for faults that rewrite the list of response headers."""

    def rewrite(self, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        raise NotImplementedError

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        async def rewrite(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": self.rewrite(list(message["headers"]))}
            await send(message)

        await self.app(scope, receive, rewrite)


def _is_set_cookie(header: tuple[bytes, bytes]) -> bool:
    return header[0].lower() == b"set-cookie"


class StripCookieAttribute(ResponseHeadersFault):
    """Removes one attribute (argument: its name) from every Set-Cookie."""

    def rewrite(self, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        name = self.argument.lower()

        def strip(value: bytes) -> bytes:
            parts = value.decode("latin-1").split(";")
            kept = [parts[0]] + [p for p in parts[1:] if p.strip().split("=")[0].lower() != name]
            return ";".join(kept).encode("latin-1")

        return [(k, strip(v)) if _is_set_cookie((k, v)) else (k, v) for k, v in headers]


class MergeSetCookie(ResponseHeadersFault):
    """Folds every Set-Cookie into one comma-joined header, as a naive proxy does."""

    def rewrite(self, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        cookies = [v for k, v in headers if _is_set_cookie((k, v))]
        others = [h for h in headers if not _is_set_cookie(h)]
        return others + ([(b"set-cookie", b", ".join(cookies))] if cookies else [])


class DuplicateResponseHeaders(ResponseHeadersFault):
    """Sends every response header twice, as a proxy that adds what is already there."""

    def rewrite(self, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        skip = {b"content-length", b"content-type", b"transfer-encoding"}
        return headers + [h for h in headers if h[0].lower() not in skip]


class AddResponseHeader(ResponseHeadersFault):
    """Adds a response header (argument: `name=value`) to every response, as a permissive proxy might."""

    def rewrite(self, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        name, _, value = self.argument.partition("=")
        return [*headers, (name.lower().encode(), value.encode())]


class SetResponseHeader(ResponseHeadersFault):
    """Replaces a response header (argument: `name=value`), as a proxy that rewrites it does."""

    def rewrite(self, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        name, _, value = self.argument.partition("=")
        key = name.lower().encode()
        kept = [(k, v) for k, v in headers if k.lower() != key]
        return [*kept, (key, value.encode("latin-1"))]


class ShiftCookieExpires(ResponseHeadersFault):
    """Moves every Set-Cookie Expires by N seconds (argument), as a proxy with a skewed clock does."""

    def rewrite(self, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        shift = timedelta(seconds=int(self.argument or 0))

        def moved(match: re.Match[str]) -> str:
            when = parsedate_to_datetime(match.group(2)) + shift
            return match.group(1) + format_datetime(when, usegmt=True)

        def shifted(value: bytes) -> bytes:
            text = value.decode("latin-1")
            return re.sub(r"(?i)(expires=)([^;]+)", moved, text).encode("latin-1")

        return [(k, shifted(v)) if _is_set_cookie((k, v)) else (k, v) for k, v in headers]


class StripCookieQuotes(ResponseHeadersFault):
    """Removes double quotes from every Set-Cookie, as a sloppy rewriting proxy does."""

    def rewrite(self, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        return [(k, v.replace(b'"', b"")) if _is_set_cookie((k, v)) else (k, v) for k, v in headers]


class CorruptWebSocket(Fault):
    """Alters every message the app sends on a WebSocket."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        async def corrupt(message: Message) -> None:
            if message["type"] == "websocket.send":
                if message.get("text") is not None:
                    message = {**message, "text": message["text"] + "!"}
                else:
                    message = {**message, "bytes": _flip_middle(message.get("bytes") or b"x")}
            await send(message)

        await self.app(scope, receive, corrupt)


class DropWebSocketMessages(Fault):
    """Drops every Nth message the app sends on each WebSocket (argument: N, default 2)."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        every = int(self.argument or 2)
        count = 0

        async def drop(message: Message) -> None:
            nonlocal count
            if message["type"] == "websocket.send":
                count += 1
                if count % every == 0:
                    return
            await send(message)

        await self.app(scope, receive, drop)


class ReorderWebSocketMessages(Fault):
    """Swaps each pair of consecutive messages the app sends on a WebSocket (a held one goes out at close)."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        held: list[Message] = []

        async def swap(message: Message) -> None:
            if message["type"] != "websocket.send":
                for waiting in held:
                    await send(waiting)
                held.clear()
                await send(message)
            elif held:
                await send(message)
                await send(held.pop())
            else:
                held.append(message)

        await self.app(scope, receive, swap)


class DeafWebSocket(Fault):
    """After the first message from the client, the app hears nothing more until the client leaves."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        heard = 0

        async def deaf() -> Message:
            nonlocal heard
            while True:
                message = await receive()
                if message["type"] != "websocket.receive":
                    return message
                heard += 1
                if heard == 1:
                    return message

        await self.app(scope, deaf, send)


class WebSocketCodes(Fault):
    """Rewrites every WebSocket close code, sent by the app or received from the client (argument: the code)."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        code = int(self.argument or 4999)

        async def incoming() -> Message:
            message = await receive()
            return (
                {**message, "code": code} if message["type"] == "websocket.disconnect" else message
            )

        async def outgoing(message: Message) -> None:
            await send(
                {**message, "code": code} if message["type"] == "websocket.close" else message
            )

        await self.app(scope, incoming, outgoing)


class SwallowWebSocketErrors(Fault):
    """Turns an exception of a WebSocket handler into a close frame (argument: its code, 1000 by
    default), or a refusal before accept."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except Exception:
            code = int(self.argument or 1000)
            await send({"type": "websocket.close", "code": code, "reason": ""})


TASKS_TOGETHER: ContextVar[bool] = ContextVar("tasks_together", default=False)


def _run_tasks_together_when_asked() -> None:
    """Makes BackgroundTasks (Starlette's, and FastAPI's where it has its own `__call__`) run
    their tasks side by side in a request under `concurrent-background-tasks`; other requests
    run them as before (installed once)."""
    import fastapi
    import starlette.background

    for cls in (starlette.background.BackgroundTasks, fastapi.BackgroundTasks):
        original = cls.__dict__.get("__call__")
        if original is None or getattr(original, "fault", False):
            continue
        cls.__call__ = _together_or(original)  # type: ignore[method-assign,assignment]


def _together_or(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    async def call(tasks: Any) -> None:
        if TASKS_TOGETHER.get():
            await asyncio.gather(*(task() for task in tasks.tasks))
        else:
            await original(tasks)

    call.fault = True  # type: ignore[attr-defined]
    return call


class ConcurrentBackgroundTasks(Fault):
    """Runs a response's background tasks side by side instead of one after another, as a
    framework regression would."""

    def __init__(self, app: ASGIApp, argument: str) -> None:
        super().__init__(app, argument)
        _run_tasks_together_when_asked()

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        token = TASKS_TOGETHER.set(True)
        try:
            await self.app(scope, receive, send)
        finally:
            TASKS_TOGETHER.reset(token)


class DenyWebSocket(Fault):
    """Answers a handshake the app refuses by closing with an HTTP response of another status (argument)."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        accepted = False

        async def deny(message: Message) -> None:
            nonlocal accepted
            accepted = accepted or message["type"] == "websocket.accept"
            if message["type"] == "websocket.close" and not accepted:
                status = int(self.argument or 451)
                await send(
                    {"type": "websocket.http.response.start", "status": status, "headers": []}
                )
                await send({"type": "websocket.http.response.body", "body": b""})
                return
            await send(message)

        await self.app(scope, receive, deny)


class CloseWebSocketsAfterAccept(Fault):
    """Closes every WebSocket right after the app accepts it; the app's later sends are dropped."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        closed = False

        async def close_early(message: Message) -> None:
            nonlocal closed
            if closed:
                return
            await send(message)
            if message["type"] == "websocket.accept":
                await send({"type": "websocket.close", "code": 1000, "reason": ""})
                closed = True

        await self.app(scope, receive, close_early)


class DelayResponse(Fault):
    """Waits before the response starts (argument: milliseconds), as a slow proxy would."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        async def delay(message: Message) -> None:
            if message["type"] in ("http.response.start", "websocket.accept"):
                await asyncio.sleep(int(self.argument or 100) / 1000)
            await send(message)

        await self.app(scope, receive, delay)


class LimitRequestBody(Fault):
    """Refuses bodies over N bytes with 413 (argument: N), as a proxy's body-size limit does."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await BodyLimit(self.app, int(self.argument or 1024 * 1024))(scope, receive, send)


UNSAFE_FILENAME_BYTE = re.compile(rb"[^A-Za-z0-9._-]")
FILENAME_PARAMETER = re.compile(rb'(filename=")([^"\r\n]*)(")')


class SanitizeFilenames(Fault):
    """Rewrites multipart filenames in the request body, each unsafe byte to `_`, as some WAFs do."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        def sanitize(found: re.Match[bytes]) -> bytes:
            safe = UNSAFE_FILENAME_BYTE.sub(b"_", found.group(2))
            return found.group(1) + safe + found.group(3)

        async def rewrite() -> Message:
            message = await receive()
            if message["type"] == "http.request" and message.get("body"):
                message = {**message, "body": FILENAME_PARAMETER.sub(sanitize, message["body"])}
            return message

        await self.app(scope, rewrite, send)


SOFT_404_PAGE = b"<!doctype html><title>app</title><div id=root></div>\n"


class Soft404(Fault):
    """Answers every 404 with 200 and an application shell, as single-page-app hosting does."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        replaced = False

        async def soften(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start" and message["status"] == 404:
                replaced = True
                headers = [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(SOFT_404_PAGE)).encode()),
                ]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
            elif replaced and message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": SOFT_404_PAGE})
            else:
                await send(message)

        await self.app(scope, receive, soften)


class ServeOutsideStatic(Fault):
    """Serves `/static/...` by joining the decoded path to the folder with no containment check."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        prefix = "/static/"
        if scope["type"] == "http" and route_path(scope).startswith(prefix):
            relative = route_path(scope)[len(prefix) :]
            candidate = os.path.normpath(os.path.join(STATIC_DIR, relative))
            if "\0" not in candidate and len(candidate) < 4096 and os.path.isfile(candidate):
                body = Path(candidate).read_bytes()
                headers = [(b"content-length", str(len(body)).encode())]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


class NotFoundWithTrailingSlash(Fault):
    """Answers 404 to a static file's path with a trailing slash, as nginx and Apache do."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        path = route_path(scope)
        name = path.removeprefix("/static/").rstrip("/")
        if (
            path.startswith("/static/")
            and path.endswith("/")
            and os.path.isfile(os.path.join(STATIC_DIR, name))
        ):
            await send_plain(send, 404, b"Not Found")
            return
        await self.app(scope, receive, send)


class IgnoreUnknownRangeUnits(Fault):
    """Drops a Range header whose unit is not `bytes`, as RFC 9110 14.2 tells a server to ignore it."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        headers = [
            (name, value)
            for name, value in scope.get("headers", [])
            if name.lower() != b"range" or value.strip().lower().startswith(b"bytes=")
        ]
        await self.app({**scope, "headers": headers}, receive, send)


class AbortFailedStreams(Fault):
    """Holds a response's last body message until the app returns; when the app raised, the
    message is never sent, so the server breaks the body off as an incomplete message must be."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        last: list[Message] = []

        async def hold_last(message: Message) -> None:
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                last.append(message)
                return
            await send(message)

        await self.app(scope, receive, hold_last)
        for message in last:
            await send(message)


def _header(message: Message, name: bytes) -> bytes:
    return next((v for k, v in message.get("headers", []) if k.lower() == name), b"")


class RecompressGzip(Fault):
    """Re-encodes every gzip body at one level (argument, 0-9), as a proxy that recompresses does."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        start: list[Message] = []
        parts: list[bytes] = []

        async def recompress(message: Message) -> None:
            if (
                message["type"] == "http.response.start"
                and _header(message, b"content-encoding") == b"gzip"
            ):
                start.append(message)
            elif start and message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
                if not message.get("more_body", False):
                    body = gzip.compress(gzip.decompress(b"".join(parts)), int(self.argument))
                    headers = [h for h in start[0]["headers"] if h[0].lower() != b"content-length"]
                    headers.append((b"content-length", str(len(body)).encode()))
                    await send({**start[0], "headers": headers})
                    await send({"type": "http.response.body", "body": body})
            else:
                await send(message)

        await self.app(scope, receive, recompress)


class SetRootPath(Fault):
    """Sets the scope's root_path (argument), as a proxy configured for another prefix would."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        await self.app({**scope, "root_path": self.argument}, receive, send)


class DistrustForwardedHeaders(Fault):
    """Undoes what trusted X-Forwarded-Proto/-For did, as a server that does not trust the proxy: http/ws, the server's own address."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        names = {name.lower() for name, _ in scope.get("headers", [])}
        changed = dict(scope)
        if b"x-forwarded-proto" in names:
            changed["scheme"] = "ws" if scope["type"] == "websocket" else "http"
        if b"x-forwarded-for" in names and scope.get("server"):
            changed["client"] = (scope["server"][0], 0)
        await self.app(changed, receive, send)


class ResetContentWithoutBody(Fault):
    """Sends every 205 with `Content-Length: 0` and no body, as a server that follows RFC 9110 15.3.6 does."""

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        reset = False

        async def strip(message: Message) -> None:
            nonlocal reset
            if message["type"] == "http.response.start" and message["status"] == 205:
                reset = True
                headers = [h for h in message["headers"] if h[0].lower() != b"content-length"]
                message = {**message, "headers": [*headers, (b"content-length", b"0")]}
            elif reset and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, strip)


async def send_plain(send: Send, status: int, body: bytes) -> None:
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SkipLifespan(Fault):
    """Answers the lifespan protocol itself, so the app's startup never runs (a wrapper that drops it)."""

    def applies(self, scope: dict[str, Any]) -> bool:
        return bool(scope["type"] == "lifespan")

    async def faulty(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})


FAULTS: dict[str, Callable[[ASGIApp, str], Fault]] = {
    "limit-request-body": LimitRequestBody,
    "sanitize-filenames": SanitizeFilenames,
    "soft-404": Soft404,
    "serve-outside-static": ServeOutsideStatic,
    "delay-response": DelayResponse,
    "hold-response": HoldResponse,
    "drop-header": DropHeader,
    "rewrite-status": RewriteStatus,
    "flip-response-byte": FlipResponseByte,
    "flip-request-byte": FlipRequestByte,
    "set-request-header": SetRequestHeader,
    "drop-request-header": DropRequestHeader,
    "rename-request-header": RenameRequestHeader,
    "merge-request-headers": MergeRequestHeaders,
    "duplicate-response-headers": DuplicateResponseHeaders,
    "conditional-304": Conditional304,
    "add-response-header": AddResponseHeader,
    "websocket-codes": WebSocketCodes,
    "reorder-websocket-messages": ReorderWebSocketMessages,
    "deaf-websocket": DeafWebSocket,
    "swallow-websocket-errors": SwallowWebSocketErrors,
    "deny-websocket": DenyWebSocket,
    "close-websockets-after-accept": CloseWebSocketsAfterAccept,
    "strip-cookie-attribute": StripCookieAttribute,
    "merge-set-cookie": MergeSetCookie,
    "strip-cookie-quotes": StripCookieQuotes,
    "corrupt-websocket": CorruptWebSocket,
    "drop-websocket-messages": DropWebSocketMessages,
    "not-found-with-trailing-slash": NotFoundWithTrailingSlash,
    "ignore-unknown-range-units": IgnoreUnknownRangeUnits,
    "abort-failed-streams": AbortFailedStreams,
    "recompress-gzip": RecompressGzip,
    "set-root-path": SetRootPath,
    "reset-content-without-body": ResetContentWithoutBody,
    "distrust-forwarded-headers": DistrustForwardedHeaders,
    "skip-lifespan": SkipLifespan,
    "set-response-header": SetResponseHeader,
    "shift-cookie-expires": ShiftCookieExpires,
    "concurrent-background-tasks": ConcurrentBackgroundTasks,
}


def parse_faults(spec: str) -> tuple[str, ...]:
    """The fault specs in a comma-separated setting; raises ValueError for an unknown name."""
    faults = tuple(item.strip() for item in spec.split(",") if item.strip())
    for fault in faults:
        if fault.partition(":")[0] not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}: choose from {', '.join(sorted(FAULTS))}")
    return faults


def apply_faults(app: ASGIApp, faults: tuple[str, ...]) -> ASGIApp:
    """`app` inside the named faults, the last named outermost."""
    for fault in faults:
        name, _, argument = fault.partition(":")
        app = FAULTS[name](app, argument)
    return app
