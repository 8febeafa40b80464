"""Which results a command reads: files, run folders, folders of runs, and glob patterns.

A CI matrix leaves one run folder per job (each with its `results.json`), often
under one artifact folder; `compare` takes that folder, a glob, or the files.
A run folder is one with `results.json`, or with `run_info.json` and
`results.jsonl` (a run that was stopped). Order: as given, each expansion sorted; a run named twice is read twice.
"""

from __future__ import annotations

import glob
from pathlib import Path

from harness.errors import UsageError
from harness.results import JSON, JSONL, RUN_INFO

GLOB_CHARACTERS = frozenset("*?[")


def is_run_folder(path: Path) -> bool:
    return (path / JSON).is_file() or ((path / RUN_INFO).is_file() and (path / JSONL).is_file())


def runs_under(folder: Path) -> list[Path]:
    """The run folders at or below `folder`, sorted; a run folder's own subfolders are not searched."""
    if is_run_folder(folder):
        return [folder]
    found: list[Path] = []
    for child in sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()):
        found += runs_under(child)
    return found


def expand_one(raw: str) -> list[Path]:
    if GLOB_CHARACTERS & set(raw):
        matches = sorted(glob.glob(raw, recursive=True))
        if not matches:
            raise UsageError(f"harness: the pattern {raw!r} matches no file or folder")
        return [run for match in matches for run in expand_one(match)]
    path = Path(raw)
    if path.is_file():
        return [path]
    if path.is_dir():
        runs = runs_under(path)
        if not runs:
            raise UsageError(
                f"harness: {raw!r} holds no run (no results.json below it): give a run folder or results.json"
            )
        return runs
    raise UsageError(
        f"harness: {raw!r} does not exist: give a results.json, a run folder or a glob"
    )


def expand_runs(raw_paths: list[str]) -> list[Path]:
    """Every results file or run folder named by `raw_paths`, in order."""
    return [path for raw in raw_paths for path in expand_one(raw)]
