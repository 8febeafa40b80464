"""Static files: the package's `static/` folder at `/static`, and `site/` at `/site` in HTML mode.

`/site` serves `index.html` for a folder, redirects a folder without its
trailing slash, and answers unknown paths with its own `404.html`. The other
mounts show one StaticFiles option each: `packages=` (`/static-package`, the
package's `site/` folder), `check_dir=False` on a folder that does not exist
(`/static-unchecked`), and symbolic links left alone (`/static-links`) or
followed (`/static-links-followed`) in a folder made at start-up, whose one link
points at a file outside it. `/static-info/...` reports what the app saw: the URL
`url_for` builds for a mounted file, and what StaticFiles did with a missing folder.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.staticfiles import StaticFiles

from fixtures_app.state import AppState

LINKED_TEXT = b"a file outside the mounted folder, reached through a symbolic link\n"
INSIDE_TEXT = b"a file inside the mounted folder\n"
MISSING_DIR = "no-such-folder-for-static-files"


def mount(app: FastAPI, state: AppState) -> None:
    app.mount("/static", StaticFiles(directory=state.settings.static_dir), name="static")
    app.mount("/site", StaticFiles(directory=state.settings.site_dir, html=True), name="site")
    app.mount("/static-package", StaticFiles(packages=[("fixtures_app", "site")]))
    missing = Path(tempfile.gettempdir()) / MISSING_DIR
    app.mount("/static-unchecked", StaticFiles(directory=missing, check_dir=False))
    links = linked_folder()
    app.mount("/static-links", StaticFiles(directory=links))
    app.mount("/static-links-followed", StaticFiles(directory=links, follow_symlink=True))


def linked_folder() -> Path:
    """A folder (made once per user and host) holding a file and a link to a file beside it."""
    base = Path(tempfile.gettempdir()) / f"fixtures_app-links-{os.getuid()}"
    folder, outside = base / "mounted", base / "outside.txt"
    folder.mkdir(parents=True, exist_ok=True)
    outside.write_bytes(LINKED_TEXT)
    (folder / "inside.txt").write_bytes(INSIDE_TEXT)
    link = folder / "linked.txt"
    if not link.is_symlink():
        link.symlink_to(outside)
    return folder


def raised_by(make: Callable[[], object], folder: Path) -> dict[str, Any]:
    """The exception `make()` raises (its class name, None for none) and whether it names `folder`."""
    try:
        make()
    except Exception as exc:
        return {"raised": type(exc).__name__, "names_folder": folder.name in str(exc)}
    return {"raised": None, "names_folder": False}


def construction_error() -> dict[str, Any]:
    """What StaticFiles(directory=<missing>) raises with the default check_dir=True."""
    missing = Path(tempfile.gettempdir()) / MISSING_DIR
    return raised_by(lambda: StaticFiles(directory=missing), missing)


def build(state: AppState) -> APIRouter:
    router = APIRouter(prefix="/static-info", tags=["static"])

    @router.get("/url-for")
    def url_for(request: Request, path: str = "/hello.txt") -> dict[str, Any]:
        return {"url": str(request.url_for("static", path=path))}

    @router.get("/check-dir")
    def check_dir() -> dict[str, Any]:
        return construction_error()

    return router
