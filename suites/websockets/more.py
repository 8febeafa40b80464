"""More WebSockets: the docs' route with path, query, cookie and a dependency raising
WebSocketException, a handshake that fails validation, `Security` and route-level
`dependencies=` on a WebSocket route, and `iter_text()` ending quietly at disconnect.
"""

from __future__ import annotations

from typing import Any

from harness.case import Context, row
from harness.journal import has
from harness.targets.base import WEBSOCKET
from suites.websockets.cases import handshake_refused, loads

DOC = "https://fastapi.tiangolo.com/advanced/websockets/#using-depends-and-others"
STARLETTE_DOC = "https://www.starlette.io/websockets/#iterating-data"
WS = frozenset({WEBSOCKET})
ITEMS = "/ws/items/foo/ws"


async def conversation(
    ctx: Context, path: str, send: str, replies: list[str], headers: dict[str, str] | None = None
) -> None:
    async with await ctx.websocket(path, headers=headers) as ws:
        await ws.send(send)
        received = [await ws.receive() for _ in replies]
        ctx.expect_equal("replies", received, replies)


async def secured(ctx: Context) -> None:
    async with await ctx.websocket("/ws/secured?key=chat-key") as ws:
        seen = loads(ctx, await ws.receive())
        ctx.expect_equal("scopes", seen, {"scopes": ["chat"]})


async def admitted(ctx: Context) -> None:
    async with await ctx.websocket("/ws/route-dependencies?token=t") as ws:
        ctx.expect_equal("message", await ws.receive(), "admitted")


async def iterate(ctx: Context) -> None:
    ws = await ctx.websocket("/ws/iterate")
    replies = []
    for message in ("one", "two"):
        await ws.send(message)
        replies.append(await ws.receive())
    ctx.expect_equal("replies", replies, ["ONE", "TWO"])
    await ws.close()
    await ctx.journal(until=has("ws.iteration-ended"))


def refused(slug: str, description: str, expectation: str, path: str, **extra: Any) -> Any:
    return row(
        f"websockets.handshake.{slug}",
        description,
        expectation,
        handshake_refused,
        DOC,
        needs=WS,
        caught_by=("deny-websocket:451",),
        path=path,
        status=403,
        **extra,
    )


MORE_CASES = [
    row(
        "websockets.depends.docs-example",
        f"Open `{ITEMS}?token=some-token&q=3` (the docs' route: path item_id, query q, a cookie-or-token dependency) and send 'hi'.",
        "Three messages: the token, the query parameter q and the text with the item id, as the docs show.",
        conversation,
        DOC,
        needs=WS,
        caught_by=("corrupt-websocket", "drop-websocket-messages:2"),
        path=f"{ITEMS}?token=some-token&q=3",
        send="hi",
        replies=[
            "Session cookie or query token value is: some-token",
            "Query parameter q is: 3",
            "Message text was: hi, for item ID: foo",
        ],
    ),
    row(
        "websockets.depends.cookie",
        f"Open `{ITEMS}` with a `session=cookie-value` cookie and no token, and send 'hi'.",
        "The dependency reads the cookie from the handshake: the first reply names it.",
        conversation,
        DOC,
        needs=WS,
        caught_by=("corrupt-websocket", "drop-request-header:cookie"),
        path=ITEMS,
        send="hi",
        replies=[
            "Session cookie or query token value is: cookie-value",
            "Message text was: hi, for item ID: foo",
        ],
        headers={"Cookie": "session=cookie-value"},
    ),
    refused(
        "dependency-websocket-exception",
        f"Open `{ITEMS}` with neither the cookie nor the token, so the dependency raises WebSocketException(1008).",
        "The handshake is refused with HTTP 403: an exception from a dependency refuses it as one from the route does.",
        ITEMS,
    ),
    refused(
        "validation-error",
        f"Open `{ITEMS}?token=t&q=three`, whose `q: int | None` cannot be read.",
        "The handshake is refused with HTTP 403 (the connection is closed with 1008 before accept).",
        f"{ITEMS}?token=t&q=three",
    ),
    row(
        "websockets.depends.security",
        "Open a WebSocket route whose parameter is `Security(chat_scope, scopes=['chat'])`, with the right key.",
        "The route is accepted and the dependency saw the scopes ['chat'].",
        secured,
        DOC,
        needs=WS,
        caught_by=("corrupt-websocket",),
    ),
    refused(
        "security-refuses",
        "Open the same route with a wrong key, so the Security dependency raises WebSocketException(1008).",
        "The handshake is refused with HTTP 403.",
        "/ws/secured?key=wrong",
    ),
    row(
        "websockets.depends.route-dependencies",
        "Open a route declared `@router.websocket(..., dependencies=[Depends(get_cookie_or_token)])` with a token.",
        "The route runs: route-level dependencies admit the handshake.",
        admitted,
        DOC,
        needs=WS,
        feature="websocket-route-dependencies",
        caught_by=("corrupt-websocket",),
    ),
    refused(
        "route-dependencies-refuse",
        "Open the same route without cookie or token.",
        "The handshake is refused with HTTP 403: the route-level dependency raised WebSocketException.",
        "/ws/route-dependencies",
        feature="websocket-route-dependencies",
    ),
    row(
        "websockets.iterate.text",
        "Send two messages to a route that loops `async for message in websocket.iter_text()`, then close.",
        "Both come back upper-cased, and the loop ends quietly when the client leaves (the route goes on after it).",
        iterate,
        STARLETTE_DOC,
        needs=WS,
        caught_by=("corrupt-websocket", "reorder-websocket-messages"),
    ),
]
