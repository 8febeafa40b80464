"""The event journal: what happened on the server, in order, for the harness to read later.

Rules:
1. An event belongs to one scope (an id the client sends per request) and gets a
   global sequence number (SQLite's rowid) and a monotonic timestamp.
2. The journal is a SQLite file, so several workers on one host share it.
3. It is bounded: on every `PRUNE_EVERY` writes, events beyond the newest
   `max_events`, and events older than `max_age_s`, are deleted.
4. Writing never raises into the app: a failed write is counted per scope, and
   the journal endpoint reports the count, so the harness never takes a lost
   event for one that did not happen.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

PRUNE_EVERY = 500
MAX_LOST_SCOPES = 10_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,
    t REAL NOT NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL,
    pid INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_scope ON events (scope, seq);
"""


class Journal:
    """Append-only, bounded store of server-side events keyed by scope."""

    def __init__(self, path: Path, max_events: int, max_age_s: float) -> None:
        self.path = path
        self.max_events = max_events
        self.max_age_s = max_age_s
        self.write_errors = 0
        self.lost: dict[str, int] = {}
        self._lock = threading.Lock()
        self._writes = 0
        self._db = self._open(path)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")
        db.executescript(_SCHEMA)
        return db

    def record(self, scope: str, event: str, **detail: Any) -> None:
        """Append one event; never raises."""
        row = (scope, time.monotonic(), event, json.dumps(detail, default=str), os.getpid())
        try:
            with self._lock:
                self._db.execute(
                    "INSERT INTO events (scope, t, event, detail, pid) VALUES (?, ?, ?, ?, ?)", row
                )
                self._writes += 1
                if self._writes % PRUNE_EVERY == 0:
                    self._prune()
        except sqlite3.Error:
            self.write_errors += 1
            if len(self.lost) < MAX_LOST_SCOPES or scope in self.lost:
                self.lost[scope] = self.lost.get(scope, 0) + 1

    def read(self, scope: str) -> list[dict[str, Any]]:
        """Every event of one scope, in sequence order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, t, event, detail, pid FROM events WHERE scope = ? ORDER BY seq",
                (scope,),
            ).fetchall()
        return [
            {"seq": seq, "t": t, "event": event, "detail": json.loads(detail), "pid": pid}
            for seq, t, event, detail, pid in rows
        ]

    def _prune(self) -> None:
        oldest_allowed = time.monotonic() - self.max_age_s
        self._db.execute("DELETE FROM events WHERE t < ?", (oldest_allowed,))
        self._db.execute(
            "DELETE FROM events WHERE seq <= (SELECT MAX(seq) FROM events) - ?",
            (self.max_events,),
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()
