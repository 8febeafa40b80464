"""Forms and more uploads: `Form()` from urlencoded bodies, form models, form limits, and the
`UploadFile` forms the first cases do not show (no `File()`, `list[bytes]`, `write()` and
`close()`, `.file` in a `def` route, a file read while the response streams).
"""

from __future__ import annotations

import hashlib
from typing import Any

from harness.case import Context, row
from suites.wire import answer

FORMS_DOC = "https://fastapi.tiangolo.com/tutorial/request-forms/"
FORM_MODELS_DOC = "https://fastapi.tiangolo.com/tutorial/request-form-models/"
FILES_DOC = "https://fastapi.tiangolo.com/tutorial/request-files/"
LIMITS_DOC = "https://fastapi.tiangolo.com/advanced/request-body-limits/"
STARLETTE_FORMS = "https://www.starlette.io/requests/#request-files"
DEPENDENCIES_DOC = "https://fastapi.tiangolo.com/advanced/advanced-dependencies/#dependencies-with-yield-and-streamingresponse-technical-details"
URLENCODED = {"Content-Type": "application/x-www-form-urlencoded"}
CONTENT = b"The tutorial's upload, read back by the app.\n" * 40
APPENDED = b"+appended by write()"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def form(body: str) -> dict[str, Any]:
    """Request arguments sending `body` exactly as an urlencoded form."""
    return {"content": body.encode(), "headers": URLENCODED}


def upload(*files: tuple[str, bytes]) -> dict[str, Any]:
    return {
        "files": [(name, (f"{name}.bin", data, "application/octet-stream")) for name, data in files]
    }


async def streamed_back(ctx: Context) -> None:
    response = await ctx.request("POST", "/uploads/stream-back", **upload(("file", CONTENT)))
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal("body.sha256", sha256_of(response.content), sha256_of(CONTENT))


def urlencoded(
    slug: str,
    description: str,
    expectation: str,
    path: str,
    body: str,
    status: int,
    caught_by: tuple[str, ...],
    **expected: Any,
) -> Any:
    return row(
        f"uploads.form.{slug}",
        description,
        expectation,
        answer,
        FORMS_DOC,
        caught_by=caught_by,
        method="POST",
        path=path,
        status=status,
        request=form(body),
        **expected,
    )


FORM_CASES = [
    urlencoded(
        "urlencoded",
        "POST `username=johndoe&password=p4ssw0rd` as application/x-www-form-urlencoded to `username: str = Form()`, `password: str = Form()`.",
        "200 and each parameter holds its field's value: Form() reads urlencoded bodies.",
        "/forms/login",
        "username=johndoe&password=p4ssw0rd",
        200,
        ("flip-request-byte", "flip-response-byte"),
        body_json={"username": "johndoe", "password": "p4ssw0rd"},
    ),
    urlencoded(
        "urlencoded-percent-encoded",
        "POST an urlencoded form whose values hold `%20`, `+`, `%26` and UTF-8 (`%C3%A9`).",
        "Each value arrives decoded: spaces, the ampersand and the accented letter as sent.",
        "/forms/login",
        "username=jane+doe%20jr&password=p%26ss%C3%A9",
        200,
        ("flip-request-byte", "flip-response-byte"),
        body_json={"username": "jane doe jr", "password": "p&ss\u00e9"},
    ),
    urlencoded(
        "alias",
        "POST `user-name=alice` to a parameter declared `Form(alias='user-name')`.",
        "The parameter holds the value of the field named by the alias.",
        "/forms/alias",
        "user-name=alice",
        200,
        ("flip-request-byte", "flip-response-byte"),
        body_json={"user_name": "alice"},
    ),
    urlencoded(
        "missing-field",
        "POST only `username=johndoe` to the login form, leaving out the required `password`.",
        "422 with a validation error at ['body', 'password'].",
        "/forms/login",
        "username=johndoe",
        422,
        ("rewrite-status:422=200",),
        errors=[(["body", "password"], None)],
    ),
    urlencoded(
        "validation",
        "POST `username=jo` to `Form(min_length=3)`.",
        "422 with a validation error at ['body', 'username']: Form() validates like Query() and Body().",
        "/forms/validated",
        "username=jo",
        422,
        ("rewrite-status:422=200",),
        errors=[(["body", "username"], None)],
    ),
    urlencoded(
        "empty-optional",
        "POST `nickname=&title=` (both values empty, as an HTML form sends unfilled inputs) to `nickname: str | None = Form(None)`, `title: str = Form('untitled')`.",
        "Each empty value counts as missing: nickname is None and title its default 'untitled'.",
        "/forms/optional",
        "nickname=&title=",
        200,
        ("rewrite-status:200=299",),
        body_json={"nickname": None, "title": "untitled"},
    ),
    row(
        "uploads.form.multipart-field",
        "POST the login form as multipart/form-data instead of urlencoded.",
        "200 with both values: Form() reads multipart bodies the same way.",
        answer,
        FORMS_DOC,
        caught_by=("flip-response-byte",),
        method="POST",
        path="/forms/login",
        status=200,
        request={"files": {"username": (None, b"johndoe"), "password": (None, b"p4ssw0rd")}},
        body_json={"username": "johndoe", "password": "p4ssw0rd"},
    ),
    row(
        "uploads.form.urlencoded-too-many-fields",
        "POST an urlencoded body of 1001 fields to a route that reads the form.",
        "400: Starlette's limit of 1000 fields applies to urlencoded bodies as to multipart ones.",
        answer,
        STARLETTE_FORMS,
        caught_by=("rewrite-status:400=200",),
        method="POST",
        path="/forms/count",
        status=400,
        request=form("&".join(f"f{index}=v" for index in range(1001))),
    ),
    row(
        "uploads.form.urlencoded-1000-fields",
        "POST an urlencoded body of exactly 1000 fields to the same route.",
        "200 and the app counts 1000 fields: the limit is not off by one.",
        answer,
        STARLETTE_FORMS,
        caught_by=("rewrite-status:200=400",),
        method="POST",
        path="/forms/count",
        status=200,
        request=form("&".join(f"f{index}=v" for index in range(1000))),
        body_json={"fields": 1000},
    ),
    row(
        "uploads.form-model.fields",
        "POST `username=johndoe&password=p4ssw0rd` to `data: Annotated[FormData, Form()]` (a Pydantic model).",
        "200 and the model is filled field by field from the form.",
        answer,
        FORM_MODELS_DOC,
        feature="form-model",
        caught_by=("flip-request-byte", "flip-response-byte"),
        method="POST",
        path="/forms/model",
        status=200,
        request=form("username=johndoe&password=p4ssw0rd"),
        body_json={"username": "johndoe", "password": "p4ssw0rd"},
    ),
    row(
        "uploads.form-model.missing-field",
        "POST only `username=johndoe` to the form model.",
        "422 with a validation error at ['body', 'password'], as for separate Form() parameters.",
        answer,
        FORM_MODELS_DOC,
        feature="form-model",
        caught_by=("rewrite-status:422=200",),
        method="POST",
        path="/forms/model",
        status=422,
        request=form("username=johndoe"),
        errors=[(["body", "password"], "missing")],
    ),
    row(
        "uploads.form-model.forbid-extra",
        "POST `username=johndoe&password=p4ssw0rd&extra=Mr. Poopybutthole` to a form model with `extra='forbid'`.",
        "422 with an 'extra_forbidden' error at ['body', 'extra'].",
        answer,
        FORM_MODELS_DOC + "#forbid-extra-form-fields",
        feature="form-model",
        caught_by=("rewrite-status:422=200",),
        method="POST",
        path="/forms/model-forbid-extra",
        status=422,
        request=form("username=johndoe&password=p4ssw0rd&extra=Mr.+Poopybutthole"),
        errors=[(["body", "extra"], "extra_forbidden")],
    ),
    row(
        "uploads.form-limits.max-fields",
        "POST three urlencoded fields to a route declared with `form_limits={'max_fields': 2}`.",
        "400: the route's own limit replaces Starlette's 1000 fields.",
        answer,
        LIMITS_DOC,
        feature="form-limits",
        caught_by=("rewrite-status:400=200",),
        method="POST",
        path="/forms/limited",
        status=400,
        request=form("a=1&b=2&c=3"),
    ),
    row(
        "uploads.form-limits.under",
        "POST two urlencoded fields to the same route.",
        "200 with both values: a form within the route's limits is parsed as usual.",
        answer,
        LIMITS_DOC,
        feature="form-limits",
        caught_by=("flip-response-byte",),
        method="POST",
        path="/forms/limited",
        status=200,
        request=form("a=1&b=2"),
        body_json={"a": "1", "b": "2", "c": None},
    ),
]

UPLOAD_FORMS = [
    row(
        "uploads.uploadfile.without-file",
        "POST a 1.8 KB file to a parameter declared `file: UploadFile` with no `File()`.",
        "200 and the app read exactly the bytes sent: UploadFile alone declares a file part.",
        answer,
        FILES_DOC + "#file-parameters-with-uploadfile",
        caught_by=("flip-request-byte",),
        method="POST",
        path="/uploads/without-file",
        status=200,
        request=upload(("file", CONTENT)),
        json_keys={"size": len(CONTENT), "sha256": sha256_of(CONTENT)},
    ),
    row(
        "uploads.bytes.list",
        "POST two files under one field name to `files: list[bytes] = File()`.",
        "200 and the list holds both contents in the order sent.",
        answer,
        FILES_DOC + "#multiple-file-uploads",
        caught_by=("flip-request-byte",),
        method="POST",
        path="/uploads/bytes-list",
        status=200,
        request=upload(("files", b"first file"), ("files", CONTENT)),
        body_json={
            "files": [
                {"size": 10, "sha256": sha256_of(b"first file")},
                {"size": len(CONTENT), "sha256": sha256_of(CONTENT)},
            ]
        },
    ),
    row(
        "uploads.uploadfile.write-and-close",
        "POST a file to an `async def` route that reads it, `await file.write(...)`s more, seeks to 0, reads it all and `await file.close()`s it.",
        "The content read back is the upload followed by what write() added, and the file is closed afterwards.",
        answer,
        FILES_DOC + "#uploadfile",
        caught_by=("flip-request-byte",),
        method="POST",
        path="/uploads/write-close",
        status=200,
        request=upload(("file", CONTENT)),
        body_json={
            "size": len(CONTENT + APPENDED),
            "sha256": sha256_of(CONTENT + APPENDED),
            "closed": True,
        },
    ),
    row(
        "uploads.uploadfile.file-in-def-route",
        "POST a file to a plain `def` route that reads `file.file` (the underlying SpooledTemporaryFile) directly.",
        "The route reads exactly the bytes sent, with the part's filename.",
        answer,
        FILES_DOC + "#uploadfile",
        caught_by=("flip-request-byte",),
        method="POST",
        path="/uploads/sync-file",
        status=200,
        request=upload(("file", CONTENT)),
        body_json={"size": len(CONTENT), "sha256": sha256_of(CONTENT), "filename": "file.bin"},
    ),
    row(
        "uploads.optional.absent",
        "POST a multipart body without a `file` part to `file: UploadFile | None = File(None)`.",
        "200 and the parameter is None: an optional file may be left out, no 422.",
        answer,
        FILES_DOC + "#optional-file-upload",
        caught_by=("flip-response-byte",),
        method="POST",
        path="/uploads/optional",
        status=200,
        request=upload(("unrelated", b"not the file")),
        body_json={"file": None},
    ),
    row(
        "uploads.stream.read-while-streaming",
        "POST a file to a route that returns a StreamingResponse whose generator reads the UploadFile.",
        "The streamed body is the uploaded file: the file stays open until the response has been sent.",
        streamed_back,
        DEPENDENCIES_DOC,
        caught_by=("flip-response-byte",),
    ),
]
