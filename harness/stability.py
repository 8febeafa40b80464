"""`--repeat N`: the same run N times against one target, and every case whose outcome moved.

Each attempt is a complete run in its own folder (`attempt-01`, ...), so every
attempt of every case is recorded; nothing is retried or hidden. The summary
(`stability.json`) lists the cases whose statuses differ between attempts,
with each attempt's status and message.
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
from harness.results import load_results


def unstable_cases(documents: list[dict[str, Any]]) -> dict[str, list[dict[str, str]]]:
    """Case id -> each attempt's status and message, for the cases whose status is not always the same."""
    attempts: dict[str, list[dict[str, str]]] = {}
    for number, document in enumerate(documents, start=1):
        for record in document["results"]:
            attempts.setdefault(record["id"], []).append(
                {"attempt": str(number), "status": record["status"], "message": record["message"]}
            )
    return {
        case_id: outcomes
        for case_id, outcomes in sorted(attempts.items())
        if len({outcome["status"] for outcome in outcomes}) > 1 or len(outcomes) != len(documents)
    }


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
    return repeat(times, run_args, folder)


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
    print(f"{len(documents)} attempts of {summary['cases']} cases: {len(unstable)} changed outcome")
    for case_id, outcomes in unstable.items():
        print(f"  {case_id}: " + ", ".join(o["status"] for o in outcomes))
    print(f"stability: {folder / 'stability.json'}")
    if EXIT_CANNOT_RUN in codes or not documents:
        return EXIT_CANNOT_RUN
    return EXIT_UNEXPECTED if unstable or EXIT_UNEXPECTED in codes else EXIT_OK
