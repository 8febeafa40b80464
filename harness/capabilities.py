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
    }
)
