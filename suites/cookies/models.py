"""Cookie parameter models (FastAPI 0.115) and cookies of a Response the route returns itself."""

from __future__ import annotations

from harness.case import row
from suites.wire import answer

COOKIE_MODELS_DOC = "https://fastapi.tiangolo.com/tutorial/cookie-param-models/"
RESPONSE_COOKIES_DOC = (
    "https://fastapi.tiangolo.com/advanced/response-cookies/#return-a-response-directly"
)
STARLETTE_COOKIES = "https://www.starlette.io/responses/#set-cookie"
NO_TRACKERS = {"fatebook_tracker": None, "googall_tracker": None}


def cookie_header(value: str) -> dict[str, object]:
    return {"headers": {"Cookie": value}}


MODEL_CASES = [
    row(
        "cookies.model.fields",
        "GET a route with `cookies: Annotated[Cookies, Cookie()]`, sending `session_id=abc123; fatebook_tracker=tracked`.",
        "Each field holds its cookie; the unsent one keeps its default None.",
        answer,
        COOKIE_MODELS_DOC,
        feature="parameter-models",
        caught_by=("drop-request-header:cookie",),
        method="GET",
        path="/models/cookies",
        status=200,
        request=cookie_header("session_id=abc123; fatebook_tracker=tracked"),
        body_json={**NO_TRACKERS, "session_id": "abc123", "fatebook_tracker": "tracked"},
    ),
    row(
        "cookies.model.missing-required",
        "GET the cookie model without the required `session_id` cookie.",
        "422 with a validation error at ['cookie', 'session_id'].",
        answer,
        COOKIE_MODELS_DOC,
        feature="parameter-models",
        caught_by=("rewrite-status:422=200",),
        method="GET",
        path="/models/cookies",
        status=422,
        request=cookie_header("fatebook_tracker=tracked"),
        errors=[(["cookie", "session_id"], None)],
    ),
    row(
        "cookies.model.forbid-extra",
        "Send `session_id=abc123; santa_tracker=good-list-please` to a cookie model with `extra='forbid'`.",
        "422 with an 'extra_forbidden' error at ['cookie', 'santa_tracker'].",
        answer,
        COOKIE_MODELS_DOC + "#forbid-extra-cookies",
        feature="parameter-models",
        caught_by=("rewrite-status:422=200",),
        method="GET",
        path="/models/cookies-forbid-extra",
        status=422,
        request=cookie_header("session_id=abc123; santa_tracker=good-list-please"),
        errors=[(["cookie", "santa_tracker"], "extra_forbidden")],
    ),
    row(
        "cookies.returned-response.set",
        "GET a route that returns a JSONResponse after `set_cookie('fakesession', 'fake-cookie-session-value')` on it.",
        "The response carries exactly `fakesession=fake-cookie-session-value; Path=/; SameSite=lax`.",
        answer,
        RESPONSE_COOKIES_DOC,
        caught_by=("drop-header:set-cookie", "strip-cookie-attribute:samesite"),
        method="GET",
        path="/cookies/returned-response",
        status=200,
        headers={"set-cookie": "fakesession=fake-cookie-session-value; Path=/; SameSite=lax"},
    ),
]
