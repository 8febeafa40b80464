"""Cookies and headers: `set_cookie`, `delete_cookie`, `Cookie()` and `Header()` as documented.

`/cookies/set-with` calls `response.set_cookie(**kwargs)` with exactly the keyword
arguments the client sends as JSON (only set_cookie's own names are accepted), so
every attribute and its default can be exercised. `expires` may be given as
`{"seconds": N}` (an int, as set_cookie takes it) or `{"datetime_in": N}` (a UTC
datetime N seconds from now), so no expected date goes stale.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.cookies import CookieError
from typing import Any

from fastapi import APIRouter, Body, Cookie, Header, HTTPException, Request, Response
from fastapi.responses import JSONResponse

from fixtures_app.state import AppState

SET_COOKIE_ARGS = {
    "key",
    "value",
    "max_age",
    "expires",
    "path",
    "domain",
    "secure",
    "httponly",
    "samesite",
    "partitioned",
}
DELETE_COOKIE_ARGS = SET_COOKIE_ARGS - {"value", "max_age", "expires"}
MAX_COOKIES = 50
TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


@contextmanager
def unsendable_as_422(what: str) -> Iterator[None]:
    """A name or value HTTP cannot carry (not a token, not Latin-1) is the client's error: 422, not 500."""
    try:
        yield
    except (CookieError, UnicodeEncodeError, ValueError) as exc:
        raise HTTPException(422, f"{what} cannot be sent in HTTP: {exc}") from exc


def cookie_kwargs(raw: dict[str, Any], allowed: set[str]) -> dict[str, Any]:
    unknown = set(raw) - allowed
    if unknown or "key" not in raw:
        raise HTTPException(422, f"needs 'key' and only {sorted(allowed)}; got {sorted(raw)}")
    kwargs = dict(raw)
    expires = kwargs.get("expires")
    if isinstance(expires, dict):
        if "seconds" in expires:
            kwargs["expires"] = int(expires["seconds"])
        else:
            kwargs["expires"] = datetime.now(UTC) + timedelta(seconds=int(expires["datetime_in"]))
    return kwargs


def build(state: AppState) -> APIRouter:
    router = APIRouter(tags=["cookies", "headers"])

    @router.get("/cookies/set")
    def set_cookie(response: Response, name: str, value: str) -> dict[str, str]:
        with unsendable_as_422("the cookie"):
            response.set_cookie(key=name, value=value)
        return {"set": name}

    @router.post("/cookies/set-with")
    def set_cookie_with(response: Response, kwargs: dict[str, Any] = Body(...)) -> dict[str, str]:
        response.set_cookie(**cookie_kwargs(kwargs, SET_COOKIE_ARGS))
        return {"set": kwargs["key"]}

    @router.post("/cookies/set-many")
    def set_many(response: Response, cookies: list[dict[str, Any]] = Body(...)) -> dict[str, int]:
        for kwargs in cookies[:MAX_COOKIES]:
            response.set_cookie(**cookie_kwargs(kwargs, SET_COOKIE_ARGS))
        return {"set": len(cookies)}

    @router.post("/cookies/delete")
    def delete_cookie(response: Response, kwargs: dict[str, Any] = Body(...)) -> dict[str, str]:
        response.delete_cookie(**cookie_kwargs(kwargs, DELETE_COOKIE_ARGS))
        return {"deleted": kwargs["key"]}

    @router.get("/cookies/read")
    def read_cookie(request: Request, session: str | None = Cookie(None)) -> dict[str, Any]:
        return {"session": session, "all": dict(request.cookies)}

    @router.get("/cookies/read-default")
    def read_cookie_default(theme: str = Cookie("light")) -> dict[str, str]:
        return {"theme": theme}

    @router.get("/cookies/read-alias")
    def read_cookie_alias(
        value: str | None = Cookie(None, alias="odd.name-v1"),
    ) -> dict[str, str | None]:
        return {"value": value}

    @router.get("/headers/user-agent")
    def read_user_agent(user_agent: str | None = Header(None)) -> dict[str, str | None]:
        return {"user_agent": user_agent}

    @router.get("/headers/echo")
    def echo_headers(
        x_token: list[str] | None = Header(None),
        x_custom_value: str | None = Header(None),
        strange_header: str | None = Header(None, convert_underscores=False),
    ) -> dict[str, Any]:
        return {
            "x_token": x_token,
            "x_custom_value": x_custom_value,
            "strange_header": strange_header,
        }

    @router.get("/headers/required")
    def required_header(x_required: str = Header(...)) -> dict[str, str]:
        return {"x_required": x_required}

    @router.get("/headers/default")
    def default_header(x_mode: str = Header("standard")) -> dict[str, str]:
        return {"x_mode": x_mode}

    @router.get("/headers/raw")
    def raw_headers(request: Request) -> dict[str, list[list[str]]]:
        return {
            "headers": [
                [k.decode("latin-1"), v.decode("latin-1")] for k, v in request.scope["headers"]
            ]
        }

    @router.get("/headers/response-param")
    def response_param(
        response: Response, name: str = "X-Param", value: str = "set-through-response"
    ) -> dict[str, str]:
        if not TOKEN.fullmatch(name) or any(c in value for c in "\r\n\0"):
            raise HTTPException(422, "the header name must be a token, the value one line")
        with unsendable_as_422("the header"):
            response.headers[name] = value
        return {"set": name}

    @router.post("/headers/json-body")
    def json_body(item: dict[str, Any] = Body(...)) -> dict[str, Any]:
        return {"received": item}

    @router.get("/cookies/returned-response")
    def returned_response_cookie(response: Response) -> JSONResponse:
        response.set_cookie(key="from-parameter", value="dropped")
        response.headers["X-From-Parameter"] = "dropped"
        response.status_code = 202
        returned = JSONResponse({"message": "Come to the dark side, we have cookies"})
        returned.set_cookie(key="fakesession", value="fake-cookie-session-value")
        returned.headers["X-From-Returned"] = "kept"
        return returned

    return router
