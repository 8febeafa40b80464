"""File uploads: what arrives is what was sent, measured by the app while it reads."""

from __future__ import annotations

from harness.case import Case, Context
from harness.content import content, digest

DOC = "https://fastapi.tiangolo.com/tutorial/request-files/"


async def size_and_hash(ctx: Context, endpoint: str, size: int) -> None:
    seed = len(ctx.case.id) + size
    files = {"file": ("upload.bin", content(size, seed), "application/octet-stream")}
    response = await ctx.request("POST", endpoint, files=files)
    ctx.expect_equal("status", response.status_code, 200)
    body = ctx.json(response)
    ctx.expect_equal("size", body.get("size"), size)
    ctx.expect_equal("sha256", body.get("sha256"), digest(size, seed))
    ctx.expect_equal("filename", body.get("filename"), "upload.bin")
    ctx.expect_equal("content_type", body.get("content_type"), "application/octet-stream")


CASES = [
    Case(
        id="uploads.size.64kib",
        description="POST a 64 KiB multipart file to an UploadFile endpoint that hashes it in chunks.",
        expectation="The app reads exactly the bytes sent: same size and SHA-256, filename and part content type kept.",
        check=size_and_hash,
        params={"endpoint": "/uploads/hash", "size": 64 * 1024},
        reference=DOC,
    ),
    Case(
        id="uploads.read-all.64kib",
        description="POST a 64 KiB multipart file to the tutorial's endpoint that calls `await file.read()`.",
        expectation="`read()` returns the whole file: same size and SHA-256.",
        check=size_and_hash,
        params={"endpoint": "/uploads/read-all", "size": 64 * 1024},
        reference=DOC,
    ),
]
