"""Middleware: the docs' timing header, an error handler, and CORS."""

from __future__ import annotations

import time

from harness.case import Case, Context

MIDDLEWARE_DOC = "https://fastapi.tiangolo.com/tutorial/middleware/"
CORS_DOC = "https://fastapi.tiangolo.com/tutorial/cors/"


async def process_time_header(ctx: Context, path: str) -> None:
    started = time.perf_counter()
    response = await ctx.request("GET", path)
    elapsed = time.perf_counter() - started
    ctx.expect_equal("status", response.status_code, 200)
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


async def error_to_json(ctx: Context, path: str) -> None:
    response = await ctx.request("GET", path)
    ctx.expect_equal("status", response.status_code, 500)
    ctx.expect_equal("content-type", response.headers.get("content-type"), "application/json")
    ctx.expect_equal("body", ctx.json(response), {"error": "RuntimeError", "message": "boom"})


async def cors_preflight(ctx: Context, origin: str, method: str) -> None:
    headers = {"Origin": origin, "Access-Control-Request-Method": method}
    response = await ctx.request("OPTIONS", "/middleware/hello", headers=headers)
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal("allow-origin", response.headers.get("access-control-allow-origin"), "*")
    allowed = [
        m.strip() for m in response.headers.get("access-control-allow-methods", "").split(",")
    ]
    ctx.observe("allow-methods", allowed)
    ctx.expect(method in allowed, f"{method} is not in Access-Control-Allow-Methods {allowed}")


CASES = [
    Case(
        id="middleware.timing.process-time-json",
        description="GET a JSON route under the docs' `X-Process-Time` middleware.",
        expectation="X-Process-Time is a non-negative decimal number of seconds, not more than the client measured.",
        check=process_time_header,
        params={"path": "/middleware/hello"},
        reference=MIDDLEWARE_DOC,
    ),
    Case(
        id="middleware.errors.exception-to-json-500",
        description="GET a route that raises RuntimeError('boom') under an error-handling `@app.middleware('http')`.",
        expectation="The middleware turns the exception into a JSON 500 carrying the exception's type and message.",
        check=error_to_json,
        params={"path": "/middleware/boom"},
        reference=MIDDLEWARE_DOC,
    ),
    Case(
        id="middleware.cors.preflight.wildcard",
        description="OPTIONS preflight from https://example.org asking for PUT, under CORSMiddleware with allow_origins=['*'] and allow_methods=['*'].",
        expectation="200 with Access-Control-Allow-Origin '*' and PUT among Access-Control-Allow-Methods.",
        check=cors_preflight,
        params={"origin": "https://example.org", "method": "PUT"},
        reference=CORS_DOC,
    ),
]
