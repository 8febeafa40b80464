"""Reading a case's journal: small queries over the event list `/_harness/journal` returns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Events = list[dict[str, Any]]


def names(events: Events) -> list[str]:
    return [event["event"] for event in events]


def has(*wanted: str) -> Callable[[Events], bool]:
    """A predicate for `ctx.journal(until=...)`: every named event is there."""
    return lambda events: set(wanted) <= set(names(events))


def first(events: Events, name: str) -> dict[str, Any]:
    """The first event called `name`; KeyError if none."""
    for event in events:
        if event["event"] == name:
            return event
    raise KeyError(name)


def came_before(events: Events, earlier: str, later: str) -> bool:
    """True when the first `earlier` event has a lower sequence number than the first `later`."""
    return int(first(events, earlier)["seq"]) < int(first(events, later)["seq"])
