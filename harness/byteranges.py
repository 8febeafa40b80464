"""Reading range answers: the parts of a multipart/byteranges body, each checked against the file.

Used by every case that asks for ranges (FileResponse routes and StaticFiles
alike), so a multi-range answer is judged one way: its parts are parsed by their
boundary and Content-Range, never searched for as substrings of the body.
"""

from __future__ import annotations

import re

from harness.case import Context


def byteranges(body: bytes, content_type: str) -> list[tuple[str, bytes]]:
    """The (Content-Range, data) of each part of a multipart/byteranges body."""
    match = re.search(r"boundary=([^;]+)", content_type)
    if not match:
        return []
    delimiter = b"--" + match.group(1).strip('"').encode()
    parts = []
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk.lstrip(b"\r\n").partition(b"\r\n\r\n")
        found = re.search(rb"(?im)^content-range:\s*(.+?)\s*$", head)
        parts.append((found.group(1).decode() if found else "", data.removesuffix(b"\r\n")))
    return parts


def expect_pieces(
    ctx: Context, pieces: list[tuple[str, bytes]], data: bytes
) -> list[tuple[int, int]]:
    """Each piece's bytes are the file's bytes its Content-Range names; returns the ranges."""
    spans = []
    for content_range, piece in pieces:
        found = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", content_range)
        ctx.expect(found is not None, f"malformed Content-Range {content_range!r}")
        assert found is not None
        start, end, total = (int(value) for value in found.groups())
        ctx.expect(total == len(data), f"Content-Range total {total}, the file has {len(data)}")
        ctx.expect(
            piece == data[start : end + 1], f"the bytes of {content_range!r} are not the file's"
        )
        spans.append((start, end))
    return spans
