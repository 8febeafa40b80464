"""Checks shared by the areas: one request, and what its answer must hold.

`answer` sends one request (any httpx keyword arguments) and compares the
status, chosen headers (`None`: the header is absent), the exact body, chosen
JSON keys, and the validation errors named by location and type. `stream_lines`
reads a streamed body as it arrives and compares its lines. Each comparison is
recorded as an observation, so a report shows what was seen for each claim.
"""

from __future__ import annotations

from typing import Any

from harness.case import Context
from harness.errors import CaseFailed

Errors = list[tuple[list[str | int], str | None]]


async def answer(
    ctx: Context,
    method: str,
    path: str,
    status: int,
    request: dict[str, Any] | None = None,
    headers: dict[str, str | None] | None = None,
    body: bytes | None = None,
    body_json: Any = None,
    json_keys: dict[str, Any] | None = None,
    errors: Errors | None = None,
) -> None:
    response = await ctx.request(method, path, **(request or {}))
    ctx.expect_equal("status", response.status_code, status)
    for name, value in (headers or {}).items():
        ctx.expect_equal(f"header.{name.lower()}", response.headers.get(name), value)
    if body is not None:
        ctx.expect_equal("body", response.content, body)
    if body_json is not None:
        ctx.expect_equal("body", ctx.json(response), body_json)
    if json_keys is not None:
        seen = ctx.json(response)
        for key, value in json_keys.items():
            ctx.expect_equal(
                f"body.{key}", seen.get(key) if isinstance(seen, dict) else seen, value
            )
    if errors is not None:  # the body is not recorded: errors echo what was sent, headers too
        expect_errors(ctx, parsed(ctx, response), errors)


def parsed(ctx: Context, response: Any) -> Any:
    """The body as JSON, unrecorded; a body that is not JSON fails the case."""
    try:
        return response.json()
    except ValueError as exc:
        raise CaseFailed(f"the body is not JSON: {response.content[:80]!r}") from exc


def expect_errors(ctx: Context, body: Any, expected: Errors) -> None:
    """Each (location, type) is among the body's validation errors; a None type matches any."""
    detail = body.get("detail", []) if isinstance(body, dict) else []
    seen = [(error.get("loc"), error.get("type")) for error in detail if isinstance(error, dict)]
    ctx.observe("errors", seen)
    for location, kind in expected:
        found = any(loc == location and kind in (None, typ) for loc, typ in seen)
        ctx.expect(found, f"no {kind or 'validation'} error at {location}: errors were {seen}")


async def stream_lines(
    ctx: Context,
    method: str,
    path: str,
    status: int,
    lines: list[str],
    request: dict[str, Any] | None = None,
    headers: dict[str, str | None] | None = None,
) -> None:
    streamed = await ctx.stream(method, path, **(request or {}))
    ctx.expect_equal("status", streamed.status, status)
    for name, value in (headers or {}).items():
        ctx.expect_equal(f"header.{name.lower()}", streamed.headers.get(name), value)
    ctx.expect_equal("stream.error", streamed.error, None)
    ctx.expect_equal("lines", streamed.body.decode("utf-8", "replace").split("\n"), lines)
