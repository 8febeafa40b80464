"""Response classes given the value to wrap (`response_class=RedirectResponse`, `=FileResponse`),
a router's `default_response_class`, a custom `render()`, ORJSON and UJSON, the status set
through an injected Response, statuses whose responses have no body, and `response_model`
serialization of floats JSON cannot hold.
"""

from __future__ import annotations

import json

from harness.case import Context, row
from suites.wire import answer

CUSTOM_DOC = "https://fastapi.tiangolo.com/advanced/custom-response/"
STATUS_CHANGE_DOC = "https://fastapi.tiangolo.com/advanced/response-change-status-code/"
STATUS_DOC = "https://fastapi.tiangolo.com/tutorial/response-status-code/#about-http-status-codes"
JSON_DOC = "https://fastapi.tiangolo.com/advanced/custom-response/#json-performance"
HELLO = b"Hello, conformance!\nThis file is served byte-exact by StaticFiles.\n"
TEXT = "h\u00e9llo, w\u00f6rld \u2713"
COMPACT = json.dumps(
    {"message": TEXT, "items": [1, 2.5, None, True]}, ensure_ascii=False, separators=(",", ":")
).encode()
INDENTED = json.dumps({"message": TEXT, "items": [1, 2]}, indent=2, ensure_ascii=False).encode()
JSON_TYPE = "application/json"
HTML_TYPE = "text/html; charset=utf-8"


async def reset_content(ctx: Context) -> None:
    response = await ctx.request("GET", "/responses/reset-content")
    ctx.expect_equal("status", response.status_code, 205)
    ctx.expect_equal("body", response.content, b"")
    length = ctx.observe("content-length", response.headers.get("content-length"))
    ctx.expect(
        length in (None, "0"), f"content-length {length!r} announces a body a 205 may not have"
    )


def library_json(name: str) -> object:
    title = name.upper()
    return row(
        f"responses.class.{name}",
        f"GET a route with `response_class={title}Response` (deprecated in FastAPI 0.131, still shipped).",
        f"The body is the compact UTF-8 JSON {name} writes, non-ASCII unescaped, with Content-Type application/json.",
        answer,
        f"https://fastapi.tiangolo.com/reference/responses/#fastapi.responses.{title}Response",
        feature=f"{name}-response",
        caught_by=("flip-response-byte", "drop-header:content-type"),
        method="GET",
        path=f"/responses/{name}",
        status=200,
        headers={"content-type": JSON_TYPE},
        body=COMPACT,
    )


def measurement(value: str) -> object:
    return row(
        f"responses.response-model.{value}",
        f"GET a route with `response_model=Measurement` returning the float {value!r} in it.",
        "200 with the value written as null: with a response model Pydantic writes the JSON, and JSON has no NaN or Infinity.",
        answer,
        JSON_DOC,
        caught_by=("flip-response-byte", "rewrite-status:200=500"),
        method="GET",
        path="/responses/measurement",
        status=200,
        request={"params": {"value": value}},
        body_json={"name": value, "value": None},
    )


CLASS_CASES = [
    row(
        "responses.response-class.redirect",
        "GET a route declared `response_class=RedirectResponse` that returns a URL string.",
        "307 with Location the returned URL: FastAPI wraps the returned value in the response class.",
        answer,
        CUSTOM_DOC + "#redirectresponse",
        caught_by=("rewrite-status:307=302", "drop-header:location"),
        method="GET",
        path="/responses/redirect-class",
        status=307,
        headers={"location": "/responses/redirect-target?from=response-class"},
    ),
    row(
        "responses.response-class.redirect-status",
        "GET a route declared `response_class=RedirectResponse, status_code=302` that returns a URL.",
        "302 with Location the returned URL: the decorator's status code is the redirect's.",
        answer,
        CUSTOM_DOC + "#redirectresponse",
        caught_by=("rewrite-status:302=307", "drop-header:location"),
        method="GET",
        path="/responses/redirect-class-302",
        status=302,
        headers={"location": "/responses/redirect-target?from=response-class-302"},
    ),
    row(
        "responses.response-class.file",
        "GET a route declared `response_class=FileResponse` that returns a file path.",
        "200 with the file's bytes and its guessed type: the returned path is the file served.",
        answer,
        CUSTOM_DOC + "#fileresponse",
        caught_by=("flip-response-byte", "drop-header:content-type"),
        method="GET",
        path="/responses/file-class",
        status=200,
        headers={"content-type": "text/plain; charset=utf-8"},
        body=HELLO,
    ),
    row(
        "responses.default-class.router",
        "GET a route without response_class on an APIRouter declared `default_response_class=HTMLResponse`, returning a str.",
        "The str is sent as 'text/html; charset=utf-8': the router's default class applies.",
        answer,
        CUSTOM_DOC + "#default-response-class",
        caught_by=("drop-header:content-type", "flip-response-byte"),
        method="GET",
        path="/responses/default-class/page",
        status=200,
        headers={"content-type": HTML_TYPE},
        body=f"<p>{TEXT}</p>".encode(),
    ),
    row(
        "responses.default-class.overridden",
        "GET a route of the same router declared `response_class=JSONResponse`.",
        "application/json: a route's own response_class overrides the default.",
        answer,
        CUSTOM_DOC + "#default-response-class",
        caught_by=("drop-header:content-type",),
        method="GET",
        path="/responses/default-class/json",
        status=200,
        headers={"content-type": JSON_TYPE},
        body_json={"message": TEXT},
    ),
    row(
        "responses.class.custom-render",
        "GET a route whose response_class is a JSONResponse subclass overriding `render()` to indent the JSON.",
        "The body is exactly what the custom render() returns (two-space indented JSON).",
        answer,
        CUSTOM_DOC + "#custom-response-class",
        caught_by=("flip-response-byte",),
        method="GET",
        path="/responses/custom-render",
        status=200,
        body=INDENTED,
    ),
    library_json("orjson"),
    library_json("ujson"),
    row(
        "responses.status-change.endpoint",
        "GET a route declared `status_code=200` whose endpoint sets `response.status_code = 201` on its injected Response.",
        "201 with the returned data as JSON: the status set on the Response replaces the decorator's.",
        answer,
        STATUS_CHANGE_DOC,
        caught_by=("rewrite-status:201=200",),
        method="GET",
        path="/responses/status-change",
        status=201,
        body_json={"created": True},
    ),
    row(
        "responses.status-change.unchanged",
        "GET the same route with `?created=false`, so the endpoint leaves the status alone.",
        "200: the decorator's status stands when nothing changes it.",
        answer,
        STATUS_CHANGE_DOC,
        caught_by=("rewrite-status:200=201",),
        method="GET",
        path="/responses/status-change",
        status=200,
        request={"params": {"created": "false"}},
        body_json={"created": False},
    ),
    row(
        "responses.status-change.dependency",
        "GET a route whose dependency sets `response.status_code = 202` on an injected Response.",
        "202: a dependency's Response is the same temporary response the status is taken from.",
        answer,
        STATUS_CHANGE_DOC,
        caught_by=("rewrite-status:202=200",),
        method="GET",
        path="/responses/status-from-dependency",
        status=202,
        body_json={"accepted": "yes"},
    ),
    row(
        "responses.status.decorator-205",
        "GET a route declared `status_code=205` that returns None.",
        "205 with an empty body and no Content-Length but 0: 205 Reset Content may not carry content (RFC 9110 15.3.6).",
        reset_content,
        STATUS_DOC,
        caught_by=("rewrite-status:205=200",),
        passes_with=("reset-content-without-body",),
    ),
    row(
        "responses.status.decorator-304",
        "GET a route declared `status_code=304` that returns None.",
        "304 with no body and no Content-Length.",
        answer,
        STATUS_DOC,
        caught_by=("rewrite-status:304=200",),
        method="GET",
        path="/responses/not-modified",
        status=304,
        headers={"content-length": None},
        body=b"",
    ),
    measurement("nan"),
    measurement("inf"),
]
