"""Background tasks: when they run relative to the response, seen through the journal."""

from __future__ import annotations

from harness.case import Case, Context
from harness.journal import came_before, first, has

DOC = "https://fastapi.tiangolo.com/tutorial/background-tasks/"


async def task_after_response(ctx: Context, email: str) -> None:
    response = await ctx.request("POST", f"/background/send-notification/{email}")
    ctx.expect_equal("status", response.status_code, 200)
    events = await ctx.journal(until=has("response.finished", "task.end"))
    ctx.expect(
        came_before(events, "response.finished", "task.start"),
        "the task started before the response was finished",
    )
    arguments = first(events, "task.end")["detail"]
    ctx.expect_equal(
        "task.arguments",
        arguments,
        {"task": "write_notification", "email": email, "message": "some notification"},
    )


CASES = [
    Case(
        id="background.order.after-response",
        description="POST /send-notification/{email}, whose endpoint adds one task with a positional and a keyword argument.",
        expectation="The task starts only after the response is finished and receives both arguments intact.",
        check=task_after_response,
        params={"email": "someone@example.org"},
        reference=DOC,
    ),
]
