"""The `/_harness` observation endpoints: who this app is, and what its journal saw.

When a token is configured every endpoint here requires `X-Harness-Token`;
a wrong or missing token answers 401 and reveals nothing else.
"""

from __future__ import annotations

import hmac
import os
from typing import Any

from fastapi import APIRouter, Depends, Header, HTTPException

from fixtures_app.features import package_versions, probe_features, running_server
from fixtures_app.state import AppState

APP_NAME = "fastapi-conformance-fixtures"
PROTOCOL = 1
TOKEN_HEADER = "X-Harness-Token"


def build(state: AppState) -> APIRouter:
    def require_token(x_harness_token: str | None = Header(None)) -> None:
        expected = state.settings.token
        if expected and not hmac.compare_digest(x_harness_token or "", expected):
            raise HTTPException(401, f"missing or wrong {TOKEN_HEADER}")

    router = APIRouter(prefix="/_harness", dependencies=[Depends(require_token)])
    features, feature_errors = probe_features()

    @router.get("/info")
    def info() -> dict[str, Any]:
        return {
            "app": APP_NAME,
            "protocol": PROTOCOL,
            "versions": package_versions(),
            "server": running_server(state.settings.server),
            "features": features,
            "feature_errors": feature_errors,
            "limits": {
                "max_upload_bytes": state.settings.max_upload_bytes,
                "max_ws_clients": state.settings.max_ws_clients,
            },
            "faults": list(state.settings.faults),
            "middleware": state.middleware,
            "lifespan": {"started": state.lifespan_started},
            "journal_write_errors": state.journal.write_errors,
            "pid": os.getpid(),
        }

    @router.get("/lifespan")
    def lifespan() -> dict[str, bool]:
        """Whether the app's lifespan startup ran (the server ran the lifespan protocol)."""
        return {"started": state.lifespan_started}

    @router.get("/journal/{scope}")
    def journal(scope: str) -> dict[str, Any]:
        events = state.journal.read(scope)
        return {"scope": scope, "events": events, "lost": state.journal.lost.get(scope, 0)}

    return router
