"""Comparing runs: the matrix of cases x runs, what changed from one run to another, and why.

Pure functions over results documents. Rules:
1. What a run showed of a case is its status, its observations and its wire
   (`harness.wire`: a multiset of normalized exchanges). Measurements (timings)
   and messages never make a change.
2. A case is changed from run A to B when any of the three differs; improved or
   regressed when its status moves between expected and unexpected; added or
   removed when only one run has it.
3. When the two runs used different seeds, what a seeded case observed cannot be
   compared: it is "not comparable" unless its status moved.
4. Each change is explained in lines (`where`, `what`): the status, each observation,
   and each exchange's status, headers (`vary: (absent) -> Accept-Encoding`), body,
   frames and close; identical lines across cases are grouped, largest group first.
5. Each pair also gets a diagnosis (`harness.report.diagnosis`): the areas that changed,
   and the likely cause of each when the later run's stack shows one.
Runs are labelled by the run-info fields that differ between them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from harness.report.diagnosis import diagnose
from harness.servers import server_of
from harness.status import UNEXPECTED
from harness.wire import multiset

Document = dict[str, Any]
Record = dict[str, Any]
Difference = dict[str, str]

COMPARISON_SCHEMA = 1
ABSENT = "(absent)"
SHOWN_CHARACTERS = 120
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
    ("stack", lambda info: info.get("stack", {}).get("name") if info.get("stack") else None),
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


def shown(value: Any) -> str:
    text = ABSENT if value is None else value if isinstance(value, str) else canonical(value)
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


def state(record: Record) -> str:
    """Everything rule 1 compares, as one string."""
    return canonical(
        [record["status"], record.get("observations", {}), multiset(record.get("wire", []))]
    )


def fingerprint(record: Record | None) -> str | None:
    return None if record is None else hashlib.sha1(state(record).encode()).hexdigest()[:10]


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
        return len(set(self.values(key))) > 1


def build_rows(documents: list[Document]) -> list[Row]:
    by_run = [{record["id"]: record for record in document["results"]} for document in documents]
    ids = sorted({case_id for run in by_run for case_id in run})
    rows = []
    for case_id in ids:
        cells = [run.get(case_id) for run in by_run]
        present = [cell for cell in cells if cell is not None]
        keys = sorted({key for cell in present for key in cell["observations"]})
        row = Row(case_id, present[0]["area"], cells, observation_keys=keys)
        row.differs = len(present) != len(cells) or len({state(cell) for cell in present}) > 1
        rows.append(row)
    return rows


def seeds_differ(documents: list[Document], a: int, b: int) -> bool:
    return bool(documents[a]["run_info"].get("seed") != documents[b]["run_info"].get("seed"))


def classify(a: Record | None, b: Record | None, other_seed: bool = False) -> str | None:
    """What happened to one case from run A to run B (rule 2 and 3), or None when nothing did."""
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
    if other_seed and (a.get("seeded") or b.get("seeded")):
        return "changed" if a["status"] != b["status"] else "not comparable"
    return "changed" if state(a) != state(b) else None


def differences(a: Record, b: Record) -> list[Difference]:
    """The lines that explain a change from record A to record B (rule 4)."""
    lines = []
    if a["status"] != b["status"]:
        lines.append(line("status", f"{a['status']} → {b['status']}: {b.get('message', '')}"))
    observed_a, observed_b = a.get("observations", {}), b.get("observations", {})
    for key in sorted(set(observed_a) | set(observed_b)):
        if canonical(observed_a.get(key)) != canonical(observed_b.get(key)):
            lines.append(
                line(
                    "observed",
                    f"{key}: {shown(observed_a.get(key))} → {shown(observed_b.get(key))}",
                )
            )
    return lines + wire_differences(a.get("wire", []), b.get("wire", []))


def line(where: str, what: str) -> Difference:
    return {"where": where, "what": what}


def by_request(wire: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for entry in wire:
        grouped.setdefault(entry["request"], []).append(entry)
    return grouped


def wire_differences(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[Difference]:
    requests_a, requests_b = by_request(a), by_request(b)
    lines = []
    for request in sorted(set(requests_a) | set(requests_b)):
        one, other = requests_a.get(request, []), requests_b.get(request, [])
        if multiset(one) == multiset(other):
            continue
        if len(one) == len(other):
            # as many distinct exchanges on each side: each explained against its counterpart
            pairs = zip(one, other, strict=True)
            found = [what for first, second in pairs for what in entry_differences(first, second)]
            lines += [line(request, what) for what in dict.fromkeys(found)]
        else:
            total_a, total_b = (sum(e.get("count", 1) for e in side) for side in (one, other))
            counts = f"{total_a} → {total_b}, {len(one)} → {len(other)} distinct"
            lines.append(line(request, f"exchanges: {counts}"))
    return lines


ENTRY_FIELDS = ("status", "http", "body", "accepted", "refused", "close", "count")


def entry_differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """What differs between two exchanges with the same request."""
    lines = [
        f"{name}: {shown(a.get(name))} → {shown(b.get(name))}"
        for name in ENTRY_FIELDS
        if canonical(a.get(name)) != canonical(b.get(name))
    ]
    lines += header_differences(a.get("headers", []), b.get("headers", []))
    if canonical(a.get("frames")) != canonical(b.get("frames")):
        lines += frame_differences(a.get("frames", []), b.get("frames", []))
    return lines


def header_differences(a: list[list[str]], b: list[list[str]]) -> list[str]:
    names = list(dict.fromkeys([name for name, _ in a] + [name for name, _ in b]))
    lines = []
    for name in names:
        values_a = [value for key, value in a if key == name]
        values_b = [value for key, value in b if key == name]
        if values_a != values_b:
            lines.append(f"{name}: {header_values(values_a)} → {header_values(values_b)}")
    if not lines and a != b:
        order_a = [name for name, _ in a]
        order_b = [name for name, _ in b]
        lines.append(f"header order: {shown(order_a)} → {shown(order_b)}")
    return lines


def header_values(values: list[str]) -> str:
    if not values:
        return ABSENT
    return shown(values[0]) if len(values) == 1 else shown(values)


def frame_differences(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[str]:
    if len(a) != len(b):
        return [f"frames: {len(a)} → {len(b)}"]
    return [
        f"frame {number}: {frame_text(one)} → {frame_text(other)}"
        for number, (one, other) in enumerate(zip(a, b, strict=True), start=1)
        if one != other
    ]


def frame_text(frame: dict[str, Any]) -> str:
    return f"{frame['dir']} {frame['type']} {frame['bytes']} B {frame['sha256'][:8]}"


def pair_changes(documents: list[Document], rows: list[Row], a: int, b: int) -> dict[str, Any]:
    """The cases of each category from run A to run B, and the differences of each changed one."""
    categories: dict[str, list[str]] = {name: [] for name in (*PAIR_CATEGORIES, "not comparable")}
    explained: dict[str, list[Difference]] = {}
    other_seed = seeds_differ(documents, a, b)
    for row in rows:
        category = classify(row.cells[a], row.cells[b], other_seed)
        if category is None:
            continue
        categories[category].append(row.id)
        one, other = row.cells[a], row.cells[b]
        if category in ("improved", "regressed", "changed") and one and other:
            explained[row.id] = differences(one, other)
    return {"categories": categories, "differences": explained}


def grouped_differences(explained: dict[str, list[Difference]]) -> list[dict[str, Any]]:
    """Identical lines across cases, with the cases that show each, largest group first."""
    groups: dict[str, list[str]] = {}
    for case_id, lines in explained.items():
        for what in dict.fromkeys(difference["what"] for difference in lines):
            groups.setdefault(what, []).append(case_id)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    return [{"what": what, "count": len(ids), "cases": ids} for what, ids in ordered]


def pairs_of(count: int) -> list[tuple[int, int]]:
    """The pairs a comparison explains: each run to the next, and the first to the last."""
    pairs = [(index, index + 1) for index in range(count - 1)]
    return pairs + ([(0, count - 1)] if count > 2 else [])


def run_column(document: Document, label: str) -> dict[str, Any]:
    info = document["run_info"]
    summary = document["summary"]
    return {
        "label": label,
        "versions": info.get("versions", {}),
        "server": server_of(info).get("config") or server_of(info).get("name"),
        "target": _target_name(info.get("target", {})),
        "commit": str(info.get("suite_commit", ""))[:12],
        "seed": info.get("seed"),
        "started": info.get("time_start"),
        "complete": document.get("complete", True),
        "faults": ",".join(info.get("faults", [])),
        "summary": ", ".join(f"{n} {s}" for s, n in summary.items() if s != "total" and n),
    }


def comparison_json(documents: list[Document]) -> dict[str, Any]:
    """The comparison as data (docs/comparison.md): the runs, then what changed per pair."""
    labels = run_labels(documents)
    rows = build_rows(documents)
    pairs = []
    for a, b in pairs_of(len(documents)):
        found = pair_changes(documents, rows, a, b)
        categories, explained = found["categories"], found["differences"]
        pairs.append(
            {
                "from": a,
                "to": b,
                **{
                    name: categories[name] for name in ("improved", "regressed", "added", "removed")
                },
                "changed": [
                    {"id": case_id, "differences": explained.get(case_id, [])}
                    for case_id in categories["changed"]
                ],
                "not_comparable": categories["not comparable"],
                "summary": [
                    {"what": group["what"], "count": group["count"]}
                    for group in grouped_differences(explained)
                ],
                "diagnosis": diagnose(documents[b]["run_info"], found),
            }
        )
    return {
        "schema": COMPARISON_SCHEMA,
        "runs": [run_column(d, label) for d, label in zip(documents, labels, strict=True)],
        "pairs": pairs,
    }


def compare_context(documents: list[Document]) -> dict[str, Any]:
    """Everything the comparison template shows; the default pair is first run to last."""
    labels = run_labels(documents)
    rows = build_rows(documents)
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.area, []).append(row)
    pair_a, pair_b = 0, len(documents) - 1
    explained_pairs = {
        f"{a}-{b}": pair_changes(documents, rows, a, b) for a, b in pairs_of(len(documents))
    }
    default = explained_pairs[f"{pair_a}-{pair_b}"]
    data = {
        "categories": [*PAIR_CATEGORIES, "not comparable"],
        "unexpected": sorted(UNEXPECTED),
        "seeds": [d["run_info"].get("seed") for d in documents],
        "rows": [
            [
                r.id,
                [c["status"] if c else None for c in r.cells],
                [fingerprint(c) for c in r.cells],
                [bool(c and c.get("seeded")) for c in r.cells],
            ]
            for r in rows
        ],
        "explained": {  # the page groups them into its summary
            key: {"differences": found["differences"]} for key, found in explained_pairs.items()
        },
    }
    return {
        "labels": labels,
        "runs": [run_column(d, label) for d, label in zip(documents, labels, strict=True)],
        "rows": rows,
        "grouped": sorted(grouped.items()),
        "differing": sum(row.differs for row in rows),
        "categories": data["categories"],
        "changes": default["categories"],
        "summary": grouped_differences(default["differences"]),
        "explained": default["differences"],
        "pair_a": pair_a,
        "pair_b": pair_b,
        "data": data,
        "diagnoses": [
            {
                "from": labels[a],
                "to": labels[b],
                "areas": diagnose(documents[b]["run_info"], explained_pairs[f"{a}-{b}"]),
            }
            for a, b in pairs_of(len(documents))
        ],
    }
