"""The FastAPI application under test: every documented feature of the covered areas.

`fixtures_app:app` is a small ASGI callable that builds the real app from the
FIXTURES_* environment on its first call, so importing the package stays cheap
and every server's loader finds a plain module attribute (hypercorn evaluates
the name in the module's namespace; the others use getattr). `create_app(settings)`
builds another; `python -m fixtures_app` serves one.
"""

from __future__ import annotations

from fixtures_app.application import create_app
from fixtures_app.lazy import LazyApp
from fixtures_app.settings import Settings

__all__ = ["Settings", "app", "create_app"]

app = LazyApp(create_app)
