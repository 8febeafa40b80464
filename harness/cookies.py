"""Parsing a raw `Set-Cookie` header as RFC 6265 section 5.2 describes, keeping what was on the wire.

Attribute names are case-insensitive and stored lower-case; values are kept
as sent (whitespace trimmed); valueless attributes (Secure, HttpOnly) map to True.
Nothing is dropped or normalised beyond that, so a case sees what a browser would parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SetCookie:
    name: str
    value: str
    attributes: dict[str, str | bool] = field(default_factory=dict)


def parse_set_cookie(header: str) -> SetCookie:
    pair, *attributes = header.split(";")
    name, _, value = pair.partition("=")
    parsed: dict[str, str | bool] = {}
    for attribute in attributes:
        key, sep, raw = attribute.partition("=")
        key = key.strip().lower()
        if key:
            parsed[key] = raw.strip() if sep else True
    return SetCookie(name=name.strip(), value=value.strip(), attributes=parsed)
