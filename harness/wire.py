"""The wire of a case: every exchange it made, normalized, as comparisons see it.

An HTTP exchange is its request (method and target), status, protocol, every
response header in order (repeats kept apart) and the body's length and
SHA-256 (of the body normalized). A WebSocket exchange is its target, the
handshake's outcome (the subprotocol accepted, or the refusal's status and
body), each frame's direction, type, length and digest, and how it closed (by
whom, the code, the reason, and whether a close frame came at all).
Normalization is `harness.normalize`'s; timings are never part of the wire.
Identical exchanges of one case are kept once with their count: the wire is a
multiset, since concurrent exchanges end in no guaranteed order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from harness.normalize import Normalizer

Entry = dict[str, Any]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def body_of(normalizer: Normalizer, data: bytes, content_type: str | None) -> dict[str, Any]:
    return {"bytes": len(data), "sha256": digest(normalizer.body(data, content_type))}


def request_line(normalizer: Normalizer, method: str, url: str) -> str:
    """`METHOD /path?query`, relative to the target (its prefix included in `<target>`)."""
    return f"{method} {normalizer.text(url).removeprefix('<target>') or '/'}"


def http_entry(
    normalizer: Normalizer,
    request: str,
    status: int,
    http_version: str,
    headers: list[tuple[str, str]],
    body: bytes,
) -> Entry:
    content_type = next((v for k, v in headers if k.lower() == "content-type"), None)
    return {
        "request": request,
        "status": status,
        "http": http_version.removeprefix("HTTP/"),
        "headers": normalizer.headers(headers),
        "body": body_of(normalizer, body, content_type),
    }


def websocket_entry(normalizer: Normalizer, path: str, subprotocols: list[str]) -> Entry:
    entry: Entry = {"request": f"WS {normalizer.text(path)}", "frames": []}
    if subprotocols:
        entry["offered"] = list(subprotocols)
    return entry


def frame(normalizer: Normalizer, direction: str, message: str | bytes) -> dict[str, Any]:
    data = message if isinstance(message, bytes) else message.encode()
    kind = "binary" if isinstance(message, bytes) else "text"
    return {
        "dir": direction,
        "type": kind,
        "bytes": len(data),
        "sha256": digest(normalizer.body(data, None)),
    }


def canonical(entry: Entry) -> str:
    return json.dumps(entry, sort_keys=True, ensure_ascii=False)


def collapse(entries: Iterable[Entry]) -> list[Entry]:
    """Each distinct exchange once, in first-seen order, with `count` when it happened more often."""
    counts: dict[str, int] = {}
    first: dict[str, Entry] = {}
    for entry in entries:
        key = canonical(entry)
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, entry)
    return [
        {**entry, "count": counts[key]} if counts[key] > 1 else entry
        for key, entry in first.items()
    ]


def multiset(wire: list[Entry]) -> dict[str, int]:
    """The wire as the comparison sees it: each distinct exchange and how often it happened."""
    counts: dict[str, int] = {}
    for entry in wire:
        key = canonical({k: v for k, v in entry.items() if k != "count"})
        counts[key] = counts.get(key, 0) + int(entry.get("count", 1))
    return counts
