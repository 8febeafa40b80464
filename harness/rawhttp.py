"""HTTP/1.1 requests written byte for byte, for paths no HTTP library would send unchanged.

Libraries normalise `..`, percent-encoding and backslashes; these requests
keep the request target exactly as given. Each request asks the server to
close the connection, so the response is everything read until EOF. The same
request can be turned into the ASGI scope uvicorn would build from it, for
the in-process target.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from harness.errors import NoAnswer, PeerFailed
from harness.transport import from_connection


@dataclass(frozen=True)
class RawResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def encode_request(method: str, target: bytes, host: str, headers: list[tuple[str, str]]) -> bytes:
    lines = [method.encode() + b" " + target + b" HTTP/1.1", b"Host: " + host.encode()]
    lines += [f"{name}: {value}".encode("latin-1") for name, value in headers]
    lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n"


def parse_response(data: bytes) -> RawResponse:
    """The status, headers and (de-chunked) body of one HTTP/1.1 response."""
    head, separator, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status_line = lines[0].split(" ", 2)
    if not separator or len(status_line) < 2 or not status_line[0].startswith("HTTP/"):
        raise PeerFailed(f"the server's answer is not HTTP: {data[:60]!r}")
    headers = [
        tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:] if ":" in line
    ]
    response = RawResponse(int(status_line[1]), headers, body)  # type: ignore[arg-type]
    if (response.header("transfer-encoding") or "").lower() == "chunked":
        return RawResponse(response.status, response.headers, dechunk(body))
    return response


def dechunk(body: bytes) -> bytes:
    out, rest = b"", body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out


async def exchange(
    host: str, port: int, request: bytes, timeout: float, context: ssl.SSLContext | None
) -> RawResponse:
    """Send `request` on a new connection and parse everything read until the server closes it."""
    try:
        return await asyncio.wait_for(_exchange(host, port, request, context), timeout)
    except TimeoutError as exc:
        raise NoAnswer(f"a complete raw HTTP answer from {host}:{port}", timeout) from exc
    except OSError as exc:
        raise from_connection(exc, f"raw HTTP to {host}:{port}", timeout) from exc


async def _exchange(
    host: str, port: int, request: bytes, context: ssl.SSLContext | None
) -> RawResponse:
    reader, writer = await asyncio.open_connection(
        host, port, ssl=context, server_hostname=host if context else None
    )
    try:
        writer.write(request)
        await writer.drain()
        data = await reader.read()  # until the server closes, as every request here asks it to
    finally:
        writer.close()
    return parse_response(data)


def is_acceptable_target(target: bytes) -> bool:
    """What uvicorn's HTTP parsers accept in a request target: visible ASCII only."""
    return all(0x21 <= byte < 0x7F for byte in target)


def asgi_scope(method: str, target: bytes, headers: list[tuple[str, str]]) -> dict[str, Any]:
    """The HTTP scope uvicorn builds for this request: `path` percent-decoded, `raw_path` as sent."""
    raw_path, _, query = target.partition(b"?")
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": unquote(raw_path.decode("ascii")),
        "raw_path": raw_path,
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"testserver")]
        + [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
