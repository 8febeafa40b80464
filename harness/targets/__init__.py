"""Targets: where the fixture app runs and how cases reach it. `open_target` picks one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.targets.base import CAPABILITIES, Target, TargetOptions, WebSocketSession
from harness.targets.inprocess import InProcessTarget
from harness.targets.local import LocalTarget
from harness.targets.remote import UrlTarget, validate_url

if TYPE_CHECKING:
    from harness.servers import Configuration
    from harness.stackfile import Stack

__all__ = [
    "CAPABILITIES",
    "Target",
    "TargetOptions",
    "WebSocketSession",
    "make_target",
    "validate_target",
]


def validate_target(spec: str) -> str:
    """The target spec, checked; raises UsageError for anything but local, inprocess or a URL."""
    return spec if spec in ("local", "inprocess") else validate_url(spec)


def make_target(
    spec: str,
    options: TargetOptions,
    tls: bool = False,
    server: Configuration | None = None,
    stack: Stack | None = None,
) -> Target:
    if spec == "local":
        return LocalTarget(options, tls=tls, server=server, stack=stack)
    if spec == "inprocess":
        return InProcessTarget(options)
    return UrlTarget(spec, options)
