"""HTTP lint: every captured response is run through httplint; its warnings become observations.

Only notes of level WARN and BAD are kept (the names, which are stable, as an
observation; the sentences for the report). Lint never decides a case's status
unless the case itself asserts on a note.
"""

from __future__ import annotations

from typing import Any

import httpx
from httplint import HttpResponseLinter

KEPT_LEVELS = ("WARN", "BAD")


def lint_response(response: httpx.Response) -> list[dict[str, str]]:
    linter = HttpResponseLinter()
    linter.is_head_response = response.request.method == "HEAD"
    version = response.http_version.encode()
    linter.process_response_topline(
        version, str(response.status_code).encode(), response.reason_phrase.encode()
    )
    linter.process_headers([(name, value) for name, value in response.headers.raw])
    linter.feed_content(response.content)
    linter.finish_content(True)
    notes = []
    for note in linter.notes:
        level = str(note.level).rsplit(".", 1)[-1]
        if level in KEPT_LEVELS:
            notes.append({"note": type(note).__name__, "level": level, "summary": str(note)})
    return notes


def note_names(notes: list[dict[str, Any]]) -> list[str]:
    return sorted({note["note"] for note in notes})
