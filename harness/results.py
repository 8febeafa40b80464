"""Results on disk: `results.jsonl` appended as each case ends, `results.json` written at the end.

Invariants:
1. A case's record reaches `results.jsonl` (flushed) as soon as the case ends,
   so a run killed at any moment keeps every finished case; `run_info.json` is
   written before the first case, so such a run can still be reported. Records
   may come from the thread that runs the cases: adding one is locked.
2. `results.json` is written atomically (temporary file, then rename) and is the
   only input of every report; its top-level keys are the schema's contract.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from harness.status import STATUSES

SCHEMA_VERSION = 2
JSONL = "results.jsonl"
JSON = "results.json"
RUN_INFO = "run_info.json"


def summarize(records: list[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(record["status"] for record in records)
    return {"total": len(records), **{status: counts.get(status, 0) for status in STATUSES}}


class ResultsWriter:
    """Collects case records for one run folder."""

    def __init__(self, run_dir: Path, run_info: dict[str, Any]) -> None:
        self.run_dir = run_dir
        self.run_info = run_info
        self.records: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        run_dir.mkdir(parents=True, exist_ok=True)
        write_json_atomic(run_dir / RUN_INFO, run_info)
        self._jsonl = (run_dir / JSONL).open("a", encoding="utf-8")

    def add(self, record: dict[str, Any]) -> None:
        # ASCII only: a line separator such as U+2028 or U+0085 in an observed value must not split a line
        line = json.dumps(record, ensure_ascii=True, default=str) + "\n"
        with self._lock:
            self.records.append(record)
            self._jsonl.write(line)
            self._jsonl.flush()

    def finish(
        self, duration_s: float, complete: bool, order: list[str] | None = None
    ) -> dict[str, Any]:
        """Write results.json, its records in `order` of case ids (else as they ended)."""
        with self._lock:
            self._jsonl.close()
            records = list(self.records)
        if order:
            rank = {case_id: index for index, case_id in enumerate(order)}
            records.sort(key=lambda record: rank.get(record["id"], len(rank)))
        document = build_document(self.run_info, records, duration_s, complete)
        write_json_atomic(self.run_dir / JSON, document)
        return document


def build_document(
    run_info: dict[str, Any], records: list[dict[str, Any]], duration_s: float, complete: bool
) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "complete": complete,
        "run_info": run_info,
        "duration_s": round(duration_s, 3),
        "summary": summarize(records),
        "results": records,
    }


def write_json_atomic(path: Path, document: dict[str, Any]) -> None:
    partial = path.with_suffix(".json.partial")
    partial.write_text(
        json.dumps(document, indent=1, ensure_ascii=False, default=str), encoding="utf-8"
    )
    os.replace(partial, path)


def load_results(path: Path) -> dict[str, Any]:
    """A results document from results.json, or from a run folder.

    A folder without results.json (a run that was killed) gives an incomplete
    document rebuilt from run_info.json and the finished cases in results.jsonl.
    """
    if path.is_dir() and not (path / JSON).exists():
        return recover(path)
    if path.is_dir():
        path = path / JSON
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def recover(run_dir: Path) -> dict[str, Any]:
    run_info = json.loads((run_dir / RUN_INFO).read_text(encoding="utf-8"))
    lines = (run_dir / JSONL).read_text(encoding="utf-8").split("\n")
    records = [json.loads(line) for line in lines if line.endswith("}")]
    duration = sum(record["duration_s"] for record in records)
    return build_document(run_info, records, duration, complete=False)
