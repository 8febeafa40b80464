"""Cookies: `set_cookie` as it arrives on the wire, parsed from the raw Set-Cookie header."""

from __future__ import annotations

from harness.case import Case, Context
from harness.cookies import parse_set_cookie

DOC = "https://fastapi.tiangolo.com/advanced/response-cookies/"


async def set_cookie_defaults(ctx: Context, name: str, value: str) -> None:
    response = await ctx.request("GET", "/cookies/set", params={"name": name, "value": value})
    ctx.expect_equal("status", response.status_code, 200)
    raw = response.headers.get_list("set-cookie")
    ctx.expect_equal("set-cookie.count", len(raw), 1)
    cookie = parse_set_cookie(raw[0])
    ctx.expect_equal("name", cookie.name, name)
    ctx.expect_equal("value", cookie.value, value)
    ctx.expect_equal("attributes", cookie.attributes, {"path": "/", "samesite": "lax"})


CASES = [
    Case(
        id="cookies.set.defaults",
        description="A route calls `response.set_cookie(key, value)` with no other argument.",
        expectation="One Set-Cookie header with the name and value, Path=/ and SameSite=lax, and no other attribute.",
        check=set_cookie_defaults,
        params={"name": "session", "value": "abc123"},
        reference=DOC,
    ),
]
