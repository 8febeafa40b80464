"""Background tasks in every documented form; each task writes what it saw to the journal.

Tasks record `task.start` and `task.end` with their label, kind (async or sync)
and arguments. A task can wait for the client's go-ahead (`/background/release`),
written to the journal so it works across workers: a response held until its
tasks finish would then never reach the client, which the client sees as a hang.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import anyio
from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Query
from fastapi.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.background import BackgroundTask

from fixtures_app.features import has_feature
from fixtures_app.journal import Journal
from fixtures_app.observe import request_scope
from fixtures_app.state import AppState

MAX_TASKS = 500
MAX_WAIT_S = 10.0


class Tasks:
    """The task functions, bound to one journal."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def write_notification(self, scope: str, email: str, message: str = "") -> None:
        self.journal.record(scope, "task.start", task="write_notification")
        self.journal.record(
            scope, "task.end", task="write_notification", email=email, message=message
        )

    async def async_task(self, scope: str, index: int, *, label: str, extra: Any = None) -> None:
        self.journal.record(
            scope, "task.start", index=index, label=label, kind="async", extra=extra
        )
        await anyio.sleep(0)  # lets anything running beside this task show between start and end
        self.journal.record(scope, "task.end", index=index, label=label, kind="async")

    def sync_task(self, scope: str, index: int, *, label: str, extra: Any = None) -> None:
        self.journal.record(scope, "task.start", index=index, label=label, kind="sync", extra=extra)
        self.journal.record(scope, "task.end", index=index, label=label, kind="sync")

    def raising_task(self, scope: str, index: int, *, label: str) -> None:
        self.journal.record(scope, "task.start", index=index, label=label, kind="sync")
        raise RuntimeError(f"task {label} failed")

    async def async_raising_task(self, scope: str, index: int, *, label: str) -> None:
        self.journal.record(scope, "task.start", index=index, label=label, kind="async")
        raise RuntimeError(f"task {label} failed")

    async def waiting_task(self, scope: str, label: str) -> None:
        """Ends only after the client released this scope (or after MAX_WAIT_S)."""
        self.journal.record(scope, "task.start", label=label)
        deadline = time.monotonic() + MAX_WAIT_S
        while time.monotonic() < deadline:
            if any(event["event"] == "release" for event in self.journal.read(scope)):
                self.journal.record(scope, "task.end", label=label, released=True)
                return
            await asyncio.sleep(0.01)
        self.journal.record(scope, "task.end", label=label, released=False)

    def resource_task(self, scope: str, resource: dict[str, bool]) -> None:
        self.journal.record(
            scope, "task.start", label="uses-resource", resource_open=resource["open"]
        )
        self.journal.record(scope, "task.end", label="uses-resource")


def build(state: AppState) -> APIRouter:
    router = APIRouter(prefix="/background", tags=["background"])
    journal = state.journal
    tasks = Tasks(journal)

    def add_from_dependency(
        background_tasks: BackgroundTasks, scope: str = Depends(request_scope)
    ) -> str:
        background_tasks.add_task(tasks.sync_task, scope, 0, label="dependency")
        return scope

    def add_from_inner(
        background_tasks: BackgroundTasks, scope: str = Depends(request_scope)
    ) -> str:
        background_tasks.add_task(tasks.sync_task, scope, 0, label="inner-dependency")
        return scope

    def add_from_outer(
        background_tasks: BackgroundTasks, scope: str = Depends(add_from_inner)
    ) -> str:
        background_tasks.add_task(tasks.async_task, scope, 1, label="outer-dependency")
        return scope

    def failing_dependency(
        background_tasks: BackgroundTasks, scope: str = Depends(request_scope)
    ) -> str:
        background_tasks.add_task(tasks.sync_task, scope, 0, label="dependency")
        raise HTTPException(403, "the dependency refused")

    def yield_resource(scope: str = Depends(request_scope)) -> Iterator[dict[str, bool]]:
        resource = {"open": True}
        journal.record(scope, "dependency.enter")
        try:
            yield resource
        finally:
            resource["open"] = False
            journal.record(scope, "dependency.exit")

    @router.post("/send-notification/{email}")
    async def send_notification(
        email: str, background_tasks: BackgroundTasks, scope: str = Depends(request_scope)
    ) -> dict[str, str]:
        background_tasks.add_task(
            tasks.write_notification, scope, email, message="some notification"
        )
        return {"message": "Notification sent in the background"}

    @router.post("/tasks")
    async def many_tasks(
        background_tasks: BackgroundTasks,
        n: int = Query(1, ge=0, le=MAX_TASKS),
        kinds: str = "async,sync",
        scope: str = Depends(request_scope),
        request_id: int = 0,
    ) -> dict[str, int]:
        cycle = kinds.split(",")
        for index in range(n):
            task = tasks.async_task if cycle[index % len(cycle)] == "async" else tasks.sync_task
            background_tasks.add_task(
                task,
                scope,
                index,
                label=f"r{request_id}-t{index}",
                extra={"pos": [index], "kw": {"k": "v"}},
            )
        return {"added": n}

    @router.post("/dependency-and-endpoint")
    async def dependency_and_endpoint(
        background_tasks: BackgroundTasks, scope: str = Depends(add_from_dependency)
    ) -> dict[str, str]:
        background_tasks.add_task(tasks.sync_task, scope, 1, label="endpoint-1")
        background_tasks.add_task(tasks.async_task, scope, 2, label="endpoint-2")
        return {"ok": "yes"}

    @router.post("/nested-dependencies")
    async def nested_dependencies(
        background_tasks: BackgroundTasks, scope: str = Depends(add_from_outer)
    ) -> dict[str, str]:
        background_tasks.add_task(tasks.sync_task, scope, 2, label="endpoint")
        return {"ok": "yes"}

    @router.post("/raising-task")
    async def raising_task(
        background_tasks: BackgroundTasks, kind: str = "sync", scope: str = Depends(request_scope)
    ) -> dict[str, str]:
        raiser = tasks.async_raising_task if kind == "async" else tasks.raising_task
        background_tasks.add_task(tasks.sync_task, scope, 0, label="before")
        background_tasks.add_task(raiser, scope, 1, label="raises")
        background_tasks.add_task(tasks.sync_task, scope, 2, label="after")
        return {"ok": "response unaffected"}

    @router.post("/handler-raises")
    async def handler_raises(
        background_tasks: BackgroundTasks, scope: str = Depends(request_scope)
    ) -> dict[str, str]:
        background_tasks.add_task(tasks.sync_task, scope, 0, label="added-before-raise")
        raise RuntimeError("the handler failed")

    @router.post("/handler-http-exception")
    async def handler_http_exception(
        background_tasks: BackgroundTasks, scope: str = Depends(request_scope)
    ) -> dict[str, str]:
        background_tasks.add_task(tasks.sync_task, scope, 0, label="added-before-raise")
        raise HTTPException(418, "the handler refused")

    @router.post("/dependency-fails")
    async def dependency_fails(scope: str = Depends(failing_dependency)) -> dict[str, str]:
        return {"unreachable": scope}

    @router.post("/response-background")
    async def response_background(
        background_tasks: BackgroundTasks, scope: str = Depends(request_scope)
    ) -> JSONResponse:
        background_tasks.add_task(tasks.sync_task, scope, 0, label="injected")
        own = BackgroundTask(tasks.sync_task, scope, 1, label="own")
        return JSONResponse({"ok": "yes"}, background=own)

    @router.get("/response-kind/{kind}")
    async def response_kind(kind: str, scope: str = Depends(request_scope)) -> Response:
        task = BackgroundTask(tasks.sync_task, scope, 0, label=kind)
        if kind == "stream":
            return StreamingResponse(iter([b"a", b"b"]), background=task)
        if kind == "file":
            return FileResponse(state.settings.static_dir / "hello.txt", background=task)
        if kind == "redirect":
            return RedirectResponse("/background/done", background=task)
        if kind == "plain":
            return PlainTextResponse("done", background=task)
        raise HTTPException(404, "kinds: stream, file, redirect, plain")

    @router.post("/slow")
    async def slow(
        background_tasks: BackgroundTasks, scope: str = Depends(request_scope)
    ) -> dict[str, str]:
        background_tasks.add_task(tasks.waiting_task, scope, "waits-for-release")
        return {"ok": "sent before the task ends"}

    @router.post("/release")
    async def release(scope: str = Depends(request_scope)) -> dict[str, str]:
        journal.record(scope, "release")
        return {"released": scope}

    @router.post("/yield-dependency")
    async def with_yield_dependency(
        background_tasks: BackgroundTasks,
        resource: dict[str, bool] = Depends(yield_resource),
        scope: str = Depends(request_scope),
    ) -> dict[str, bool]:
        background_tasks.add_task(tasks.resource_task, scope, resource)
        return {"open_in_endpoint": resource["open"]}

    @router.get("/stream-with-yield-dependency")
    async def stream_with_yield(
        resource: dict[str, bool] = Depends(yield_resource), scope: str = Depends(request_scope)
    ) -> StreamingResponse:
        async def body() -> AsyncIterator[bytes]:
            for index in range(3):
                journal.record(scope, "stream.chunk", index=index, resource_open=resource["open"])
                yield f"chunk-{index};".encode()

        return StreamingResponse(
            body(), background=BackgroundTask(tasks.resource_task, scope, resource)
        )

    if has_feature("depends-scope"):
        add_function_scope_route(router, tasks, yield_resource)
    return router


def add_function_scope_route(
    router: APIRouter, tasks: Tasks, resource_dependency: Callable[..., Any]
) -> None:
    """The yield dependency again, declared with `Depends(scope="function")` (FastAPI 0.121)."""
    early: Any = Depends(resource_dependency, scope="function")

    @router.post("/function-scope-dependency")
    async def with_function_scope(
        background_tasks: BackgroundTasks,
        resource: dict[str, bool] = early,
        scope: str = Depends(request_scope),
    ) -> dict[str, bool]:
        background_tasks.add_task(tasks.resource_task, scope, resource)
        return {"open_in_endpoint": resource["open"]}
