"""WebSockets: echo, and the tutorial's chat broadcasting to every connected client."""

from __future__ import annotations

import asyncio

from harness.case import Case, Context
from harness.targets.base import WEBSOCKET

DOC = "https://fastapi.tiangolo.com/advanced/websockets/"


async def echo(ctx: Context, message: str | bytes) -> None:
    async with await ctx.websocket("/ws/echo") as ws:
        await ws.send(message)
        ctx.expect_equal("echo", await ws.receive(), message)


async def broadcast(ctx: Context, clients: int) -> None:
    room = f"/ws/chat/{ctx.scope}"
    sockets = [await ctx.websocket(f"{room}/{number}") for number in range(clients)]
    try:
        await sockets[0].send("hello")
        ctx.expect_equal("sender.personal", await sockets[0].receive(), "You wrote: hello")
        received = await asyncio.gather(*(ws.receive() for ws in sockets))
        ctx.expect_equal("received", received, ["Client #0 says: hello"] * clients)
    finally:
        for ws in sockets:
            await ws.close()


CASES = [
    Case(
        id="websockets.echo.text",
        description="Open /ws/echo, send one text message with non-ASCII characters.",
        expectation="The same text comes back in one text message.",
        check=echo,
        params={"message": "héllo, wörld ✓"},
        needs=frozenset({WEBSOCKET}),
        reference=DOC,
    ),
    Case(
        id="websockets.echo.binary",
        description="Open /ws/echo, send one binary message holding every byte value.",
        expectation="The same bytes come back in one binary message.",
        check=echo,
        params={"message": bytes(range(256))},
        needs=frozenset({WEBSOCKET}),
        reference=DOC,
    ),
    Case(
        id="websockets.broadcast.clients-3",
        description="Three clients join the tutorial's chat room; the first sends 'hello'.",
        expectation="The sender gets its personal echo, then every client, sender included, gets the broadcast exactly once.",
        check=broadcast,
        params={"clients": 3},
        needs=frozenset({WEBSOCKET}),
        reference=DOC,
    ),
]
