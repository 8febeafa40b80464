"""Middleware: the docs' timing, logging and error middlewares, their order, CORS, GZip,
TrustedHost and HTTPSRedirect, each checked on the wire and, where it happens out of
sight, through the journal.
"""

from __future__ import annotations

import time
from typing import Any

from harness.case import Context, row
from harness.errors import Unsupported
from harness.journal import has, names
from harness.targets.base import TLS

MIDDLEWARE_DOC = "https://fastapi.tiangolo.com/tutorial/middleware/"
ADVANCED_DOC = "https://fastapi.tiangolo.com/advanced/middleware/"
CORS_DOC = "https://fastapi.tiangolo.com/tutorial/cors/"
STARLETTE_CORS = "https://www.starlette.io/middleware/#corsmiddleware"
STRICT = "/cors-strict/resource"
ALLOWED_ORIGIN = "https://allowed.example"
LINE = "The quick brown fox jumps over the lazy dog. "


def csv(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


async def process_time_header(
    ctx: Context, path: str, status: int, headers: dict[str, str] | None = None
) -> None:
    started = time.perf_counter()
    response = await ctx.request("GET", path, headers=headers or {})
    elapsed = time.perf_counter() - started
    ctx.expect_equal("status", response.status_code, status)
    raw = response.headers.get("x-process-time")
    ctx.expect(raw is not None, "no X-Process-Time header")
    try:
        value = float(str(raw))
    except ValueError:
        value = -1.0
    ctx.observe("x-process-time.valid", 0 <= value <= elapsed)
    ctx.expect(
        0 <= value <= elapsed,
        f"X-Process-Time {raw!r} is not a number between 0 and the {elapsed:.6f} s the client measured",
    )


async def logged(ctx: Context, path: str, status: int) -> None:
    response = await ctx.request("GET", path)
    ctx.expect_equal("status", response.status_code, status)
    events = await ctx.journal(until=has("middleware.log"))
    logs = [e["detail"] for e in events if e["event"] == "middleware.log"]
    ctx.expect_equal("log.count", len(logs), 1)
    ctx.expect_equal("log.status", logs[0]["status"], status)
    ctx.expect_equal("log.path", logs[0]["url"].split("?")[0].endswith(path.split("?")[0]), True)


async def error_to_json(ctx: Context, path: str) -> None:
    response = await ctx.request("GET", path)
    ctx.expect_equal("status", response.status_code, 500)
    ctx.expect_equal("content-type", response.headers.get("content-type"), "application/json")
    ctx.expect_equal("body", ctx.json(response), {"error": "RuntimeError", "message": "boom"})


async def http_exception_untouched(ctx: Context) -> None:
    response = await ctx.request("GET", "/middleware/http-exception")
    ctx.expect_equal("status", response.status_code, 418)
    ctx.expect_equal("header.x-error", response.headers.get("x-error"), "teapot")
    ctx.expect_equal("body", ctx.json(response), {"detail": "I'm a teapot"})


async def stack_events(ctx: Context, event: str) -> list[str]:
    response = await ctx.request("GET", "/mw-order/ping")
    ctx.expect_equal("status", response.status_code, 200)
    events = await ctx.journal(until=lambda evs: sum(e["event"] == "mw.exit" for e in evs) >= 3)
    return [e["detail"]["name"] for e in events if e["event"] == event]


async def stack_enter(ctx: Context) -> None:
    ctx.expect_equal("mw.enter.order", await stack_events(ctx, "mw.enter"), ["c", "b", "a"])


async def stack_exit(ctx: Context) -> None:
    exits = ctx.observe("mw.exit.order", await stack_events(ctx, "mw.exit"))
    ctx.expect_equal("mw.exit.last", exits[-1] if exits else None, "c")


async def trail(ctx: Context) -> None:
    response = await ctx.request("GET", "/mw-order/ping")
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal("trail", response.headers.get_list("x-middleware-trail"), ["a", "b", "c"])


async def mounted_inside_main(ctx: Context) -> None:
    response = await ctx.request("GET", "/mw-order/ping")
    ctx.expect_equal("status", response.status_code, 200)
    events = await ctx.journal(until=has("middleware.log", "mw.exit"))
    order = [n for n in names(events) if n in ("mw.enter", "endpoint", "middleware.log")]
    ctx.expect_equal("order", order, ["mw.enter"] * 3 + ["endpoint", "middleware.log"])
    logs = [e["detail"]["status"] for e in events if e["event"] == "middleware.log"]
    ctx.expect_equal("log.statuses", logs, [200])


async def cors(
    ctx: Context,
    method: str,
    path: str,
    headers: dict[str, str],
    status: int,
    expected: dict[str, Any],
    body: str | None = None,
) -> None:
    response = await ctx.request(method, path, headers=headers)
    ctx.expect_equal("status", response.status_code, status)
    if body is not None:
        ctx.expect_equal("body", response.text, body)
    for name, value in expected.items():
        observed = response.headers.get(name)
        if isinstance(value, list):
            ctx.observe(name, csv(observed))
            missing = [v for v in value if v.lower() not in [o.lower() for o in csv(observed)]]
            ctx.expect(not missing, f"{name} {observed!r} lacks {missing}")
        else:
            ctx.expect_equal(name, observed, value)


async def gzipped(ctx: Context, path: str, accept: str, encoded: bool, text: str | None) -> None:
    response = await ctx.request("GET", path, headers={"Accept-Encoding": accept})
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal(
        "content-encoding", response.headers.get("content-encoding"), "gzip" if encoded else None
    )
    if encoded:
        ctx.expect(
            "accept-encoding" in [v.lower() for v in csv(response.headers.get("vary"))],
            "no Vary: Accept-Encoding",
        )
        ctx.expect(
            response.num_bytes_downloaded < len(response.content),
            "the gzip body is not smaller than the text",
        )
    if text is not None:
        ctx.expect_equal("body.sha-equal", response.text == text, True)


async def sse_not_compressed(ctx: Context) -> None:
    response = await ctx.request("GET", "/gzip/events", headers={"Accept-Encoding": "gzip"})
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal("content-encoding", response.headers.get("content-encoding"), None)


async def trusted(ctx: Context, host: str, status: int) -> None:
    response = await ctx.request("GET", "/trusted/ping", headers={"Host": host})
    ctx.expect_equal("status", response.status_code, status)
    if status == 400:
        ctx.expect_equal("body", response.text, "Invalid host header")


async def https_redirect(ctx: Context, query: str) -> None:
    if ctx.target.base_url.startswith("https://"):
        raise Unsupported("the target is reached over https, where there is nothing to redirect")
    response = await ctx.request("GET", f"/https-only/ping{query}")
    ctx.expect_equal("status", response.status_code, 307)
    location = response.headers.get("location", "")
    ctx.observe("location.scheme", location.split(":", 1)[0])
    ctx.expect(location.startswith("https://"), f"Location {location!r} is not https")
    ctx.expect(
        location.endswith(f"/https-only/ping{query}"),
        f"Location {location!r} lost the path or query",
    )


async def https_served(ctx: Context) -> None:
    response = await ctx.request("GET", "/https-only/ping")
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal("body", ctx.json(response), {"pong": "yes"})


def text(size: int) -> str:
    return (LINE * (size // len(LINE) + 1))[:size]


case = row
# A status rewritten as a meddling proxy would, one per status the logging cases see.
REWRITTEN_STATUS = {
    200: "rewrite-status:200=299",
    307: "rewrite-status:307=302",
    404: "rewrite-status:404=200",
    422: "rewrite-status:422=400",
    500: "rewrite-status:500=200",
}


PREFLIGHT = {"Origin": "https://example.org", "Access-Control-Request-Method": "PUT"}
STRICT_PREFLIGHT = {
    "Origin": ALLOWED_ORIGIN,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "X-Allowed",
}

CASES = [
    *(
        case(
            f"middleware.timing.process-time-{kind}",
            f"GET {what} under the docs' `X-Process-Time` middleware.",
            "X-Process-Time is a non-negative decimal number of seconds, not more than the client measured.",
            process_time_header,
            MIDDLEWARE_DOC,
            path=path,
            status=status,
            caught_by=("drop-header:x-process-time",),
        )
        for kind, what, path, status in [
            ("json", "a JSON route", "/middleware/hello", 200),
            ("streaming", "a StreamingResponse route", "/responses/stream", 200),
            ("file", "a FileResponse route", "/responses/file/hello.txt", 200),
            ("redirect", "a RedirectResponse route", "/responses/redirect", 307),
            ("not-found", "a path no route matches (404)", "/middleware/no-such-route", 404),
            (
                "validation-error",
                "a route whose required header is missing (422)",
                "/headers/required",
                422,
            ),
            ("error", "a route that raises (the error middleware's 500)", "/middleware/boom", 500),
        ]
    ),
    *(
        case(
            f"middleware.logging.status-{status}",
            f"GET {path} under the docs-style logging `@app.middleware('http')`.",
            f"The middleware sees the request exactly once, with its URL and the final status {status}.",
            logged,
            MIDDLEWARE_DOC,
            path=path,
            status=status,
            caught_by=(REWRITTEN_STATUS[status],),
        )
        for path, status in [
            ("/middleware/hello", 200),
            ("/responses/redirect", 307),
            ("/middleware/no-such-route", 404),
            ("/headers/required", 422),
            ("/middleware/boom", 500),
        ]
    ),
    case(
        "middleware.errors.exception-to-json-500",
        "GET a route that raises RuntimeError('boom') under an error-handling `@app.middleware('http')`.",
        "The middleware turns the exception into a JSON 500 carrying the exception's type and message.",
        error_to_json,
        MIDDLEWARE_DOC,
        path="/middleware/boom",
        caught_by=("rewrite-status:500=200",),
    ),
    case(
        "middleware.errors.http-exception-untouched",
        "GET a route raising HTTPException(418, headers={'X-Error': 'teapot'}) under the same middleware.",
        "HTTPException is handled inside FastAPI: 418, its detail and its header pass through the middleware untouched.",
        http_exception_untouched,
        MIDDLEWARE_DOC,
        caught_by=("rewrite-status:418=200",),
    ),
    case(
        "middleware.order.enter",
        "A sub-app adds middleware a, b, c in that order (add_middleware, @app.middleware, add_middleware).",
        "The last added runs outermost: the request enters c, then b, then a.",
        stack_enter,
        ADVANCED_DOC,
        caught_by=("rewrite-status:200=299",),
    ),
    case(
        "middleware.order.exit",
        "The same stack of three middlewares, leaving.",
        "The outermost, c, is the last to finish (a function middleware may return as soon as the response starts).",
        stack_exit,
        ADVANCED_DOC,
        caught_by=("rewrite-status:200=299",),
    ),
    case(
        "middleware.order.response-trail",
        "Each of the three middlewares appends its name to X-Middleware-Trail on the response.",
        "The response passes the middlewares from the inside out: the marks arrive in the order a, b, c.",
        trail,
        ADVANCED_DOC,
        caught_by=("rewrite-status:200=299", "drop-header:x-middleware-trail"),
    ),
    case(
        "middleware.order.mounted-inside-main",
        "GET a route of the mounted sub-app; the main app's logging middleware wraps the mount.",
        "The sub-app's middlewares and endpoint all run inside the main app's middleware, which logs after they exit.",
        mounted_inside_main,
        ADVANCED_DOC,
        caught_by=("rewrite-status:200=299",),
    ),
    case(
        "middleware.cors.preflight.wildcard",
        "OPTIONS preflight from https://example.org asking for PUT, under CORSMiddleware(allow_origins=['*'], allow_methods=['*'], allow_headers=['*']).",
        "200 with Access-Control-Allow-Origin '*' and PUT among Access-Control-Allow-Methods.",
        cors,
        CORS_DOC,
        method="OPTIONS",
        path="/middleware/hello",
        headers=PREFLIGHT,
        status=200,
        expected={"access-control-allow-origin": "*", "access-control-allow-methods": ["PUT"]},
        caught_by=("drop-header:access-control-allow-origin",),
    ),
    case(
        "middleware.cors.wildcard.simple-request",
        "GET with Origin: https://example.org under the wildcard policy.",
        "Access-Control-Allow-Origin '*' and no Access-Control-Allow-Credentials.",
        cors,
        CORS_DOC,
        method="GET",
        path="/middleware/hello",
        headers={"Origin": "https://example.org"},
        status=200,
        expected={"access-control-allow-origin": "*", "access-control-allow-credentials": None},
        caught_by=("drop-header:access-control-allow-origin",),
    ),
    case(
        "middleware.cors.wildcard.no-origin",
        "GET without an Origin header under the wildcard policy.",
        "Not a CORS request: no Access-Control-Allow-Origin.",
        cors,
        CORS_DOC,
        method="GET",
        path="/middleware/hello",
        headers={},
        status=200,
        expected={"access-control-allow-origin": None},
        caught_by=("add-response-header:access-control-allow-origin=*",),
    ),
    case(
        "middleware.cors.wildcard.preflight-any-header",
        "Preflight asking for a custom request header X-Anything under allow_headers=['*'].",
        "200 and the requested header is allowed.",
        cors,
        CORS_DOC,
        method="OPTIONS",
        path="/middleware/hello",
        headers={**PREFLIGHT, "Access-Control-Request-Headers": "X-Anything"},
        status=200,
        expected={"access-control-allow-headers": ["X-Anything"]},
        caught_by=("drop-header:access-control-allow-headers",),
    ),
    case(
        "middleware.cors.wildcard.preflight-not-a-route",
        "Preflight for a path no route matches, under the wildcard policy.",
        "CORSMiddleware answers the preflight itself: 200, whatever the routes.",
        cors,
        STARLETTE_CORS,
        method="OPTIONS",
        path="/middleware/no-such-route",
        headers=PREFLIGHT,
        status=200,
        expected={"access-control-allow-origin": "*"},
        caught_by=("drop-header:access-control-allow-origin",),
    ),
    case(
        "middleware.cors.strict.simple-allowed-origin",
        f"GET with Origin: {ALLOWED_ORIGIN} under an explicit policy with credentials.",
        "The origin is echoed, credentials allowed, X-Exposed exposed, and Vary includes Origin.",
        cors,
        CORS_DOC,
        method="GET",
        path=STRICT,
        headers={"Origin": ALLOWED_ORIGIN},
        status=200,
        expected={
            "access-control-allow-origin": ALLOWED_ORIGIN,
            "access-control-allow-credentials": "true",
            "access-control-expose-headers": ["X-Exposed"],
            "vary": ["Origin"],
        },
        caught_by=("drop-header:access-control-allow-origin",),
    ),
    case(
        "middleware.cors.strict.simple-other-origin",
        "GET with Origin: https://evil.example under the explicit policy.",
        "The response is served but carries no Access-Control-Allow-Origin.",
        cors,
        CORS_DOC,
        method="GET",
        path=STRICT,
        headers={"Origin": "https://evil.example"},
        status=200,
        expected={"access-control-allow-origin": None},
        caught_by=("add-response-header:access-control-allow-origin=*",),
    ),
    case(
        "middleware.cors.strict.preflight-allowed",
        "Preflight from the allowed origin for POST with header X-Allowed.",
        "200: the origin echoed, credentials true, GET and POST allowed, X-Allowed allowed, Max-Age 600.",
        cors,
        CORS_DOC,
        method="OPTIONS",
        path=STRICT,
        headers=STRICT_PREFLIGHT,
        status=200,
        expected={
            "access-control-allow-origin": ALLOWED_ORIGIN,
            "access-control-allow-credentials": "true",
            "access-control-allow-methods": ["GET", "POST"],
            "access-control-allow-headers": ["X-Allowed"],
            "access-control-max-age": "600",
        },
        caught_by=("drop-header:access-control-allow-origin",),
    ),
    case(
        "middleware.cors.preflight.disallowed-method",
        "Preflight from the allowed origin asking for DELETE (not allowed).",
        "400 with the text body 'Disallowed CORS method'.",
        cors,
        STARLETTE_CORS,
        method="OPTIONS",
        path=STRICT,
        headers={**STRICT_PREFLIGHT, "Access-Control-Request-Method": "DELETE"},
        status=400,
        expected={},
        body="Disallowed CORS method",
        caught_by=("rewrite-status:400=200", "flip-response-byte"),
    ),
    case(
        "middleware.cors.preflight.disallowed-header",
        "Preflight from the allowed origin asking for header X-Other (not allowed).",
        "400 with the text body 'Disallowed CORS headers'.",
        cors,
        STARLETTE_CORS,
        method="OPTIONS",
        path=STRICT,
        headers={**STRICT_PREFLIGHT, "Access-Control-Request-Headers": "X-Other"},
        status=400,
        expected={},
        body="Disallowed CORS headers",
        caught_by=("rewrite-status:400=200", "flip-response-byte"),
    ),
    case(
        "middleware.cors.preflight.disallowed-origin",
        "Preflight from https://evil.example.",
        "400 with the text body 'Disallowed CORS origin'.",
        cors,
        STARLETTE_CORS,
        method="OPTIONS",
        path=STRICT,
        headers={**STRICT_PREFLIGHT, "Origin": "https://evil.example"},
        status=400,
        expected={},
        body="Disallowed CORS origin",
        caught_by=("rewrite-status:400=200", "flip-response-byte"),
    ),
    case(
        "middleware.cors.preflight.header-case-insensitive",
        "Preflight asking for 'x-allowed' in lower case.",
        "Header names are case-insensitive: 200.",
        cors,
        STARLETTE_CORS,
        method="OPTIONS",
        path=STRICT,
        headers={**STRICT_PREFLIGHT, "Access-Control-Request-Headers": "x-allowed"},
        status=200,
        expected={"access-control-allow-origin": ALLOWED_ORIGIN},
        caught_by=("drop-header:access-control-allow-origin",),
    ),
    *(
        case(
            f"middleware.gzip.{slug}",
            description,
            expectation,
            gzipped,
            ADVANCED_DOC,
            path=path,
            accept=accept,
            encoded=encoded,
            text=body,
            caught_by=("rewrite-status:200=299",)
            + (("drop-request-header:accept-encoding",) if encoded else ()),
        )
        for slug, path, accept, encoded, body, description, expectation in [
            (
                "large-accepted",
                "/gzip/text/2000",
                "gzip",
                True,
                text(2000),
                "GET a 2000-byte text under GZipMiddleware(minimum_size=500), accepting gzip.",
                "Content-Encoding gzip, Vary Accept-Encoding, fewer bytes on the wire, decompressing to the original.",
            ),
            (
                "large-accepted-among-others",
                "/gzip/text/2000",
                "br;q=1.0, gzip;q=0.8, *;q=0.1",
                True,
                text(2000),
                "The same, with gzip among several accepted encodings.",
                "Compressed with gzip.",
            ),
            (
                "small",
                "/gzip/text/100",
                "gzip",
                False,
                text(100),
                "GET a 100-byte text, accepting gzip.",
                "Below minimum_size: sent uncompressed.",
            ),
            (
                "at-minimum-size",
                "/gzip/text/500",
                "gzip",
                True,
                text(500),
                "GET a text of exactly minimum_size (500 bytes).",
                "Compressed: only bodies smaller than minimum_size are left alone.",
            ),
            (
                "below-minimum-size",
                "/gzip/text/499",
                "gzip",
                False,
                text(499),
                "GET a text one byte below minimum_size.",
                "Sent uncompressed.",
            ),
            (
                "not-accepted",
                "/gzip/text/2000",
                "identity",
                False,
                text(2000),
                "GET the 2000-byte text, accepting only identity.",
                "Sent uncompressed.",
            ),
            (
                "other-encoding-only",
                "/gzip/text/2000",
                "br",
                False,
                text(2000),
                "GET the 2000-byte text, accepting only br.",
                "Sent uncompressed: GZipMiddleware only speaks gzip.",
            ),
            (
                "streaming",
                "/gzip/stream",
                "gzip",
                True,
                LINE * 100,
                "GET a StreamingResponse of 20 chunks, accepting gzip.",
                "The stream is compressed and decompresses to the original.",
            ),
        ]
    ),
    case(
        "middleware.gzip.server-sent-events",
        "GET a text/event-stream, accepting gzip.",
        "Event streams are not compressed, so each event reaches the client as it is sent.",
        sse_not_compressed,
        ADVANCED_DOC,
        caught_by=("rewrite-status:200=299",),
    ),
    *(
        case(
            f"middleware.trustedhost.{slug}",
            f"GET with Host: {host} under TrustedHostMiddleware(allowed_hosts=['allowed.example', '*.example.org']).",
            expectation,
            trusted,
            ADVANCED_DOC,
            host=host,
            status=status,
            caught_by=("set-request-header:host=evil.example",)
            if status == 200
            else ("rewrite-status:400=200", "set-request-header:host=allowed.example"),
        )
        for slug, host, status, expectation in [
            ("allowed", "allowed.example", 200, "An allowed host is served."),
            ("other", "evil.example", 400, "Any other host gets 400 'Invalid host header'."),
            ("with-port", "allowed.example:8443", 200, "The port is ignored when matching."),
            ("wildcard-subdomain", "api.example.org", 200, "A subdomain matches '*.example.org'."),
            (
                "wildcard-bare-domain",
                "example.org",
                400,
                "The bare domain does not match '*.example.org'.",
            ),
        ]
    ),
    case(
        "middleware.httpsredirect.http-to-https",
        "GET over http under HTTPSRedirectMiddleware.",
        "307 to the same URL with the https scheme.",
        https_redirect,
        ADVANCED_DOC,
        query="",
        caught_by=("rewrite-status:307=302", "drop-header:location"),
    ),
    case(
        "middleware.httpsredirect.https-served",
        "GET over https under HTTPSRedirectMiddleware.",
        "The request is served (200, {'pong': 'yes'}): a request that came over https is not redirected.",
        https_served,
        ADVANCED_DOC,
        needs=frozenset({TLS}),
        caught_by=("rewrite-status:200=299",),
    ),
    case(
        "middleware.httpsredirect.query-kept",
        "GET over http with a query string under HTTPSRedirectMiddleware.",
        "307 to the https URL with the path and query kept.",
        https_redirect,
        ADVANCED_DOC,
        query="?a=1&b=2",
        caught_by=("rewrite-status:307=302", "drop-header:location"),
    ),
]
