"""Cookies and headers: `set_cookie`, `Cookie()` and `Header()` as documented."""

from __future__ import annotations

from fastapi import APIRouter, Cookie, Header, Response

from fixtures_app.state import AppState


def build(state: AppState) -> APIRouter:
    router = APIRouter(tags=["cookies", "headers"])

    @router.get("/cookies/set")
    def set_cookie(response: Response, name: str, value: str) -> dict[str, str]:
        response.set_cookie(key=name, value=value)
        return {"set": name}

    @router.get("/cookies/read")
    def read_cookie(session: str | None = Cookie(None)) -> dict[str, str | None]:
        return {"session": session}

    @router.get("/headers/user-agent")
    def read_user_agent(user_agent: str | None = Header(None)) -> dict[str, str | None]:
        return {"user_agent": user_agent}

    return router
