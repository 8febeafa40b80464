"""Custom responses: every response class of the docs, status codes, redirects, files and streams.

Inputs that pick files or redirect targets are limited to what is safe on a
shared host: files from the static folder only, redirects to relative paths or
to https://example.org only, streams bounded in count, size and delay.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, HTTPException, Query, Response
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    StreamingResponse,
)

from fixtures_app.state import AppState

DOWNLOAD_SOURCE = "hello.txt"
TEXT = "h\u00e9llo, w\u00f6rld \u2713"
STATUSES_WITH_BODY = {200, 201, 202, 203, 400, 401, 403, 404, 409, 410, 418, 422, 429, 500, 503}
STATUSES_WITHOUT_BODY = {204, 304}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
MAX_CHUNKS, MAX_CHUNK_BYTES, MAX_DELAY_MS = 100, 64 * 1024, 2000
MAX_STREAM_MS = 5_000  # a stream's delays together: no request may hold a connection longer


def bounded_duration(count: int, delay_ms: int) -> None:
    if count * delay_ms > MAX_STREAM_MS:
        raise HTTPException(422, f"count x delay_ms may not exceed {MAX_STREAM_MS} ms")


def build(state: AppState) -> APIRouter:
    router = APIRouter(prefix="/responses", tags=["responses"])
    static_dir = state.settings.static_dir

    @router.get("/custom-header")
    def custom_header() -> JSONResponse:
        content = {"message": "Hello World"}
        headers = {"X-Cat-Dog": "alone in the world", "Content-Language": "en-US"}
        return JSONResponse(content=content, headers=headers)

    @router.get("/json")
    def json_response() -> JSONResponse:
        return JSONResponse({"message": TEXT, "items": [1, 2.5, None, True]})

    @router.get("/default")
    def default_response() -> dict[str, object]:
        return {"message": TEXT, "items": [1, 2.5, None, True]}

    @router.get("/html", response_class=HTMLResponse)
    def html_response() -> str:
        return f"<html><body><h1>{TEXT}</h1></body></html>"

    @router.get("/plain", response_class=PlainTextResponse)
    def plain_response() -> str:
        return TEXT

    @router.get("/xml")
    def xml_response() -> Response:
        return Response(
            content=f'<?xml version="1.0"?><greeting>{TEXT}</greeting>',
            media_type="application/xml",
        )

    @router.get("/bytes")
    def bytes_response() -> Response:
        return Response(content=bytes(range(256)), media_type="application/octet-stream")

    @router.get("/status/{code}")
    def with_status(code: int) -> Response:
        if code in STATUSES_WITHOUT_BODY:
            return Response(status_code=code)
        if code not in STATUSES_WITH_BODY:
            raise HTTPException(400, f"status {code} is not offered here")
        return JSONResponse({"status": code}, status_code=code)

    @router.post("/created", status_code=201)
    def created() -> dict[str, str]:
        return {"created": "yes"}

    @router.delete("/no-content", status_code=204, response_model=None)
    def no_content() -> None:
        return None

    @router.get("/redirect")
    def redirect() -> RedirectResponse:
        return RedirectResponse("/responses/redirect-target?from=redirect")

    @router.get("/redirect-to")
    def redirect_to(url: str, status: int = 307) -> RedirectResponse:
        if status not in REDIRECT_STATUSES or not (
            url.startswith("/") or url.startswith("https://example.org/")
        ):
            raise HTTPException(
                400, "only relative or https://example.org/ targets, with a redirect status"
            )
        return RedirectResponse(url, status_code=status)

    @router.get("/redirect-target")
    def redirect_target() -> dict[str, str]:
        return {"message": "redirected"}

    @router.get("/download")
    def download() -> FileResponse:
        return FileResponse(static_dir / DOWNLOAD_SOURCE, filename="report.txt")

    @router.get("/file/{name}")
    def file(name: str, filename: str | None = None) -> FileResponse:
        path = static_dir / name
        if "/" in name or name.startswith(".") or not path.is_file():
            raise HTTPException(404, "no such file")
        return FileResponse(path, filename=filename)

    @router.get("/stream")
    def stream(
        chunks: int = Query(5, ge=1, le=MAX_CHUNKS),
        size: int = Query(16, ge=1, le=MAX_CHUNK_BYTES),
        delay_ms: int = Query(0, ge=0, le=MAX_DELAY_MS),
        fail_after: int | None = None,
    ) -> StreamingResponse:
        bounded_duration(chunks, delay_ms)

        async def produce() -> AsyncIterator[bytes]:
            for index in range(chunks):
                if fail_after is not None and index == fail_after:
                    raise RuntimeError("the generator failed mid-stream")
                if index and delay_ms:
                    await asyncio.sleep(delay_ms / 1000)
                yield f"{index:04d}".encode().ljust(size, b".")

        return StreamingResponse(produce(), media_type="application/octet-stream")

    @router.get("/events")
    def events(
        count: int = Query(3, ge=1, le=MAX_CHUNKS), delay_ms: int = Query(0, ge=0, le=MAX_DELAY_MS)
    ) -> StreamingResponse:
        bounded_duration(count, delay_ms)

        async def produce() -> AsyncIterator[str]:
            for index in range(count):
                if index and delay_ms:
                    await asyncio.sleep(delay_ms / 1000)
                yield f"id: {index}\nevent: tick\ndata: {json.dumps({'n': index})}\n\n"

        return StreamingResponse(produce(), media_type="text/event-stream")

    return router
