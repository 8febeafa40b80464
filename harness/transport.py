"""Where transport failures become the harness's errors: one mapping for every client.

Rules (see `harness.errors`):
1. A wait that runs out (no response, no message, no pong, no complete body) is
   `NoAnswer`: the app or the server did not deliver, a FAIL.
2. A peer that breaks the exchange (a body that breaks off, a connection closed
   without a response or reset) is `PeerFailed`: the server's doing, a FAIL.
3. A connection that cannot be made (refused, unreachable, name or TLS failure)
   is `HarnessError`: the harness could not ask.
"""

from __future__ import annotations

import ssl

import httpx

from harness.errors import HarnessError, NoAnswer, PeerFailed, Unsupported

BROKEN_OFF = ("complete message body", "incomplete chunked read")


def _h2_errors() -> tuple[type[Exception], ...]:
    try:
        from h2.exceptions import ProtocolError
    except ImportError:  # no HTTP/2 client installed: nothing to translate
        return ()
    return (ProtocolError,)


# h2 errors about what the server sent, which httpcore reports as the client's own (Local...)
H2_RECEIVED = ("InvalidBodyLengthError",)
# HTTP/2 errors httpx lets through unmapped (one raised as a stream's body is read to its end)
H2_ERRORS = _h2_errors()


def _stream_reset_while_sending(exc: httpx.LocalProtocolError) -> bool:
    """httpcore reports h2's StreamClosedError, raised when the client sends on a stream the
    server reset, as a local protocol error wrapping it."""
    cause = exc.__cause__
    original = cause.args[0] if cause is not None and cause.args else None
    return type(original).__name__ == "StreamClosedError"


def from_h2(exc: Exception, what: str) -> Exception:
    """The harness error for an HTTP/2 protocol error: what the server sent broke the protocol."""
    return PeerFailed(f"{what}: the server broke HTTP/2: {type(exc).__name__}: {exc}")


def from_httpx(exc: httpx.HTTPError, what: str, timeout: float) -> Exception:
    """The harness error for an httpx failure while doing `what` with `timeout` seconds allowed."""
    if isinstance(exc, httpx.ConnectTimeout):
        return NoAnswer(f"{what}: no connection accepted", timeout)
    if isinstance(exc, httpx.TimeoutException):
        return NoAnswer(what, timeout)
    if isinstance(exc, httpx.RemoteProtocolError):
        detail = str(exc)
        if any(marker in detail for marker in BROKEN_OFF):
            return PeerFailed(f"{what}: the response body broke off: {exc}")
        return PeerFailed(f"{what}: the server broke the exchange: {exc}")
    if isinstance(exc, httpx.LocalProtocolError) and any(n in str(exc) for n in H2_RECEIVED):
        return PeerFailed(f"{what}: the server broke HTTP/2: {exc}")
    if isinstance(exc, httpx.LocalProtocolError) and _stream_reset_while_sending(exc):
        return Unsupported(
            f"{what}: the server reset the HTTP/2 stream while the request body was still being "
            "sent (RFC 9113 8.1 allows it after a complete answer), and httpx cannot read an "
            "answer then"
        )
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return PeerFailed(f"{what}: the connection broke: {type(exc).__name__}: {exc}")
    return from_connection(exc, what, timeout)


def from_connection(exc: BaseException, what: str, timeout: float) -> Exception:
    """The harness error for a connection that could not be made or used."""
    if isinstance(exc, TimeoutError):
        return NoAnswer(f"{what}: no connection accepted", timeout)
    if isinstance(exc, ssl.SSLError):
        return HarnessError(f"{what}: TLS failed: {exc}")
    if isinstance(exc, ConnectionRefusedError) or "refused" in str(exc).lower():
        return HarnessError(f"{what}: the connection was refused: {exc}")
    if isinstance(exc, ConnectionResetError | BrokenPipeError):
        return PeerFailed(f"{what}: the server reset the connection: {exc}")
    return HarnessError(f"{what}: {type(exc).__name__}: {exc}")
