"""Streaming: FastAPI's own (path operations that `yield`: JSON Lines 0.134, server-sent
events 0.135) and `StreamingResponse` fed by a plain generator or a file-like object.

The `yield` routes exist only where the installed FastAPI streams what a path
operation yields; the server-sent-event routes only where `fastapi.sse` exists.
Items are the docs' `Item(name, description)`; streams are short and never wait,
except `/streaming/sse-idle` (the heavy tier's keep-alive case), which is idle
for just over FastAPI's 15-second ping interval.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Any

from fastapi import APIRouter, Body, Header
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from fixtures_app.features import has_feature
from fixtures_app.state import AppState

if has_feature("sse-response"):  # the routes' annotations name these
    from fastapi.sse import EventSourceResponse, ServerSentEvent

ITEMS = [("Plumbus", "A multi-purpose household device."), ("Portal Gun", None)]
IDLE_S = 16.0
MAX_EVENTS = 20


class Item(BaseModel):
    name: str
    description: str | None = None


def items() -> list[Item]:
    return [Item(name=name, description=description) for name, description in ITEMS]


class PNGStreamingResponse(StreamingResponse):
    media_type = "image/png"


def build(state: AppState) -> APIRouter:
    router = APIRouter(prefix="/streaming", tags=["streaming"])
    static_dir = state.settings.static_dir

    @router.get("/sync-generator")
    def sync_generator() -> StreamingResponse:
        def produce() -> Iterator[bytes]:
            for index in range(5):
                yield f"chunk-{index}\n".encode()

        return StreamingResponse(produce(), media_type="text/plain")

    @router.get("/file-like")
    def file_like() -> StreamingResponse:
        def iterfile() -> Iterator[bytes]:
            with open(static_dir / "data.bin", mode="rb") as file_like:
                yield from file_like

        return StreamingResponse(iterfile(), media_type="application/octet-stream")

    if has_feature("path-operation-yield"):
        add_yielding_routes(router)
    if has_feature("sse-response"):
        add_event_routes(router)
    return router


def add_yielding_routes(router: APIRouter) -> None:
    @router.get("/jsonl")
    async def jsonl() -> AsyncIterable[Item]:
        for item in items():
            yield item

    @router.get("/jsonl-sync")
    def jsonl_sync() -> Iterable[Item]:
        yield from items()

    @router.get("/jsonl-untyped")
    async def jsonl_untyped() -> Any:
        for item in items():
            yield {"name": item.name, "description": item.description}

    @router.get("/jsonl-created", status_code=201)
    async def jsonl_created() -> AsyncIterable[Item]:
        for item in items():
            yield item

    @router.get("/bytes", response_class=StreamingResponse)
    async def stream_bytes() -> AsyncIterable[bytes]:
        for index in range(3):
            yield f"part-{index};".encode()

    @router.get("/png", response_class=PNGStreamingResponse)
    def stream_png() -> Iterable[bytes]:
        yield b"\x89PNG\r\n\x1a\n"
        yield b"rest-of-image"


def add_event_routes(router: APIRouter) -> None:
    @router.get("/sse", response_class=EventSourceResponse)
    async def sse() -> AsyncIterable[Item]:
        for item in items():
            yield item

    @router.get("/sse-fields", response_class=EventSourceResponse)
    async def sse_fields() -> AsyncIterable[ServerSentEvent]:
        yield ServerSentEvent(comment="stream starts")
        yield ServerSentEvent(data={"n": 1}, event="tick", id="1", retry=5000)
        yield ServerSentEvent(data="hello")
        yield ServerSentEvent(raw_data="[DONE]")

    @router.post("/sse-post", response_class=EventSourceResponse)
    async def sse_post(prompt: str = Body(..., embed=True)) -> AsyncIterable[ServerSentEvent]:
        for index, word in enumerate(prompt.split()[:MAX_EVENTS]):
            yield ServerSentEvent(data=word, id=str(index))

    @router.get("/sse-resume", response_class=EventSourceResponse)
    async def sse_resume(
        last_event_id: int | None = Header(None),
    ) -> AsyncIterable[ServerSentEvent]:
        start = 0 if last_event_id is None else last_event_id + 1
        for index in range(start, min(start + 3, MAX_EVENTS)):
            yield ServerSentEvent(data=f"event {index}", id=str(index))

    @router.get("/sse-created", response_class=EventSourceResponse, status_code=201)
    async def sse_created() -> AsyncIterable[Item]:
        for item in items():
            yield item

    @router.get("/sse-event-newline", response_class=EventSourceResponse)
    async def sse_event_newline() -> AsyncIterable[ServerSentEvent]:
        yield ServerSentEvent(data="safe", event="tick\ndata: injected")

    @router.get("/sse-carriage-return", response_class=EventSourceResponse)
    async def sse_carriage_return() -> AsyncIterable[ServerSentEvent]:
        yield ServerSentEvent(raw_data="first\rsecond")

    @router.get("/sse-line-separator", response_class=EventSourceResponse)
    async def sse_line_separator() -> AsyncIterable[ServerSentEvent]:
        yield ServerSentEvent(raw_data="first\u2028second")

    @router.get("/sse-idle", response_class=EventSourceResponse)
    async def sse_idle() -> AsyncIterator[ServerSentEvent]:
        await asyncio.sleep(IDLE_S)
        yield ServerSentEvent(data="after the wait")
