"""File uploads: every body is hashed while it is read and never kept.

Each answer reports what the app saw: filename, content type, size counted,
SHA-256, what `UploadFile.size` said (where the version has it) and whether
the spooled file had rolled over to disk.
"""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter, File, UploadFile

from fixtures_app.state import AppState

CHUNK = 64 * 1024


def describe_upload(upload: UploadFile, size: int, sha256: str) -> dict[str, Any]:
    spooled = getattr(upload.file, "_rolled", None)
    return {
        "filename": upload.filename,
        "content_type": upload.content_type,
        "size": size,
        "sha256": sha256,
        "upload_size": getattr(upload, "size", None),
        "rolled_to_disk": spooled,
    }


def build(state: AppState) -> APIRouter:
    router = APIRouter(prefix="/uploads", tags=["uploads"])

    @router.post("/hash")
    async def hash_upload(file: UploadFile = File(...)) -> dict[str, Any]:
        digest = hashlib.sha256()
        size = 0
        while chunk := await file.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
        return describe_upload(file, size, digest.hexdigest())

    @router.post("/read-all")
    async def read_all(file: UploadFile = File(...)) -> dict[str, Any]:
        contents = await file.read()
        return describe_upload(file, len(contents), hashlib.sha256(contents).hexdigest())

    return router
