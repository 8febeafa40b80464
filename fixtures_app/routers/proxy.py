"""Behind a proxy: what the app sees of the scheme, client and root path it is served under.

`/proxy/items/` is a path operation with a trailing slash, so `/proxy/items` is
redirected to it (the redirect's scheme and host come from the request as the
server saw it, after any trusted `X-Forwarded-*` headers); `/proxy/seen` answers
the scheme, client address and `root_path` the app saw; `/proxy/sub` is a mounted
FastAPI sub-application, whose `root_path` includes the mount path and whose
OpenAPI document names it in `servers`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request

from fixtures_app.state import AppState

SUB_APP_PATH = "/proxy/sub"


def seen(request: Request) -> dict[str, Any]:
    client = request.client
    return {
        "scheme": request.url.scheme,
        "client": client.host if client else None,
        "root_path": request.scope.get("root_path", ""),
    }


def build(state: AppState) -> APIRouter:
    router = APIRouter(prefix="/proxy", tags=["proxy"])

    @router.get("/items/")
    def items() -> dict[str, str]:
        return {"items": "listed"}

    @router.get("/seen")
    def seen_by_app(request: Request) -> dict[str, Any]:
        return seen(request)

    return router


def sub_app() -> FastAPI:
    sub = FastAPI(title="sub-application")

    @sub.get("/seen")
    def seen_by_sub_app(request: Request) -> dict[str, Any]:
        return seen(request)

    return sub


def mount(app: FastAPI, state: AppState) -> None:
    app.mount(SUB_APP_PATH, sub_app())
