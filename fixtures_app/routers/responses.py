"""Custom responses: every response class of the docs, status codes, redirects, files and streams.

Inputs that pick files or redirect targets are limited to what is safe on a
shared host: files from the static folder only, redirects to relative paths or
to https://example.org only, streams bounded in count, size and delay.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    StreamingResponse,
)
from pydantic import BaseModel

from fixtures_app.features import has_feature
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

    add_response_class_routes(router, state)
    return router


class IndentedJSONResponse(JSONResponse):
    """The docs' custom response class: its own `render()` writes indented JSON."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, indent=2, ensure_ascii=False).encode("utf-8")


class Measurement(BaseModel):
    name: str
    value: float


def set_status_in_dependency(response: Response) -> None:
    response.status_code = 202


def add_response_class_routes(router: APIRouter, state: AppState) -> None:
    """`response_class=` given the value to wrap, status changes through `Response`, and more."""
    static_dir = state.settings.static_dir

    @router.get("/redirect-class", response_class=RedirectResponse)
    def redirect_class() -> str:
        return "/responses/redirect-target?from=response-class"

    @router.get("/redirect-class-302", response_class=RedirectResponse, status_code=302)
    def redirect_class_302() -> str:
        return "/responses/redirect-target?from=response-class-302"

    @router.get("/file-class", response_class=FileResponse)
    def file_class() -> str:
        return str(static_dir / DOWNLOAD_SOURCE)

    @router.get("/custom-render", response_class=IndentedJSONResponse)
    def custom_render() -> dict[str, object]:
        return {"message": TEXT, "items": [1, 2]}

    @router.get("/status-change", status_code=200)
    def status_change(response: Response, created: bool = True) -> dict[str, bool]:
        if created:
            response.status_code = 201
        return {"created": created}

    @router.get("/status-from-dependency", dependencies=[Depends(set_status_in_dependency)])
    def status_from_dependency() -> dict[str, str]:
        return {"accepted": "yes"}

    @router.get("/reset-content", status_code=205, response_model=None)
    def reset_content() -> None:
        return None

    @router.get("/not-modified", status_code=304, response_model=None)
    def not_modified() -> None:
        return None

    @router.get("/measurement", response_model=Measurement)
    def measurement(value: float) -> dict[str, object]:
        return {"name": str(value), "value": value}

    for name in ("orjson", "ujson"):
        if has_feature(f"{name}-response"):
            add_library_json_route(router, name)


def add_library_json_route(router: APIRouter, name: str) -> None:
    from fastapi import responses

    response_class = getattr(responses, f"{name.upper()}Response")

    @router.get(f"/{name}", response_class=response_class)
    def library_json() -> dict[str, object]:
        return {"message": TEXT, "items": [1, 2.5, None, True]}


def default_class_router() -> APIRouter:
    """An APIRouter whose `default_response_class` is HTMLResponse, one route overriding it."""
    router = APIRouter(prefix="/responses/default-class", default_response_class=HTMLResponse)

    @router.get("/page")
    def page() -> str:
        return f"<p>{TEXT}</p>"

    @router.get("/json", response_class=JSONResponse)
    def overridden() -> dict[str, str]:
        return {"message": TEXT}

    return router
