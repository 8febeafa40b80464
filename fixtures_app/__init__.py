"""The FastAPI application under test: every documented feature of the covered areas.

`fixtures_app:app` is built on first access from the FIXTURES_* environment;
`create_app(settings)` builds another; `python -m fixtures_app` serves one.
"""

from __future__ import annotations

from typing import Any

from fixtures_app.app import create_app
from fixtures_app.settings import Settings

__all__ = ["Settings", "app", "create_app"]

_app: Any = None


def __getattr__(name: str) -> Any:
    global _app
    if name != "app":
        raise AttributeError(f"module 'fixtures_app' has no attribute {name!r}")
    if _app is None:
        _app = create_app()
    return _app
