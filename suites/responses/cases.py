"""Custom responses: each response class on the wire, status codes, redirects, files, streams, methods.

Bodies are compared byte for byte with what the documented class produces;
redirects are never followed; streams are read chunk by chunk as they arrive.
"""

from __future__ import annotations

import hashlib
import json

from harness.byteranges import byteranges, expect_pieces
from harness.case import Case, Context
from harness.targets.base import REAL_SOCKET, STREAMING, TIMING
from suites.responses.classes import CLASS_CASES
from suites.responses.streaming import STREAMING_CASES
from suites.tutorial import tutorial_cases

HEADERS_DOC = "https://fastapi.tiangolo.com/advanced/response-headers/"
CUSTOM_DOC = "https://fastapi.tiangolo.com/advanced/custom-response/"
DIRECT_DOC = "https://fastapi.tiangolo.com/advanced/response-directly/"
STATUS_DOC = "https://fastapi.tiangolo.com/tutorial/response-status-code/"
STARLETTE_RESPONSES = "https://www.starlette.io/responses/"
RANGE_RFC = "https://www.rfc-editor.org/rfc/rfc9110#section-14"
HELLO = b"Hello, conformance!\nThis file is served byte-exact by StaticFiles.\n"
HELLO_SHA256 = "1728eedbac2ce02866db19165b7a296184d2b619c5aa25f8529efb3982118550"
TEXT = "h\u00e9llo, w\u00f6rld \u2713"
JSON_CONTENT = {"message": TEXT, "items": [1, 2.5, None, True]}
JSON_BYTES = json.dumps(JSON_CONTENT, ensure_ascii=False, separators=(",", ":")).encode()


async def exact_body(
    ctx: Context, path: str, content_type: str, body: bytes, method: str = "GET", status: int = 200
) -> None:
    response = await ctx.request(method, path)
    ctx.expect_equal("status", response.status_code, status)
    ctx.expect_equal("content-type", response.headers.get("content-type"), content_type)
    ctx.expect_equal("content-length", response.headers.get("content-length"), str(len(body)))
    ctx.expect_equal("body", response.content, body)


async def no_body(ctx: Context, path: str, status: int, method: str = "GET") -> None:
    response = await ctx.request(method, path)
    ctx.expect_equal("status", response.status_code, status)
    ctx.expect_equal("body", response.content, b"")
    ctx.expect_equal("content-length", response.headers.get("content-length"), None)


async def redirect(ctx: Context, path: str, status: int, location: str) -> None:
    response = await ctx.request("GET", path)
    ctx.expect_equal("status", response.status_code, status)
    ctx.expect_equal("location", response.headers.get("location"), location)


async def custom_headers(ctx: Context, expected: dict[str, str]) -> None:
    response = await ctx.request("GET", "/responses/custom-header")
    ctx.expect_equal("status", response.status_code, 200)
    for name, value in expected.items():
        ctx.expect_equal(f"header.{name.lower()}", response.headers.get(name), value)


async def file_served(
    ctx: Context, path: str, sha256: str, size: int, content_type: str, disposition: str | None
) -> None:
    response = await ctx.request("GET", path)
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal("sha256", hashlib.sha256(response.content).hexdigest(), sha256)
    ctx.expect_equal("content-length", response.headers.get("content-length"), str(size))
    ctx.expect_equal("content-type", response.headers.get("content-type"), content_type)
    ctx.expect_equal(
        "content-disposition", response.headers.get("content-disposition"), disposition
    )
    ctx.expect_equal("has-etag", "etag" in response.headers, True)
    ctx.expect_equal("has-last-modified", "last-modified" in response.headers, True)


async def conditional(ctx: Context, path: str, header: str) -> None:
    first = await ctx.request("GET", path)
    ctx.expect_equal("first.status", first.status_code, 200)
    validator = (
        first.headers.get("etag")
        if header == "If-None-Match"
        else first.headers.get("last-modified")
    )
    ctx.expect(validator is not None, f"the first response has no validator for {header}")
    second = await ctx.request("GET", path, headers={header: str(validator)})
    ctx.expect_equal("status", second.status_code, 200)
    ctx.expect_equal("body-unchanged", second.content == first.content, True)
    ctx.expect_equal(
        "etag-unchanged", second.headers.get("etag") == first.headers.get("etag"), True
    )


async def ranged(
    ctx: Context,
    path: str,
    range_header: str,
    status: int,
    body: bytes | None,
    content_range: str | None,
) -> None:
    response = await ctx.request("GET", path, headers={"Range": range_header})
    ctx.expect_equal("status", response.status_code, status)
    ctx.expect_equal("content-range", response.headers.get("content-range"), content_range)
    if body is not None:
        ctx.expect_equal("body", response.content, body)


async def multiple_ranges(ctx: Context, path: str, ranges: list[tuple[int, int]]) -> None:
    spec = ",".join(f"{start}-{end}" for start, end in ranges)
    response = await ctx.request("GET", path, headers={"Range": f"bytes={spec}"})
    ctx.expect_equal("status", response.status_code, 206)
    content_type = response.headers.get("content-type", "")
    ctx.expect_equal("content-type.main", content_type.split(";")[0], "multipart/byteranges")
    pieces = byteranges(response.content, content_type)
    ctx.expect_equal("parts", expect_pieces(ctx, pieces, HELLO), ranges)


async def streamed_intact(ctx: Context, chunks: int, size: int) -> None:
    result = await ctx.stream("GET", "/responses/stream", params={"chunks": chunks, "size": size})
    ctx.expect_equal("status", result.status, 200)
    expected = b"".join(f"{i:04d}".encode().ljust(size, b".") for i in range(chunks))
    ctx.expect_equal("error", result.error, None)
    ctx.expect_equal("body", result.body, expected)


async def streamed_incrementally(
    ctx: Context, path: str, params: dict[str, int], delay_s: float, gaps: int
) -> None:
    result = await ctx.stream("GET", path, params=params)
    ctx.expect_equal("status", result.status, 200)
    spread = result.chunks[-1][0] - result.chunks[0][0] if result.chunks else 0.0
    ctx.observe("chunks.received", len(result.chunks))
    ctx.measure("arrival.spread_s", round(spread, 4))
    ctx.observe("arrival.spread-ok", spread >= gaps * delay_s * 0.5)
    ctx.expect(
        spread >= gaps * delay_s * 0.5,
        f"all chunks arrived within {spread:.3f} s: the stream was buffered",
    )


async def stream_fails_visibly(ctx: Context) -> None:
    params = {"chunks": 5, "size": 8, "fail_after": 2}
    result = await ctx.stream(
        "GET", "/responses/stream", params=params, headers={"Connection": "close"}
    )
    ctx.expect_equal("status", result.status, 200)
    ctx.expect_equal("body", result.body, b"0000....0001....")
    ctx.expect(
        result.error is not None,
        "the body ended cleanly: the client cannot tell the stream was cut short",
    )
    ctx.observe("ended-with-error", True)


async def server_sent_events(ctx: Context, count: int) -> None:
    result = await ctx.stream("GET", "/responses/events", params={"count": count})
    ctx.expect_equal("status", result.status, 200)
    ctx.expect_equal(
        "content-type", result.headers.get("content-type"), "text/event-stream; charset=utf-8"
    )
    events = [block for block in result.body.decode(errors="replace").split("\n\n") if block]
    expected = [f'id: {n}\nevent: tick\ndata: {{"n": {n}}}' for n in range(count)]
    ctx.expect_equal("events", events, expected)


async def method_not_allowed(ctx: Context, method: str, path: str, allow: str) -> None:
    response = await ctx.request(method, path)
    ctx.expect_equal("status", response.status_code, 405)
    ctx.expect_equal("allow", response.headers.get("allow"), allow)
    if method != "HEAD":
        ctx.expect_equal("body", ctx.json(response), {"detail": "Method Not Allowed"})


async def not_found(ctx: Context, path: str) -> None:
    response = await ctx.request("GET", path)
    ctx.expect_equal("status", response.status_code, 404)
    ctx.expect_equal("content-type", response.headers.get("content-type"), "application/json")
    ctx.expect_equal("body", ctx.json(response), {"detail": "Not Found"})


def body_case(
    slug: str,
    path: str,
    content_type: str,
    body: bytes,
    description: str,
    expectation: str,
    reference: str = CUSTOM_DOC,
    caught_by: tuple[str, ...] = ("flip-response-byte",),
) -> Case:
    return Case(
        id=f"responses.class.{slug}",
        description=description,
        expectation=expectation,
        check=exact_body,
        params={"path": path, "content_type": content_type, "body": body},
        reference=reference,
        caught_by=caught_by,
    )


def status_case(code: int) -> Case:
    return Case(
        id=f"responses.status.code-{code}",
        description=f"A route returns `JSONResponse({{'status': {code}}}, status_code={code})`.",
        expectation=f"Status {code} with the JSON body and its Content-Length.",
        check=exact_body,
        params={
            "path": f"/responses/status/{code}",
            "content_type": "application/json",
            "body": f'{{"status":{code}}}'.encode(),
            "status": code,
        },
        reference=DIRECT_DOC,
        caught_by=("flip-response-byte",),
    )


def redirect_case(
    slug: str,
    url: str,
    status: int,
    description: str,
    expectation: str,
    caught_by: tuple[str, ...] = ("drop-header:location",),
) -> Case:
    from urllib.parse import urlencode

    query = urlencode({"url": url, "status": status})
    return Case(
        id=f"responses.redirect.{slug}",
        description=description,
        expectation=expectation,
        check=redirect,
        params={"path": f"/responses/redirect-to?{query}", "status": status, "location": url},
        reference=CUSTOM_DOC,
        caught_by=caught_by,
    )


def file_case(
    slug: str,
    name: str,
    sha256: str,
    size: int,
    content_type: str,
    filename: str | None,
    disposition: str | None,
    expectation: str,
    caught_by: tuple[str, ...],
) -> Case:
    path = f"/responses/file/{name}" + (f"?filename={filename}" if filename else "")
    shown = f", filename={filename!r}" if filename else ""
    return Case(
        id=f"responses.file.{slug}",
        description=f"A route returns `FileResponse(static/{name}{shown})`.",
        expectation=expectation,
        check=file_served,
        params={
            "path": path,
            "sha256": sha256,
            "size": size,
            "content_type": content_type,
            "disposition": disposition,
        },
        reference=CUSTOM_DOC,
        caught_by=caught_by,
    )


def range_case(
    slug: str,
    header: str,
    status: int,
    body: bytes | None,
    content_range: str | None,
    expectation: str,
    caught_by: tuple[str, ...],
) -> Case:
    return Case(
        id=f"responses.range.{slug}",
        description=f"GET a FileResponse of the 67-byte text file with `Range: {header}`.",
        expectation=expectation,
        check=ranged,
        params={
            "path": "/responses/file/hello.txt",
            "range_header": header,
            "status": status,
            "body": body,
            "content_range": content_range,
        },
        feature="file-range",
        reference=RANGE_RFC,
        caught_by=caught_by,
    )


SIZE = len(HELLO)
BIN_SHA256 = "edc9983a5f8a590052203d12c58e8d367f7c694a8746b7b9ef87bcc8f5af9e9f"
UNKNOWN = b"opaque bytes with an extension no registry knows\n"

CASES = [
    Case(
        id="responses.headers.jsonresponse-headers",
        description="A route returns `JSONResponse(content, headers={'X-Cat-Dog': ..., 'Content-Language': 'en-US'})`.",
        expectation="Both headers arrive with their values unchanged.",
        check=custom_headers,
        params={"expected": {"X-Cat-Dog": "alone in the world", "Content-Language": "en-US"}},
        reference=HEADERS_DOC,
        caught_by=("drop-header:x-cat-dog",),
    ),
    body_case(
        "jsonresponse",
        "/responses/json",
        "application/json",
        JSON_BYTES,
        "A route returns `JSONResponse` with non-ASCII text, a float, null and a boolean.",
        "Compact UTF-8 JSON, non-ASCII not escaped, 'application/json' without a charset, exact Content-Length.",
        DIRECT_DOC,
        caught_by=("flip-response-byte",),
    ),
    body_case(
        "default-json",
        "/responses/default",
        "application/json",
        JSON_BYTES,
        "A route returns the same dict, leaving FastAPI to serialize it.",
        "The default response is byte-for-byte what JSONResponse produces.",
        caught_by=("flip-response-byte",),
    ),
    body_case(
        "htmlresponse",
        "/responses/html",
        "text/html; charset=utf-8",
        f"<html><body><h1>{TEXT}</h1></body></html>".encode(),
        "A route with `response_class=HTMLResponse` returns an HTML string with non-ASCII text.",
        "'text/html; charset=utf-8', the text encoded as UTF-8, exact Content-Length.",
        caught_by=("flip-response-byte",),
    ),
    body_case(
        "plaintextresponse",
        "/responses/plain",
        "text/plain; charset=utf-8",
        TEXT.encode(),
        "A route with `response_class=PlainTextResponse` returns non-ASCII text.",
        "'text/plain; charset=utf-8', the text encoded as UTF-8.",
        caught_by=("flip-response-byte",),
    ),
    body_case(
        "response-media-type",
        "/responses/xml",
        "application/xml",
        f'<?xml version="1.0"?><greeting>{TEXT}</greeting>'.encode(),
        "A route returns `Response(content=xml_string, media_type='application/xml')`.",
        "The media type as given (no charset added to a non-text type), the string as UTF-8.",
        caught_by=("flip-response-byte",),
    ),
    body_case(
        "response-bytes",
        "/responses/bytes",
        "application/octet-stream",
        bytes(range(256)),
        "A route returns `Response(content=bytes(range(256)), media_type='application/octet-stream')`.",
        "The 256 bytes unchanged.",
        caught_by=("flip-response-byte",),
    ),
    *(
        status_case(code)
        for code in (200, 201, 202, 400, 401, 403, 404, 409, 418, 422, 429, 500, 503)
    ),
    *(
        Case(
            id=f"responses.status.code-{code}-no-body",
            description=f"A route returns `Response(status_code={code})`.",
            expectation=f"Status {code} with an empty body and no Content-Length, as HTTP requires for {code}.",
            check=no_body,
            params={"path": f"/responses/status/{code}", "status": code},
            reference=DIRECT_DOC,
            caught_by=(f"rewrite-status:{code}=200",),
        )
        for code in (204, 304)
    ),
    Case(
        id="responses.status.decorator-201",
        description="POST to a route declared with `status_code=201` that returns a dict.",
        expectation="201 with the JSON body.",
        check=exact_body,
        params={
            "path": "/responses/created",
            "method": "POST",
            "content_type": "application/json",
            "body": b'{"created":"yes"}',
            "status": 201,
        },
        reference=STATUS_DOC,
        caught_by=("flip-response-byte",),
    ),
    Case(
        id="responses.status.decorator-204",
        description="DELETE a route declared with `status_code=204` that returns None.",
        expectation="204 with no body at all (not 'null') and no Content-Length.",
        check=no_body,
        params={"path": "/responses/no-content", "method": "DELETE", "status": 204},
        reference=STATUS_DOC,
        caught_by=("rewrite-status:204=200",),
    ),
    Case(
        id="responses.redirect.default-status",
        description="A route returns `RedirectResponse('/responses/redirect-target?from=redirect')`; the client does not follow it.",
        expectation="307 Temporary Redirect, the default of RedirectResponse, with the Location as given, query kept.",
        check=redirect,
        params={
            "path": "/responses/redirect",
            "status": 307,
            "location": "/responses/redirect-target?from=redirect",
        },
        reference=CUSTOM_DOC,
        caught_by=("drop-header:location", "rewrite-status:307=302"),
    ),
    *(
        redirect_case(
            f"status-{status}",
            "/responses/redirect-target",
            status,
            f"A route returns `RedirectResponse('/responses/redirect-target', status_code={status})`.",
            f"Status {status} with the relative Location unchanged.",
        )
        for status in (301, 302, 303, 307, 308)
    ),
    redirect_case(
        "absolute",
        "https://example.org/landing",
        307,
        "A route redirects to the absolute URL https://example.org/landing.",
        "The absolute Location is sent unchanged; the harness does not follow it to the other host.",
        caught_by=("drop-header:location",),
    ),
    redirect_case(
        "query-kept",
        "/responses/redirect-target?a=1&b=two%20words",
        302,
        "A route redirects to a relative URL with a query string.",
        "The query string, percent-encoding included, is kept in Location.",
        caught_by=("drop-header:location",),
    ),
    file_case(
        "text-exact",
        "hello.txt",
        HELLO_SHA256,
        SIZE,
        "text/plain; charset=utf-8",
        None,
        None,
        "The exact bytes, 'text/plain; charset=utf-8' from the extension, Content-Length, ETag and Last-Modified.",
        caught_by=("flip-response-byte",),
    ),
    file_case(
        "binary-exact",
        "data.bin",
        BIN_SHA256,
        4096,
        "application/octet-stream",
        None,
        None,
        "The exact 4096 bytes with 'application/octet-stream', Content-Length, ETag and Last-Modified.",
        caught_by=("flip-response-byte",),
    ),
    file_case(
        "unknown-extension",
        "blob.fixtureunknown",
        hashlib.sha256(UNKNOWN).hexdigest(),
        len(UNKNOWN),
        "application/octet-stream",
        None,
        None,
        "A file whose extension has no registered type is sent as 'application/octet-stream'.",
        caught_by=("flip-response-byte",),
    ),
    Case(
        id="responses.file.download-filename",
        description="A route returns `FileResponse(path, filename='report.txt')`.",
        expectation="The file's exact bytes with Content-Disposition 'attachment; filename=\"report.txt\"'.",
        check=file_served,
        params={
            "path": "/responses/download",
            "sha256": HELLO_SHA256,
            "size": SIZE,
            "content_type": "text/plain; charset=utf-8",
            "disposition": 'attachment; filename="report.txt"',
        },
        reference=CUSTOM_DOC,
        caught_by=("flip-response-byte", "drop-header:content-disposition"),
    ),
    file_case(
        "filename-non-ascii",
        "hello.txt",
        HELLO_SHA256,
        SIZE,
        "text/plain; charset=utf-8",
        "r\u00e9sum\u00e9.txt",
        "attachment; filename*=utf-8''r%C3%A9sum%C3%A9.txt",
        "A non-ASCII filename is sent RFC 5987 style: filename*=utf-8'' with percent-encoded UTF-8.",
        caught_by=("flip-response-byte",),
    ),
    file_case(
        "filename-with-space",
        "hello.txt",
        HELLO_SHA256,
        SIZE,
        "text/plain; charset=utf-8",
        "my report.txt",
        "attachment; filename*=utf-8''my%20report.txt",
        "A filename that needs quoting is sent as filename*=utf-8'' with the space percent-encoded.",
        caught_by=("flip-response-byte",),
    ),
    file_case(
        "filename-type-from-name",
        "data.bin",
        BIN_SHA256,
        4096,
        "application/pdf",
        "doc.pdf",
        'attachment; filename="doc.pdf"',
        "The media type is guessed from the download filename (.pdf), not from the file on disk.",
        caught_by=("flip-response-byte",),
    ),
    Case(
        id="responses.conditional.if-none-match-full-body",
        description="GET a FileResponse, then again with If-None-Match set to its ETag.",
        expectation="FileResponse does not evaluate validators (StaticFiles does): 200 with the full file and the same ETag again.",
        check=conditional,
        params={"path": "/responses/file/hello.txt", "header": "If-None-Match"},
        reference=STARLETTE_RESPONSES,
        caught_by=("conditional-304",),
    ),
    Case(
        id="responses.conditional.if-modified-since-full-body",
        description="GET a FileResponse, then again with If-Modified-Since set to its Last-Modified.",
        expectation="FileResponse does not evaluate validators (StaticFiles does): 200 with the full file again.",
        check=conditional,
        params={"path": "/responses/file/hello.txt", "header": "If-Modified-Since"},
        reference=STARLETTE_RESPONSES,
        caught_by=("conditional-304",),
    ),
    range_case(
        "single",
        "bytes=0-4",
        206,
        HELLO[0:5],
        f"bytes 0-4/{SIZE}",
        "206 with the first five bytes and Content-Range bytes 0-4/67.",
        caught_by=("flip-response-byte", "drop-request-header:range"),
    ),
    range_case(
        "suffix",
        "bytes=-5",
        206,
        HELLO[-5:],
        f"bytes {SIZE - 5}-{SIZE - 1}/{SIZE}",
        "206 with the last five bytes.",
        caught_by=("flip-response-byte", "drop-request-header:range"),
    ),
    range_case(
        "open-ended",
        "bytes=60-",
        206,
        HELLO[60:],
        f"bytes 60-{SIZE - 1}/{SIZE}",
        "206 from byte 60 to the end.",
        caught_by=("flip-response-byte", "drop-request-header:range"),
    ),
    range_case(
        "whole",
        f"bytes=0-{SIZE - 1}",
        206,
        HELLO,
        f"bytes 0-{SIZE - 1}/{SIZE}",
        "206 with every byte when the range covers the file.",
        caught_by=("flip-response-byte", "drop-request-header:range"),
    ),
    range_case(
        "unsatisfiable",
        "bytes=1000-2000",
        416,
        None,
        f"bytes */{SIZE}",
        "416 Range Not Satisfiable with Content-Range bytes */67.",
        caught_by=("drop-request-header:range",),
    ),
    range_case(
        "malformed",
        "bytes=abc",
        400,
        None,
        None,
        "400 for a Range header that is not a byte range.",
        caught_by=("drop-request-header:range",),
    ),
    Case(
        id="responses.range.multiple",
        description="GET the text file with `Range: bytes=0-1,10-14`.",
        expectation="206 multipart/byteranges holding each part with its own Content-Range.",
        check=multiple_ranges,
        params={"path": "/responses/file/hello.txt", "ranges": [(0, 1), (10, 14)]},
        feature="file-range",
        reference=RANGE_RFC,
        caught_by=(
            "drop-request-header:range",
            "set-response-header:content-type=multipart/byteranges; boundary=not-the-one-used",
        ),
    ),
    *(
        Case(
            id=f"responses.stream.intact-{chunks}x{size}",
            description=f"A StreamingResponse yields {chunks} chunks of {size} bytes.",
            expectation="Every chunk arrives intact and in order; the stream ends cleanly.",
            check=streamed_intact,
            params={"chunks": chunks, "size": size},
            reference=CUSTOM_DOC,
            caught_by=("flip-response-byte",),
        )
        for chunks, size in ((1, 16), (5, 16), (50, 1024), (4, 65536))
    ),
    Case(
        id="responses.stream.incremental",
        description="A StreamingResponse yields 4 chunks 200 ms apart.",
        expectation="The client receives the first chunk before the last is produced: chunks arrive spread over time, not buffered.",
        check=streamed_incrementally,
        params={
            "path": "/responses/stream",
            "params": {"chunks": 4, "delay_ms": 200},
            "delay_s": 0.2,
            "gaps": 3,
        },
        needs=frozenset({STREAMING, TIMING}),
        reference=CUSTOM_DOC,
        caught_by=("hold-response",),
    ),
    Case(
        id="responses.stream.generator-fails",
        description="A StreamingResponse's generator raises after yielding two chunks.",
        expectation="The client gets the two chunks and then a broken body (no terminating chunk): HTTP/1.1 requires an incomplete message to look incomplete (RFC 9112 section 7.1).",
        check=stream_fails_visibly,
        needs=frozenset({REAL_SOCKET}),
        reference=STARLETTE_RESPONSES,
        caught_by=("hold-response",),
        passes_with=("abort-failed-streams",),
    ),
    Case(
        id="responses.events.text-event-stream",
        description="A StreamingResponse with media_type 'text/event-stream' yields 3 events.",
        expectation="'text/event-stream; charset=utf-8' and the three events, each with id, event and data lines.",
        check=server_sent_events,
        params={"count": 3},
        reference=CUSTOM_DOC,
        caught_by=("flip-response-byte",),
    ),
    Case(
        id="responses.events.incremental",
        description="The event stream yields 3 events 200 ms apart.",
        expectation="Events arrive as they are produced, not all at the end.",
        check=streamed_incrementally,
        params={
            "path": "/responses/events",
            "params": {"count": 3, "delay_ms": 200},
            "delay_s": 0.2,
            "gaps": 2,
        },
        needs=frozenset({STREAMING, TIMING}),
        reference=CUSTOM_DOC,
        caught_by=("hold-response",),
    ),
    Case(
        id="responses.methods.head-on-get",
        description="HEAD a route declared with `@router.get`.",
        expectation="FastAPI's APIRoute serves only the declared methods: 405 with Allow: GET.",
        check=method_not_allowed,
        params={"method": "HEAD", "path": "/responses/json", "allow": "GET"},
        reference=STARLETTE_RESPONSES,
        caught_by=("rewrite-status:405=404",),
    ),
    Case(
        id="responses.methods.options-on-get",
        description="OPTIONS (no CORS preflight headers) on a GET route.",
        expectation="405 with Allow: GET and the JSON body {'detail': 'Method Not Allowed'}.",
        check=method_not_allowed,
        params={"method": "OPTIONS", "path": "/responses/json", "allow": "GET"},
        reference=STARLETTE_RESPONSES,
        caught_by=("rewrite-status:405=404",),
    ),
    Case(
        id="responses.methods.post-on-get",
        description="POST to a GET route.",
        expectation="405 with Allow: GET and the JSON body {'detail': 'Method Not Allowed'}.",
        check=method_not_allowed,
        params={"method": "POST", "path": "/responses/json", "allow": "GET"},
        reference=STARLETTE_RESPONSES,
        caught_by=("rewrite-status:405=404",),
    ),
    Case(
        id="responses.methods.get-on-delete",
        description="GET a route declared only with `@router.delete`.",
        expectation="405 with Allow: DELETE.",
        check=method_not_allowed,
        params={"method": "GET", "path": "/responses/no-content", "allow": "DELETE"},
        reference=STARLETTE_RESPONSES,
        caught_by=("rewrite-status:405=404",),
    ),
    Case(
        id="responses.errors.not-found",
        description="GET a path no route matches.",
        expectation="404 with the JSON body {'detail': 'Not Found'}.",
        check=not_found,
        params={"path": "/responses/no-such-route"},
        reference="https://fastapi.tiangolo.com/tutorial/handling-errors/",
        caught_by=("flip-response-byte", "rewrite-status:404=200"),
    ),
    Case(
        id="responses.errors.not-found-http-exception",
        description="GET a file route that raises `HTTPException(404, 'no such file')`.",
        expectation="404 with the JSON body {'detail': 'no such file'}.",
        check=exact_body,
        params={
            "path": "/responses/file/missing.txt",
            "content_type": "application/json",
            "body": b'{"detail":"no such file"}',
            "status": 404,
        },
        reference="https://fastapi.tiangolo.com/tutorial/handling-errors/",
        caught_by=("flip-response-byte", "rewrite-status:404=200"),
    ),
    *CLASS_CASES,
    *STREAMING_CASES,
    *tutorial_cases("responses"),
]
