"""What a target can do: the names cases list in `needs=`, and targets (and servers) declare.

A case that needs a capability its target lacks is UNSUPPORTED, with the reason, before
anything is sent.
"""

from __future__ import annotations

REAL_SOCKET = "real-socket"
STREAMING = "streaming"
TIMING = "timing"
RAW_HTTP = "raw-http"
WEBSOCKET = "websocket"
TLS = "tls"
HTTP1 = "http1"  # HTTP/1.1 framing: chunked bodies, raw request lines, Connection handling
HTTP2 = "http2"
LIFESPAN = "lifespan"  # the server runs the ASGI lifespan protocol
WEBSOCKET_DENIAL = "websocket-denial"  # the server has the websocket.http.response extension
FORWARDED_HEADERS = "forwarded-headers"  # the server applies X-Forwarded-* from trusted peers
CAPABILITIES = frozenset(
    {
        REAL_SOCKET,
        STREAMING,
        TIMING,
        RAW_HTTP,
        WEBSOCKET,
        TLS,
        HTTP1,
        HTTP2,
        LIFESPAN,
        WEBSOCKET_DENIAL,
        FORWARDED_HEADERS,
    }
)

# what a server the harness did not start is taken to have; a lack is then a finding (FAIL)
OF_A_SERVER = frozenset({HTTP1, LIFESPAN, WEBSOCKET_DENIAL, FORWARDED_HEADERS})
# why a case that needs the capability cannot run where it is missing
LACKING = {
    HTTP1: "this run speaks HTTP/2, and the case is bound to HTTP/1.1 framing",
    HTTP2: "this run speaks HTTP/1.1, and the case is about HTTP/2 (run a :h2 server)",
    RAW_HTTP: "no raw HTTP/1.1 requests here (an HTTP/2 run sends none)",
    LIFESPAN: "the server runs no ASGI lifespan protocol",
    WEBSOCKET_DENIAL: "the server has no websocket.http.response extension (denial responses)",
    FORWARDED_HEADERS: (
        "the server has no option to apply X-Forwarded-* headers (an ASGI middleware in the "
        "app would, such as uvicorn's ProxyHeadersMiddleware or hypercorn's ProxyFixMiddleware)"
    ),
}


def lacking(target_kind: str, missing: list[str]) -> str:
    """The UNSUPPORTED reason for capabilities a target lacks."""
    return "; ".join(LACKING.get(name, f"target {target_kind!r} lacks {name}") for name in missing)
