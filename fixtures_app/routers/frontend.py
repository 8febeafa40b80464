"""Frontends: `router.frontend()` (FastAPI 0.138) serving a built single-page app.

`/frontend` serves `fixtures_app/frontend/` (an `index.html`, `assets/app.js`,
`about/index.html`) with the default `fallback="auto"`, next to a path operation
under the same prefix; `/frontend-404` serves a folder that has a `404.html`;
`/frontend-guarded` is the first folder again behind a router dependency that
refuses requests without the `X-Frontend-Key` header and marks the answers it lets
through; `/frontend-info/check-dir` reports what `frontend()` raised for a missing
folder when the app was made. The routes exist only where the installed FastAPI has `frontend()`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Response

from fixtures_app.features import has_feature
from fixtures_app.routers.static import raised_by
from fixtures_app.settings import PACKAGE_DIR
from fixtures_app.state import AppState

FRONTEND_DIR = PACKAGE_DIR / "frontend"
WITH_404_DIR = PACKAGE_DIR / "frontend-404"
MISSING_DIR = PACKAGE_DIR / "no-such-frontend-build"
KEY = "open-sesame"


def require_key(response: Response, x_frontend_key: str | None = Header(None)) -> None:
    if x_frontend_key != KEY:
        raise HTTPException(401, "the frontend needs X-Frontend-Key")
    response.headers["X-Frontend-Guard"] = "passed"


def construction_error() -> dict[str, Any]:
    """What `frontend()` with a missing folder raises when the app is made (check_dir='auto')."""
    return raised_by(lambda: APIRouter().frontend("/", directory=MISSING_DIR), MISSING_DIR)


def include(app: FastAPI, state: AppState) -> None:
    if not has_feature("frontend"):
        return
    report = construction_error()
    info = APIRouter(prefix="/frontend-info")

    @info.get("/check-dir")
    def check_dir() -> dict[str, Any]:
        return report

    app.include_router(info)
    plain = APIRouter()

    @plain.get("/api/ping")
    def ping() -> dict[str, str]:
        return {"pong": "path operation"}

    plain.frontend("/", directory=FRONTEND_DIR)
    app.include_router(plain, prefix="/frontend")
    with_404 = APIRouter()
    with_404.frontend("/", directory=WITH_404_DIR)
    app.include_router(with_404, prefix="/frontend-404")
    guarded = APIRouter(dependencies=[Depends(require_key)])
    guarded.frontend("/", directory=FRONTEND_DIR)
    app.include_router(guarded, prefix="/frontend-guarded")
