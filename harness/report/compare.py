"""Comparing runs: the matrix of cases x runs, which rows differ, and what changed between two runs.

Pure functions over results documents. Runs are labelled by the run-info
fields that differ between them (FastAPI version, server, target...), so a
column says what makes it different from its neighbours.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from harness.servers import server_of
from harness.status import UNEXPECTED

Document = dict[str, Any]
Record = dict[str, Any]

LABEL_FIELDS: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
    ("FastAPI", lambda info: info.get("versions", {}).get("fastapi")),
    ("Starlette", lambda info: info.get("versions", {}).get("starlette")),
    ("Pydantic", lambda info: info.get("versions", {}).get("pydantic")),
    ("python-multipart", lambda info: info.get("versions", {}).get("python-multipart")),
    ("Python", lambda info: info.get("versions", {}).get("python")),
    ("mode", lambda info: info.get("dependency_mode")),
    ("server", lambda info: server_of(info).get("config") or server_of(info).get("name")),
    ("server version", lambda info: server_of(info).get("version")),
    ("HTTP", lambda info: server_of(info).get("http_version")),
    ("target", lambda info: _target_name(info.get("target", {}))),
    ("faults", lambda info: ",".join(info.get("faults", [])) or None),
]
PAIR_CATEGORIES = ("improved", "regressed", "changed", "added", "removed")


def _target_name(target: dict[str, Any]) -> str | None:
    kind = target.get("kind")
    return str(target.get("url")) if kind == "url" else kind


def run_labels(documents: list[Document]) -> list[str]:
    """One label per run, naming the run-info fields that differ between the runs."""
    infos = [document["run_info"] for document in documents]
    differing = [(name, get) for name, get in LABEL_FIELDS if len({str(get(i)) for i in infos}) > 1]
    if not differing:
        return [f"run {number}" for number in range(1, len(documents) + 1)]
    return [" · ".join(f"{name} {get(info) or '-'}" for name, get in differing) for info in infos]


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def expected(record: Record | None) -> bool:
    return record is not None and record["status"] not in UNEXPECTED


@dataclass
class Row:
    id: str
    area: str
    cells: list[Record | None]
    differs: bool = False
    observation_keys: list[str] = field(default_factory=list)

    def values(self, key: str) -> list[str | None]:
        return [
            None if c is None or key not in c["observations"] else canonical(c["observations"][key])
            for c in self.cells
        ]

    def changed(self, key: str) -> bool:
        present = {value for value in self.values(key)}
        return len(present) > 1


def build_rows(documents: list[Document]) -> list[Row]:
    by_run = [{record["id"]: record for record in document["results"]} for document in documents]
    ids = sorted({case_id for run in by_run for case_id in run})
    rows = []
    for case_id in ids:
        cells = [run.get(case_id) for run in by_run]
        present = [cell for cell in cells if cell is not None]
        keys = sorted({key for cell in present for key in cell["observations"]})
        row = Row(case_id, present[0]["area"], cells, observation_keys=keys)
        row.differs = (
            len(present) != len(cells)
            or len({cell["status"] for cell in present}) > 1
            or len({canonical(cell["observations"]) for cell in present}) > 1
        )
        rows.append(row)
    return rows


def classify(a: Record | None, b: Record | None) -> str | None:
    """What happened to one case from run A to run B, or None when nothing changed."""
    if a is None and b is None:
        return None
    if a is None:
        return "added"
    if b is None:
        return "removed"
    if expected(a) and not expected(b):
        return "regressed"
    if not expected(a) and expected(b):
        return "improved"
    if a["status"] != b["status"] or canonical(a["observations"]) != canonical(b["observations"]):
        return "changed"
    return None


def pair_changes(rows: list[Row], a: int, b: int) -> dict[str, list[str]]:
    changes: dict[str, list[str]] = {category: [] for category in PAIR_CATEGORIES}
    for row in rows:
        category = classify(row.cells[a], row.cells[b])
        if category:
            changes[category].append(row.id)
    return changes


def fingerprint(record: Record | None) -> str | None:
    if record is None:
        return None
    return hashlib.sha1(canonical(record["observations"]).encode()).hexdigest()[:10]


def run_column(document: Document, label: str) -> dict[str, Any]:
    info = document["run_info"]
    summary = document["summary"]
    return {
        "label": label,
        "versions": info.get("versions", {}),
        "server": server_of(info).get("config") or server_of(info).get("name"),
        "target": _target_name(info.get("target", {})),
        "commit": str(info.get("suite_commit", ""))[:12],
        "started": info.get("time_start"),
        "complete": document.get("complete", True),
        "faults": ",".join(info.get("faults", [])),
        "summary": ", ".join(f"{n} {s}" for s, n in summary.items() if s != "total" and n),
    }


def compare_context(documents: list[Document]) -> dict[str, Any]:
    """Everything the comparison template shows, for the default pair: first run to last."""
    labels = run_labels(documents)
    rows = build_rows(documents)
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.area, []).append(row)
    pair_a, pair_b = 0, len(documents) - 1
    data = {
        "categories": list(PAIR_CATEGORIES),
        "unexpected": sorted(UNEXPECTED),
        "rows": [
            [r.id, [c["status"] if c else None for c in r.cells], [fingerprint(c) for c in r.cells]]
            for r in rows
        ],
    }
    return {
        "labels": labels,
        "runs": [run_column(d, label) for d, label in zip(documents, labels, strict=True)],
        "rows": rows,
        "grouped": sorted(grouped.items()),
        "differing": sum(row.differs for row in rows),
        "categories": PAIR_CATEGORIES,
        "changes": pair_changes(rows, pair_a, pair_b),
        "pair_a": pair_a,
        "pair_b": pair_b,
        "data": data,
    }


COMPARISON_SCHEMA = 1


def pairs_of(count: int) -> list[tuple[int, int]]:
    """The pairs a comparison reports: each run to the next, and the first to the last."""
    pairs = [(index, index + 1) for index in range(count - 1)]
    return pairs + ([(0, count - 1)] if count > 2 else [])


def comparison_json(documents: list[Document]) -> dict[str, Any]:
    """The comparison as data (docs/comparison-json.md): the runs, then what changed per pair."""
    labels = run_labels(documents)
    rows = build_rows(documents)
    pairs = []
    for a, b in pairs_of(len(documents)):
        changes = pair_changes(rows, a, b)
        pairs.append(
            {
                "from": a,
                "to": b,
                **{
                    category: changes[category]
                    for category in ("improved", "regressed", "added", "removed")
                },
                "changed": [{"id": case_id} for case_id in changes["changed"]],
            }
        )
    return {
        "schema": COMPARISON_SCHEMA,
        "runs": [run_column(d, label) for d, label in zip(documents, labels, strict=True)],
        "pairs": pairs,
    }
