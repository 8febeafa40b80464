"""Parameter models (FastAPI 0.115): `Header`, `Query` and `Cookie` parameters as one Pydantic
model, with `extra="forbid"`; headers and status of an injected Response when the route returns
a Response itself; and strict JSON Content-Type checking (0.132).
"""

from __future__ import annotations

from harness.case import row
from suites.wire import answer

HEADER_MODELS_DOC = "https://fastapi.tiangolo.com/tutorial/header-param-models/"
QUERY_MODELS_DOC = "https://fastapi.tiangolo.com/tutorial/query-param-models/"
RESPONSE_HEADERS_DOC = (
    "https://fastapi.tiangolo.com/advanced/response-headers/#return-a-response-directly"
)
STRICT_DOC = "https://fastapi.tiangolo.com/advanced/strict-content-type/"
COMMON = {"save_data": False, "if_modified_since": None, "traceparent": None, "x_tag": []}
FILTER = {"limit": 100, "offset": 0, "order_by": "created_at", "tags": []}


def get(path: str, **request: object) -> dict[str, object]:
    return {"method": "GET", "path": path, "request": request}


MODEL_CASES = [
    row(
        "headers.model.fields",
        "GET a route with `headers: Annotated[CommonHeaders, Header()]`, sending `save-data: true`, `traceparent: 00-1` and `x-tag` twice.",
        "Each field holds its header (underscores read as hyphens, the list field every repeat in order); unsent fields keep their defaults.",
        answer,
        HEADER_MODELS_DOC,
        feature="parameter-models",
        caught_by=("drop-request-header:save-data", "merge-request-headers:x-tag"),
        status=200,
        body_json={**COMMON, "save_data": True, "traceparent": "00-1", "x_tag": ["a", "b"]},
        **get(
            "/models/headers",
            headers=[
                ("save-data", "true"),
                ("traceparent", "00-1"),
                ("x-tag", "a"),
                ("x-tag", "b"),
            ],
        ),
    ),
    row(
        "headers.model.forbid-extra",
        "Send an undeclared `tool: plumbus` header to a header model with `extra='forbid'`.",
        "422 with an 'extra_forbidden' error at ['header', 'tool'].",
        answer,
        HEADER_MODELS_DOC + "#forbid-extra-headers",
        feature="parameter-models",
        caught_by=("rewrite-status:422=200",),
        status=422,
        errors=[(["header", "tool"], "extra_forbidden")],
        **get("/models/headers-forbid-extra", headers={"tool": "plumbus"}),
    ),
    row(
        "headers.model.forbid-extra-ordinary-headers",
        "Send only the headers every client sends (Host, Accept, User-Agent... and this harness's X-Harness-Scope) to the same model.",
        "422 all the same: every header the model does not declare is extra, not only the unusual ones the docs show (the docs' example would refuse ordinary browsers).",
        answer,
        HEADER_MODELS_DOC + "#forbid-extra-headers",
        feature="parameter-models",
        caught_by=("rewrite-status:422=200",),
        status=422,
        errors=[(["header", "x-harness-scope"], "extra_forbidden")],
        **get("/models/headers-forbid-extra"),
    ),
    row(
        "headers.model.convert-underscores-false",
        "Send `save_data: true` (with an underscore) to a header model declared `Header(convert_underscores=False)`.",
        "The field save_data holds true: without conversion the field matches the underscored name.",
        answer,
        HEADER_MODELS_DOC + "#disable-convert-underscores",
        feature="parameter-models",
        caught_by=("rename-request-header:save_data=save-data",),
        status=200,
        json_keys={"save_data": True},
        **get("/models/headers-no-convert", headers={"save_data": "true"}),
    ),
    row(
        "headers.model.underscore-header-ignored",
        "Send `save_data: true` (with an underscore) to the header model that converts underscores.",
        "save_data keeps its default false: the field reads `save-data` only, so a client cannot fill it with an underscored name.",
        answer,
        HEADER_MODELS_DOC + "#disable-convert-underscores",
        feature="parameter-models",
        caught_by=("rename-request-header:save_data=save-data",),
        status=200,
        json_keys={"save_data": False},
        **get("/models/headers", headers={"save_data": "true"}),
    ),
    row(
        "headers.query-model.fields",
        "GET `?limit=10&offset=5&order_by=updated_at&tags=a&tags=b` on `filter_query: Annotated[FilterParams, Query()]`.",
        "Each field holds its parameter, converted to its type; repeated `tags` fill the list in order.",
        answer,
        QUERY_MODELS_DOC,
        feature="parameter-models",
        caught_by=("flip-response-byte",),
        status=200,
        body_json={"limit": 10, "offset": 5, "order_by": "updated_at", "tags": ["a", "b"]},
        **get(
            "/models/query",
            params=[
                ("limit", "10"),
                ("offset", "5"),
                ("order_by", "updated_at"),
                ("tags", "a"),
                ("tags", "b"),
            ],
        ),
    ),
    row(
        "headers.query-model.defaults",
        "GET the query model with no query string.",
        "Every field keeps its default.",
        answer,
        QUERY_MODELS_DOC,
        feature="parameter-models",
        caught_by=("flip-response-byte",),
        status=200,
        body_json=FILTER,
        **get("/models/query"),
    ),
    row(
        "headers.query-model.validation",
        "GET `?limit=1000` on the query model whose limit is `Field(100, gt=0, le=100)`.",
        "422 with a validation error at ['query', 'limit']: the model's constraints apply.",
        answer,
        QUERY_MODELS_DOC,
        feature="parameter-models",
        caught_by=("rewrite-status:422=200",),
        status=422,
        errors=[(["query", "limit"], None)],
        **get("/models/query", params={"limit": "1000"}),
    ),
    row(
        "headers.query-model.forbid-extra",
        "GET `?limit=10&tool=plumbus` on a query model with `extra='forbid'`.",
        "422 with an 'extra_forbidden' error at ['query', 'tool'].",
        answer,
        QUERY_MODELS_DOC + "#forbid-extra-query-parameters",
        feature="parameter-models",
        caught_by=("rewrite-status:422=200",),
        status=422,
        errors=[(["query", "tool"], "extra_forbidden")],
        **get("/models/query-forbid-extra", params={"limit": "10", "tool": "plumbus"}),
    ),
    row(
        "headers.query-model.alias",
        "GET `?page-size=5` on a query model whose field page_size has `Field(alias='page-size')`.",
        "The field holds 5: the alias names the query parameter.",
        answer,
        QUERY_MODELS_DOC,
        feature="parameter-models",
        caught_by=("flip-response-byte",),
        status=200,
        body_json={"page_size": 5},
        **get("/models/query-alias", params={"page-size": "5"}),
    ),
    row(
        "headers.response.returned-response-drops-parameter",
        "GET a route that sets a header and status 202 on its injected Response, then returns a JSONResponse of its own.",
        "The returned response goes out as it is: status 200 and no header from the injected Response (only data returned is merged with it).",
        answer,
        RESPONSE_HEADERS_DOC,
        caught_by=("add-response-header:x-from-parameter=dropped", "rewrite-status:200=202"),
        status=200,
        headers={"X-From-Parameter": None, "X-From-Returned": "kept"},
        **get("/cookies/returned-response"),
    ),
    row(
        "headers.strict-content-type.missing",
        'POST the JSON `{"a": 1}` without a Content-Type header to a route with a JSON body.',
        "422: the body is read as JSON only when Content-Type says so.",
        answer,
        STRICT_DOC,
        feature="strict-content-type",
        caught_by=("rewrite-status:422=200",),
        status=422,
        method="POST",
        path="/headers/json-body",
        request={"content": b'{"a": 1}'},
    ),
    row(
        "headers.strict-content-type.plus-json",
        "POST the same JSON with `Content-Type: application/vnd.api+json`.",
        "200 with the object: any application/*+json type is JSON.",
        answer,
        STRICT_DOC,
        feature="strict-content-type",
        caught_by=("flip-response-byte",),
        status=200,
        body_json={"received": {"a": 1}},
        method="POST",
        path="/headers/json-body",
        request={"content": b'{"a": 1}', "headers": {"Content-Type": "application/vnd.api+json"}},
    ),
]
