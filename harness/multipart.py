"""multipart/form-data bodies written as they are sent, never held whole.

A body is a list of parts: text fields and files whose content is generated
from a seed (`harness.content`). The encoder knows the total length up front
(so the request carries a Content-Length) and hashes each file's bytes as it
sends them, so a case compares what the app read with what really left.
Headers are written exactly as given: a case can send the filenames browsers
send (quotes as %22) or odd ones no library would produce.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

from harness.content import chunks

CRLF = b"\r\n"


def quote_browser_style(value: str) -> bytes:
    """A parameter value as HTML forms send it: UTF-8, with `"`, CR and LF percent-encoded."""
    escaped = value.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
    return b'"' + escaped.encode() + b'"'


@dataclass(frozen=True)
class TextField:
    name: str
    value: str

    def headers(self) -> bytes:
        return b"Content-Disposition: form-data; name=" + quote_browser_style(self.name)

    @property
    def size(self) -> int:
        return len(self.value.encode())

    def body(self) -> Iterator[bytes]:
        yield self.value.encode()


@dataclass(frozen=True)
class FilePart:
    """A file of `size` pseudo-random bytes from `seed`; `filename_param` overrides `filename=...` as raw bytes."""

    name: str
    filename: str | None
    size: int
    seed: int
    content_type: str | None = "application/octet-stream"
    filename_param: bytes | None = None

    def headers(self) -> bytes:
        disposition = b"Content-Disposition: form-data; name=" + quote_browser_style(self.name)
        if self.filename_param is not None:
            disposition += b"; " + self.filename_param
        elif self.filename is not None:
            disposition += b"; filename=" + quote_browser_style(self.filename)
        if self.content_type is None:
            return disposition
        return disposition + CRLF + b"Content-Type: " + self.content_type.encode()

    def body(self) -> Iterator[bytes]:
        return chunks(self.size, self.seed)


Part = TextField | FilePart


@dataclass
class MultipartBody:
    """The encoded body of `parts`: iterate it, or `stream()` it to an async client."""

    parts: list[Part]
    boundary: str = field(default_factory=lambda: "conformance-" + uuid.uuid4().hex)
    sent_sha256: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def _head(self, part: Part) -> bytes:
        return b"--" + self.boundary.encode() + CRLF + part.headers() + CRLF + CRLF

    def _tail(self) -> bytes:
        return b"--" + self.boundary.encode() + b"--" + CRLF

    def __len__(self) -> int:
        framing = sum(len(self._head(part)) + len(CRLF) for part in self.parts)
        return framing + sum(part.size for part in self.parts) + len(self._tail())

    def headers(self) -> dict[str, str]:
        return {"Content-Type": self.content_type, "Content-Length": str(len(self))}

    def __iter__(self) -> Iterator[bytes]:
        self.sent_sha256 = []
        for part in self.parts:
            yield self._head(part)
            digest = hashlib.sha256()
            for piece in part.body():
                digest.update(piece)
                yield piece
            self.sent_sha256.append(digest.hexdigest())
            yield CRLF
        yield self._tail()

    async def stream(self) -> AsyncIterator[bytes]:
        """The body for an async client (`content=body.stream()`)."""
        for piece in self:
            yield piece
