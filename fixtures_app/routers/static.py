"""Static files: the package's `static/` folder at `/static`, and `site/` at `/site` in HTML mode.

`/site` serves `index.html` for a folder, redirects a folder without its
trailing slash, and answers unknown paths with its own `404.html`.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from fixtures_app.state import AppState


def mount(app: FastAPI, state: AppState) -> None:
    app.mount("/static", StaticFiles(directory=state.settings.static_dir), name="static")
    app.mount("/site", StaticFiles(directory=state.settings.site_dir, html=True), name="site")
