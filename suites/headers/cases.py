"""Headers: `Header()` parameters read from the request."""

from __future__ import annotations

from harness.case import Case, Context

DOC = "https://fastapi.tiangolo.com/tutorial/header-params/"


async def user_agent(ctx: Context, value: str) -> None:
    response = await ctx.request("GET", "/headers/user-agent", headers={"User-Agent": value})
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal("user_agent", ctx.json(response), {"user_agent": value})


CASES = [
    Case(
        id="headers.read.user-agent",
        description="GET a route with a `user_agent: str | None = Header(None)` parameter, sending a User-Agent.",
        expectation="The parameter holds the User-Agent value: underscores become hyphens, case does not matter.",
        check=user_agent,
        params={"value": "conformance-probe/1.0 (+test)"},
        reference=DOC,
    ),
]
