"""Parameter models: `Query`, `Header` and `Cookie` parameters declared as one Pydantic model.

The models are the docs' own (FastAPI 0.115): `FilterParams`, `CommonHeaders`,
`Cookies`, each also with `extra="forbid"`, a header model read with
`convert_underscores=False`, and a query model whose field has an alias. The
routes exist only where the installed FastAPI fills a model from parameters;
each answers the model as the app received it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Cookie, Header, Query
from pydantic import BaseModel, Field

from fixtures_app.features import has_feature
from fixtures_app.state import AppState

FORBID: Any = {"extra": "forbid"}


class FilterParams(BaseModel):
    limit: int = Field(100, gt=0, le=100)
    offset: int = Field(0, ge=0)
    order_by: Literal["created_at", "updated_at"] = "created_at"
    tags: list[str] = []


class StrictFilterParams(FilterParams):
    model_config = FORBID


class AliasedParams(BaseModel):
    page_size: int = Field(10, alias="page-size")


class CommonHeaders(BaseModel):
    save_data: bool = False
    if_modified_since: str | None = None
    traceparent: str | None = None
    x_tag: list[str] = []


class StrictHeaders(BaseModel):
    model_config = FORBID
    x_tag: list[str] = []


class Cookies(BaseModel):
    session_id: str
    fatebook_tracker: str | None = None
    googall_tracker: str | None = None


class StrictCookies(Cookies):
    model_config = FORBID


def build(state: AppState) -> APIRouter:
    router = APIRouter(prefix="/models", tags=["parameter models"])
    if has_feature("parameter-models"):
        add_query_models(router)
        add_header_models(router)
        add_cookie_models(router)
    return router


def add_query_models(router: APIRouter) -> None:
    @router.get("/query")
    def query(filter_query: Annotated[FilterParams, Query()]) -> dict[str, Any]:
        return filter_query.model_dump()

    @router.get("/query-forbid-extra")
    def query_forbid(filter_query: Annotated[StrictFilterParams, Query()]) -> dict[str, Any]:
        return filter_query.model_dump()

    @router.get("/query-alias")
    def query_alias(params: Annotated[AliasedParams, Query()]) -> dict[str, Any]:
        return {"page_size": params.page_size}


def add_header_models(router: APIRouter) -> None:
    @router.get("/headers")
    def headers(headers: Annotated[CommonHeaders, Header()]) -> dict[str, Any]:
        return headers.model_dump()

    @router.get("/headers-forbid-extra")
    def headers_forbid(headers: Annotated[StrictHeaders, Header()]) -> dict[str, Any]:
        return headers.model_dump()

    @router.get("/headers-no-convert")
    def headers_no_convert(
        headers: Annotated[CommonHeaders, Header(convert_underscores=False)],
    ) -> dict[str, Any]:
        return headers.model_dump()


def add_cookie_models(router: APIRouter) -> None:
    @router.get("/cookies")
    def cookies(cookies: Annotated[Cookies, Cookie()]) -> dict[str, Any]:
        return cookies.model_dump()

    @router.get("/cookies-forbid-extra")
    def cookies_forbid(cookies: Annotated[StrictCookies, Cookie()]) -> dict[str, Any]:
        return cookies.model_dump()
