"""The harness's error family, so a run can tell "the app misbehaved" from "the harness could not ask".

- `CaseFailed`: the app's behavior differs from the expectation (status FAIL).
- `PeerFailed`: a `CaseFailed` where the server or the connection failed the
  exchange; `NoAnswer`, one for a wait that ran out. The time-out policy, the
  same for HTTP, WebSocket and raw requests on every target: whatever the app
  or the server in front of it does not deliver in time is a FAIL naming the
  wait, and the run then checks that the target is still alive.
- `HarnessError`: the harness, the network or the target could not complete an
  exchange: a connection refused, a name that does not resolve (status ERROR).
- `Unsupported`: the target cannot do what the case needs (status UNSUPPORTED).
- `TargetUnavailable`: the target cannot be used at all; the run stops (exit 2).
- `UsageError`: a bad option value; the run does not start (exit 2).
Each message names the rule, the offending value and what to do.
"""

from __future__ import annotations


class CaseFailed(AssertionError):
    """The observed behavior does not meet the case's expectation."""


class PeerFailed(CaseFailed):
    """The server or the connection failed the exchange (a body broke off, a reset, no answer).

    A FAIL, after which the run checks that the target still answers.
    """


class NoAnswer(PeerFailed):
    """What the case waited for did not come within `waited_s` seconds."""

    def __init__(self, what: str, waited_s: float) -> None:
        super().__init__(f"{what}: nothing within {waited_s:g} s")
        self.waited_s = waited_s


class Unsupported(Exception):
    """The target cannot perform what the case asks (the message says why)."""


class HarnessError(Exception):
    """An exchange could not be completed: network trouble, timeout, protocol error."""


class TargetUnavailable(HarnessError):
    """The target cannot be used for this run; `silent` when it was reached but did not answer."""

    def __init__(self, message: str, silent: bool = False) -> None:
        super().__init__(message)
        self.silent = silent


class UsageError(Exception):
    """An option has a value the harness cannot use."""


class WebSocketRejected(Exception):
    """The server answered the WebSocket handshake without accepting it."""

    def __init__(self, status: int, body: bytes = b"") -> None:
        super().__init__(f"handshake answered HTTP {status} instead of 101")
        self.status = status
        self.body = body


class WebSocketClosed(Exception):
    """The WebSocket is closed; `code` and `reason` are what the peer sent, `frame` whether it
    sent a close frame at all (without one, the code is 1006 by RFC 6455 7.1.5)."""

    def __init__(self, code: int | None, reason: str = "", frame: bool = True) -> None:
        shown = f"code {code} {reason!r}" if frame else f"no close frame ({code})"
        super().__init__(f"connection closed with {shown}")
        self.code = code
        self.reason = reason
        self.frame = frame
