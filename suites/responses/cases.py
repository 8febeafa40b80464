"""Custom responses: headers on a returned response, redirects, file downloads."""

from __future__ import annotations

import hashlib

from harness.case import Case, Context

HEADERS_DOC = "https://fastapi.tiangolo.com/advanced/response-headers/"
CUSTOM_DOC = "https://fastapi.tiangolo.com/advanced/custom-response/"
HELLO_SHA256 = "1728eedbac2ce02866db19165b7a296184d2b619c5aa25f8529efb3982118550"


async def custom_headers(ctx: Context, expected: dict[str, str]) -> None:
    response = await ctx.request("GET", "/responses/custom-header")
    ctx.expect_equal("status", response.status_code, 200)
    for name, value in expected.items():
        ctx.expect_equal(f"header.{name.lower()}", response.headers.get(name), value)


async def redirect(ctx: Context, status: int, location: str) -> None:
    response = await ctx.request("GET", "/responses/redirect")
    ctx.expect_equal("status", response.status_code, status)
    ctx.expect_equal("location", response.headers.get("location"), location)


async def download(ctx: Context, disposition: str, sha256: str) -> None:
    response = await ctx.request("GET", "/responses/download")
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal(
        "content-disposition", response.headers.get("content-disposition"), disposition
    )
    ctx.expect_equal("sha256", hashlib.sha256(response.content).hexdigest(), sha256)


CASES = [
    Case(
        id="responses.headers.jsonresponse-headers",
        description="A route returns `JSONResponse(content, headers={'X-Cat-Dog': ..., 'Content-Language': 'en-US'})`.",
        expectation="Both headers arrive with their values unchanged.",
        check=custom_headers,
        params={"expected": {"X-Cat-Dog": "alone in the world", "Content-Language": "en-US"}},
        reference=HEADERS_DOC,
    ),
    Case(
        id="responses.redirect.default-status",
        description="A route returns `RedirectResponse('/responses/redirect-target?from=redirect')`; the client does not follow it.",
        expectation="307 Temporary Redirect, the default of RedirectResponse, with the Location as given, query kept.",
        check=redirect,
        params={"status": 307, "location": "/responses/redirect-target?from=redirect"},
        reference=CUSTOM_DOC,
    ),
    Case(
        id="responses.file.download-filename",
        description="A route returns `FileResponse(path, filename='report.txt')`.",
        expectation="The file's exact bytes with Content-Disposition 'attachment; filename=\"report.txt\"'.",
        check=download,
        params={"disposition": 'attachment; filename="report.txt"', "sha256": HELLO_SHA256},
        reference=CUSTOM_DOC,
    ),
]
