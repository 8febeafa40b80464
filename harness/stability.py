"""`--repeat N`: the same run N times against one target, and every case whose outcome moved.

Each attempt is a complete run in its own folder (`attempt-01`, ...), so every
attempt of every case is recorded; nothing is retried or hidden. All attempts
use one seed (`--seed random` is drawn once). The summary (`stability.json`)
lists the cases whose status, observations or wire moved between attempts (as a
comparison sees them), with each attempt's status and message, and what moved.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from harness.exitcodes import EXIT_CANNOT_RUN, EXIT_OK, EXIT_UNEXPECTED
from harness.report.compare import differences, state
from harness.results import load_results


def unstable_cases(documents: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Case id -> each attempt's status, message and what moved since the first attempt, for the
    cases whose status, observations or wire are not the same in every attempt."""
    records: dict[str, list[dict[str, Any]]] = {}
    for document in documents:
        for record in document["results"]:
            records.setdefault(record["id"], []).append(record)
    unstable = {}
    for case_id, seen in sorted(records.items()):
        if len({state(record) for record in seen}) > 1 or len(seen) != len(documents):
            unstable[case_id] = [
                {
                    "attempt": str(number),
                    "status": record["status"],
                    "message": record["message"],
                    "moved": [f"{d['where']}: {d['what']}" for d in differences(seen[0], record)],
                }
                for number, record in enumerate(seen, start=1)
            ]
    return unstable


def repeat_run(times: int, run_args: list[str]) -> int:
    """`--repeat N`: the attempts go under `--report-dir` when it is given, else a new reports/ folder."""
    folder = Path(f"reports/repeat-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
    for index, arg in enumerate(run_args):
        if arg == "--report-dir" and index + 1 < len(run_args):
            folder, run_args = Path(run_args[index + 1]), run_args[:index] + run_args[index + 2 :]
            break
        if arg.startswith("--report-dir="):
            folder, run_args = Path(arg.split("=", 1)[1]), run_args[:index] + run_args[index + 1 :]
            break
    from harness.cli import one_seed_for_all

    return repeat(times, one_seed_for_all(run_args), folder)


def repeat(times: int, run_args: list[str], folder: Path) -> int:
    """Run `python -m harness run RUN_ARGS` `times` times; write and print the stability summary."""
    folder.mkdir(parents=True, exist_ok=True)
    codes, documents, seconds = [], [], []
    for number in range(1, times + 1):
        attempt = folder / f"attempt-{number:02d}"
        started = time.perf_counter()
        command = [sys.executable, "-m", "harness", "run", *run_args, "--report-dir", str(attempt)]
        completed = subprocess.run(command, capture_output=True, text=True)
        seconds.append(round(time.perf_counter() - started, 2))
        codes.append(completed.returncode)
        print(
            f"attempt {number}/{times}: exit {completed.returncode} in {seconds[-1]} s", flush=True
        )
        if completed.returncode not in (EXIT_OK, EXIT_UNEXPECTED):
            print(completed.stdout[-1500:] + completed.stderr[-1500:], file=sys.stderr)
            break
        documents.append(load_results(attempt))
    unstable = unstable_cases(documents)
    summary = {
        "attempts": len(documents),
        "exit_codes": codes,
        "seconds": seconds,
        "cases": len(documents[0]["results"]) if documents else 0,
        "unstable": unstable,
    }
    (folder / "stability.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(f"{len(documents)} attempts of {summary['cases']} cases: {len(unstable)} moved")
    for case_id, outcomes in unstable.items():
        moved = next((o["moved"][0] for o in outcomes if o["moved"]), "")
        print(f"  {case_id}: " + ", ".join(o["status"] for o in outcomes) + f"  {moved}"[:160])
    print(f"stability: {folder / 'stability.json'}")
    if EXIT_CANNOT_RUN in codes or not documents:
        return EXIT_CANNOT_RUN
    return EXIT_UNEXPECTED if unstable or EXIT_UNEXPECTED in codes else EXIT_OK
