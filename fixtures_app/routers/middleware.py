"""Middleware as the FastAPI docs show it: timing, request logging, error handling and CORS.

Stack, innermost first (the last added runs outermost): error handler,
`X-Process-Time`, request logging (to the journal), CORS with a wildcard policy.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from fixtures_app.observe import request_scope
from fixtures_app.state import AppState

CallNext = Callable[[Request], Awaitable[Response]]


def install(app: FastAPI, state: AppState) -> None:
    journal = state.journal

    @app.middleware("http")
    async def error_handler(request: Request, call_next: CallNext) -> Response:
        try:
            return await call_next(request)
        except Exception as exc:
            return JSONResponse({"error": type(exc).__name__, "message": str(exc)}, 500)

    @app.middleware("http")
    async def add_process_time_header(request: Request, call_next: CallNext) -> Response:
        start_time = time.perf_counter()
        response = await call_next(request)
        process_time = time.perf_counter() - start_time
        response.headers["X-Process-Time"] = str(process_time)
        return response

    @app.middleware("http")
    async def log_requests(request: Request, call_next: CallNext) -> Response:
        response = await call_next(request)
        scope = request_scope(request)
        if scope:
            journal.record(
                scope, "middleware.log", url=str(request.url), status=response.status_code
            )
        return response

    app.add_middleware(
        CORSMiddleware, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"]
    )


def build(state: AppState) -> APIRouter:
    router = APIRouter(prefix="/middleware", tags=["middleware"])

    @router.get("/hello")
    def hello() -> dict[str, str]:
        return {"message": "hello"}

    @router.get("/http-exception")
    def http_exception() -> dict[str, str]:
        raise HTTPException(418, "I'm a teapot", headers={"X-Error": "teapot"})

    @router.get("/boom")
    def boom() -> dict[str, str]:
        raise RuntimeError("boom")

    return router
