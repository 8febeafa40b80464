"""Protocol cases: how the server under FastAPI treats connections and streams.

FastAPI hands the wire to its server; these cases check the promises HTTP makes
there: an answer sent before the request body is read still reaches the client and
leaves the connection usable (or closed, never stuck), an HTTP/2 response carries
no connection-specific header, and a stream the client resets stops its app while
the connection goes on serving the others.
"""

from __future__ import annotations

import httpx

from harness.case import SCOPE_HEADER, Case, Context, row
from harness.errors import CaseFailed
from harness.journal import has
from harness.targets.base import HTTP2, LIFESPAN, REAL_SOCKET, STREAMING

RFC9110_EARLY = "https://www.rfc-editor.org/rfc/rfc9112#section-9.3"
RFC9113_EARLY = "https://www.rfc-editor.org/rfc/rfc9113#section-8.1"
RFC9113_HEADERS = "https://www.rfc-editor.org/rfc/rfc9113#section-8.2.2"
LIFESPAN_DOC = "https://fastapi.tiangolo.com/advanced/events/"
RFC9113_RESET = "https://www.rfc-editor.org/rfc/rfc9113#section-5.4.2"
MIB = 1024 * 1024
# RFC 9113 8.2.2: an HTTP/2 message containing one of these is malformed
CONNECTION_SPECIFIC = (
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
)


async def early_answers(ctx: Context, path: str, size: int, times: int, status: int) -> None:
    """`times` uploads in a row to a route that answers without reading them; each answer arrives."""
    seen = []
    for _ in range(times):
        # 10 s: a server that neither answers nor closes is seen well before the case's time-out
        response = await ctx.request("POST", path, content=b"x" * size, timeout=ctx.timeout(10.0))
        seen.append(response.status_code)
    ctx.expect_equal("statuses", seen, [status] * times)


def stream_body(chunks: int, size: int) -> bytes:
    """What /responses/stream produces: each chunk its index, dot-padded to `size` bytes."""
    return b"".join(f"{index:04d}".encode().ljust(size, b".") for index in range(chunks))


async def no_connection_headers(ctx: Context, chunks: int, size: int) -> None:
    response = await ctx.request("GET", f"/responses/stream?chunks={chunks}&size={size}")
    ctx.expect_equal("http_version", response.http_version, "HTTP/2")
    present = [name for name in CONNECTION_SPECIFIC if name in response.headers]
    ctx.expect_equal("connection-specific headers", present, [])
    # no HTTP/1.1 chunk framing inside the DATA frames: the body is the app's bytes
    ctx.expect_equal("body", response.content, stream_body(chunks, size))


async def reset_stream(ctx: Context, path: str) -> None:
    """Read one chunk of a slow stream, reset the stream, then use the same connection again."""
    try:
        async with ctx.target.client.stream(
            "GET", path, headers={SCOPE_HEADER: ctx.scope}
        ) as streamed:
            ctx.expect_equal("http_version", streamed.http_version, "HTTP/2")
            async for _ in streamed.aiter_raw():
                break  # leaving the block resets the stream (RST_STREAM CANCEL)
    except httpx.HTTPError as exc:
        raise CaseFailed(
            f"the stream broke before the client reset it: {type(exc).__name__}: {exc}"
        ) from exc
    after = await ctx.request("GET", "/headers/user-agent")
    ctx.expect_equal("next request on the connection", after.status_code, 200)
    await ctx.journal(until=has("request.done"), timeout=2.0)


async def lifespan_ran(ctx: Context) -> None:
    response = await ctx.request("GET", "/_harness/lifespan", headers=ctx.target.harness_headers())
    ctx.expect_equal("lifespan.started", ctx.json(response).get("started"), True)


CASES: list[Case] = [
    row(
        "protocol.lifespan.startup",
        "Ask the app, after the server started it, whether its lifespan's startup ran.",
        "It ran: the server ran the ASGI lifespan protocol before serving requests.",
        lifespan_ran,
        LIFESPAN_DOC,
        needs=frozenset({LIFESPAN}),
        feature="lifespan",
        caught_by=("skip-lifespan",),
    ),
    row(
        "protocol.early-response.same-connection",
        "POST a 2 MiB body ten times in a row, with one client that keeps its connection, "
        "to a GET-only route (Starlette answers 405 without reading the body).",
        "405 each time: a server that answers before the body is read lets the client read the "
        "answer, then closes the connection or goes on serving it, never leaving a request unanswered.",
        early_answers,
        RFC9110_EARLY,
        needs=frozenset({REAL_SOCKET}),
        path="/headers/user-agent",
        size=2 * MIB,
        times=10,
        status=405,
        caught_by=("rewrite-status:405=200",),
    ),
    row(
        "protocol.h2.no-connection-headers",
        "GET a streamed response (chunked on HTTP/1.1) over HTTP/2.",
        "No connection-specific header (Connection, Keep-Alive, Proxy-Connection, Transfer-Encoding, Upgrade): "
        "HTTP/2 forbids them; the body is the app's bytes, with no chunk framing in it.",
        no_connection_headers,
        RFC9113_HEADERS,
        needs=frozenset({HTTP2}),
        chunks=3,
        size=16,
        caught_by=("flip-response-byte",),
    ),
    row(
        "protocol.h2.stream-reset",
        "Over HTTP/2, read the first chunk of a 5-second stream, reset the stream, then send "
        "another request on the same connection.",
        "The other request is answered, and the stream's app stops (its call returns within 2 s) "
        "instead of producing the rest for nobody.",
        reset_stream,
        RFC9113_RESET,
        needs=frozenset({HTTP2, STREAMING}),
        path="/responses/stream?chunks=50&delay_ms=100",
        caught_by=("rewrite-status:200=503",),
    ),
]
