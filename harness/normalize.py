"""What legitimately varies between two runs of the same stack, and how it is written instead.

The wire and the observations of a case are compared across runs, so values
that change from run to run without the stack changing are replaced, here and
nowhere else, by a placeholder that keeps their shape. Each rule names the
headers it applies to (or every value) and gives its reason; nothing volatile
is silently dropped: the value's place and shape stay visible.

Rules:
1. Per case: the target's own URL and host:port (`<target>`, `<target-host>`)
   and the case's scope id (`<scope>`) wherever they appear, bodies included.
2. Per header: the table HEADER_RULES below, in order. An observation named after
   a header (`etag`, `header.last-modified`, or a key `If-None-Match` inside one)
   takes that header's rules, so a validator a case observed varies as its header does.
3. In a body: the multipart boundary its Content-Type names (`<boundary>`), then the
   table BODY_RULES in a JSON or text body (values a stack's middleware puts into what
   the app echoes).
4. A gzip body's MTIME (header bytes 4 to 7) is written as zeros: Starlette's
   GZipMiddleware lets `gzip.GzipFile` stamp the current time (RFC 1952 2.3.1), so
   one compressed answer differs from second to second; the rest of it is compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

HTTP_DATE = r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT"
UUID = r"(?<![0-9a-fA-F])[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}(?![0-9a-fA-F])"


@dataclass(frozen=True)
class Rule:
    """Within the values of the named headers, `pattern` is written as `replacement`."""

    headers: frozenset[str]
    pattern: re.Pattern[str]
    replacement: str
    reason: str

    def apply(self, value: str) -> str:
        return self.pattern.sub(self.replacement, value)


def rule(headers: str, pattern: str, replacement: str, reason: str) -> Rule:
    return Rule(frozenset(headers.split()), re.compile(pattern), replacement, reason)


HEADER_RULES = (
    rule("date", HTTP_DATE, "<http-date>", "the moment the server answered"),
    rule(
        "last-modified if-modified-since if-unmodified-since if-range",
        HTTP_DATE,
        "<http-date>",
        "the time the fixture's files were installed or checked out",
    ),
    rule(
        "etag if-none-match if-match if-range",
        r"[0-9a-f]{16,}",
        "<hex>",
        "StaticFiles and FileResponse hash the file's modification time (quotes and W/ are kept)",
    ),
    rule("set-cookie", rf"(?i)(expires=){HTTP_DATE}", r"\1<http-date>", "Expires counts from now"),
    rule(
        "x-process-time",
        r"^\d+(\.\d+)?(e-?\d+)?$",
        "<float>",
        "the docs' timing middleware measures each request",
    ),
    rule("content-type", r"boundary=[^;\s]+", "boundary=<boundary>", "a random multipart boundary"),
    rule(
        "x-request-id x-correlation-id",
        UUID,
        "<uuid>",
        "request-id middleware (asgi-correlation-id) makes a new uuid4 for a request that brings none",
    ),
    rule(
        "x-ratelimit-reset",
        r"^\d+(\.\d+)?$",
        "<epoch>",
        "a rate limiter (slowapi with headers_enabled) names the moment its window ends",
    ),
    rule(
        "x-ratelimit-remaining",
        r"^\d+$",
        "<count>",
        "what is left of a rate limit depends on how many requests came first (cases run side by side)",
    ),
    rule(
        "retry-after",
        r"^\d+$",
        "<seconds>",
        "a rate limiter counts its window down on every answer (slowapi); the fixture app sends none",
    ),
)

BODY_RULES = (
    rule(
        "",
        rf"(?i)(x-(?:request|correlation)-id[\"']?\s*[:=,]\s*\[?\s*[\"']?){UUID}",
        r"\1<uuid>",
        "request-id middleware writes the id it made into the request headers the app echoes",
    ),
)


TEXTUAL = re.compile(r"(?i)json|^\s*text/")  # what an app echoes values in: JSON, text, events


def textual(content_type: str | None) -> bool:
    """Rule 3's table reads JSON and text bodies only (a search through every byte of a
    large download cost seconds a run, and no echo comes in one)."""
    return content_type is None or bool(TEXTUAL.search(content_type))


GZIP_MEMBER = b"\x1f\x8b\x08"  # a gzip member compressed with deflate (RFC 1952 2.3.1)


def without_gzip_time(data: bytes) -> bytes:
    """Rule 4: a gzip member's MTIME as zeros."""
    if data.startswith(GZIP_MEMBER) and len(data) >= 10:
        return data[:4] + bytes(4) + data[8:]
    return data


@dataclass(frozen=True)
class Normalizer:
    """The rules for one case on one target: its placeholders, then the header table."""

    placeholders: tuple[tuple[str, str], ...]

    @classmethod
    def for_case(cls, base_url: str, scope: str) -> Normalizer:
        parts = urlsplit(base_url)
        origin = base_url.rstrip("/")
        pairs = [(origin, "<target>")]
        if parts.scheme in ("http", "https"):
            ws = "ws" + origin.removeprefix("http")
            pairs.append((ws, "<target>"))
        if parts.netloc:
            pairs.append((parts.netloc, "<target-host>"))
        if scope:
            pairs.append((scope, "<scope>"))
        return cls(tuple(pairs))

    def text(self, value: str) -> str:
        """Any string the case saw, with the run's own values replaced."""
        for found, placeholder in self.placeholders:
            value = value.replace(found, placeholder)
        return value

    def header(self, name: str, value: str) -> str:
        value = self.text(value)
        for header_rule in HEADER_RULES:
            if name in header_rule.headers:
                value = header_rule.apply(value)
        return value

    def headers(self, pairs: list[tuple[str, str]]) -> list[list[str]]:
        """Every header in order, names lower-cased, repeats kept apart."""
        return [[name.lower(), self.header(name.lower(), value)] for name, value in pairs]

    def body(self, data: bytes, content_type: str | None) -> bytes:
        """The body as it is digested: the run's own values and the boundary replaced."""
        data = without_gzip_time(data)
        for found, placeholder in self.placeholders:
            data = data.replace(found.encode(), placeholder.encode())
        boundary = re.search(r"boundary=([^;\s]+)", content_type or "")
        if boundary:
            data = data.replace(boundary.group(1).strip('"').encode(), b"<boundary>")
        if textual(content_type) and any(
            body_rule.pattern.search(data.decode("latin-1")) for body_rule in BODY_RULES
        ):
            text = data.decode("latin-1")
            for body_rule in BODY_RULES:
                text = body_rule.apply(text)
            data = text.encode("latin-1")
        return data

    def value(self, value: Any, name: str = "") -> Any:
        """An observation with every string in it normalized (lists and dicts walked); one named
        after a header takes that header's rules too."""
        header = name.rsplit(".", 1)[-1].lower()
        if isinstance(value, str):
            return self.header(header, value)
        if isinstance(value, list | tuple):
            return [self.value(item, name) for item in value]
        if isinstance(value, dict):
            return {key: self.value(item, str(key)) for key, item in value.items()}
        return value
