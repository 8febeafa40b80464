"""FastAPI's own streaming (path operations that `yield`: JSON Lines 0.134, server-sent events
0.135) and `StreamingResponse` fed by a plain generator or a file-like object.

Every stream is read as it arrives; its lines are compared with the wire format
the docs describe, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from harness.case import Context, row
from harness.targets.base import REAL_SOCKET, STREAMING
from suites.wire import answer, stream_lines

JSONL_DOC = "https://fastapi.tiangolo.com/tutorial/stream-json-lines/"
SSE_DOC = "https://fastapi.tiangolo.com/tutorial/server-sent-events/"
STREAM_DOC = "https://fastapi.tiangolo.com/advanced/stream-data/"
CUSTOM_DOC = "https://fastapi.tiangolo.com/advanced/custom-response/#streamingresponse"
ITEMS = [
    {"name": "Plumbus", "description": "A multi-purpose household device."},
    {"name": "Portal Gun", "description": None},
]
COMPACT = [json.dumps(item, separators=(",", ":")) for item in ITEMS]
EVENT_TYPE = "text/event-stream; charset=utf-8"
DATA_BIN = Path(__file__).resolve().parents[2] / "fixtures_app" / "static" / "data.bin"


def sse_lines(*events: list[str]) -> list[str]:
    """The lines of a stream of events, each event's lines followed by the blank line ending it."""
    return [line for event in events for line in (*event, "")] + [""]


def jsonl(
    slug: str, description: str, expectation: str, path: str, lines: list[str], status: int = 200
) -> Any:
    return row(
        f"responses.jsonl.{slug}",
        description,
        expectation,
        stream_lines,
        JSONL_DOC,
        feature="path-operation-yield",
        caught_by=("flip-response-byte", "drop-header:content-type"),
        method="GET",
        path=path,
        status=status,
        headers={"content-type": "application/jsonl"},
        lines=lines,
    )


def sse(
    slug: str,
    description: str,
    expectation: str,
    path: str,
    lines: list[str],
    method: str = "GET",
    request: dict[str, Any] | None = None,
    status: int = 200,
    reference: str = SSE_DOC,
) -> Any:
    return row(
        f"responses.sse.{slug}",
        description,
        expectation,
        stream_lines,
        reference,
        feature="sse-response",
        caught_by=("flip-response-byte", "drop-header:content-type"),
        method=method,
        path=path,
        status=status,
        request=request,
        headers={"content-type": EVENT_TYPE},
        lines=lines,
    )


async def sse_headers(ctx: Context) -> None:
    streamed = await ctx.stream("GET", "/streaming/sse")
    ctx.expect_equal("status", streamed.status, 200)
    ctx.expect_equal("header.cache-control", streamed.headers.get("cache-control"), "no-cache")
    ctx.expect_equal("header.x-accel-buffering", streamed.headers.get("x-accel-buffering"), "no")


async def sse_keepalive(ctx: Context) -> None:
    streamed = await ctx.stream("GET", "/streaming/sse-idle", timeout=ctx.timeout(30.0))
    ctx.expect_equal("status", streamed.status, 200)
    ctx.expect_equal(
        "first-chunk", streamed.chunks[0][1] if streamed.chunks else b"", b": ping\n\n"
    )
    ctx.expect(
        b'data: "after the wait"\n\n' in streamed.body, "the event after the wait never came"
    )


async def no_injected_event(ctx: Context) -> None:
    streamed = await ctx.stream("GET", "/streaming/sse-event-newline")
    lines = ctx.observe("lines", streamed.body.decode("utf-8", "replace").split("\n"))
    ctx.expect("data: injected" not in lines, "an event name's newline started a new field")
    ctx.expect_equal("status", streamed.status, 500)


async def file_like(ctx: Context) -> None:
    streamed = await ctx.stream("GET", "/streaming/file-like")
    ctx.expect_equal("status", streamed.status, 200)
    expected = hashlib.sha256(DATA_BIN.read_bytes()).hexdigest()
    ctx.expect_equal("sha256", hashlib.sha256(streamed.body).hexdigest(), expected)


STREAMING_CASES = [
    jsonl(
        "typed",
        "GET an `async def` path operation declared `-> AsyncIterable[Item]` that yields two Items.",
        "Content-Type application/jsonl and one compact JSON document per line, each ending in a newline.",
        "/streaming/jsonl",
        [*COMPACT, ""],
    ),
    jsonl(
        "sync",
        "GET a plain `def` path operation declared `-> Iterable[Item]` that yields the same Items.",
        "The same JSON Lines: plain generators stream as async ones do.",
        "/streaming/jsonl-sync",
        [*COMPACT, ""],
    ),
    jsonl(
        "untyped",
        "GET a path operation without a return type that yields two dicts.",
        "Each line is json.dumps of the item, with ', ' and ': ' separators (the docs' examples show these spaces for typed items too, which Pydantic writes compact).",
        "/streaming/jsonl-untyped",
        [*(json.dumps(item) for item in ITEMS), ""],
    ),
    jsonl(
        "status-code",
        "GET a yielding path operation declared `status_code=201`.",
        "201: the decorator's status code is sent with the stream.",
        "/streaming/jsonl-created",
        [*COMPACT, ""],
        status=201,
    ),
    row(
        "responses.stream-yield.bytes",
        "GET a path operation declared `response_class=StreamingResponse` that yields three bytes chunks.",
        "The chunks arrive as they are, concatenated, without a Content-Type (StreamingResponse sets none).",
        answer,
        STREAM_DOC + "#a-streamingresponse-with-yield",
        feature="path-operation-yield",
        caught_by=("flip-response-byte", "add-response-header:content-type=text/plain"),
        method="GET",
        path="/streaming/bytes",
        status=200,
        headers={"content-type": None},
        body=b"part-0;part-1;part-2;",
    ),
    row(
        "responses.stream-yield.subclass-media-type",
        "GET a yielding path operation whose response_class is a StreamingResponse subclass with `media_type = 'image/png'`.",
        "Content-Type image/png and the yielded bytes.",
        answer,
        STREAM_DOC,
        feature="path-operation-yield",
        caught_by=("flip-response-byte", "drop-header:content-type"),
        method="GET",
        path="/streaming/png",
        status=200,
        headers={"content-type": "image/png"},
        body=b"\x89PNG\r\n\x1a\nrest-of-image",
    ),
    sse(
        "items",
        "GET a path operation declared `response_class=EventSourceResponse`, `-> AsyncIterable[Item]`, that yields two Items.",
        "Content-Type 'text/event-stream; charset=utf-8' and each item as one `data: <compact JSON>` event.",
        "/streaming/sse",
        sse_lines(*([f"data: {line}"] for line in COMPACT)),
    ),
    sse(
        "event-fields",
        "Yield ServerSentEvent(comment=...), one with data, event, id and retry, one with data='hello', and one with raw_data='[DONE]'.",
        'Lines `: comment`, then `event:`, `data:` (the dict as json.dumps writes it), `id:`, `retry:` in that order, `data: "hello"` (data is always JSON) and `data: [DONE]` (raw_data unencoded).',
        "/streaming/sse-fields",
        sse_lines(
            [": stream starts"],
            ["event: tick", 'data: {"n": 1}', "id: 1", "retry: 5000"],
            ['data: "hello"'],
            ["data: [DONE]"],
        ),
        reference=SSE_DOC + "#serversentevent",
    ),
    sse(
        "post",
        'POST `{"prompt": "hello server sent events"}` to a POST path operation with EventSourceResponse.',
        "The same wire format over POST: one event per word, with its id.",
        "/streaming/sse-post",
        sse_lines(
            *(
                [f'data: "{word}"', f"id: {index}"]
                for index, word in enumerate(["hello", "server", "sent", "events"])
            )
        ),
        method="POST",
        request={"json": {"prompt": "hello server sent events"}},
        reference=SSE_DOC + "#sse-with-post",
    ),
    sse(
        "last-event-id",
        "GET a stream that reads `last_event_id: int | None = Header(None)`, sending `Last-Event-ID: 4`.",
        "The stream resumes after event 4: events 5, 6 and 7.",
        "/streaming/sse-resume",
        sse_lines(*([f'data: "event {n}"', f"id: {n}"] for n in (5, 6, 7))),
        request={"headers": {"Last-Event-ID": "4"}},
        reference=SSE_DOC + "#resuming-with-last-event-id",
    ),
    sse(
        "status-code",
        "GET an EventSourceResponse path operation declared `status_code=201`.",
        "201: the decorator's status code is sent with the events.",
        "/streaming/sse-created",
        sse_lines(*([f"data: {line}"] for line in COMPACT)),
        status=201,
    ),
    sse(
        "carriage-return",
        "Yield ServerSentEvent(raw_data='first\\rsecond'): a CR inside the data.",
        "Two `data:` lines: a lone CR ends a line in SSE, so the data is split there rather than sent raw.",
        "/streaming/sse-carriage-return",
        sse_lines(["data: first", "data: second"]),
        reference="https://fastapi.tiangolo.com/reference/sse/#fastapi.sse.ServerSentEvent",
    ),
    sse(
        "unicode-line-separator",
        "Yield ServerSentEvent(raw_data='first\\u2028second'): a Unicode LINE SEPARATOR inside the data.",
        "One `data:` line holding the separator: only CR, LF and CRLF end a line in SSE, so nothing else may split the data.",
        "/streaming/sse-line-separator",
        sse_lines(["data: first\u2028second"]),
        reference="https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream",
    ),
    row(
        "responses.sse.event-name-newline",
        "Yield ServerSentEvent(event='tick\\ndata: injected'), an event name holding a newline, as the stream's first event.",
        "500 and no `data: injected` line: the event is refused as invalid before the stream starts, never written with a new field in it.",
        no_injected_event,
        "https://fastapi.tiangolo.com/reference/sse/#fastapi.sse.ServerSentEvent",
        feature="sse-response",
        caught_by=("rewrite-status:500=200",),
    ),
    row(
        "responses.sse.cache-headers",
        "GET an EventSourceResponse stream.",
        "Cache-Control: no-cache and X-Accel-Buffering: no, so caches and nginx pass events on at once.",
        sse_headers,
        SSE_DOC + "#technical-details",
        feature="sse-response",
        caught_by=("drop-header:cache-control", "drop-header:x-accel-buffering"),
    ),
    row(
        "responses.sse.keep-alive",
        "GET a stream whose generator is idle for 16 s before its first event.",
        "A `: ping` comment arrives first (FastAPI pings after 15 s without an event), then the event.",
        sse_keepalive,
        SSE_DOC + "#technical-details",
        feature="sse-response",
        needs=frozenset({REAL_SOCKET, STREAMING}),
        tier="heavy",
        timeout_s=40.0,
        caught_by=("flip-response-byte",),
    ),
    row(
        "responses.stream.sync-generator",
        "GET a StreamingResponse fed by a plain (not async) generator of five lines.",
        "The five lines arrive in order: Starlette iterates sync generators in a thread.",
        stream_lines,
        CUSTOM_DOC,
        caught_by=("flip-response-byte",),
        method="GET",
        path="/streaming/sync-generator",
        status=200,
        lines=[f"chunk-{index}" for index in range(5)] + [""],
    ),
    row(
        "responses.stream.file-like",
        "GET a StreamingResponse fed by the docs' `iterfile()` generator (`yield from` an open binary file).",
        "The body is the file's bytes exactly.",
        file_like,
        CUSTOM_DOC + "#using-streamingresponse-with-file-like-objects",
        caught_by=("flip-response-byte",),
    ),
]
