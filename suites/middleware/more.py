"""More middleware: CORS options (an origin regex, exposed headers, max_age, credentials with a
wildcard origin, private network access), GZip's compression level and the bodies it must leave
alone, TrustedHost's www redirect and host case, HTTPSRedirect for WebSockets, context variables
across BaseHTTPMiddleware, and what the app sees behind a proxy (forwarded headers, root_path).
"""

from __future__ import annotations

import gzip
from typing import Any
from urllib.parse import urlsplit

from harness.capabilities import FORWARDED_HEADERS, RAW_HTTP, REAL_SOCKET, WEBSOCKET_DENIAL
from harness.case import Context, row
from harness.errors import CaseFailed, Unsupported
from suites.wire import answer

CORS_DOC = "https://fastapi.tiangolo.com/tutorial/cors/#use-corsmiddleware"
STARLETTE_MW = "https://www.starlette.io/middleware/"
ADVANCED_MW = "https://fastapi.tiangolo.com/advanced/middleware/"
PROXY_DOC = "https://fastapi.tiangolo.com/advanced/behind-a-proxy/"
SUB_APPS_DOC = "https://fastapi.tiangolo.com/advanced/sub-applications/#technical-details-root_path"
REGEX = "/cors-variants/regex/resource"
WILDCARD = "/cors-variants/credentials-wildcard/resource"
PRIVATE = "/cors-variants/private-network/resource"
MATCHING = "https://app.example.org"
LINE = "The quick brown fox jumps over the lazy dog. "
NOT_COMPRESSED = "add-response-header:content-encoding=gzip"


def preflight(origin: str, **extra: str) -> dict[str, Any]:
    return {"headers": {"Origin": origin, "Access-Control-Request-Method": "GET", **extra}}


def root_path(ctx: Context) -> str:
    """The path prefix the target serves the app under ('' when at the root)."""
    return urlsplit(ctx.target.base_url).path.rstrip("/")


def decoded(ctx: Context, body: bytes) -> bytes:
    """A gzip body decoded; one that is not gzip fails the case."""
    try:
        return gzip.decompress(body)
    except (OSError, EOFError) as exc:
        raise CaseFailed(f"the body is not valid gzip: {exc}") from exc


async def raw_gzip(
    ctx: Context, path: str, headers: dict[str, str] | None = None
) -> tuple[Any, bytes]:
    """The response to a gzip-accepting GET, its body as it came (not decoded)."""
    streamed = await ctx.stream("GET", path, headers={"Accept-Encoding": "gzip", **(headers or {})})
    ctx.observe("content-encoding", streamed.headers.get("content-encoding"))
    return streamed, streamed.body


async def compresslevel(ctx: Context) -> None:
    fast, fast_body = await raw_gzip(ctx, "/gzip-fast/text/20000")
    best, best_body = await raw_gzip(ctx, "/gzip/text/20000")
    for name, answer_ in (("level-1", fast), ("level-9", best)):
        ctx.expect_equal(
            f"{name}.content-encoding", answer_.headers.get("content-encoding"), "gzip"
        )
    ctx.observe("sizes", {"level-1": len(fast_body), "level-9": len(best_body)})
    ctx.expect_equal("same-text", decoded(ctx, fast_body) == decoded(ctx, best_body), True)
    ctx.expect(len(fast_body) > len(best_body), "compresslevel=1 compressed as well as level 9")


async def left_alone(
    ctx: Context,
    path: str,
    status: int,
    encoding: str | None,
    headers: dict[str, str] | None = None,
) -> None:
    streamed, body = await raw_gzip(ctx, path, headers)
    ctx.expect_equal("status", streamed.status, status)
    ctx.expect_equal("content-encoding", streamed.headers.get("content-encoding"), encoding)
    if encoding == "gzip":
        ctx.expect_equal("decoded-once", decoded(ctx, body) == (LINE * 40).encode(), True)


async def www_redirect(ctx: Context) -> None:
    response = await ctx.request("GET", "/trusted-www/ping", headers={"Host": "example.org"})
    ctx.expect_equal("status", response.status_code, 307)
    location = urlsplit(response.headers.get("location", ""))
    ctx.expect_equal("location.host", location.netloc, "www.example.org")
    ctx.expect_equal("location.path", location.path, f"{root_path(ctx)}/trusted-www/ping")


async def websocket_redirect(ctx: Context) -> None:
    if ctx.target.base_url.startswith("https://"):
        raise Unsupported(
            "the target is reached over https (wss), where there is nothing to redirect"
        )
    upgrade = [
        ("Connection", "Upgrade, close"),
        ("Upgrade", "websocket"),
        ("Sec-WebSocket-Version", "13"),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
    ]
    response = await ctx.raw("GET", b"/https-only/ws", upgrade)
    ctx.expect_equal("status", response.status, 307)
    location = response.header("location") or ""
    ctx.observe("location", location)
    ctx.expect(location.startswith("wss://"), f"Location {location!r} is not wss://")
    ctx.expect(location.endswith("/https-only/ws"), f"Location {location!r} lost the path")


async def forwarded_redirect(ctx: Context) -> None:
    headers = {"X-Forwarded-Proto": "https"}
    response = await ctx.request("GET", "/proxy/items", headers=headers)
    ctx.expect_equal("status", response.status_code, 307)
    location = response.headers.get("location", "")
    ctx.observe("location", location)
    ctx.expect(location.startswith("https://"), f"the redirect {location!r} is not https")


async def sub_app_root_path(ctx: Context) -> None:
    response = await ctx.request("GET", "/proxy/sub/seen")
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal(
        "root_path", ctx.json(response).get("root_path"), f"{root_path(ctx)}/proxy/sub"
    )


async def openapi_servers(ctx: Context, path: str, mount: str) -> None:
    response = await ctx.request("GET", path)
    ctx.expect_equal("status", response.status_code, 200)
    prefix = root_path(ctx) + mount
    expected = [{"url": prefix}] if prefix else None
    ctx.expect_equal("servers", ctx.json(response).get("servers"), expected)


MORE_CASES = [
    row(
        "middleware.cors.regex.simple-matching",
        f"GET with `Origin: {MATCHING}` under `allow_origin_regex=r'https://[a-z0-9-]+\\.example\\.org'` and `expose_headers=['X-Exposed']`.",
        "Access-Control-Allow-Origin echoes the origin and Access-Control-Expose-Headers names X-Exposed.",
        answer,
        CORS_DOC,
        caught_by=(
            "drop-header:access-control-allow-origin",
            "drop-header:access-control-expose-headers",
        ),
        method="GET",
        path=REGEX,
        status=200,
        request={"headers": {"Origin": MATCHING}},
        headers={
            "access-control-allow-origin": MATCHING,
            "access-control-expose-headers": "X-Exposed",
        },
    ),
    row(
        "middleware.cors.regex.full-match-only",
        f"GET with `Origin: {MATCHING}.evil.test`, which the regex matches only as a prefix.",
        "No Access-Control-Allow-Origin: the regex must match the whole origin.",
        answer,
        CORS_DOC,
        caught_by=("add-response-header:access-control-allow-origin=*",),
        method="GET",
        path=REGEX,
        status=200,
        request={"headers": {"Origin": f"{MATCHING}.evil.test"}},
        headers={"access-control-allow-origin": None},
    ),
    row(
        "middleware.cors.regex.preflight-max-age",
        "Send a preflight from a matching origin to the app with `max_age=321`.",
        "200 with Access-Control-Max-Age: 321 and the origin allowed.",
        answer,
        CORS_DOC,
        caught_by=("drop-header:access-control-max-age",),
        method="OPTIONS",
        path=REGEX,
        status=200,
        request=preflight(MATCHING),
        headers={"access-control-max-age": "321", "access-control-allow-origin": MATCHING},
    ),
    row(
        "middleware.cors.credentials-wildcard.simple",
        "GET with `Origin: https://any.example` under `allow_origins=['*'], allow_credentials=True`.",
        "The origin is echoed (never `*`, which browsers refuse with credentials) with Access-Control-Allow-Credentials: true; the docs say this configuration is not allowed, Starlette accepts it.",
        answer,
        CORS_DOC,
        caught_by=("drop-header:access-control-allow-credentials", "rewrite-status:200=400"),
        method="GET",
        path=WILDCARD,
        status=200,
        request={"headers": {"Origin": "https://any.example"}},
        headers={
            "access-control-allow-origin": "https://any.example",
            "access-control-allow-credentials": "true",
        },
    ),
    row(
        "middleware.cors.credentials-wildcard.preflight",
        "Send a preflight from `https://any.example` to the same app.",
        "200 with the origin echoed and Access-Control-Allow-Credentials: true.",
        answer,
        CORS_DOC,
        caught_by=("drop-header:access-control-allow-credentials",),
        method="OPTIONS",
        path=WILDCARD,
        status=200,
        request=preflight("https://any.example"),
        headers={
            "access-control-allow-origin": "https://any.example",
            "access-control-allow-credentials": "true",
        },
    ),
    row(
        "middleware.cors.private-network.allowed",
        "Send a preflight with `Access-Control-Request-Private-Network: true` to an app with `allow_private_network=True`.",
        "200 with Access-Control-Allow-Private-Network: true.",
        answer,
        STARLETTE_MW + "#corsmiddleware",
        feature="cors-private-network",
        caught_by=("drop-header:access-control-allow-private-network",),
        method="OPTIONS",
        path=PRIVATE,
        status=200,
        request=preflight(
            "https://allowed.example", **{"Access-Control-Request-Private-Network": "true"}
        ),
        headers={"access-control-allow-private-network": "true"},
    ),
    row(
        "middleware.cors.private-network.refused",
        "Send the same private-network preflight to the strict app, which does not allow private network access.",
        "400: a private-network request is refused unless allowed.",
        answer,
        STARLETTE_MW + "#corsmiddleware",
        feature="cors-private-network",
        caught_by=("rewrite-status:400=200",),
        method="OPTIONS",
        path="/cors-strict/resource",
        status=400,
        request=preflight(
            "https://allowed.example", **{"Access-Control-Request-Private-Network": "true"}
        ),
    ),
    row(
        "middleware.gzip.compresslevel",
        "GET the same 20 000-byte text from GZipMiddleware(compresslevel=1) and from the default level 9.",
        "Both are gzip and decode to the same text; the level-1 body is the larger: compresslevel is applied.",
        compresslevel,
        ADVANCED_MW + "#gzipmiddleware",
        caught_by=("recompress-gzip:9",),
    ),
    row(
        "middleware.gzip.image-type",
        "GET a 1800-byte `image/png` response through GZipMiddleware with `Accept-Encoding: gzip`.",
        "No Content-Encoding: already-compressed types are passed as they are.",
        left_alone,
        STARLETTE_MW + "#gzipmiddleware",
        caught_by=(NOT_COMPRESSED,),
        path="/gzip/image",
        status=200,
        encoding=None,
    ),
    row(
        "middleware.gzip.already-encoded",
        "GET a response the route already gzip-encoded (`Content-Encoding: gzip`) through GZipMiddleware.",
        "Content-Encoding stays one `gzip` and the body decodes once to the text: nothing is compressed twice.",
        left_alone,
        STARLETTE_MW + "#gzipmiddleware",
        caught_by=("duplicate-response-headers",),
        path="/gzip/encoded",
        status=200,
        encoding="gzip",
    ),
    row(
        "middleware.gzip.partial-content",
        "GET `Range: bytes=0-999` of a 4096-byte file through GZipMiddleware with `Accept-Encoding: gzip`.",
        "206 without Content-Encoding: a partial response is never compressed.",
        left_alone,
        STARLETTE_MW + "#gzipmiddleware",
        feature="file-range",
        caught_by=(NOT_COMPRESSED,),
        path="/gzip/file",
        status=206,
        encoding=None,
        headers={"Range": "bytes=0-999"},
    ),
    row(
        "middleware.trustedhost.www-redirect",
        "GET with `Host: example.org` under `TrustedHostMiddleware(allowed_hosts=['www.example.org'])`.",
        "A 307 to the same path on www.example.org (www_redirect is on by default).",
        www_redirect,
        ADVANCED_MW + "#trustedhostmiddleware",
        caught_by=("rewrite-status:307=302", "drop-header:location"),
    ),
    row(
        "middleware.trustedhost.host-case",
        "GET with `Host: ALLOWED.EXAMPLE` where 'allowed.example' is allowed.",
        "200: host names are case-insensitive (RFC 9110 4.2.3).",
        answer,
        ADVANCED_MW + "#trustedhostmiddleware",
        caught_by=("set-request-header:host=evil.example",),
        method="GET",
        path="/trusted/ping",
        status=200,
        request={"headers": {"Host": "ALLOWED.EXAMPLE"}},
    ),
    row(
        "middleware.httpsredirect.websocket",
        "Open a ws:// handshake to a WebSocket route under HTTPSRedirectMiddleware.",
        "The handshake is answered 307 with a wss:// Location: ws is redirected like http.",
        websocket_redirect,
        ADVANCED_MW + "#httpsredirectmiddleware",
        # the redirect is sent as a denial response (websocket.http.response.start)
        needs=frozenset({REAL_SOCKET, RAW_HTTP, WEBSOCKET_DENIAL}),
        caught_by=("rewrite-status:307=302",),
    ),
    row(
        "middleware.context.base-http-middleware",
        "GET a route that sets a ContextVar, through an `@app.middleware('http')` that reads it after call_next.",
        "The middleware sees the variable unset: the endpoint runs in another context (Starlette's documented limitation).",
        answer,
        STARLETTE_MW + "#limitations",
        caught_by=("add-response-header:x-context-seen-by-base=set",),
        method="GET",
        path="/mw-context/set",
        status=200,
        headers={"x-context-seen-by-base": "unset"},
    ),
    row(
        "middleware.context.pure-asgi-middleware",
        "GET the same route through a pure ASGI middleware that reads the ContextVar when the response starts.",
        "The pure middleware sees the value the endpoint set.",
        answer,
        STARLETTE_MW + "#limitations",
        caught_by=("drop-header:x-context-seen-by-asgi",),
        method="GET",
        path="/mw-context/set",
        status=200,
        headers={"x-context-seen-by-asgi": "set"},
    ),
    row(
        "middleware.proxy.forwarded-proto",
        "GET `/proxy/items` (the route is `/proxy/items/`) with `X-Forwarded-Proto: https` from the trusted local address.",
        "A 307 to an https:// URL: the server applies the forwarded scheme (Uvicorn trusts 127.0.0.1 by default, --forwarded-allow-ips).",
        forwarded_redirect,
        PROXY_DOC + "#proxy-forwarded-headers",
        needs=frozenset({REAL_SOCKET, FORWARDED_HEADERS}),
        caught_by=("distrust-forwarded-headers",),
    ),
    row(
        "middleware.proxy.forwarded-for",
        "GET `/proxy/seen` with `X-Forwarded-For: 203.0.113.7` from the trusted local address.",
        "The app sees 203.0.113.7 as the client.",
        answer,
        PROXY_DOC + "#proxy-forwarded-headers",
        needs=frozenset({REAL_SOCKET, FORWARDED_HEADERS}),
        caught_by=("distrust-forwarded-headers",),
        method="GET",
        path="/proxy/seen",
        status=200,
        request={"headers": {"X-Forwarded-For": "203.0.113.7"}},
        json_keys={"client": "203.0.113.7"},
    ),
    row(
        "middleware.proxy.sub-app-root-path",
        "GET a route of a FastAPI sub-application mounted at `/proxy/sub`.",
        "Its root_path is the app's root path plus `/proxy/sub`.",
        sub_app_root_path,
        SUB_APPS_DOC,
        caught_by=("set-root-path:/elsewhere",),
    ),
    row(
        "middleware.proxy.sub-app-openapi-servers",
        "GET the sub-application's `/proxy/sub/openapi.json`.",
        "`servers` is `[{'url': <root path>/proxy/sub}]`, so its docs call the API where it is mounted.",
        openapi_servers,
        SUB_APPS_DOC,
        caught_by=("set-root-path:/elsewhere",),
        path="/proxy/sub/openapi.json",
        mount="/proxy/sub",
    ),
    row(
        "middleware.proxy.openapi-servers",
        "GET the main app's `/openapi.json`.",
        "With a root path, `servers` is `[{'url': root_path}]`; served at the root, there is no `servers` key.",
        openapi_servers,
        PROXY_DOC + "#additional-servers",
        caught_by=("set-root-path:/elsewhere",),
        path="/openapi.json",
        mount="",
    ),
]
