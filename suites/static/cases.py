"""Static files: bytes exact, validators honoured, ranges served, and nothing outside the folder.

The expected bytes are the fixture app's own files (shipped beside this
package). Odd paths are sent with a raw HTTP/1.1 client so no library
normalises them. Facts from Starlette's StaticFiles and FileResponse:
weak ETags match If-None-Match since 0.34, `*` and If-None-Match overriding
If-Modified-Since since 0.49.2, Range since 0.39, over-long names 404 since
0.38, NUL bytes 404 since 1.0.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote, urljoin

import httpx

from harness.byteranges import byteranges, expect_pieces
from harness.case import Case, Context, row
from harness.errors import WebSocketClosed, WebSocketRejected
from harness.targets.base import RAW_HTTP, WEBSOCKET
from suites.static.options import OPTION_CASES

DOC = "https://fastapi.tiangolo.com/tutorial/static-files/"
STARLETTE_DOC = "https://www.starlette.io/staticfiles/"
CONDITIONAL_RFC = "https://www.rfc-editor.org/rfc/rfc9110#section-13"
RANGE_RFC = "https://www.rfc-editor.org/rfc/rfc9110#section-14"
HEAD_RFC = "https://www.rfc-editor.org/rfc/rfc9110#section-9.3.2"
FILES = Path(__file__).resolve().parents[2] / "fixtures_app"
TEXT = "text/plain; charset=utf-8"
DATA_SIZE = 4096


def fixture_bytes(name: str) -> bytes:
    return (FILES / name).read_bytes()


async def served_exact(
    ctx: Context, path: str, file: str, content_type: str | tuple[str, ...]
) -> None:
    expected = fixture_bytes(file)
    response = await ctx.request("GET", path)
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal("size", len(response.content), len(expected))
    ctx.expect_equal(
        "sha256", hashlib.sha256(response.content).hexdigest(), hashlib.sha256(expected).hexdigest()
    )
    ctx.expect_equal("content-length", response.headers.get("content-length"), str(len(expected)))
    observed = ctx.observe("content-type", response.headers.get("content-type"))
    allowed = (content_type,) if isinstance(content_type, str) else content_type
    ctx.expect(
        observed in allowed, f"content-type: expected one of {allowed}, observed {observed!r}"
    )


async def validators_present(ctx: Context, header: str, pattern: str) -> None:
    response = await ctx.request("GET", "/static/hello.txt")
    ctx.expect_equal("status", response.status_code, 200)
    value = ctx.observe(header, response.headers.get(header))
    ctx.expect(
        value is not None and re.fullmatch(pattern, value) is not None,
        f"{header} {value!r} does not match {pattern}",
    )


def http_date(value: str, days: int) -> str:
    return format_datetime(parsedate_to_datetime(value) + timedelta(days=days), usegmt=True)


def conditional_headers(template: dict[str, str], etag: str, last_modified: str) -> dict[str, str]:
    values = {
        "etag": etag,
        "lm": last_modified,
        "lm_later": http_date(last_modified, 1),
        "lm_earlier": http_date(last_modified, -1),
    }
    return {name: value.format(**values) for name, value in template.items()}


async def validators(ctx: Context, path: str) -> tuple[str, str]:
    """The ETag and Last-Modified of a first GET of `path`; the case fails without them."""
    first = await ctx.request("GET", path)
    etag, last_modified = first.headers.get("etag", ""), first.headers.get("last-modified", "")
    ctx.expect(bool(etag and last_modified), "the file was served without ETag or Last-Modified")
    return etag, last_modified


async def conditional(
    ctx: Context, headers: dict[str, str], status: int, method: str = "GET"
) -> None:
    """GET once for the validators, then again with `headers` filled from them."""
    etag, last_modified = await validators(ctx, "/static/hello.txt")
    sent = conditional_headers(headers, etag, last_modified)
    ctx.observe("sent", sent)
    response = await ctx.request(method, "/static/hello.txt", headers=sent)
    ctx.expect_equal("status", response.status_code, status)
    if status == 304:
        ctx.expect_equal("body", response.content, b"")
        ctx.expect_equal("etag", response.headers.get("etag"), etag)
    elif method == "GET":
        ctx.expect_equal("body", response.content, fixture_bytes("static/hello.txt"))


async def head_like_get(ctx: Context, path: str, status: int) -> None:
    got = await ctx.request("GET", path)
    head = await ctx.request("HEAD", path)
    ctx.expect_equal("status", head.status_code, status)
    ctx.expect_equal("get.status", got.status_code, status)
    ctx.expect_equal("body", head.content, b"")
    for name in ("content-length", "content-type", "etag", "last-modified"):
        ctx.expect_equal(f"header.{name}", head.headers.get(name), got.headers.get(name))


def expect_single_range_head(
    ctx: Context, headers: httpx.Headers, covers: list[tuple[int, int]], size: int
) -> None:
    """A HEAD answered 206 carries the Content-Range and Content-Length its GET would."""
    ((start, end),) = covers
    ctx.expect_equal("content-range", headers.get("content-range"), f"bytes {start}-{end}/{size}")
    ctx.expect_equal("content-length", headers.get("content-length"), str(end - start + 1))


async def ranged(
    ctx: Context,
    range_header: str,
    statuses: tuple[int, ...],
    covers: list[tuple[int, int]] | None = None,
    extra: dict[str, str] | None = None,
    method: str = "GET",
    file: str = "static/data.bin",
) -> None:
    """A Range request: 206 pieces that are the file's bytes and exactly `covers`, a whole 200, or 416."""
    data = fixture_bytes(file)
    path = "/" + file
    headers = {"Range": range_header, **(extra or {})}
    if any("{" in value for value in headers.values()):
        headers = conditional_headers(headers, *await validators(ctx, path))
    response = await ctx.stream(method, path, headers=headers)
    status = ctx.observe("status", response.status)
    ctx.expect(status in statuses, f"status: expected one of {statuses}, observed {status}")
    ctx.expect_equal("body-ended", response.error, None)
    content = response.body
    if method == "HEAD":
        ctx.expect_equal("body", content, b"")
        if status == 206:
            expect_single_range_head(ctx, response.headers, covers or [], len(data))
    elif status == 200:
        ctx.expect_equal("body", content, data)
    elif status == 416:
        ctx.expect_equal(
            "content-range", response.headers.get("content-range"), f"bytes */{len(data)}"
        )
    elif status == 206:
        content_type = response.headers.get("content-type", "")
        if content_type.startswith("multipart/byteranges"):
            pieces = byteranges(content, content_type)
        else:
            pieces = [(response.headers.get("content-range", ""), content)]
        ctx.observe("pieces", len(pieces))
        spans = expect_pieces(ctx, pieces, data)
        covered = {offset for start, end in spans for offset in range(start, end + 1)}
        wanted = {offset for start, end in covers or [] for offset in range(start, end + 1)}
        ctx.expect(covered == wanted, f"the 206 holds {spans}, not exactly the bytes {covers}")
        ctx.expect_equal(
            "content-length", response.headers.get("content-length"), str(len(content))
        )


async def html_mode(
    ctx: Context, path: str, status: int, file: str | None = None, location: str | None = None
) -> None:
    response = await ctx.request("GET", path)
    ctx.expect_equal("status", response.status_code, status)
    if location is not None:
        resolved = urljoin(str(response.url), response.headers.get("location", ""))
        ctx.expect_equal("location", resolved, f"{ctx.target.base_url}/{location}")
    if file is not None:
        ctx.expect_equal("body", response.content, fixture_bytes(file))


async def method_refused(ctx: Context, method: str, path: str) -> None:
    response = await ctx.request(method, path)
    ctx.expect_equal("status", response.status_code, 405)


async def not_served(ctx: Context, path: str, status: int) -> None:
    response = await ctx.request("GET", path)
    ctx.expect_equal("status", response.status_code, status)


async def never_escapes(ctx: Context, target: bytes) -> None:
    """A raw request for an odd path: 400 or 404, never a 500, and no byte of a file outside the folder."""
    response = await ctx.raw("GET", target)
    ctx.observe("status", response.status)
    ctx.expect(
        response.status in (400, 404), f"status: expected 400 or 404, observed {response.status}"
    )
    leaked = [name for name, marker in OUTSIDE_MARKERS.items() if marker in response.body]
    ctx.expect_equal("leaked", leaked, [])


OUTSIDE_MARKERS = {
    "fixtures_app/application.py": b"def create_app",
    "fixtures_app/settings.py": b"ENV_PREFIX",
    "/etc/passwd": b"root:x:0:0",
}


async def raw_served(ctx: Context, target: bytes, file: str) -> None:
    response = await ctx.raw("GET", target)
    ctx.expect_equal("status", response.status, 200)
    ctx.expect_equal("body", response.body, fixture_bytes(file))


async def websocket_to_mount(ctx: Context) -> None:
    """A WebSocket handshake on the StaticFiles mount is refused with 403, never a 500."""
    try:
        async with await ctx.websocket("/static/hello.txt") as ws:
            await ws.receive(ctx.timeout(2.0))
        outcome = "accepted"
    except WebSocketRejected as exc:
        outcome = f"rejected {exc.status}"
    except WebSocketClosed as exc:
        outcome = f"closed {exc.code}"
    ctx.observe("outcome", outcome)
    ctx.expect(outcome == "rejected 403", f"the handshake ended {outcome}, not refused with 403")


def exact(
    label: str,
    path: str,
    file: str,
    content_type: str | tuple[str, ...],
    what: str,
    caught_by: tuple[str, ...],
) -> Case:
    return row(
        f"static.file.{label}",
        f"GET {what} from the StaticFiles mount at `{path}`.",
        f"200 with the file's exact bytes, its Content-Length and Content-Type {content_type!r}.",
        served_exact,
        DOC,
        path=path,
        file=file,
        content_type=content_type,
        caught_by=caught_by,
    )


FILES_SERVED = [
    exact(
        "text",
        "/static/hello.txt",
        "static/hello.txt",
        TEXT,
        "a UTF-8 text file",
        caught_by=("flip-response-byte", "drop-header:content-length"),
    ),
    exact(
        "binary",
        "/static/data.bin",
        "static/data.bin",
        "application/octet-stream",
        "a 4 KiB binary file",
        caught_by=("flip-response-byte", "drop-header:content-length"),
    ),
    exact(
        "png",
        "/static/pixel.png",
        "static/pixel.png",
        "image/png",
        "a PNG image",
        caught_by=("flip-response-byte", "drop-header:content-length"),
    ),
    exact(
        "css",
        "/static/style.css",
        "static/style.css",
        "text/css; charset=utf-8",
        "a stylesheet",
        caught_by=("flip-response-byte", "drop-header:content-length"),
    ),
    exact(
        "html",
        "/static/page.html",
        "static/page.html",
        "text/html; charset=utf-8",
        "an HTML page",
        caught_by=("flip-response-byte", "drop-header:content-length"),
    ),
    exact(
        "json",
        "/static/data.json",
        "static/data.json",
        "application/json",
        "a JSON file",
        caught_by=("flip-response-byte", "drop-header:content-length"),
    ),
    exact(
        "svg",
        "/static/icon.svg",
        "static/icon.svg",
        "image/svg+xml",
        "an SVG image",
        caught_by=("flip-response-byte", "drop-header:content-length"),
    ),
    exact(
        "javascript",
        "/static/app.js",
        "static/app.js",
        ("text/javascript; charset=utf-8", "application/javascript"),
        "a script",
        caught_by=("flip-response-byte", "drop-header:content-length"),
    ),
    exact(
        "empty",
        "/static/empty.txt",
        "static/empty.txt",
        TEXT,
        "an empty file",
        caught_by=("drop-header:content-length",),
    ),
    exact(
        "space-in-name",
        "/static/with%20space.txt",
        "static/with space.txt",
        TEXT,
        "a file whose name has a space",
        caught_by=("flip-response-byte", "drop-header:content-length"),
    ),
    exact(
        "unicode-name",
        "/static/" + quote("caf\u00e9.txt"),
        "static/caf\u00e9.txt",
        TEXT,
        "a file with a non-ASCII name",
        caught_by=("flip-response-byte", "drop-header:content-length"),
    ),
    exact(
        "nested",
        "/static/nested/deep/file.txt",
        "static/nested/deep/file.txt",
        TEXT,
        "a file two folders down",
        caught_by=("flip-response-byte", "drop-header:content-length"),
    ),
    exact(
        "html-mount-text",
        "/site/plain.txt",
        "site/plain.txt",
        TEXT,
        "a text file under the html=True mount",
        caught_by=("flip-response-byte", "drop-header:content-length"),
    ),
    row(
        "static.header.etag",
        "GET a static file and read its ETag.",
        "A strong entity tag: a quoted string, no W/ prefix.",
        validators_present,
        CONDITIONAL_RFC,
        header="etag",
        pattern=r'"[^"]+"',
        caught_by=("drop-header:etag",),
    ),
    row(
        "static.header.last-modified",
        "GET a static file and read its Last-Modified.",
        "An IMF-fixdate HTTP date (e.g. 'Sun, 06 Nov 1994 08:49:37 GMT').",
        validators_present,
        CONDITIONAL_RFC,
        header="last-modified",
        pattern=r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT",
        caught_by=("drop-header:last-modified",),
    ),
    row(
        "static.header.accept-ranges",
        "GET a static file where FileResponse serves ranges, and read Accept-Ranges.",
        "'Accept-Ranges: bytes' announces range support.",
        validators_present,
        RANGE_RFC,
        feature="file-range",
        header="accept-ranges",
        pattern="bytes",
        caught_by=("drop-header:accept-ranges",),
    ),
]


def conditional_case(
    label: str,
    headers: dict[str, str],
    status: int,
    why: str,
    method: str = "GET",
    *,
    caught_by: tuple[str, ...],
) -> Case:
    shown = ", ".join(f"{name}: {value}" for name, value in headers.items())
    return row(
        f"static.conditional.{label}",
        f"{method} a static file with `{shown}` (placeholders filled from a first GET).",
        f"{status}: {why}",
        conditional,
        CONDITIONAL_RFC,
        headers=headers,
        status=status,
        method=method,
        caught_by=caught_by,
    )


CONDITIONAL = [
    conditional_case(
        "etag-match",
        {"If-None-Match": "{etag}"},
        304,
        "the current ETag matches.",
        caught_by=(
            "drop-header:etag",
            "drop-header:last-modified",
            "drop-request-header:if-none-match",
        ),
    ),
    conditional_case(
        "etag-weak",
        {"If-None-Match": "W/{etag}"},
        304,
        "If-None-Match uses weak comparison.",
        caught_by=("drop-header:etag", "drop-header:last-modified"),
    ),
    conditional_case(
        "etag-list",
        {"If-None-Match": '"other", {etag}, "more"'},
        304,
        "one tag of the list matches.",
        caught_by=("drop-header:etag", "drop-header:last-modified"),
    ),
    conditional_case(
        "etag-star",
        {"If-None-Match": "*"},
        304,
        "`*` matches any current representation.",
        caught_by=("drop-header:etag", "drop-header:last-modified"),
    ),
    conditional_case(
        "etag-other",
        {"If-None-Match": '"not-the-etag"'},
        200,
        "no tag matches: the full file.",
        caught_by=("drop-header:etag", "drop-header:last-modified", "conditional-304"),
    ),
    conditional_case(
        "since-same",
        {"If-Modified-Since": "{lm}"},
        304,
        "not modified since that date.",
        caught_by=(
            "drop-header:etag",
            "drop-header:last-modified",
            "drop-request-header:if-modified-since",
        ),
    ),
    conditional_case(
        "since-later",
        {"If-Modified-Since": "{lm_later}"},
        304,
        "not modified since a later date.",
        caught_by=(
            "drop-header:etag",
            "drop-header:last-modified",
            "drop-request-header:if-modified-since",
        ),
    ),
    conditional_case(
        "since-earlier",
        {"If-Modified-Since": "{lm_earlier}"},
        200,
        "modified after that date.",
        caught_by=("drop-header:etag", "drop-header:last-modified", "conditional-304"),
    ),
    conditional_case(
        "since-invalid",
        {"If-Modified-Since": "yesterday"},
        200,
        "an invalid date is ignored.",
        caught_by=("drop-header:etag", "drop-header:last-modified", "conditional-304"),
    ),
    conditional_case(
        "etag-other-since-same",
        {"If-None-Match": '"not-the-etag"', "If-Modified-Since": "{lm}"},
        200,
        "If-None-Match takes precedence and does not match; If-Modified-Since is ignored.",
        caught_by=("drop-header:etag", "drop-header:last-modified", "conditional-304"),
    ),
    conditional_case(
        "etag-match-since-earlier",
        {"If-None-Match": "{etag}", "If-Modified-Since": "{lm_earlier}"},
        304,
        "If-None-Match takes precedence and matches.",
        caught_by=(
            "drop-header:etag",
            "drop-header:last-modified",
            "drop-request-header:if-none-match",
        ),
    ),
    conditional_case(
        "head-etag-match",
        {"If-None-Match": "{etag}"},
        304,
        "HEAD is conditional too.",
        method="HEAD",
        caught_by=(
            "drop-header:etag",
            "drop-header:last-modified",
            "drop-request-header:if-none-match",
        ),
    ),
]

HEAD = [
    row(
        f"static.head.{label}",
        f"HEAD and GET `{path}`.",
        f"HEAD answers {status} with GET's Content-Length, Content-Type, ETag and Last-Modified, and no body.",
        head_like_get,
        HEAD_RFC,
        path=path,
        status=status,
        caught_by=("soft-404",) if status == 404 else ("rewrite-status:200=299",),
    )
    for label, path, status in [
        ("text", "/static/hello.txt", 200),
        ("binary", "/static/data.bin", 200),
        ("missing", "/static/missing.txt", 404),
    ]
]


def range_case(
    label: str,
    header: str,
    statuses: tuple[int, ...],
    why: str,
    covers: list[tuple[int, int]] | None = None,
    feature: str | None = "file-range",
    *,
    caught_by: tuple[str, ...],
    passes_with: tuple[str, ...] = (),
    **extra: object,
) -> Case:
    return row(
        f"static.range.{label}",
        f"GET the 4096-byte static file with `Range: {header}`"
        + (f" and {extra['extra']}" if extra.get("extra") else "")
        + (f" ({extra['method']})" if extra.get("method") else "")
        + ".",
        why,
        ranged,
        RANGE_RFC,
        feature=feature,
        range_header=header,
        statuses=statuses,
        covers=covers,
        caught_by=caught_by + ((WHOLE_FILE_ASKED,) if answers_part(statuses, covers) else ()),
        passes_with=passes_with,
        **extra,
    )


# A proxy that asks for the whole file whatever range the client wanted: caught by every
# row whose 206 must hold exactly a part of the file.
WHOLE_FILE_ASKED = "set-request-header:range=bytes=0-"


def answers_part(statuses: tuple[int, ...], covers: list[tuple[int, int]] | None) -> bool:
    return statuses == (206,) and bool(covers) and covers != [(0, DATA_SIZE - 1)]


RANGES = [
    range_case(
        "single",
        "bytes=0-9",
        (206,),
        "206 with bytes 0-9 and 'Content-Range: bytes 0-9/4096'.",
        [(0, 9)],
        caught_by=("flip-response-byte", "drop-request-header:range"),
    ),
    range_case(
        "middle",
        "bytes=1000-1999",
        (206,),
        "206 with bytes 1000-1999.",
        [(1000, 1999)],
        caught_by=("flip-response-byte", "drop-request-header:range"),
    ),
    range_case(
        "suffix",
        "bytes=-10",
        (206,),
        "206 with the last 10 bytes.",
        [(4086, 4095)],
        caught_by=("flip-response-byte", "drop-request-header:range"),
    ),
    range_case(
        "open-ended",
        "bytes=4000-",
        (206,),
        "206 from byte 4000 to the end.",
        [(4000, 4095)],
        caught_by=("flip-response-byte", "drop-request-header:range"),
    ),
    range_case(
        "end-past-size",
        "bytes=4000-9999",
        (206,),
        "206: the end is clamped to the last byte.",
        [(4000, 4095)],
        caught_by=("flip-response-byte", "drop-request-header:range"),
    ),
    range_case(
        "suffix-past-size",
        "bytes=-5000",
        (206,),
        "206 with the whole file: a suffix longer than the file is clamped.",
        [(0, 4095)],
        caught_by=("flip-response-byte", "drop-request-header:range"),
    ),
    range_case(
        "last-byte",
        "bytes=4095-4095",
        (206,),
        "206 with exactly the last byte.",
        [(4095, 4095)],
        caught_by=("flip-response-byte", "drop-request-header:range"),
    ),
    range_case(
        "two",
        "bytes=0-1,10-11",
        (206,),
        "206 multipart/byteranges with both ranges, each with its Content-Range.",
        [(0, 1), (10, 11)],
        caught_by=("drop-request-header:range",),
    ),
    range_case(
        "overlapping",
        "bytes=0-5,3-9",
        (206,),
        "206 covering bytes 0-9 (a server may coalesce overlapping ranges).",
        [(0, 9)],
        caught_by=("flip-response-byte", "drop-request-header:range"),
    ),
    range_case(
        "fifty",
        ",".join(f"{n * 80}-{n * 80 + 9}" for n in range(50)).join(("bytes=", "")),
        (206,),
        "206 multipart/byteranges with all 50 ranges.",
        [(n * 80, n * 80 + 9) for n in range(50)],
        caught_by=("drop-request-header:range",),
    ),
    range_case(
        "too-many",
        ",".join(f"{n * 20}-{n * 20}" for n in range(150)).join(("bytes=", "")),
        (200, 206),
        "A server may ignore a Range with 150 ranges (200 with the whole file) or serve them (206).",
        None,
        feature=None,
        caught_by=("flip-response-byte",),
    ),
    range_case(
        "unsatisfiable",
        "bytes=5000-",
        (416,),
        "416 with 'Content-Range: bytes */4096'.",
        caught_by=("drop-request-header:range",),
    ),
    range_case(
        "malformed",
        "bytes=abc",
        (200, 400),
        "A server may ignore (200, whole file) or reject (400) an invalid range.",
        feature=None,
        caught_by=("rewrite-status:400=500",),
    ),
    range_case(
        "unknown-unit",
        "items=0-1",
        (200,),
        "200 with the whole file: a range unit the server does not understand MUST be ignored.",
        feature=None,
        caught_by=("flip-response-byte",),
        passes_with=("ignore-unknown-range-units",),
    ),
    range_case(
        "if-range-etag",
        "bytes=0-9",
        (206,),
        "206: If-Range holds the current ETag.",
        [(0, 9)],
        extra={"If-Range": "{etag}"},
        caught_by=("flip-response-byte", "drop-request-header:range"),
    ),
    range_case(
        "if-range-date",
        "bytes=0-9",
        (206,),
        "206: If-Range holds the current Last-Modified.",
        [(0, 9)],
        extra={"If-Range": "{lm}"},
        caught_by=("flip-response-byte", "drop-request-header:range"),
    ),
    range_case(
        "if-range-stale",
        "bytes=0-9",
        (200,),
        "200 with the whole file: If-Range does not match.",
        extra={"If-Range": '"stale"'},
        feature=None,
        caught_by=("flip-response-byte", "drop-request-header:if-range"),
    ),
    range_case(
        "if-range-weak",
        "bytes=0-9",
        (200,),
        "200 with the whole file: a weak tag never matches If-Range.",
        extra={"If-Range": "W/{etag}"},
        feature=None,
        caught_by=("flip-response-byte", "drop-request-header:if-range"),
    ),
    range_case(
        "head",
        "bytes=0-9",
        (206,),
        "206 with the range's Content-Range (bytes 0-9/4096) and Content-Length (10), and no body.",
        [(0, 9)],
        method="HEAD",
        caught_by=("drop-request-header:range", "drop-header:content-range"),
    ),
    range_case(
        "empty-file",
        "bytes=0-0",
        (416,),
        "416: an empty file has no byte 0.",
        file="static/empty.txt",
        caught_by=("drop-request-header:range",),
    ),
]


def html_mode_faults(status: int) -> tuple[str, ...]:
    """A page is caught by a flipped byte, a redirect by a rewritten status, a 404 page by both."""
    return {
        200: ("flip-response-byte",),
        307: ("rewrite-status:307=302",),
        404: ("flip-response-byte", "soft-404"),
    }[status]


HTML_MODE = (
    [
        row(
            f"static.html.{label}",
            f"GET `{path}` on the StaticFiles mount with html=True.",
            expectation,
            html_mode,
            STARLETTE_DOC,
            path=path,
            status=status,
            file=file,
            location=location,
            caught_by=html_mode_faults(status),
        )
        for label, path, status, file, location, expectation in [
            (
                "root-index",
                "/site/",
                200,
                "site/index.html",
                None,
                "200 with the folder's index.html.",
            ),
            (
                "folder-index",
                "/site/about/",
                200,
                "site/about/index.html",
                None,
                "200 with the sub-folder's index.html.",
            ),
            (
                "folder-no-slash",
                "/site/about",
                307,
                None,
                "site/about/",
                "307 to the folder's URL with its trailing slash.",
            ),
            (
                "mount-no-slash",
                "/site",
                307,
                None,
                "site/",
                "307 to the mount's URL with its trailing slash.",
            ),
            (
                "index-by-name",
                "/site/index.html",
                200,
                "site/index.html",
                None,
                "200 with index.html asked by name.",
            ),
            (
                "custom-404",
                "/site/missing.html",
                404,
                "site/404.html",
                None,
                "404 with the mount's own 404.html.",
            ),
            (
                "folder-without-index",
                "/site/nofolder-index/",
                404,
                "site/404.html",
                None,
                "404 with 404.html: a folder without index.html is not listed.",
            ),
        ]
    ]
    + [
        row(
            f"static.missing.{label}",
            f"GET `{path}` on the StaticFiles mount without html mode.",
            f"{status}: {why}",
            not_served,
            STARLETTE_DOC,
            path=path,
            status=status,
            caught_by=("soft-404",),
            passes_with=passes_with,
        )
        for label, path, status, why, passes_with in [
            ("file", "/static/missing.txt", 404, "a missing file is Not Found.", ()),
            ("folder", "/static/nested/", 404, "a folder is not listed without html mode.", ()),
            (
                "file-as-folder",
                "/static/hello.txt/",
                404,
                "a file's name with a trailing slash is Not Found.",
                ("not-found-with-trailing-slash",),
            ),
            (
                "case-differs",
                "/static/HELLO.TXT",
                404,
                "names are case-sensitive on the fixture's file system.",
                (),
            ),
        ]
    ]
    + [
        row(
            f"static.method.{method.lower()}",
            f"{method} a static file.",
            "405 Method Not Allowed: StaticFiles serves GET and HEAD only.",
            method_refused,
            STARLETTE_DOC,
            method=method,
            path="/static/hello.txt",
            caught_by=("rewrite-status:405=404",),
        )
        for method in ("POST", "PUT", "DELETE")
    ]
)

# Every odd path is caught by a soft 404; one that would leave the folder, also by a server
# that joins paths without a containment check.
NOT_FOUND = ("soft-404",)
ESCAPES = ("soft-404", "serve-outside-static")
TRAVERSAL = [
    row(
        f"static.traversal.{label}",
        f"Send `GET {target.decode('latin-1')!s}` byte for byte (no client-side normalisation).",
        "400 or 404, never a 500, and no byte of a file outside the static folder.",
        never_escapes,
        STARLETTE_DOC,
        needs=frozenset({RAW_HTTP}),
        target=target,
        caught_by=caught_by,
    )
    for label, target, caught_by in [
        ("dot-dot", b"/static/../application.py", ESCAPES),
        ("dot-dot-deep", b"/static" + b"/.." * 12 + b"/etc/passwd", ESCAPES),
        ("encoded-dots", b"/static/%2e%2e/application.py", ESCAPES),
        ("encoded-slash", b"/static/..%2fapplication.py", ESCAPES),
        ("encoded-all", b"/static/" + b"%2e%2e%2f" * 12 + b"etc%2fpasswd", ESCAPES),
        ("backslash", b"/static/..\\application.py", NOT_FOUND),
        ("encoded-backslash", b"/static/..%5capplication.py", NOT_FOUND),
        ("double-encoded", b"/static/%252e%252e/application.py", NOT_FOUND),
        ("absolute", b"/static//etc/passwd", ESCAPES),
        ("encoded-absolute", b"/static/%2fetc%2fpasswd", ESCAPES),
        ("nul-byte", b"/static/hello.txt%00.png", NOT_FOUND),
        ("long-name", b"/static/" + b"a" * 300 + b".txt", NOT_FOUND),
        ("into-other-mount", b"/site/../static/../application.py", NOT_FOUND),
        ("dot-dot-sibling", b"/static/../site/index.html", NOT_FOUND),
    ]
] + [
    row(
        "static.traversal.dot-segment-inside",
        "Send `GET /static/nested/../hello.txt` byte for byte.",
        "200 with hello.txt: a `..` that stays inside the folder resolves there.",
        raw_served,
        STARLETTE_DOC,
        needs=frozenset({RAW_HTTP}),
        target=b"/static/nested/../hello.txt",
        file="static/hello.txt",
        caught_by=("flip-response-byte",),
    ),
    row(
        "static.traversal.websocket",
        "Open a WebSocket to a file under the StaticFiles mount.",
        "The handshake is refused (403), never a 500.",
        websocket_to_mount,
        STARLETTE_DOC,
        needs=frozenset({WEBSOCKET}),
        caught_by=("deny-websocket:500", "deny-websocket:404"),
    ),
]

CASES = [*FILES_SERVED, *CONDITIONAL, *HEAD, *RANGES, *HTML_MODE, *TRAVERSAL, *OPTION_CASES]
