"""Static files: the package's `static/` folder mounted at `/static`."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from fixtures_app.state import AppState


def mount(app: FastAPI, state: AppState) -> None:
    app.mount("/static", StaticFiles(directory=state.settings.static_dir), name="static")
