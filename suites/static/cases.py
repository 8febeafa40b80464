"""Static files: bytes exact, with the content type of their extension."""

from __future__ import annotations

import hashlib

from harness.case import Case, Context

DOC = "https://fastapi.tiangolo.com/tutorial/static-files/"


async def served_exact(ctx: Context, path: str, size: int, sha256: str, content_type: str) -> None:
    response = await ctx.request("GET", path)
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal("size", len(response.content), size)
    ctx.expect_equal("sha256", hashlib.sha256(response.content).hexdigest(), sha256)
    ctx.expect_equal("content-type", response.headers.get("content-type"), content_type)
    ctx.expect_equal("content-length", response.headers.get("content-length"), str(size))


CASES = [
    Case(
        id="static.file.text",
        description="GET a UTF-8 text file from the StaticFiles mount.",
        expectation="200 with the file's exact bytes, Content-Length and 'text/plain; charset=utf-8'.",
        check=served_exact,
        params={
            "path": "/static/hello.txt",
            "size": 67,
            "sha256": "1728eedbac2ce02866db19165b7a296184d2b619c5aa25f8529efb3982118550",
            "content_type": "text/plain; charset=utf-8",
        },
        reference=DOC,
    ),
    Case(
        id="static.file.binary",
        description="GET a 4 KiB binary file holding every byte value from the StaticFiles mount.",
        expectation="200 with the file's exact bytes, Content-Length and 'application/octet-stream'.",
        check=served_exact,
        params={
            "path": "/static/data.bin",
            "size": 4096,
            "sha256": "edc9983a5f8a590052203d12c58e8d367f7c694a8746b7b9ef87bcc8f5af9e9f",
            "content_type": "application/octet-stream",
        },
        reference=DOC,
    ),
]
