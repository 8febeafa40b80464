"""Settings of the fixture app: what a deployment may tune, read from arguments or the environment.

Invariants: every limit has a safe default for a shared staging host, and a
setting never changes what a documented feature does, only how far it may go.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fixtures_app.faults import parse_faults
from fixtures_app.stack import Entry, parse_middleware

PACKAGE_DIR = Path(__file__).resolve().parent
ENV_PREFIX = "FIXTURES_"


def default_journal_path() -> Path:
    """A journal file shared by every worker of this user on this host."""
    return Path(tempfile.gettempdir()) / f"fixtures_app-journal-{os.getuid()}.sqlite3"


@dataclass(frozen=True)
class Settings:
    """Everything the fixture app reads at start-up."""

    token: str | None = None
    journal_path: Path = field(default_factory=default_journal_path)
    journal_max_events: int = 200_000
    journal_max_age_s: float = 900.0
    static_dir: Path = PACKAGE_DIR / "static"
    site_dir: Path = PACKAGE_DIR / "site"
    max_upload_bytes: int = 2 * 1024**3
    max_ws_clients: int = 10_000
    root_path: str = ""
    server: str | None = None
    faults: tuple[str, ...] = ()
    middleware: tuple[Entry, ...] = ()  # what a stack adds (fixtures_app.stack)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from FIXTURES_* variables, defaults for the rest."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name, convert in _CONVERTERS.items():
            raw = env.get(ENV_PREFIX + name.upper())
            if raw is not None and raw != "":
                values[name] = convert(raw)
        return cls(**values)  # type: ignore[arg-type]


_CONVERTERS: dict[str, Callable[[str], object]] = {
    "token": str,
    "journal_path": Path,
    "journal_max_events": int,
    "journal_max_age_s": float,
    "static_dir": Path,
    "site_dir": Path,
    "max_upload_bytes": int,
    "max_ws_clients": int,
    "root_path": str,
    "server": str,
    "faults": parse_faults,
    "middleware": parse_middleware,
}
