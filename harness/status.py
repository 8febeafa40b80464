"""The closed set of case statuses, and which of them make a run fail."""

from __future__ import annotations

PASS = "PASS"
FAIL = "FAIL"
ERROR = "ERROR"
XFAIL = "XFAIL"
XPASS = "XPASS"
UNSUPPORTED = "UNSUPPORTED"
SKIP = "SKIP"
INFO = "INFO"

STATUSES = (PASS, FAIL, ERROR, XFAIL, XPASS, UNSUPPORTED, SKIP, INFO)
UNEXPECTED = frozenset({FAIL, ERROR, XPASS})


def is_unexpected(status: str) -> bool:
    """True for the statuses that make the run exit 1."""
    return status in UNEXPECTED
