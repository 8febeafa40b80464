"""What the routers of one app instance share: its settings and its journal."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fixtures_app.journal import Journal
from fixtures_app.settings import Settings


@dataclass
class AppState:
    settings: Settings
    journal: Journal
    lifespan_started: bool = False  # set by the app's lifespan, when the server runs it
    middleware: list[dict[str, Any]] = field(default_factory=list)  # what the stack added

    @classmethod
    def from_settings(cls, settings: Settings) -> AppState:
        journal = Journal(
            settings.journal_path, settings.journal_max_events, settings.journal_max_age_s
        )
        return cls(settings=settings, journal=journal)
