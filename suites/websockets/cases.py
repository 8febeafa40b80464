"""WebSockets: echo of every size, JSON frames, close codes both ways, handshakes,
the tutorial's chat broadcasting to many clients, departures, and keepalive.

A real WebSocket client (`websockets`) on socket targets; in-process, the ASGI
app is driven directly. What the server saw of a client's departure is read
from the journal.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import urlencode

from harness.case import Case, Context, RecordedWebSocket, row
from harness.content import content
from harness.errors import CaseFailed, WebSocketClosed, WebSocketRejected
from harness.journal import has
from harness.targets.base import REAL_SOCKET, WEBSOCKET, WEBSOCKET_DENIAL

DOC = "https://fastapi.tiangolo.com/advanced/websockets/"
STARLETTE_DOC = "https://www.starlette.io/websockets/"
ASGI_SPEC = "https://asgi.readthedocs.io/en/latest/specs/www.html#websocket"
RFC = "https://www.rfc-editor.org/rfc/rfc6455#section-7.4"
WS = frozenset({WEBSOCKET})
SOCKET = frozenset({WEBSOCKET, REAL_SOCKET})


async def echo(ctx: Context, message: str | bytes) -> None:
    async with await ctx.websocket("/ws/echo") as ws:
        await ws.send(message)
        ctx.expect_equal("echo", await ws.receive(), message)


async def echo_sized(ctx: Context, size: int, binary: bool) -> None:
    data = content(size, size)
    message: str | bytes = data if binary else data.hex()[:size]
    async with await ctx.websocket("/ws/echo") as ws:
        await ws.send(message)
        received = await ws.receive(ctx.timeout(15.0))
        ctx.expect_equal("type", type(received).__name__, type(message).__name__)
        ctx.expect_equal("size", len(received), len(message))
        ctx.expect(received == message, "the echoed message differs from the one sent")


async def json_frames(ctx: Context) -> None:
    async with await ctx.websocket("/ws/json") as ws:
        greeting = await ws.receive()
        ctx.expect_equal(
            "greeting.raw", greeting, '{"greeting":"h\u00e9llo \u2713","n":[1,2.5,null]}'
        )
        await ws.send(json.dumps({"a": [1, "\u00e9"]}))
        ctx.expect_equal("echo", loads(ctx, await ws.receive()), {"echo": {"a": [1, "\u00e9"]}})


async def closed_by(ctx: Context, ws: RecordedWebSocket) -> WebSocketClosed:
    try:
        message = await ws.receive()
    except WebSocketClosed as closed:
        ctx.observe("close.code", closed.code)
        ctx.observe("close.reason", closed.reason)
        return closed
    ctx.expect(False, f"expected the connection to close, got a message {message!r}")
    raise AssertionError("unreachable")


def expect_failure_close(ctx: Context, closed: WebSocketClosed) -> None:
    """The connection ended as a failure: a close frame with 1011, or no close frame (1006)."""
    ctx.observe("close.frame", closed.frame)
    failed = (closed.code == 1011 and closed.frame) or (closed.code == 1006 and not closed.frame)
    how = f"a close frame with {closed.code}" if closed.frame else f"no close frame ({closed.code})"
    ctx.expect(
        failed, f"the connection ended with {how}, not as a failure (1011, or 1006 without a frame)"
    )


async def binary_to_text_route(ctx: Context) -> None:
    ws = await ctx.websocket("/ws/text-only")
    await ws.send(b"\x00\x01")
    expect_failure_close(ctx, await closed_by(ctx, ws))


async def server_close(ctx: Context, code: int, reason: str) -> None:
    ws = await ctx.websocket("/ws/close?" + urlencode({"code": code, "reason": reason}))
    closed = await closed_by(ctx, ws)
    ctx.expect_equal("close.code", closed.code, code)
    ctx.expect_equal("close.reason", closed.reason, reason)


async def client_close(ctx: Context, code: int, reason: str) -> None:
    ws = await ctx.websocket("/ws/client-close")
    await ws.send("hello")
    await ws.close(code, reason)
    events = await ctx.journal(until=has("client.closed"))
    detail = next(e["detail"] for e in events if e["event"] == "client.closed")
    ctx.expect_equal("server-saw.code", detail["code"], code)
    ctx.expect_equal("server-saw.reason", detail["reason"], reason)


async def closes_after_accept(
    ctx: Context, path: str, code: int | None, reason: str | None
) -> None:
    ws = await ctx.websocket(path)
    closed = await closed_by(ctx, ws)
    if code is None:
        expect_failure_close(ctx, closed)
        return
    ctx.expect_equal("close.code", closed.code, code)
    if reason is not None:
        ctx.expect_equal("close.reason", closed.reason, reason)


async def handshake_refused(ctx: Context, path: str, status: int, body: Any = None) -> None:
    try:
        ws = await ctx.websocket(path)
    except WebSocketRejected as rejected:
        ctx.expect_equal("handshake.status", rejected.status, status)
        if body is not None:
            ctx.expect_equal("handshake.body", loads(ctx, rejected.body or b"null"), body)
        return
    await ws.close()
    ctx.expect(False, f"the handshake was accepted; expected HTTP {status}")


async def subprotocol(ctx: Context, offered: list[str], chosen: str | None) -> None:
    ws = await ctx.websocket("/ws/subprotocol", subprotocols=offered)
    ctx.expect_equal("subprotocol", ws.subprotocol, chosen)
    ctx.expect_equal(
        "server-saw", loads(ctx, await ws.receive()), {"offered": offered, "chosen": chosen}
    )


async def inspect(
    ctx: Context, query: str, headers: dict[str, str], expected: dict[str, Any]
) -> None:
    ws = await ctx.websocket(f"/ws/inspect{query}", headers=headers)
    seen = loads(ctx, await ws.receive())
    for key, value in expected.items():
        ctx.expect_equal(f"seen.{key}", seen.get(key), value)


async def join(ctx: Context, path: str, clients: int) -> list[RecordedWebSocket]:
    return list(
        await asyncio.gather(*(ctx.websocket(f"{path}/{number}") for number in range(clients)))
    )


async def close_all(sockets: list[RecordedWebSocket]) -> None:
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)


async def broadcast(ctx: Context, clients: int) -> None:
    started = time.perf_counter()
    sockets = await join(ctx, f"/ws/chat/{ctx.scope}", clients)
    ctx.measure("connect.seconds", round(time.perf_counter() - started, 3))
    try:
        started = time.perf_counter()
        await sockets[0].send("hello")
        ctx.expect_equal("sender.personal", await sockets[0].receive(), "You wrote: hello")
        received = await asyncio.gather(*(ws.receive(ctx.timeout(5.0)) for ws in sockets))
        ctx.measure("fanout.seconds", round(time.perf_counter() - started, 3))
        wrong = [i for i, message in enumerate(received) if message != "Client #0 says: hello"]
        ctx.expect_equal("clients.wrong", wrong, [])
        extra = await asyncio.gather(*(extra_message(ws) for ws in sockets[:3]))
        ctx.expect_equal("extra-messages", [m for m in extra if m is not None], [])
    finally:
        await close_all(sockets)


async def extra_message(ws: RecordedWebSocket) -> str | bytes | None:
    """Anything more a client got within a short bounded wait (nothing is expected)."""
    try:
        return await ws.receive(0.05)
    except (AssertionError, WebSocketClosed):
        return None


async def sender_order(ctx: Context, messages: int) -> None:
    sockets = await join(ctx, f"/ws/chat/{ctx.scope}", 3)
    try:
        for number in range(messages):
            await sockets[0].send(f"m{number}")
        expected = [f"Client #0 says: m{n}" for n in range(messages)]
        own = [await sockets[0].receive() for _ in range(2 * messages)]
        ctx.expect_equal(
            "sender.messages",
            own,
            [m for n in range(messages) for m in (f"You wrote: m{n}", expected[n])],
        )
        for index, ws in enumerate(sockets[1:], start=1):
            got = [await ws.receive() for _ in range(messages)]
            ctx.expect_equal(f"client{index}.messages", got, expected)
    finally:
        await close_all(sockets)


async def departed(ctx: Context, path: str, drop: bool) -> None:
    room = f"{path}/{ctx.scope}"
    sockets = await join(ctx, room, 3)
    try:
        leaving = sockets.pop()
        if drop:
            leaving.abort()
        else:
            await leaving.close()
        events = await ctx.journal(until=has("chat.left"))
        ctx.observe(
            "server-saw.code",
            next(e["detail"]["code"] for e in events if e["event"] == "chat.left"),
        )
        ctx.expect_equal(
            "others.notified",
            [await ws.receive() for ws in sockets],
            ["Client #2 left the chat"] * 2,
        )
        await sockets[0].send("still here")
        ctx.expect_equal("sender.personal", await sockets[0].receive(), "You wrote: still here")
        ctx.expect_equal(
            "others.received",
            [await ws.receive() for ws in sockets],
            ["Client #0 says: still here"] * 2,
        )
    finally:
        await close_all(sockets)


async def too_big(ctx: Context, size: int) -> None:
    ws = await ctx.websocket("/ws/echo")
    try:
        await ws.send(content(size, 7))
        closed = await closed_by(ctx, ws)
    except WebSocketClosed as during_send:
        closed = during_send
    ctx.expect_equal("close.code", closed.code, 1009)


async def ping_pong(ctx: Context) -> None:
    async with await ctx.websocket("/ws/echo") as ws:
        try:
            latency = await ws.ping()
        except WebSocketClosed as closed:
            raise CaseFailed(
                f"the connection closed instead of answering the ping ({closed.code})"
            ) from closed
        # ping() returns only once a pong carrying the ping's own payload came back
        ctx.observe("pong.received", True)
        ctx.measure("pong.latency_s", latency)


async def idle(ctx: Context, seconds: float) -> None:
    async with await ctx.websocket("/ws/echo") as ws:
        await asyncio.sleep(ctx.timeout(seconds))
        await ws.send("after idling")
        ctx.expect_equal("echo", await ws.receive(), "after idling")


def loads(ctx: Context, message: str | bytes | None) -> Any:
    """A JSON message; anything else fails the case."""
    try:
        return json.loads(message or b"null")
    except ValueError as exc:
        raise CaseFailed(f"the message is not JSON: {message!r:.80}") from exc


def c(
    id: str,
    description: str,
    expectation: str,
    check: Any,
    needs: frozenset[str] = WS,
    reference: str = DOC,
    **params: Any,
) -> Case:
    """A WebSocket case row: needs a WebSocket, cites the tutorial, may take a minute."""
    return row(
        id, description, expectation, check, reference, needs=needs, timeout_s=60.0, **params
    )


SIZES = [
    (0, "0b"),
    (1, "1b"),
    (125, "125b"),
    (126, "126b"),
    (65535, "64kib-1"),
    (65536, "64kib"),
    (1024 * 1024, "1mib"),
]

CASES = [
    c(
        "websockets.echo.text",
        "Open /ws/echo, send one text message with non-ASCII characters.",
        "The same text comes back in one text message.",
        echo,
        message="h\u00e9llo, w\u00f6rld \u2713",
        caught_by=("corrupt-websocket",),
    ),
    c(
        "websockets.echo.binary",
        "Open /ws/echo, send one binary message holding every byte value.",
        "The same bytes come back in one binary message.",
        echo,
        message=bytes(range(256)),
        caught_by=("corrupt-websocket",),
    ),
    *(
        c(
            f"websockets.echo.{kind}-{slug}",
            f"Send one {kind} message of {size} bytes to /ws/echo (frame length boundaries 125/126/65535/65536 included).",
            f"The {kind} message comes back whole, byte for byte.",
            echo_sized,
            size=size,
            binary=kind == "binary",
            caught_by=("corrupt-websocket",),
        )
        for kind in ("text", "binary")
        for size, slug in SIZES
    ),
    *(
        c(
            f"websockets.echo.unicode-{slug}",
            f"Send the text {text!r} to /ws/echo.",
            "The text comes back unchanged (UTF-8 both ways).",
            echo,
            message=text,
            caught_by=("corrupt-websocket",),
        )
        for slug, text in (
            ("emoji", "\U0001f600\U0001f680 ok"),
            ("cjk", "\u4f60\u597d\uff0c\u4e16\u754c"),
            ("combining", "e\u0301 a\u030a"),
        )
    ),
    c(
        "websockets.json.send-json",
        "A route calls `send_json` with non-ASCII text, a float and null, then echoes what `receive_json` parsed.",
        "Compact JSON in a text frame, non-ASCII characters not escaped; a received JSON text is parsed and sent back.",
        json_frames,
        reference=STARLETTE_DOC,
        caught_by=("corrupt-websocket", "reorder-websocket-messages"),
    ),
    c(
        "websockets.errors.binary-to-receive-text",
        "Send a binary frame to a route that calls `receive_text()`.",
        "The handler fails after accept: the connection ends as a failure (1011, or 1006 when the server drops it without a close frame).",
        binary_to_text_route,
        reference=STARLETTE_DOC,
        caught_by=("swallow-websocket-errors", "swallow-websocket-errors:1006"),
    ),
    *(
        c(
            f"websockets.close.server-{code}",
            f"The route accepts, then calls `websocket.close(code={code}, reason={reason!r})`.",
            "The client receives a close frame with that code and reason.",
            server_close,
            reference=RFC,
            code=code,
            reason=reason,
            caught_by=("websocket-codes:4999",),
        )
        for code, reason in (
            (1000, ""),
            (1001, "going away"),
            (1008, "policy"),
            (4000, "application code"),
        )
    ),
    *(
        c(
            f"websockets.close.client-{code}",
            f"The client closes with code {code} and reason {reason!r}.",
            "The route's WebSocketDisconnect carries the client's code and reason.",
            client_close,
            reference=STARLETTE_DOC,
            code=code,
            reason=reason,
            caught_by=("websocket-codes:4999",),
        )
        for code, reason in ((1000, "bye"), (4001, "client reason"))
    ),
    c(
        "websockets.close.exception-after-accept",
        "The route accepts, then raises RuntimeError.",
        "The connection ends as a failure (1011, or 1006 without a close frame), never as a normal close.",
        closes_after_accept,
        reference=ASGI_SPEC,
        path="/ws/raise-after-accept",
        code=None,
        reason=None,
        caught_by=("swallow-websocket-errors", "swallow-websocket-errors:1006"),
    ),
    c(
        "websockets.close.websocket-exception-after-accept",
        "The route accepts, then raises WebSocketException(code=4001, reason='custom refusal').",
        "The connection is closed with 4001 and that reason.",
        closes_after_accept,
        reference=DOC,
        feature="websocket-exception",
        path="/ws/ws-exception-after-accept",
        code=4001,
        reason="custom refusal",
        caught_by=("websocket-codes:4999",),
    ),
    c(
        "websockets.handshake.exception-before-accept",
        "The route raises RuntimeError before accepting.",
        "The handshake is answered with HTTP 500, not 101.",
        handshake_refused,
        reference=ASGI_SPEC,
        path="/ws/raise-before-accept",
        status=500,
        caught_by=("swallow-websocket-errors",),
    ),
    c(
        "websockets.handshake.close-before-accept",
        "The route calls `close()` before accepting.",
        "The handshake is refused with HTTP 403.",
        handshake_refused,
        reference=ASGI_SPEC,
        path="/ws/close-before-accept",
        status=403,
        caught_by=("deny-websocket:451",),
    ),
    c(
        "websockets.handshake.websocket-exception",
        "The route raises WebSocketException(code=1008) before accepting.",
        "The handshake is refused with HTTP 403.",
        handshake_refused,
        reference=DOC,
        feature="websocket-exception",
        path="/ws/ws-exception",
        status=403,
        caught_by=("deny-websocket:451",),
    ),
    c(
        "websockets.handshake.http-exception",
        "The route raises HTTPException(403, 'no entry') before accepting.",
        "The handshake is refused with HTTP 403.",
        handshake_refused,
        # Starlette answers it as a denial response, which needs the server's extension
        needs=frozenset({WEBSOCKET, WEBSOCKET_DENIAL}),
        reference=DOC,
        path="/ws/http-exception-before-accept",
        status=403,
        caught_by=("rewrite-status:403=451",),
    ),
    c(
        "websockets.handshake.denial-response",
        "The route sends `send_denial_response(JSONResponse({'detail': 'denied'}, 401))`.",
        "The handshake is answered with that HTTP response: 401 and its JSON body.",
        handshake_refused,
        needs=frozenset({WEBSOCKET, WEBSOCKET_DENIAL}),
        reference=STARLETTE_DOC,
        feature="websocket-denial-response",
        path="/ws/denial",
        status=401,
        body={"detail": "denied"},
        caught_by=("rewrite-status:401=403",),
    ),
    c(
        "websockets.handshake.no-such-route",
        "Open a WebSocket on a path no route matches.",
        "The handshake is refused with HTTP 403.",
        handshake_refused,
        reference=STARLETTE_DOC,
        path="/ws/no-such-route",
        status=403,
        caught_by=("deny-websocket:451",),
    ),
    c(
        "websockets.handshake.http-only-route",
        "Open a WebSocket on a path that only has an HTTP GET route.",
        "The handshake is refused with HTTP 403.",
        handshake_refused,
        reference=STARLETTE_DOC,
        path="/middleware/hello",
        status=403,
        caught_by=("deny-websocket:451",),
    ),
    *(
        c(
            f"websockets.handshake.subprotocol-{slug}",
            f"Offer the subprotocols {offered}; the route accepts the first it supports (chat.v2 or chat.v1).",
            f"The negotiated subprotocol is {chosen!r}, seen alike by client and route.",
            subprotocol,
            reference=STARLETTE_DOC,
            offered=offered,
            chosen=chosen,
            caught_by=("corrupt-websocket",),
        )
        for slug, offered, chosen in (
            ("chosen", ["chat.v2"], "chat.v2"),
            ("first-supported", ["chat.v1", "chat.v2"], "chat.v1"),
            ("none-supported", ["unknown"], None),
        )
    ),
    c(
        "websockets.handshake.query-parameter",
        "Open /ws/inspect?name=ada; the route has a `name: str` query parameter.",
        "The route sees name='ada'.",
        inspect,
        query="?name=ada",
        headers={},
        expected={"query": "ada"},
        caught_by=("corrupt-websocket",),
    ),
    c(
        "websockets.handshake.header-dependency",
        "Open /ws/inspect with X-Probe: p1; a dependency reads it with Header().",
        "Dependencies work on WebSocket routes: the dependency sees the header.",
        inspect,
        query="",
        headers={"X-Probe": "p1"},
        expected={"header": "p1"},
        caught_by=("corrupt-websocket",),
    ),
    c(
        "websockets.handshake.cookie-dependency",
        "Open /ws/inspect with Cookie: session=s1; a dependency reads it with Cookie().",
        "The dependency sees the cookie sent with the handshake.",
        inspect,
        query="",
        headers={"Cookie": "session=s1"},
        expected={"cookie": "s1"},
        caught_by=("corrupt-websocket",),
    ),
    c(
        "websockets.handshake.defaults",
        "Open /ws/inspect with no query, header or cookie.",
        "The query parameter takes its default and the optional header and cookie are None.",
        inspect,
        query="",
        headers={},
        expected={"query": "none", "header": None, "cookie": None},
        caught_by=("corrupt-websocket",),
    ),
    *(
        c(
            f"websockets.broadcast.clients-{n}",
            f"{n} clients join the tutorial's chat room; the first sends 'hello'.",
            "The sender gets its personal echo, then every client, sender included, gets the broadcast exactly once.",
            broadcast,
            clients=n,
            alone=n >= 1000,
            caught_by=("corrupt-websocket",) + (("drop-websocket-messages:2",) if n == 3 else ()),
        )
        for n in (1, 2, 3, 10, 100, 1000)
    ),
    *(
        Case(
            id=f"websockets.echo.{kind}-16mib",
            description=f"Send one {kind} message of 16 MiB to /ws/echo (heavy tier).",
            expectation="The message comes back whole.",
            check=echo_sized,
            params={"size": 16 * 1024 * 1024, "binary": kind == "binary"},
            needs=WS,
            reference=DOC,
            timeout_s=120.0,
            tier="heavy",
            caught_by=("corrupt-websocket",),
        )
        for kind in ("text", "binary")
    ),
    Case(
        id="websockets.close.message-too-big",
        description="Send a 65 MiB binary message; the local server accepts messages up to 64 MiB (heavy tier).",
        expectation="The server closes the connection with 1009 (message too big).",
        check=too_big,
        params={"size": 65 * 1024 * 1024},
        needs=SOCKET,
        reference=RFC,
        timeout_s=120.0,
        tier="heavy",
        caught_by=("close-websockets-after-accept",),
    ),
    Case(
        id="websockets.broadcast.clients-5000",
        description="5000 clients join the tutorial's chat room; the first sends 'hello' (scale tier).",
        expectation="Every one of the 5000 clients gets the broadcast exactly once.",
        check=broadcast,
        params={"clients": 5000},
        needs=WS,
        reference=DOC,
        timeout_s=120.0,
        tier="scale",
        caught_by=("corrupt-websocket",),
    ),
    c(
        "websockets.broadcast.sender-order",
        "Three clients in the chat; the first sends 20 messages in a row.",
        "The sender gets each personal echo then its broadcast, and every other client receives the 20 broadcasts in order.",
        sender_order,
        messages=20,
        caught_by=(
            "corrupt-websocket",
            "drop-websocket-messages:2",
            "reorder-websocket-messages",
            "deaf-websocket",
        ),
    ),
    c(
        "websockets.disconnect.clean-close",
        "Three clients in the tutorial's chat; one closes cleanly.",
        "The room learns it left, the others keep chatting, and it gets nothing more.",
        departed,
        path="/ws/chat",
        drop=False,
        caught_by=("corrupt-websocket",),
    ),
    c(
        "websockets.disconnect.tcp-drop-documented-manager",
        "Three clients in the tutorial's chat; one drops its TCP connection without a close frame.",
        "The server sees the departure (1006), the others are told and keep chatting.",
        departed,
        needs=SOCKET,
        path="/ws/chat",
        drop=True,
        caught_by=("corrupt-websocket",),
    ),
    c(
        "websockets.disconnect.tcp-drop-robust-manager",
        "The same with the robust manager, which removes a connection whose send fails.",
        "The server sees the departure, the others are told and keep chatting.",
        departed,
        needs=SOCKET,
        path="/ws/robust-chat",
        drop=True,
        caught_by=("corrupt-websocket",),
    ),
    c(
        "websockets.disconnect.clean-close-robust-manager",
        "Three clients with the robust manager; one closes cleanly.",
        "The room learns it left and the others keep chatting.",
        departed,
        path="/ws/robust-chat",
        drop=False,
        caught_by=("corrupt-websocket",),
    ),
    c(
        "websockets.keepalive.ping-pong",
        "The client sends a ping on an open connection.",
        "The server answers with a pong.",
        ping_pong,
        needs=SOCKET,
        reference=RFC,
        caught_by=("close-websockets-after-accept",),
    ),
    c(
        "websockets.keepalive.idle-1s",
        "An echo connection stays idle for one second, then sends a message.",
        "The idle connection is still open and echoes.",
        idle,
        seconds=1.0,
        caught_by=("close-websockets-after-accept",),
    ),
]

# The further cases reuse this module's checks, so they are added once it is complete.
from suites.tutorial import tutorial_cases  # noqa: E402
from suites.websockets.more import MORE_CASES  # noqa: E402

CASES += [*MORE_CASES, *tutorial_cases("websockets")]
