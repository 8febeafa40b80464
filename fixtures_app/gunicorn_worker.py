"""A gunicorn worker class: uvicorn's, with the WebSocket message limit the harness serves with.

`uvicorn_worker.UvicornWorker` builds uvicorn's configuration from a fixed set of
gunicorn settings and leaves `ws_max_size` at uvicorn's 16 MiB default; its
`CONFIG_KWARGS` is the documented place to pass more. Kept apart from the app,
since importing it needs gunicorn and uvicorn-worker.
"""

from __future__ import annotations

from typing import Any, ClassVar

from uvicorn_worker import UvicornWorker

WS_MAX_SIZE = 64 * 1024 * 1024


class FixtureUvicornWorker(UvicornWorker):  # type: ignore[misc]
    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {
        **UvicornWorker.CONFIG_KWARGS,
        "ws_max_size": WS_MAX_SIZE,
    }
