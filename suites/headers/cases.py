"""Headers: `Header()` parameters reading the request, and headers a route sets on its response."""

from __future__ import annotations

from typing import Any

from harness.case import Case, Context
from harness.generated import draw, expect_all_kept, header_values

DOC = "https://fastapi.tiangolo.com/tutorial/header-params/"
RESPONSE_DOC = "https://fastapi.tiangolo.com/advanced/response-headers/"
Pairs = list[tuple[str, str]]


async def read(ctx: Context, path: str, headers: Pairs, expected: dict[str, Any]) -> None:
    response = await ctx.request("GET", path, headers=headers)
    ctx.expect_equal("status", response.status_code, 200)
    body = ctx.json(response)
    for key, value in expected.items():
        ctx.expect_equal(f"body.{key}", body.get(key), value)


async def missing_required(ctx: Context) -> None:
    response = await ctx.request("GET", "/headers/required")
    ctx.expect_equal("status", response.status_code, 422)
    locations = [error.get("loc") for error in ctx.json(response).get("detail", [])]
    ctx.expect_equal("error.locations", locations, [["header", "x-required"]])


async def echoed_exactly(
    ctx: Context, count: int, min_size: int, max_size: int, inner_spaces: bool
) -> None:
    values = draw(header_values(min_size, max_size, inner_spaces), count, ctx.seed)
    failures = []
    for value in values:
        response = await ctx.request("GET", "/headers/echo", headers=[("X-Custom-Value", value)])
        if response.status_code != 200 or response.json().get("x_custom_value") != value:
            failures.append(value)
    expect_all_kept(ctx, values, failures, "were not echoed exactly")


async def response_header(
    ctx: Context, path: str, params: dict[str, str], name: str, value: str
) -> None:
    response = await ctx.request("GET", path, params=params)
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal(f"header.{name.lower()}", response.headers.get_list(name), [value])


async def route_and_middleware_headers(ctx: Context) -> None:
    response = await ctx.request("GET", "/headers/response-param")
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal(
        "header.x-param", response.headers.get_list("x-param"), ["set-through-response"]
    )
    ctx.expect_equal(
        "header.x-process-time.count", len(response.headers.get_list("x-process-time")), 1
    )


def reading(
    slug: str,
    path: str,
    headers: Pairs,
    expected: dict[str, Any],
    description: str,
    expectation: str,
    caught_by: tuple[str, ...],
) -> Case:
    return Case(
        id=f"headers.read.{slug}",
        description=description,
        expectation=expectation,
        check=read,
        params={"path": path, "headers": headers, "expected": expected},
        reference=DOC,
        caught_by=caught_by,
    )


CASES = [
    reading(
        "user-agent",
        "/headers/user-agent",
        [("User-Agent", "conformance-probe/1.0 (+test)")],
        {"user_agent": "conformance-probe/1.0 (+test)"},
        "GET a route with a `user_agent: str | None = Header(None)` parameter, sending a User-Agent.",
        "The parameter holds the User-Agent value: underscores become hyphens, case does not matter.",
        caught_by=("set-request-header:user-agent=proxy/1.0",),
    ),
    reading(
        "user-agent-odd-case",
        "/headers/user-agent",
        [("uSeR-aGeNt", "odd-case/2")],
        {"user_agent": "odd-case/2"},
        "Send the User-Agent header with the name written 'uSeR-aGeNt'.",
        "Header names are case-insensitive: the parameter holds the value.",
        caught_by=("set-request-header:user-agent=proxy/1.0",),
    ),
    reading(
        "converted-name",
        "/headers/echo",
        [("X-Custom-Value", "abc")],
        {"x_custom_value": "abc"},
        "Send `X-Custom-Value: abc` to a route with `x_custom_value: str | None = Header(None)`.",
        "The underscores of the parameter name match the hyphens of the header.",
        caught_by=("drop-request-header:x-custom-value",),
    ),
    reading(
        "converted-name-lowercase",
        "/headers/echo",
        [("x-custom-value", "abc")],
        {"x_custom_value": "abc"},
        "Send `x-custom-value: abc` (all lower-case) to the same route.",
        "The parameter holds the value.",
        caught_by=("drop-request-header:x-custom-value",),
    ),
    reading(
        "underscore-header-not-converted",
        "/headers/echo",
        [("x_custom_value", "abc")],
        {"x_custom_value": None},
        "Send a header literally named `x_custom_value` to a route whose parameter converts underscores.",
        "The parameter looks for `x-custom-value` only, so it stays None: underscores sent by the client are not hyphens.",
        caught_by=("rename-request-header:x_custom_value=x-custom-value",),
    ),
    reading(
        "convert-underscores-false",
        "/headers/echo",
        [("strange_header", "kept")],
        {"strange_header": "kept"},
        "Send `strange_header: kept` to a route with `Header(None, convert_underscores=False)`.",
        "With convert_underscores=False the parameter matches the header with underscores.",
        caught_by=("rename-request-header:strange_header=strange-header",),
    ),
    reading(
        "convert-underscores-false-hyphen",
        "/headers/echo",
        [("strange-header", "kept")],
        {"strange_header": None},
        "Send `strange-header: kept` to the `convert_underscores=False` parameter.",
        "The hyphenated name does not match: the parameter stays None.",
        caught_by=("rename-request-header:strange-header=strange_header",),
    ),
    reading(
        "repeated-as-list",
        "/headers/echo",
        [("X-Token", "foo"), ("X-Token", "bar")],
        {"x_token": ["foo", "bar"]},
        "Send two `X-Token` headers to a route with `x_token: list[str] | None = Header(None)`.",
        "The parameter is the list of both values in the order sent.",
        caught_by=("merge-request-headers:x-token", "drop-request-header:x-token"),
    ),
    reading(
        "repeated-three",
        "/headers/echo",
        [("X-Token", "a"), ("x-token", "b"), ("X-TOKEN", "c")],
        {"x_token": ["a", "b", "c"]},
        "Send three X-Token headers with differently cased names.",
        "All three values are collected, in order, whatever the case of the names.",
        caught_by=("merge-request-headers:x-token", "drop-request-header:x-token"),
    ),
    reading(
        "single-as-list",
        "/headers/echo",
        [("X-Token", "only")],
        {"x_token": ["only"]},
        "Send one X-Token header to the list parameter.",
        "The parameter is a list with that one value.",
        caught_by=("drop-request-header:x-token",),
    ),
    reading(
        "missing-list",
        "/headers/echo",
        [],
        {"x_token": None},
        "Send no X-Token header to the optional list parameter.",
        "The parameter takes its default, None.",
        caught_by=("set-request-header:x-token=injected",),
    ),
    reading(
        "missing-optional",
        "/headers/user-agent",
        [("User-Agent", "")],
        {"user_agent": ""},
        "Send an empty User-Agent header.",
        "An empty header value is a value: the parameter holds ''.",
        caught_by=("set-request-header:user-agent=proxy/1.0",),
    ),
    reading(
        "default-value",
        "/headers/default",
        [],
        {"x_mode": "standard"},
        "Send no X-Mode header to `x_mode: str = Header('standard')`.",
        "The parameter takes its declared default.",
        caught_by=("set-request-header:x-mode=injected",),
    ),
    reading(
        "default-overridden",
        "/headers/default",
        [("X-Mode", "fast")],
        {"x_mode": "fast"},
        "Send `X-Mode: fast` to the parameter with a default.",
        "The sent value replaces the default.",
        caught_by=("drop-request-header:x-mode",),
    ),
    reading(
        "required-present",
        "/headers/required",
        [("X-Required", "yes")],
        {"x_required": "yes"},
        "Send `X-Required: yes` to `x_required: str = Header(...)`.",
        "The required parameter holds the value.",
        caught_by=("drop-request-header:x-required",),
    ),
    Case(
        id="headers.read.required-missing",
        description="Send no X-Required header to `x_required: str = Header(...)`.",
        expectation="422 with one validation error located at ['header', 'x-required'].",
        check=missing_required,
        reference=DOC,
        caught_by=("set-request-header:x-required=injected",),
    ),
    reading(
        "value-with-spaces",
        "/headers/echo",
        [("X-Custom-Value", "a b  c")],
        {"x_custom_value": "a b  c"},
        "Send a value with inner single and double spaces.",
        "Inner spaces are kept exactly.",
        caught_by=("drop-request-header:x-custom-value",),
    ),
    reading(
        "value-with-separators",
        "/headers/echo",
        [("X-Custom-Value", 'a, b; c="d"')],
        {"x_custom_value": 'a, b; c="d"'},
        "Send a value holding commas, semicolons, equals signs and quotes.",
        "A `str` parameter gets the raw value; nothing is split or unquoted.",
        caught_by=("drop-request-header:x-custom-value",),
    ),
    reading(
        "value-long",
        "/headers/echo",
        [("X-Custom-Value", "x" * 4000)],
        {"x_custom_value": "x" * 4000},
        "Send a 4000-character header value.",
        "The whole value arrives.",
        caught_by=("drop-request-header:x-custom-value",),
    ),
    Case(
        id="headers.generated.visible-ascii",
        description="Send 50 Hypothesis-generated visible-ASCII values (1 to 64 characters) as X-Custom-Value.",
        expectation="Each value is read back by `Header()` exactly as sent.",
        check=echoed_exactly,
        params={"count": 50, "min_size": 1, "max_size": 64, "inner_spaces": False},
        reference=DOC,
        caught_by=("drop-request-header:x-custom-value",),
    ),
    Case(
        id="headers.generated.inner-spaces",
        description="Send 50 Hypothesis-generated visible-ASCII values with spaces inside them.",
        expectation="Each value is read back exactly, inner spaces included.",
        check=echoed_exactly,
        params={"count": 50, "min_size": 1, "max_size": 64, "inner_spaces": True},
        reference=DOC,
        caught_by=("drop-request-header:x-custom-value",),
    ),
    Case(
        id="headers.generated.long",
        description="Send 10 Hypothesis-generated visible-ASCII values of 512 to 2048 characters.",
        expectation="Each long value is read back exactly.",
        check=echoed_exactly,
        params={"count": 10, "min_size": 512, "max_size": 2048, "inner_spaces": True},
        reference=DOC,
        caught_by=("drop-request-header:x-custom-value",),
    ),
    *(
        Case(
            id=f"headers.response.{slug}",
            description=description,
            expectation=expectation,
            check=response_header,
            params={
                "path": "/headers/response-param",
                "params": params,
                "name": name,
                "value": value,
            },
            reference=RESPONSE_DOC,
            caught_by=("duplicate-response-headers",),
        )
        for slug, params, name, value, description, expectation in [
            (
                "response-parameter",
                {},
                "X-Param",
                "set-through-response",
                "A route sets `response.headers['X-Param']` on its `Response` parameter and returns a dict.",
                "The header arrives once with its value on the JSON response.",
            ),
            (
                "custom-name",
                {"name": "X-Fixture-Custom", "value": "v1"},
                "X-Fixture-Custom",
                "v1",
                "The route sets a custom header name `X-Fixture-Custom`.",
                "The header arrives with its value; names are case-insensitive on the wire.",
            ),
            (
                "mixed-case-name",
                {"name": "X-MiXeD-CaSe", "value": "v2"},
                "x-mixed-case",
                "v2",
                "The route sets a header whose name has mixed case.",
                "The header arrives once and is found case-insensitively.",
            ),
            (
                "value-with-separators",
                {"name": "X-List", "value": 'a, b; c="d"'},
                "X-List",
                'a, b; c="d"',
                "The route sets a value with commas, semicolons and quotes.",
                "The value arrives unchanged.",
            ),
            (
                "content-language",
                {"name": "Content-Language", "value": "en-US"},
                "Content-Language",
                "en-US",
                "The route sets `Content-Language: en-US` through the Response parameter.",
                "The standard header arrives once with its value.",
            ),
            (
                "cache-control",
                {"name": "Cache-Control", "value": "no-store, max-age=0"},
                "Cache-Control",
                "no-store, max-age=0",
                "The route sets `Cache-Control: no-store, max-age=0`.",
                "The header arrives unchanged.",
            ),
            (
                "long-value",
                {"name": "X-Long", "value": "y" * 2000},
                "X-Long",
                "y" * 2000,
                "The route sets a 2000-character header value.",
                "The whole value arrives.",
            ),
        ]
    ),
    Case(
        id="headers.response.with-middleware-header",
        description="A route sets X-Param on its Response parameter; the docs' timing middleware adds X-Process-Time.",
        expectation="Both the route's header and the middleware's header arrive, once each.",
        check=route_and_middleware_headers,
        reference="https://fastapi.tiangolo.com/tutorial/middleware/",
        caught_by=("duplicate-response-headers",),
    ),
]
