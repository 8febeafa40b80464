"""File uploads: every body is hashed while it is read and never kept.

Each answer reports what the app saw: filename, content type, size counted,
SHA-256, what `UploadFile.size` said (where the version has it) and whether
the spooled file had rolled over to disk. The endpoints follow the tutorial's
forms: `bytes`, `UploadFile`, a list of files, files with form fields, an
optional file, and the reading styles (`read()`, `read(n)`, `seek`).
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from typing import Any, Optional

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import StreamingResponse

from fixtures_app.features import has_feature
from fixtures_app.state import AppState

CHUNK = 64 * 1024
LIMITED_ROUTE_BYTES = 1024 * 1024
MAX_READ_BYTES = 16 * 1024 * 1024  # read(n) allocates up to n bytes at once
APPENDED = b"+appended by write()"
MAX_OFFSET = 2**40  # past any body the app accepts, and far below what seek() can take


def describe_upload(upload: UploadFile, size: int, sha256: str) -> dict[str, Any]:
    return {
        "filename": upload.filename,
        "content_type": upload.content_type,
        "size": size,
        "sha256": sha256,
        "upload_size": getattr(upload, "size", None),
        "rolled_to_disk": getattr(upload.file, "_rolled", None),
    }


async def hash_in_chunks(upload: UploadFile, chunk: int = CHUNK) -> tuple[int, str, int]:
    """Size, SHA-256 and number of reads of `upload`, read `chunk` bytes at a time."""
    digest = hashlib.sha256()
    size = reads = 0
    while piece := await upload.read(chunk):
        digest.update(piece)
        size += len(piece)
        reads += 1
    return size, digest.hexdigest(), reads


async def described(upload: UploadFile) -> dict[str, Any]:
    size, sha256, _ = await hash_in_chunks(upload)
    return describe_upload(upload, size, sha256)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_summary(value: str) -> dict[str, Any]:
    return {"length": len(value), "sha256": hashlib.sha256(value.encode()).hexdigest()}


def build(state: AppState) -> APIRouter:
    router = APIRouter(prefix="/uploads", tags=["uploads"])

    @router.post("/hash")
    async def hash_upload(file: UploadFile = File(...)) -> dict[str, Any]:
        return await described(file)

    @router.post("/read-all")
    async def read_all(file: UploadFile = File(...)) -> dict[str, Any]:
        contents = await file.read()
        return describe_upload(file, len(contents), hashlib.sha256(contents).hexdigest())

    @router.post("/bytes")
    async def as_bytes(file: bytes = File(...)) -> dict[str, Any]:
        return {"size": len(file), "sha256": hashlib.sha256(file).hexdigest()}

    @router.post("/read-chunks")
    async def read_chunks(
        file: UploadFile = File(...), n: int = Query(1000, ge=1, le=MAX_READ_BYTES)
    ) -> dict[str, Any]:
        size, sha256, reads = await hash_in_chunks(file, n)
        return {**describe_upload(file, size, sha256), "reads": reads}

    @router.post("/seek")
    async def seek(
        file: UploadFile = File(...), offset: int = Query(0, ge=0, le=MAX_OFFSET)
    ) -> dict[str, Any]:
        first = await file.read()
        await file.seek(offset)
        tail = await file.read()
        await file.seek(0)
        again = await file.read()
        return {
            "size": len(first),
            "sha256": hashlib.sha256(first).hexdigest(),
            "tail_size": len(tail),
            "tail_sha256": hashlib.sha256(tail).hexdigest(),
            "again_sha256": hashlib.sha256(again).hexdigest(),
        }

    @router.post("/many")
    async def many(files: list[UploadFile] = File(...)) -> dict[str, Any]:
        return {"files": [await described(upload) for upload in files]}

    @router.post("/mixed")
    async def mixed(
        file: UploadFile = File(...),
        title: str = Form(...),
        tags: list[str] = Form([]),
    ) -> dict[str, Any]:
        return {"file": await described(file), "title": title, "tags": tags}

    @router.post("/optional")
    async def optional(file: Optional[UploadFile] = File(None)) -> dict[str, Any]:  # noqa: UP045 - Pydantic 1
        return {"file": None if file is None else await described(file)}

    @router.post("/text-field")
    async def text_field(text: str = Form(...)) -> dict[str, Any]:
        return text_summary(text)

    @router.post("/without-file")
    async def without_file(file: UploadFile) -> dict[str, Any]:
        return await described(file)

    @router.post("/bytes-list")
    async def bytes_list(files: list[bytes] = File(...)) -> dict[str, Any]:
        return {"files": [{"size": len(f), "sha256": sha256_of(f)} for f in files]}

    @router.post("/write-close")
    async def write_close(file: UploadFile = File(...)) -> dict[str, Any]:
        await file.read()  # to the end: write() appends there
        await file.write(APPENDED)
        await file.seek(0)
        contents = await file.read()
        await file.close()
        return {"size": len(contents), "sha256": sha256_of(contents), "closed": file.file.closed}

    @router.post("/sync-file")
    def sync_file(file: UploadFile = File(...)) -> dict[str, Any]:
        contents = file.file.read()
        return {"size": len(contents), "sha256": sha256_of(contents), "filename": file.filename}

    @router.post("/stream-back")
    async def stream_back(file: UploadFile = File(...)) -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            await file.seek(0)
            while piece := await file.read(CHUNK):
                yield piece

        return StreamingResponse(chunks(), media_type="application/octet-stream")

    limit: dict[str, Any] = (
        {"max_body_size": LIMITED_ROUTE_BYTES} if has_feature("route-max-body-size") else {}
    )

    @router.post("/limited", **limit)
    async def limited(file: UploadFile = File(...)) -> dict[str, Any]:
        return await described(file)

    return router
