"""`Depends(scope="function")` (FastAPI 0.121): a yield dependency that exits before the response."""

from __future__ import annotations

from harness.case import Context, row
from harness.journal import came_before, first, has

SCOPE_DOC = "https://fastapi.tiangolo.com/tutorial/dependencies/dependencies-with-yield/#early-exit-and-scope"


async def function_scope(ctx: Context) -> None:
    response = await ctx.request("POST", "/background/function-scope-dependency")
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal("open_in_endpoint", ctx.json(response).get("open_in_endpoint"), True)
    events = await ctx.journal(until=has("request.done", "task.end"))
    ctx.expect(
        came_before(events, "dependency.exit", "response.started"),
        "the dependency's exit code ran after the response started",
    )
    task = first(events, "task.start")["detail"]
    ctx.expect_equal("task.resource_open", task.get("resource_open"), False)


MORE_CASES = [
    row(
        "background.yield.function-scope",
        "POST to a route whose yield dependency is declared `Depends(scope='function')` and hands its resource to a background task.",
        "The dependency's exit code runs when the endpoint returns, before the response starts, so the task later sees the resource closed.",
        function_scope,
        SCOPE_DOC,
        feature="depends-scope",
        caught_by=("rewrite-status:200=299",),
    ),
]
