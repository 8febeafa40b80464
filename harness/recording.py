"""Recording exchanges: what was sent and received, summarised, masked, and reproducible.

An exchange keeps the request line and headers, and the response status,
headers (repeats kept, in order) and a body excerpt. Secrets (the harness
token, cookies the harness set, authorization) are masked. `reproduction`
turns the last exchange into a `curl` line, or a Python snippet for a WebSocket.
"""

from __future__ import annotations

import shlex
from typing import Any

import httpx

from harness.rawhttp import RawResponse

MASKED = "***"
SECRET_HEADERS = frozenset({"x-harness-token", "authorization", "proxy-authorization"})
BODY_EXCERPT = 512
MAX_FRAMES = 20


def _headers(pairs: list[tuple[str, str]]) -> list[list[str]]:
    return [[name, MASKED if name.lower() in SECRET_HEADERS else value] for name, value in pairs]


def _excerpt(data: bytes) -> str:
    return data[:BODY_EXCERPT].decode("utf-8", errors="replace")


def http_exchange(response: httpx.Response, elapsed_s: float) -> dict[str, Any]:
    request = response.request
    body = request.content if _is_read(request) else b""
    return {
        "kind": "http",
        "request": {
            "method": request.method,
            "url": str(request.url),
            "headers": _headers(list(request.headers.multi_items())),
            "body_bytes": int(request.headers.get("content-length", len(body)) or 0),
            "body_excerpt": _excerpt(body),
        },
        "response": {
            "status": response.status_code,
            "http_version": response.http_version,
            "headers": _headers(list(response.headers.multi_items())),
            "body_bytes": len(response.content),
            "body_excerpt": _excerpt(response.content),
        },
        "elapsed_s": round(elapsed_s, 6),
    }


def raw_exchange(
    url: str, method: str, headers: list[tuple[str, str]], response: RawResponse, elapsed_s: float
) -> dict[str, Any]:
    """An exchange whose request target was sent byte for byte (reproduced with `curl --path-as-is`)."""
    return {
        "kind": "http",
        "request": {
            "method": method,
            "url": url,
            "path_as_is": True,
            "headers": _headers(headers),
            "body_bytes": 0,
            "body_excerpt": "",
        },
        "response": {
            "status": response.status,
            "http_version": "HTTP/1.1",
            "headers": _headers(response.headers),
            "body_bytes": len(response.body),
            "body_excerpt": _excerpt(response.body),
        },
        "elapsed_s": round(elapsed_s, 6),
    }


def _is_read(request: httpx.Request) -> bool:
    try:
        request.content  # noqa: B018 - raises for a streamed body
    except httpx.RequestNotRead:
        return False
    return True


def websocket_exchange(url: str, headers: dict[str, str]) -> dict[str, Any]:
    return {
        "kind": "websocket",
        "url": url,
        "headers": _headers(list(headers.items())),
        "frames": [],
    }


def note_frame(exchange: dict[str, Any], direction: str, message: str | bytes) -> None:
    frames: list[dict[str, Any]] = exchange["frames"]
    if len(frames) >= MAX_FRAMES:
        return
    if isinstance(message, bytes):
        frames.append(
            {
                "dir": direction,
                "type": "binary",
                "bytes": len(message),
                "excerpt": message[:64].hex(),
            }
        )
    else:
        frames.append({"dir": direction, "type": "text", "excerpt": message[:BODY_EXCERPT]})


def reproduction(exchange: dict[str, Any]) -> str:
    if exchange["kind"] == "websocket":
        return _python_websocket(exchange)
    return _curl(exchange["request"])


def _curl(request: dict[str, Any]) -> str:
    parts = ["curl", "-sS", "-i", "-X", request["method"]]
    if request.get("path_as_is"):
        parts.append("--path-as-is")
    for name, value in request["headers"]:
        if name.lower() not in ("host", "content-length", "accept-encoding", "connection"):
            parts += ["-H", f"{name}: {value}"]
    if request["body_bytes"] and len(request["body_excerpt"]) == request["body_bytes"]:
        parts += ["--data-binary", request["body_excerpt"]]
    line = " ".join(shlex.quote(part) for part in [*parts, request["url"]])
    if request["body_bytes"] and len(request["body_excerpt"]) != request["body_bytes"]:
        line += f"  # the original body had {request['body_bytes']} bytes, not reproduced here"
    return line


def _python_websocket(exchange: dict[str, Any]) -> str:
    headers = {name: value for name, value in exchange["headers"]}
    lines = [
        "import asyncio",
        "from websockets.asyncio.client import connect",
        "",
        "async def main():",
        f"    async with connect({exchange['url']!r}, additional_headers={headers!r}) as ws:",
    ]
    for frame in exchange["frames"]:
        if frame["dir"] == "sent" and frame["type"] == "text":
            lines.append(f"        await ws.send({frame['excerpt']!r})")
        elif frame["dir"] == "sent":
            lines.append(f"        await ws.send(bytes.fromhex({frame['excerpt']!r}))")
        else:
            lines.append("        print(await ws.recv())")
    return "\n".join([*lines, "", "asyncio.run(main())"])
