"""A diagnosis of a change between two runs: each area that changed, and its likely cause.

Pure functions over results documents and `compare.pair_changes`. Rules:
1. Per area: how many cases regressed, improved or changed from run A to run B.
2. A cause is a row of CAUSES: a question about run B's stack (a middleware in it,
   a BaseHTTPMiddleware, a proxy of some name and variant) and a pattern that a case
   id or a difference line of the area must match. Only a cause for which both hold
   is named, with its sentence and link; an area with none says "cause not known".
3. Nothing here changes a status or a count: it explains what the comparison found.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Info = dict[str, Any]
STARLETTE_2003 = "https://github.com/Kludex/starlette/issues/2003"
NGINX_PROXY = "https://nginx.org/en/docs/http/ngx_http_proxy_module.html"


def middleware(info: Info) -> list[dict[str, Any]]:
    return list((info.get("stack") or {}).get("middleware") or [])


def proxy(info: Info) -> dict[str, Any]:
    return dict((info.get("stack") or {}).get("proxy") or {})


def any_middleware(info: Info) -> bool:
    return bool(middleware(info))


def base_http_middleware(info: Info) -> bool:
    return any(entry.get("base_http_middleware") for entry in middleware(info))


def proxied(name: str = "", variant: str = "") -> Callable[[Info], bool]:
    def holds(info: Info) -> bool:
        found = proxy(info)
        return (
            bool(found)
            and name in ("", found.get("name"))
            and variant in ("", found.get("variant"))
        )

    return holds


@dataclass(frozen=True)
class Cause:
    """A known cause: when run B's stack has it, and a sign of it in the area's changes."""

    applies: Callable[[Info], bool]
    sign: re.Pattern[str]
    text: str
    link: str


def cause(applies: Callable[[Info], bool], sign: str, text: str, link: str) -> Cause:
    return Cause(applies, re.compile(sign), text, link)


CAUSES = (
    cause(
        any_middleware,
        r"content-length: \S+ → \(absent\)|content-length: expected '\d+', observed None",
        "a middleware outside the fixture app's own BaseHTTPMiddleware layers sees every body as a "
        "stream (two or more messages): compression ignores its minimum size and drops Content-Length",
        STARLETTE_2003,
    ),
    cause(
        any_middleware,
        r"content-encoding: \(absent\) → (br|gzip)",
        "a compression middleware in the stack encodes answers the bare app sends as they are "
        "(and adds Vary: Accept-Encoding)",
        STARLETTE_2003,
    ),
    cause(
        any_middleware,
        r"(content-security-policy|strict-transport-security|x-frame-options): \(absent\) →",
        "a security-headers middleware sets CSP, HSTS, X-Frame-Options and more on every HTTP answer",
        "https://github.com/TypeError/secure",
    ),
    cause(
        base_http_middleware,
        r"^background\.|contextvar|tasks\.",
        "a BaseHTTPMiddleware in the stack: background tasks can start before the body is sent, and "
        "context variables set inside it do not reach middleware outside",
        "https://github.com/Kludex/starlette/issues/919",
    ),
    cause(
        any_middleware,
        r"x-request-id: \(absent\) →",
        "a request-id middleware: every HTTP answer gets an X-Request-ID (the value is normalized)",
        "https://github.com/snok/asgi-correlation-id",
    ),
    cause(
        proxied(),
        r" server: uvicorn → ",
        "the proxy names itself in Server (nginx replaces the app's, Caddy adds its own beside it)",
        "https://nginx.org/en/docs/http/ngx_http_core_module.html#server_tokens",
    ),
    cause(
        proxied("nginx", "stock"),
        r"^websockets\.|handshake answered HTTP \d+ instead of 101|wss://",
        "the proxy does not pass the WebSocket upgrade: proxy_http_version 1.1 and "
        "proxy_set_header Upgrade/Connection are missing",
        "https://nginx.org/en/docs/http/websocket.html",
    ),
    cause(
        proxied(),
        r"413",
        "the proxy caps request bodies (nginx: client_max_body_size, 1m by default)",
        "https://nginx.org/en/docs/http/ngx_http_core_module.html#client_max_body_size",
    ),
    cause(
        proxied("nginx"),
        r"convert-underscores|strange_header|save_data",
        "the proxy drops header names with an underscore (nginx: underscores_in_headers off)",
        "https://nginx.org/en/docs/http/ngx_http_core_module.html#underscores_in_headers",
    ),
    cause(
        proxied("nginx", "stock"),
        r"^middleware\.trustedhost\.",
        "a rewritten Host: stock proxy_pass sends the upstream's address (proxy_set_header Host $http_host)",
        NGINX_PROXY,
    ),
    cause(
        proxied("nginx"),
        r"x-accel-buffering",
        "nginx acts on X-Accel-Buffering itself (proxy_buffering) and does not pass it on",
        f"{NGINX_PROXY}#proxy_buffering",
    ),
    cause(
        proxied(),
        r"^middleware\.proxy\.forwarded",
        "the proxy sets X-Forwarded-For/-Proto itself and does not trust the client's",
        "https://caddyserver.com/docs/caddyfile/directives/reverse_proxy#defaults",
    ),
    cause(
        proxied("caddy"),
        r"user_agent|missing-optional",
        "Caddy (Go's HTTP client) never sends an empty User-Agent upstream",
        "https://caddyserver.com/docs/caddyfile/directives/reverse_proxy",
    ),
)


def diagnose(info_b: Info, changes: dict[str, Any]) -> list[dict[str, Any]]:
    """Rule 1 and 2: one entry per area that changed, with counts and the causes named."""
    categories, explained = changes["categories"], changes["differences"]
    areas: dict[str, dict[str, Any]] = {}
    for category in ("regressed", "improved", "changed"):
        for case_id in categories.get(category, []):
            area = areas.setdefault(case_id.split(".")[0], {"counts": {}, "signs": []})
            area["counts"][category] = area["counts"].get(category, 0) + 1
            area["signs"].append(case_id)
            area["signs"] += [f"{d['where']} {d['what']}" for d in explained.get(case_id, [])]
    return [
        {"area": name, "counts": area["counts"], "causes": _causes(info_b, area["signs"])}
        for name, area in sorted(areas.items())
    ]


def _causes(info_b: Info, signs: list[str]) -> list[dict[str, str]]:
    found = [
        {"cause": known.text, "link": known.link}
        for known in CAUSES
        if known.applies(info_b) and any(known.sign.search(sign) for sign in signs)
    ]
    return found or [{"cause": "cause not known", "link": ""}]
