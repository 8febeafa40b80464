"""Forms: `Form()` parameters read from urlencoded (and multipart) bodies, and form models.

The routes follow the tutorial's login form (`username`, `password`), an alias,
a validated field, an optional field, and the form models of "Form Models"
(FastAPI 0.113, `extra="forbid"` 0.114), which exist only where the installed
FastAPI fills a model from form fields. Each answer echoes what the app received.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel

from fixtures_app.features import has_feature
from fixtures_app.state import AppState

LIMITED_FIELDS = 2


class FormData(BaseModel):
    username: str
    password: str


class StrictFormData(BaseModel):
    """The docs' model that forbids extra form fields (Pydantic 2's `model_config`)."""

    model_config = {"extra": "forbid"}
    username: str
    password: str


def build(state: AppState) -> APIRouter:
    router = APIRouter(prefix="/forms", tags=["forms"])

    @router.post("/login")
    async def login(username: str = Form(...), password: str = Form(...)) -> dict[str, str]:
        return {"username": username, "password": password}

    @router.post("/alias")
    async def alias(user_name: str = Form(..., alias="user-name")) -> dict[str, str]:
        return {"user_name": user_name}

    @router.post("/validated")
    async def validated(username: str = Form(..., min_length=3)) -> dict[str, str]:
        return {"username": username}

    @router.post("/optional")
    async def optional(
        nickname: str | None = Form(None), title: str = Form("untitled")
    ) -> dict[str, Any]:
        return {"nickname": nickname, "title": title}

    @router.post("/count")
    async def count(request: Request) -> dict[str, int]:
        form = await request.form()
        return {"fields": len(form)}

    if has_feature("form-model"):
        add_form_models(router)
    if has_feature("form-limits"):
        add_form_limits(router)
    return router


def add_form_models(router: APIRouter) -> None:
    @router.post("/model")
    async def model(data: Annotated[FormData, Form()]) -> dict[str, str]:
        return {"username": data.username, "password": data.password}

    @router.post("/model-forbid-extra")
    async def model_forbid(data: Annotated[StrictFormData, Form()]) -> dict[str, str]:
        return {"username": data.username, "password": data.password}


def add_form_limits(router: APIRouter) -> None:
    limits: dict[str, Any] = {"form_limits": {"max_fields": LIMITED_FIELDS}}

    @router.post("/limited", **limits)
    async def limited(
        a: str | None = Form(None), b: str | None = Form(None), c: str | None = Form(None)
    ) -> dict[str, str | None]:
        return {"a": a, "b": b, "c": c}
