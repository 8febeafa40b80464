"""File uploads: what arrives is what was sent, measured by the app while it reads.

Bodies are generated from a seed and encoded as they are sent (never held
whole); the app hashes each file as it reads it and answers what it saw.
Facts: Starlette's `UploadFile` spools to disk above 1 MiB (`spool_max_size`),
its parser caps fields and files at 1000 each (0.25) and text parts at 1 MiB
(0.40); python-multipart keeps only the last component of a Windows path.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
from typing import Any

import httpx
from hypothesis import strategies as st

from harness.case import Case, Context, row
from harness.content import chunks
from harness.generated import draw, expect_all_kept
from harness.multipart import FilePart, MultipartBody, Part, TextField
from harness.targets.base import HTTP1
from suites.tutorial import tutorial_cases
from suites.uploads.forms import FORM_CASES, UPLOAD_FORMS

DOC = "https://fastapi.tiangolo.com/tutorial/request-files/"
FORMS_DOC = "https://fastapi.tiangolo.com/tutorial/request-forms-and-files/"
LIMITS_DOC = "https://fastapi.tiangolo.com/advanced/request-body-limits/"
STARLETTE_FORMS = "https://www.starlette.io/requests/#request-files"
RFC7578 = "https://www.rfc-editor.org/rfc/rfc7578#section-4.2"
MULTIPART_SOURCE = (
    "https://github.com/Kludex/python-multipart/blob/master/python_multipart/multipart.py"
)
KIB, MIB, GIB = 1024, 1024 * 1024, 1024 * 1024 * 1024
SPOOL_MAX = MIB
OCTETS = "application/octet-stream"


def seed_of(ctx: Context, salt: int = 0) -> int:
    return ctx.seed * 7919 + len(ctx.case.id) * 31 + salt


async def post_parts(
    ctx: Context, endpoint: str, parts: list[Part], chunked: bool = False
) -> tuple[httpx.Response, MultipartBody]:
    """POST `parts` as multipart/form-data, streamed; the response and the body as sent."""
    body = MultipartBody(parts)
    headers = body.headers()
    if chunked:
        del headers["Content-Length"]
    response = await ctx.request("POST", endpoint, content=body.stream(), headers=headers)
    ctx.observe("status", response.status_code)
    return response, body


async def accepted(
    ctx: Context, endpoint: str, parts: list[Part], chunked: bool = False
) -> tuple[dict[str, Any], MultipartBody]:
    """POST `parts`; the case fails unless the answer is 200 with a JSON object."""
    response, body = await post_parts(ctx, endpoint, parts, chunked)
    ctx.expect_equal("status", response.status_code, 200)
    seen = ctx.json(response)
    ctx.expect(isinstance(seen, dict), f"the answer is not a JSON object: {seen!r:.80}")
    return seen, body


def expect_file(
    ctx: Context, seen: dict[str, Any], part: FilePart, sha256: str, prefix: str = ""
) -> None:
    ctx.expect_equal(prefix + "size", seen.get("size"), part.size)
    ctx.expect_equal(prefix + "sha256", seen.get("sha256"), sha256)
    ctx.expect_equal(prefix + "filename", seen.get("filename"), part.filename)
    ctx.expect_equal(prefix + "content_type", seen.get("content_type"), part.content_type)


async def size_and_hash(ctx: Context, endpoint: str, size: int, chunked: bool = False) -> None:
    part = FilePart("file", "upload.bin", size, seed_of(ctx))
    seen, body = await accepted(ctx, endpoint, [part], chunked)
    expect_file(ctx, seen, part, body.sent_sha256[0])
    if seen.get("upload_size") is not None:
        ctx.expect_equal("upload_size", seen["upload_size"], size)
    if seen.get("rolled_to_disk") is not None:
        ctx.expect_equal("rolled_to_disk", seen["rolled_to_disk"], size > SPOOL_MAX)


async def bytes_parameter(ctx: Context, size: int) -> None:
    part = FilePart("file", "upload.bin", size, seed_of(ctx))
    seen, body = await accepted(ctx, "/uploads/bytes", [part])
    ctx.expect_equal("size", seen.get("size"), size)
    ctx.expect_equal("sha256", seen.get("sha256"), body.sent_sha256[0])


async def read_in_chunks(ctx: Context, size: int, n: int) -> None:
    part = FilePart("file", "chunks.bin", size, seed_of(ctx))
    seen, body = await accepted(ctx, f"/uploads/read-chunks?n={n}", [part])
    expect_file(ctx, seen, part, body.sent_sha256[0])
    ctx.expect_equal("reads", seen.get("reads"), math.ceil(size / n))


async def seek_and_reread(ctx: Context, size: int, offset: int) -> None:
    part = FilePart("file", "seek.bin", size, seed_of(ctx))
    seen, body = await accepted(ctx, f"/uploads/seek?offset={offset}", [part])
    whole = body.sent_sha256[0]
    ctx.expect_equal("sha256", seen.get("sha256"), whole)
    ctx.expect_equal("again_sha256", seen.get("again_sha256"), whole)
    ctx.expect_equal("tail_size", seen.get("tail_size"), max(size - offset, 0))
    ctx.expect_equal(
        "tail_sha256", seen.get("tail_sha256"), tail_digest(size, seed_of(ctx), offset)
    )


def tail_digest(size: int, seed: int, offset: int) -> str:
    """SHA-256 of the bytes of `chunks(size, seed)` from `offset` on."""
    digest, position = hashlib.sha256(), 0
    for piece in chunks(size, seed):
        digest.update(piece[max(offset - position, 0) :])
        position += len(piece)
    return digest.hexdigest()


async def many_files(ctx: Context, count: int, size_step: int) -> None:
    parts = [
        FilePart("files", f"file-{index:03d}.bin", index * size_step, seed_of(ctx, index))
        for index in range(count)
    ]
    seen, body = await accepted(ctx, "/uploads/many", list(parts))
    files = seen.get("files", [])
    ctx.expect_equal("count", len(files), count)
    for index, (part, arrived) in enumerate(zip(parts, files, strict=True)):
        expect_file(ctx, arrived, part, body.sent_sha256[index], prefix=f"files[{index}].")


async def file_with_fields(ctx: Context, title: str, tags: list[str], fields_first: bool) -> None:
    part = FilePart("file", "report.txt", 3 * KIB, seed_of(ctx), "text/plain")
    fields: list[Part] = [TextField("title", title), *(TextField("tags", tag) for tag in tags)]
    parts: list[Part] = [*fields, part] if fields_first else [part, *fields]
    seen, body = await accepted(ctx, "/uploads/mixed", parts)
    expect_file(
        ctx,
        seen.get("file", {}),
        part,
        body.sent_sha256[len(fields) if fields_first else 0],
        "file.",
    )
    ctx.expect_equal("title", seen.get("title"), title)
    ctx.expect_equal("tags", seen.get("tags"), tags)


async def part_content_type(ctx: Context, content_type: str | None) -> None:
    part = FilePart("file", "typed.dat", 2 * KIB, seed_of(ctx), content_type)
    seen, body = await accepted(ctx, "/uploads/hash", [part])
    expect_file(ctx, seen, part, body.sent_sha256[0])


async def filename_kept(ctx: Context, filename: str, arrives_as: str) -> None:
    part = FilePart("file", filename, 100, seed_of(ctx))
    seen, body = await accepted(ctx, "/uploads/hash", [part])
    ctx.expect_equal("filename", seen.get("filename"), arrives_as)
    ctx.expect_equal("size", seen.get("size"), 100)
    ctx.expect_equal("sha256", seen.get("sha256"), body.sent_sha256[0])


async def raw_filename_parameter(
    ctx: Context, parameter: bytes, status: int, arrives_as: str | None
) -> None:
    part = FilePart("file", None, 100, seed_of(ctx), filename_param=parameter)
    response, body = await post_parts(ctx, "/uploads/hash", [part])
    ctx.expect_equal("status", response.status_code, status)
    if arrives_as is not None:
        seen = ctx.json(response)
        ctx.expect_equal("filename", seen.get("filename"), arrives_as)
        ctx.expect_equal("sha256", seen.get("sha256"), body.sent_sha256[0])


async def no_file_chosen(ctx: Context) -> None:
    """What a browser sends for an empty file input: filename "" and an empty body."""
    part = FilePart("file", "", 0, 0)
    seen, _ = await accepted(ctx, "/uploads/optional", [part])
    ctx.expect_equal("file", seen.get("file"), None)


async def refused(
    ctx: Context,
    endpoint: str,
    parts: list[Part],
    statuses: tuple[int, ...],
    detail: str | None = None,
) -> None:
    """A malformed or over-limit form: one of `statuses`, never a 500, and a JSON detail when named."""
    answer, _ = await post_parts(ctx, endpoint, parts)
    status = ctx.observations["status"]
    ctx.expect(status in statuses, f"status: expected one of {statuses}, observed {status}")
    if detail is not None:
        ctx.expect_equal("detail", ctx.json(answer).get("detail"), detail)


async def refused_raw_body(
    ctx: Context, content_type: str, body: bytes, statuses: tuple[int, ...]
) -> None:
    response = await ctx.request(
        "POST", "/uploads/hash", content=body, headers={"Content-Type": content_type}
    )
    ctx.observe("status", response.status_code)
    ctx.expect(
        response.status_code in statuses,
        f"status: expected one of {statuses}, observed {response.status_code}",
    )


async def truncated_multipart(ctx: Context) -> None:
    body = MultipartBody([FilePart("file", "cut.bin", 4 * KIB, seed_of(ctx))])
    data = b"".join(body)[: -(len(body.boundary) + 8)]
    await refused_raw_body(ctx, body.content_type, data, (400, 422))


async def concurrent_uploads(ctx: Context, count: int, size: int) -> None:
    parts = [FilePart("file", f"parallel-{i}.bin", size, seed_of(ctx, i)) for i in range(count)]
    results = await asyncio.gather(*(post_parts(ctx, "/uploads/hash", [part]) for part in parts))
    intact = [
        response.status_code == 200
        and response.json().get("sha256") == body.sent_sha256[0]
        and response.json().get("size") == size
        for response, body in results
    ]
    ctx.expect_equal("intact", sum(intact), count)


async def generated_files(ctx: Context, count: int) -> None:
    names = draw(filenames(), count, ctx.seed)
    sizes = draw(st.integers(min_value=0, max_value=64 * KIB), count, ctx.seed + 1)
    parts = [
        FilePart("files", name, sizes[i % len(sizes)], seed_of(ctx, i))
        for i, name in enumerate(names)
    ]
    seen, body = await accepted(ctx, "/uploads/many", list(parts))
    arrived = seen.get("files", [])
    altered = [
        part.filename or ""
        for index, part in enumerate(parts)
        if index >= len(arrived)
        or arrived[index].get("filename") != part.filename
        or arrived[index].get("sha256") != body.sent_sha256[index]
    ]
    expect_all_kept(ctx, [part.filename for part in parts], altered, "were altered on the way")


def filenames() -> st.SearchStrategy[str]:
    """Names a browser sends unchanged: no quote, CR, LF, backslash or slash (python-multipart strips paths)."""
    alphabet = st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters='"\\/\r\n'
    )
    return st.text(alphabet=alphabet, min_size=1, max_size=40).filter(
        lambda name: name.strip() == name
    )


def sized(
    size: int,
    endpoint: str,
    label: str,
    chunked: bool = False,
    *,
    caught_by: tuple[str, ...],
    **extra: Any,
) -> Case:
    how = (
        "with Transfer-Encoding: chunked (no Content-Length)"
        if chunked
        else "with a Content-Length"
    )
    return row(
        f"uploads.{label}",
        f"POST a {size}-byte multipart file to `{endpoint}`, streamed {how}.",
        "The app reads exactly the bytes sent (size and SHA-256), keeps the filename and part content type, "
        "`UploadFile.size` equals the size, and the file rolls over to disk only above 1 MiB.",
        size_and_hash if endpoint != "/uploads/bytes" else bytes_parameter,
        DOC,
        needs=frozenset({HTTP1}) if chunked else frozenset(),  # chunked is HTTP/1.1 framing
        size=size,
        **({"endpoint": endpoint, "chunked": chunked} if endpoint != "/uploads/bytes" else {}),
        caught_by=caught_by,
        **extra,
    )


SIZES = [
    sized(0, "/uploads/hash", "size.empty", caught_by=("flip-request-byte",)),
    sized(1, "/uploads/hash", "size.1b", caught_by=("flip-request-byte",)),
    sized(KIB, "/uploads/hash", "size.1kib", caught_by=("flip-request-byte",)),
    sized(MIB - 1, "/uploads/hash", "size.1mib-minus-1", caught_by=("flip-request-byte",)),
    sized(MIB, "/uploads/hash", "size.1mib", caught_by=("flip-request-byte",)),
    sized(
        MIB + 1,
        "/uploads/hash",
        "size.1mib-plus-1",
        caught_by=("flip-request-byte", "limit-request-body:1048576"),
    ),
    sized(
        10 * MIB, "/uploads/hash", "size.10mib", timeout_s=60.0, caught_by=("flip-request-byte",)
    ),
    sized(
        100 * MIB,
        "/uploads/hash",
        "size.100mib",
        timeout_s=120.0,
        alone=True,
        caught_by=("flip-request-byte",),
    ),
    sized(
        GIB,
        "/uploads/hash",
        "size.1gib",
        tier="heavy",
        timeout_s=600.0,
        caught_by=("limit-request-body:1048576",),
    ),
    sized(0, "/uploads/read-all", "read-all.empty", caught_by=("flip-request-byte",)),
    sized(64 * KIB, "/uploads/read-all", "read-all.64kib", caught_by=("flip-request-byte",)),
    sized(MIB + 1, "/uploads/read-all", "read-all.1mib-plus-1", caught_by=("flip-request-byte",)),
    sized(
        10 * MIB,
        "/uploads/read-all",
        "read-all.10mib",
        timeout_s=60.0,
        caught_by=("flip-request-byte",),
    ),
    sized(0, "/uploads/bytes", "bytes.empty", caught_by=("flip-response-byte",)),
    sized(
        KIB, "/uploads/bytes", "bytes.1kib", caught_by=("flip-request-byte", "flip-response-byte")
    ),
    sized(
        MIB + 1,
        "/uploads/bytes",
        "bytes.1mib-plus-1",
        caught_by=("flip-request-byte", "flip-response-byte"),
    ),
    sized(
        MIB + 1,
        "/uploads/hash",
        "chunked.1mib-plus-1",
        chunked=True,
        caught_by=("flip-request-byte", "limit-request-body:1048576"),
    ),
    sized(
        10 * MIB,
        "/uploads/hash",
        "chunked.10mib",
        chunked=True,
        timeout_s=60.0,
        caught_by=("flip-request-byte", "limit-request-body:1048576"),
    ),
]

READING = [
    row(
        f"uploads.read-n.{label}",
        f"POST a {size}-byte file to an endpoint that calls `await file.read({n})` until it returns b''.",
        f"Every read returns at most {n} bytes and the reads together are the file: "
        f"{math.ceil(size / n)} reads, same size and SHA-256.",
        read_in_chunks,
        STARLETTE_FORMS,
        size=size,
        n=n,
        caught_by=("flip-request-byte",),
    )
    for label, size, n in [
        ("1-byte", 10 * KIB, 1),
        ("7-bytes", 100 * KIB, 7),
        ("4kib-from-disk", MIB + 1, 4096),
        ("64kib-10mib", 10 * MIB, 65536),
    ]
] + [
    row(
        f"uploads.seek.{label}",
        f"POST a {size}-byte file; the app reads it, calls `await file.seek({offset})`, reads the rest, "
        "then seeks to 0 and reads it all again.",
        "After `seek(k)` the next read starts at byte k; after `seek(0)` the whole file reads again, unchanged.",
        seek_and_reread,
        STARLETTE_FORMS,
        size=size,
        offset=offset,
        caught_by=("flip-request-byte",),
    )
    for label, size, offset in [
        ("in-memory", KIB, 100),
        ("on-disk", MIB + 1, MIB),
        ("to-end", 10 * KIB, 10 * KIB),
        ("past-end", 10 * KIB, 20 * KIB),
    ]
]

SEVERAL = [
    row(
        f"uploads.many.{count}-files",
        f"POST {count} files under one field name to a `list[UploadFile]` parameter.",
        "The list holds every file in the order sent, each with its own filename, content type, size and SHA-256.",
        many_files,
        "https://fastapi.tiangolo.com/tutorial/request-files/#multiple-file-uploads",
        count=count,
        size_step=step,
        caught_by=("flip-request-byte",),
    )
    for count, step in [(2, 100 * KIB), (10, 50 * KIB), (100, 1 * KIB)]
] + [
    row(
        f"uploads.mixed.{label}",
        "POST a file with a `title` form field and repeated `tags` fields"
        + (", fields before the file." if first else ", the file first."),
        "The file arrives intact and the form fields with their values, repeated fields as a list in order.",
        file_with_fields,
        FORMS_DOC,
        title=title,
        tags=tags,
        fields_first=first,
        caught_by=("flip-request-byte",),
    )
    for label, title, tags, first in [
        ("file-first", "Quarterly report", ["a", "b", "c"], False),
        ("fields-first", "Quarterly report", ["x"], True),
        ("unicode-title", "R\u00e9sum\u00e9 \u2014 \u65e5\u672c", [], False),
    ]
]

CONTENT_TYPES = [
    row(
        f"uploads.content-type.{label}",
        f"POST a file whose part says `Content-Type: {content_type}`."
        if content_type
        else "POST a file part without a Content-Type header.",
        "`UploadFile.content_type` is the part's Content-Type as sent ("
        + ("None when absent)." if content_type is None else "unchanged)."),
        part_content_type,
        DOC,
        content_type=content_type,
        caught_by=("flip-request-byte",),
    )
    for label, content_type in [
        ("text-plain", "text/plain"),
        ("image-png", "image/png"),
        ("with-parameters", "text/csv; charset=utf-8"),
        ("vendor", "application/vnd.fixture+json"),
        ("absent", None),
    ]
]

FILENAMES = [
    row(
        f"uploads.filename.{label}",
        f'POST a file named {sent!r}, encoded as an HTML form does (UTF-8, `"` as %22).',
        f"`UploadFile.filename` is {expected!r}: {why}",
        filename_kept,
        RFC7578,
        filename=sent,
        arrives_as=expected,
        caught_by=caught_by,
    )
    for label, sent, expected, why, caught_by in [
        ("plain", "report.pdf", "report.pdf", "kept as sent.", ("flip-response-byte",)),
        (
            "spaces",
            "my report 2024.txt",
            "my report 2024.txt",
            "spaces kept.",
            ("sanitize-filenames",),
        ),
        (
            "semicolon",
            "a;b=c.txt",
            "a;b=c.txt",
            "a quoted `;` is part of the name.",
            ("sanitize-filenames",),
        ),
        (
            "quote",
            'say "hi".txt',
            "say %22hi%22.txt",
            'browsers send `"` as %22 and nothing decodes it.',
            ("sanitize-filenames", "flip-response-byte"),
        ),
        (
            "percent",
            "100%41.txt",
            "100%41.txt",
            "percent signs are not decoded.",
            ("sanitize-filenames", "flip-response-byte"),
        ),
        (
            "unicode",
            "\u00e9t\u00e9 na\u00efve.txt",
            "\u00e9t\u00e9 na\u00efve.txt",
            "UTF-8 kept.",
            ("sanitize-filenames", "flip-response-byte"),
        ),
        (
            "emoji",
            "\U0001f600 smile.png",
            "\U0001f600 smile.png",
            "4-byte UTF-8 kept.",
            ("sanitize-filenames", "flip-response-byte"),
        ),
        (
            "cjk",
            "\u6587\u4ef6.txt",
            "\u6587\u4ef6.txt",
            "UTF-8 kept.",
            ("sanitize-filenames", "flip-response-byte"),
        ),
        (
            "dot-dot",
            "../../etc/passwd",
            "../../etc/passwd",
            "kept as sent: sanitising is the app's job.",
            ("sanitize-filenames", "flip-response-byte"),
        ),
        (
            "absolute",
            "/etc/passwd",
            "/etc/passwd",
            "kept as sent: sanitising is the app's job.",
            ("sanitize-filenames", "flip-response-byte"),
        ),
        (
            "windows-path",
            "C:\\Users\\me\\photo.jpg",
            "photo.jpg",
            "python-multipart keeps the last path component.",
            ("sanitize-filenames", "flip-response-byte"),
        ),
        (
            "backslash",
            "a\\b.txt",
            "a\\b.txt",
            "a backslash that is not a Windows path is kept.",
            ("sanitize-filenames", "flip-response-byte"),
        ),
        ("hidden", ".env", ".env", "a leading dot kept.", ("flip-response-byte",)),
        (
            "long",
            "n" * 250 + ".txt",
            "n" * 250 + ".txt",
            "254 characters kept.",
            ("flip-response-byte",),
        ),
    ]
] + [
    row(
        "uploads.filename.star-with-fallback",
        "POST a file part with both `filename=\"fallback.txt\"` and `filename*=UTF-8''%C3%A9t%C3%A9.txt`.",
        "RFC 7578 forbids senders `filename*`; the receiver uses `filename`: 'fallback.txt'.",
        raw_filename_parameter,
        RFC7578,
        parameter=b"filename=\"fallback.txt\"; filename*=UTF-8''%C3%A9t%C3%A9.txt",
        status=200,
        arrives_as="fallback.txt",
        caught_by=("flip-response-byte",),
    ),
    row(
        "uploads.filename.star-only",
        "POST a file part whose only name parameter is `filename*=UTF-8''%C3%A9t%C3%A9.txt`.",
        "Without `filename` the part is a text field, so an `UploadFile` parameter gets 422, not a 500.",
        raw_filename_parameter,
        RFC7578,
        parameter=b"filename*=UTF-8''%C3%A9t%C3%A9.txt",
        status=422,
        arrives_as=None,
        caught_by=("rewrite-status:422=500",),
    ),
    row(
        "uploads.filename.none-chosen",
        'POST what a browser sends for an empty file input (filename "", no bytes) to `Optional[UploadFile] = File(None)`.',
        "An empty filename means no file: the parameter is None.",
        no_file_chosen,
        "https://fastapi.tiangolo.com/tutorial/request-files/#optional-file-upload",
        caught_by=("flip-response-byte",),
    ),
    row(
        "uploads.filename.generated",
        "POST 25 files whose names and sizes Hypothesis draws (printable Unicode, no quote, slash or backslash).",
        "Every file arrives with its name unchanged and its bytes intact, in order.",
        generated_files,
        RFC7578,
        count=25,
        caught_by=("flip-request-byte", "flip-response-byte"),
    ),
]

BAD_BODIES = [
    row(
        "uploads.bad.missing-file",
        "POST a multipart form without the required `file` part.",
        "422 with a validation error naming `file`.",
        refused,
        DOC,
        endpoint="/uploads/hash",
        parts=[TextField("other", "x")],
        statuses=(422,),
        caught_by=("rewrite-status:422=500",),
    ),
    row(
        "uploads.bad.missing-form-field",
        "POST a file to an endpoint that also requires the form field `title`, without it.",
        "422 with a validation error, not a 500.",
        refused,
        FORMS_DOC,
        endpoint="/uploads/mixed",
        parts=[FilePart("file", "a.txt", 10, 1)],
        statuses=(422,),
        caught_by=("rewrite-status:422=500",),
    ),
    row(
        "uploads.bad.json-body",
        "POST a JSON body to an `UploadFile` endpoint.",
        "422: a form parameter is missing, never a 500.",
        refused_raw_body,
        DOC,
        content_type="application/json",
        body=b'{"file": "not a file"}',
        statuses=(422,),
        caught_by=("rewrite-status:422=500",),
    ),
    row(
        "uploads.bad.no-boundary",
        "POST `Content-Type: multipart/form-data` without a boundary parameter.",
        "400 (Starlette: 'Missing boundary in multipart.'), never a 500.",
        refused_raw_body,
        STARLETTE_FORMS,
        content_type="multipart/form-data",
        body=b"--x\r\n",
        statuses=(400,),
        caught_by=("rewrite-status:400=500",),
    ),
    row(
        "uploads.bad.garbage",
        "POST bytes that are not multipart under a multipart Content-Type with a boundary.",
        "400, never a 500.",
        refused_raw_body,
        STARLETTE_FORMS,
        content_type="multipart/form-data; boundary=fixture",
        body=b"these bytes are not a multipart body",
        statuses=(400,),
        caught_by=("rewrite-status:400=500",),
    ),
    row(
        "uploads.bad.empty-body",
        "POST an empty body under a multipart Content-Type with a boundary.",
        "A clear 4xx (the file is missing), never a 500.",
        refused_raw_body,
        STARLETTE_FORMS,
        content_type="multipart/form-data; boundary=fixture",
        body=b"",
        statuses=(400, 422),
        caught_by=("rewrite-status:422=500",),
    ),
    row(
        "uploads.bad.truncated",
        "POST a multipart body cut before its closing boundary (Content-Length matches what is sent).",
        "A clear 4xx, never a 500 or a hang.",
        truncated_multipart,
        STARLETTE_FORMS,
        caught_by=("rewrite-status:422=500",),
    ),
    row(
        "uploads.bad.huge-text-field",
        "POST a 2 MiB text field to an endpoint taking `text: str = Form(...)`.",
        "400: Starlette caps a non-file part at 1 MiB (`max_part_size`, since 0.40).",
        refused,
        STARLETTE_FORMS,
        endpoint="/uploads/text-field",
        parts=[TextField("text", "x" * (2 * MIB))],
        statuses=(400,),
        caught_by=("rewrite-status:400=500",),
    ),
    row(
        "uploads.bad.too-many-fields",
        "POST a file with 1001 extra form fields.",
        "400: Starlette parses at most 1000 fields ('Too many fields').",
        refused,
        STARLETTE_FORMS,
        endpoint="/uploads/mixed",
        parts=[FilePart("file", "a.txt", 1, 1), TextField("title", "t")]
        + [TextField(f"field{i}", "v") for i in range(1001)],
        statuses=(400,),
        detail="Too many fields. Maximum number of fields is 1000.",
        caught_by=("rewrite-status:400=500",),
    ),
    row(
        "uploads.bad.too-many-files",
        "POST 1001 files to a `list[UploadFile]` parameter.",
        "400: Starlette parses at most 1000 files ('Too many files').",
        refused,
        STARLETTE_FORMS,
        endpoint="/uploads/many",
        parts=[FilePart("files", f"{i}.bin", 1, i) for i in range(1001)],
        statuses=(400,),
        detail="Too many files. Maximum number of files is 1000.",
        caught_by=("rewrite-status:400=500",),
    ),
    row(
        "uploads.limit.route-over",
        "POST a 2 MiB file to a route declared with `max_body_size` of 1 MiB.",
        "413 Content Too Large, before the body is read.",
        refused,
        LIMITS_DOC,
        feature="route-max-body-size",
        endpoint="/uploads/limited",
        parts=[FilePart("file", "big.bin", 2 * MIB, 1)],
        statuses=(413,),
        caught_by=("rewrite-status:413=500",),
    ),
    row(
        "uploads.limit.route-under",
        "POST a 512 KiB file to the route declared with `max_body_size` of 1 MiB (no limit where FastAPI lacks it).",
        "200 with the file intact: a body under the limit is untouched.",
        size_and_hash,
        LIMITS_DOC,
        endpoint="/uploads/limited",
        size=512 * KIB,
        caught_by=("flip-request-byte",),
    ),
    row(
        "uploads.concurrent.20x10mib",
        "POST 20 files of 10 MiB at once, each on its own connection.",
        "All 20 arrive intact: each answer has the size and SHA-256 of its own file.",
        concurrent_uploads,
        DOC,
        timeout_s=180.0,
        alone=True,
        count=20,
        size=10 * MIB,
        caught_by=("flip-request-byte",),
    ),
]

CASES = [
    *SIZES,
    *READING,
    *SEVERAL,
    *CONTENT_TYPES,
    *FILENAMES,
    *BAD_BODIES,
    *FORM_CASES,
    *UPLOAD_FORMS,
    *tutorial_cases("uploads"),
]
