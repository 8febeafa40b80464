"""The harness's error family, so a run can tell "the app misbehaved" from "the harness could not ask".

- `CaseFailed`: the app's behavior differs from the expectation (status FAIL).
- `HarnessError`: the harness, the network or the target could not complete an
  exchange (status ERROR).
- `TargetUnavailable`: the target cannot be used at all; the run stops (exit 2).
- `UsageError`: a bad option value; the run does not start (exit 2).
Each message names the rule, the offending value and what to do.
"""

from __future__ import annotations


class CaseFailed(AssertionError):
    """The observed behavior does not meet the case's expectation."""


class HarnessError(Exception):
    """An exchange could not be completed: network trouble, timeout, protocol error."""


class TargetUnavailable(HarnessError):
    """The target cannot be used for this run."""


class UsageError(Exception):
    """An option has a value the harness cannot use."""


class WebSocketRejected(Exception):
    """The server answered the WebSocket handshake without accepting it."""

    def __init__(self, status: int, body: bytes = b"") -> None:
        super().__init__(f"handshake answered HTTP {status} instead of 101")
        self.status = status
        self.body = body


class WebSocketClosed(Exception):
    """The WebSocket is closed; `code` and `reason` are what the peer sent, if anything."""

    def __init__(self, code: int | None, reason: str = "") -> None:
        super().__init__(f"connection closed with code {code} {reason!r}")
        self.code = code
        self.reason = reason
