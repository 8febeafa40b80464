"""Background tasks: when and in what order they run, seen through the server's journal.

The journal's `response.finished` event is written by the outermost ASGI
wrapper when the last body message is handed to the server; tasks write
`task.start` and `task.end` with their labels and arguments.
"""

from __future__ import annotations

import asyncio
from typing import Any

from harness.case import Case, Context
from harness.errors import HarnessError
from harness.journal import Events, came_before, first, has, names
from harness.targets.base import REAL_SOCKET

DOC = "https://fastapi.tiangolo.com/tutorial/background-tasks/"
STARLETTE_DOC = "https://www.starlette.io/background/"
YIELD_DOC = "https://fastapi.tiangolo.com/tutorial/dependencies/dependencies-with-yield/"
ROUTING_SOURCE = "https://github.com/fastapi/fastapi/blob/master/fastapi/routing.py"


# The outermost wrapper waits this long before handing the last body message to the server, as
# with a slow client: a task that starts as soon as the body left the route's hands shows up.
SLOW_CLIENT = {"X-Harness-Send-Delay-Ms": "30"}
STARTED_EARLY = "started before the response was finished"


def ended(count: int) -> Any:
    return lambda events: sum(1 for e in events if e["event"] == "task.end") >= count


def labels(events: Events, event: str = "task.start") -> list[str]:
    return [e["detail"].get("label") for e in events if e["event"] == event]


def expect_after_response(ctx: Context, events: Events, what: str = "the task") -> None:
    """The one claim "tasks run after the response is sent", checked last in each case."""
    ctx.expect(came_before(events, "response.finished", "task.start"), f"{what} {STARTED_EARLY}")


async def settle(ctx: Context) -> Events:
    """The journal once the app's call for the request has returned: every task that was to run has run."""
    return await ctx.journal(until=lambda events: any(e["event"] == "request.done" for e in events))


async def task_after_response(ctx: Context, email: str) -> None:
    path = f"/background/send-notification/{email}"
    response = await ctx.request("POST", path, headers=SLOW_CLIENT)
    ctx.expect_equal("status", response.status_code, 200)
    events = await ctx.journal(until=has("response.finished", "task.end"))
    arguments = first(events, "task.end")["detail"]
    ctx.expect_equal(
        "task.arguments",
        arguments,
        {"task": "write_notification", "email": email, "message": "some notification"},
    )
    expect_after_response(ctx, events)


async def order(ctx: Context, n: int, kinds: str) -> None:
    params = {"n": n, "kinds": kinds}
    response = await ctx.request("POST", "/background/tasks", params=params, headers=SLOW_CLIENT)
    ctx.expect_equal("status", response.status_code, 200)
    events = await ctx.journal(until=ended(n))
    expected_kinds = [kinds.split(",")[i % len(kinds.split(","))] for i in range(n)]
    ctx.expect_equal("start.order", labels(events), [f"r0-t{i}" for i in range(n)])
    ctx.expect_equal(
        "kinds", [e["detail"]["kind"] for e in events if e["event"] == "task.start"], expected_kinds
    )
    ctx.expect_equal(
        "start-end.alternate",
        [name for name in names(events) if name.startswith("task.")],
        ["task.start", "task.end"] * n,
    )
    extras = [e["detail"]["extra"] for e in events if e["event"] == "task.start"]
    ctx.expect_equal("arguments", extras, [{"pos": [i], "kw": {"k": "v"}} for i in range(n)])
    expect_after_response(ctx, events, "a task")


async def merged(ctx: Context, path: str, expected: list[str]) -> None:
    response = await ctx.request("POST", path, headers=SLOW_CLIENT)
    ctx.expect_equal("status", response.status_code, 200)
    events = await ctx.journal(until=ended(len(expected)))
    ctx.expect_equal("task.order", labels(events), expected)
    expect_after_response(ctx, events, "a task")


async def raising(ctx: Context, kind: str) -> None:
    # The task's exception reaches the server, which may close the connection: do not reuse it.
    headers = {"Connection": "close"}
    response = await ctx.request(
        "POST", "/background/raising-task", params={"kind": kind}, headers=headers
    )
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal("body", ctx.json(response), {"ok": "response unaffected"})
    await ctx.journal(until=lambda events: "raises" in labels(events))
    events = await settle(ctx)
    ctx.expect_equal("tasks.started", labels(events), ["before", "raises"])


async def failed_request(ctx: Context, path: str, status: int, started: list[str]) -> None:
    response = await ctx.request("POST", path)
    ctx.expect_equal("status", response.status_code, status)
    events = await settle(ctx)
    ctx.expect_equal("tasks.started", labels(events), started)


async def response_kind(ctx: Context, kind: str) -> None:
    response = await ctx.request("GET", f"/background/response-kind/{kind}", headers=SLOW_CLIENT)
    ctx.expect_equal("status", response.status_code, 307 if kind == "redirect" else 200)
    await ctx.journal(until=ended(1))
    events = await settle(ctx)
    ctx.expect_equal("tasks.started", labels(events), [kind])
    expect_after_response(ctx, events)


async def response_background(ctx: Context) -> None:
    response = await ctx.request("POST", "/background/response-background", headers=SLOW_CLIENT)
    ctx.expect_equal("status", response.status_code, 200)
    await ctx.journal(until=ended(1))
    events = await settle(ctx)
    ctx.expect_equal("tasks.started", labels(events), ["own"])
    expect_after_response(ctx, events, "the response's own task")


async def send_then_release(ctx: Context, keep_alive: bool) -> None:
    headers = {} if keep_alive else {"Connection": "close"}
    try:
        response = await ctx.request(
            "POST", "/background/slow", headers=headers, timeout=ctx.timeout(5.0)
        )
    except HarnessError as exc:
        raise_held(ctx, exc)
    ctx.expect_equal("status", response.status_code, 200)


def raise_held(ctx: Context, exc: HarnessError) -> None:
    ctx.observe("response.held", True)
    ctx.expect(
        False,
        f"the response did not arrive while its task was still running: it is held until tasks end ({exc})",
    )


async def not_held(ctx: Context) -> None:
    await send_then_release(ctx, keep_alive=False)
    ctx.observe("response.held", False)
    await ctx.request("POST", "/background/release")
    events = await ctx.journal(until=ended(1))
    ctx.expect_equal("task.released", first(events, "task.end")["detail"].get("released"), True)


async def next_request_not_delayed(ctx: Context) -> None:
    await send_then_release(ctx, keep_alive=True)
    try:
        second = await ctx.request("GET", "/middleware/hello", timeout=ctx.timeout(5.0))
        ctx.expect_equal("second.status", second.status_code, 200)
    except HarnessError as exc:
        ctx.expect(
            False, f"a second request was delayed by the first request's running task ({exc})"
        )
    finally:
        await ctx.request("POST", "/background/release")
    await ctx.journal(until=ended(1))


async def yield_dependency(ctx: Context) -> None:
    response = await ctx.request("POST", "/background/yield-dependency", headers=SLOW_CLIENT)
    ctx.expect_equal("status", response.status_code, 200)
    events = await ctx.journal(until=has("task.end", "dependency.exit", "response.finished"))
    ctx.observe(
        "order",
        [
            n
            for n in names(events)
            if n in ("dependency.exit", "response.finished", "task.start", "task.end")
        ],
    )
    ctx.expect_equal(
        "task.resource_open", first(events, "task.start")["detail"]["resource_open"], True
    )
    ctx.expect(
        came_before(events, "task.end", "dependency.exit"),
        "the dependency exited before the task ended",
    )


async def stream_yield_dependency(ctx: Context) -> None:
    path = "/background/stream-with-yield-dependency"
    response = await ctx.request("GET", path, headers=SLOW_CLIENT)
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal("body", response.content, b"chunk-0;chunk-1;chunk-2;")
    events = await ctx.journal(until=has("task.end", "dependency.exit", "response.finished"))
    ctx.observe(
        "order",
        [
            n
            for n in names(events)
            if n in ("dependency.exit", "response.finished", "task.start", "task.end")
        ],
    )
    chunks_open = [e["detail"]["resource_open"] for e in events if e["event"] == "stream.chunk"]
    ctx.expect_equal("chunks.resource_open", chunks_open, [True, True, True])
    ctx.expect_equal(
        "task.resource_open", first(events, "task.start")["detail"]["resource_open"], True
    )
    expect_after_response(ctx, events, "the stream's background task")


async def load(ctx: Context, requests: int, per_request: int) -> None:
    async def one(request_id: int) -> int:
        response = await ctx.request(
            "POST", "/background/tasks", params={"n": per_request, "request_id": request_id}
        )
        return response.status_code

    statuses = await asyncio.gather(*(one(i) for i in range(requests)))
    ctx.expect_equal("statuses", sorted(set(statuses)), [200])
    total = requests * per_request
    events = await ctx.journal(until=ended(total), timeout=20.0)
    started = labels(events)
    ctx.expect_equal("tasks.started", len(started), total)
    ctx.expect_equal("tasks.unique", len(set(started)), total)
    ctx.expect_equal("tasks.ended", len(labels(events, "task.end")), total)


ORDER_ROWS = [
    (1, "async,sync"),
    (2, "async,sync"),
    (5, "async,sync"),
    (20, "async,sync"),
    (100, "async,sync"),
    (5, "async"),
    (20, "async"),
    (5, "sync"),
    (20, "sync"),
    (50, "sync,async"),
]

CASES = [
    Case(
        id="background.order.after-response",
        description="POST /send-notification/{email}, whose endpoint adds one task with a positional and a keyword argument.",
        expectation="The task starts only after the response is finished and receives both arguments intact.",
        check=task_after_response,
        params={"email": "someone@example.org"},
        reference=DOC,
        caught_by=("hold-response", "rewrite-status:200=299"),
    ),
    *(
        Case(
            id=f"background.order.tasks-{n}"
            + ("" if kinds == "async,sync" else f"-{kinds.replace(',', '-')}"),
            description=f"An endpoint adds {n} tasks ({kinds.replace(',', ' and ')} functions in turn), each with a positional and keyword arguments.",
            expectation="Tasks run one after another in the order added, after the response, each with its arguments intact.",
            check=order,
            params={"n": n, "kinds": kinds},
            reference=DOC,
            caught_by=("hold-response", "rewrite-status:200=299")
            + (("concurrent-background-tasks",) if n > 2 and "async" in kinds else ()),
        )
        for n, kinds in ORDER_ROWS
    ),
    Case(
        id="background.order.dependency-then-endpoint",
        description="A dependency adds a task to the injected BackgroundTasks, then the endpoint adds two more.",
        expectation="One BackgroundTasks object is shared: the dependency's task runs first, then the endpoint's, in order.",
        check=merged,
        params={
            "path": "/background/dependency-and-endpoint",
            "expected": ["dependency", "endpoint-1", "endpoint-2"],
        },
        reference=DOC + "#dependency-injection",
        caught_by=("hold-response", "rewrite-status:200=299"),
    ),
    Case(
        id="background.order.nested-dependencies",
        description="A sub-dependency, its dependant and the endpoint each add one task.",
        expectation="Tasks run in the order the dependencies were solved: inner, outer, endpoint.",
        check=merged,
        params={
            "path": "/background/nested-dependencies",
            "expected": ["inner-dependency", "outer-dependency", "endpoint"],
        },
        reference=DOC + "#dependency-injection",
        caught_by=("hold-response", "rewrite-status:200=299"),
    ),
    *(
        Case(
            id=f"background.errors.{kind}-task-raises",
            description=f"An endpoint adds three tasks; the second, a plain {'async def' if kind == 'async' else 'def'} function, raises an exception.",
            expectation="The client's response is unaffected (200); the first task runs, the second starts, and the third never runs.",
            check=raising,
            params={"kind": kind},
            reference=STARLETTE_DOC,
            caught_by=("rewrite-status:200=299",),
        )
        for kind in ("sync", "async")
    ),
    *(
        Case(
            id=f"background.response-kind.{kind}",
            description=f"A route returns a {cls} with background=BackgroundTask(...).",
            expectation="The task runs once, after that response is finished.",
            check=response_kind,
            params={"kind": kind},
            reference=STARLETTE_DOC,
            caught_by=("hold-response",)
            + (() if kind == "redirect" else ("rewrite-status:200=299",)),
        )
        for kind, cls in (
            ("stream", "StreamingResponse"),
            ("file", "FileResponse"),
            ("redirect", "RedirectResponse"),
            ("plain", "PlainTextResponse"),
        )
    ),
    Case(
        id="background.order.tasks-0",
        description="An endpoint takes BackgroundTasks but adds no task.",
        expectation="The response is sent and no task runs.",
        check=failed_request,
        params={"path": "/background/tasks?n=0", "status": 200, "started": []},
        reference=DOC,
        caught_by=("rewrite-status:200=299",),
    ),
    Case(
        id="background.errors.handler-raises",
        description="An endpoint adds a task and then raises RuntimeError (the error middleware answers 500).",
        expectation="No response carries the tasks, so the task added before the exception never runs.",
        check=failed_request,
        params={"path": "/background/handler-raises", "status": 500, "started": []},
        reference=DOC,
        caught_by=("rewrite-status:500=200",),
    ),
    Case(
        id="background.errors.handler-http-exception",
        description="An endpoint adds a task and then raises HTTPException(418).",
        expectation="The exception handler's response has no background: the task never runs.",
        check=failed_request,
        params={"path": "/background/handler-http-exception", "status": 418, "started": []},
        reference=DOC,
        caught_by=("rewrite-status:418=200",),
    ),
    Case(
        id="background.errors.dependency-fails",
        description="A dependency adds a task and then raises HTTPException(403).",
        expectation="The request fails with 403 and the dependency's task never runs.",
        check=failed_request,
        params={"path": "/background/dependency-fails", "status": 403, "started": []},
        reference=DOC,
        caught_by=("rewrite-status:403=200",),
    ),
    Case(
        id="background.response.own-background-wins",
        description="An endpoint adds a task through BackgroundTasks and returns JSONResponse(background=BackgroundTask(...)).",
        expectation="A returned response keeps its own background: only its task runs, after the response; the injected task is dropped.",
        check=response_background,
        reference=ROUTING_SOURCE,
        caught_by=("hold-response",),
    ),
    Case(
        id="background.middleware.response-not-held",
        description="With the docs' @app.middleware('http') stack, an endpoint adds a task that waits until the client, having got the response, releases it.",
        expectation="The response reaches the client while the task is still running; the task then ends after the release.",
        check=not_held,
        needs=frozenset({REAL_SOCKET}),
        reference=DOC,
        caught_by=("hold-response",),
    ),
    Case(
        id="background.middleware.next-request-not-delayed",
        description="While the first request's task still runs, a second request is sent (on a kept-alive connection where the client reuses one).",
        expectation="The second request is answered without waiting for the first request's task.",
        check=next_request_not_delayed,
        needs=frozenset({REAL_SOCKET}),
        reference=DOC,
        caught_by=("hold-response",),
    ),
    Case(
        id="background.yield.task-sees-resource",
        description="A dependency with yield provides a resource; the endpoint hands it to a background task.",
        expectation="The dependency's exit code runs after the background task ended, so the task sees the resource still open.",
        check=yield_dependency,
        reference=YIELD_DOC,
        caught_by=("rewrite-status:200=299",),
    ),
    Case(
        id="background.yield.streaming-response",
        description="A StreamingResponse with its own background task, in an endpoint with a yield dependency.",
        expectation="Every chunk and the task see the resource open; the task runs after the stream is finished.",
        check=stream_yield_dependency,
        reference=YIELD_DOC,
        caught_by=("hold-response", "rewrite-status:200=299"),
    ),
    *(
        Case(
            id=f"background.load.requests-{requests}",
            description=f"{requests} concurrent requests each add {per_request} tasks.",
            expectation="Every task runs exactly once: none lost, none duplicated.",
            check=load,
            params={"requests": requests, "per_request": per_request},
            alone=requests >= 200,
            timeout_s=60.0,
            reference=DOC,
            caught_by=("rewrite-status:200=299",),
        )
        for requests, per_request in ((20, 5), (200, 2))
    ),
]
