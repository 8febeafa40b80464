"""Custom responses: headers on a returned response, redirects and file downloads."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse

from fixtures_app.state import AppState

DOWNLOAD_SOURCE = "hello.txt"


def build(state: AppState) -> APIRouter:
    router = APIRouter(prefix="/responses", tags=["responses"])
    static_dir = state.settings.static_dir

    @router.get("/custom-header")
    def custom_header() -> JSONResponse:
        content = {"message": "Hello World"}
        headers = {"X-Cat-Dog": "alone in the world", "Content-Language": "en-US"}
        return JSONResponse(content=content, headers=headers)

    @router.get("/redirect")
    def redirect() -> RedirectResponse:
        return RedirectResponse("/responses/redirect-target?from=redirect")

    @router.get("/redirect-target")
    def redirect_target() -> dict[str, str]:
        return {"message": "redirected"}

    @router.get("/download")
    def download() -> FileResponse:
        return FileResponse(static_dir / DOWNLOAD_SOURCE, filename="report.txt")

    return router
