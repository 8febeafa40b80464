"""Command line of the harness: `run` the suites, render a `report`, `compare` runs.

Exit codes: 0 every case as expected; 1 some case unexpected; 2 the run could
not be done (bad arguments, unusable target, no case selected, interrupted).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harness.exitcodes import EXIT_CANNOT_RUN, EXIT_OK, EXIT_UNEXPECTED
from harness.report.render import render_compare, render_run
from harness.results import load_results
from harness.runinfo import SUITES_DIR

USAGE = """usage:
  python -m harness run [--area AREA[,AREA...]] [--target local|inprocess|URL] [--repeat N] [pytest options]
  python -m harness report RUN [-o index.html]
  python -m harness compare RUN RUN [RUN ...] [-o compare.html]
  python -m harness expectations RUN [-o suites/expectations/review.toml]
  python -m harness matrix [--versions V,V,latest] [--mode latest|era] [--jobs N] [--out DIR] [-- run options]

run      runs the conformance suites against a fixture app; writes reports/<run>/ with
         results.json, results.jsonl, junit.xml and index.html. Options of the run:
         --target, --token, --report-dir, --timeout-scale, --seed, --insecure,
         --ca-bundle, --header 'Name: value' (see 'python -m pytest --help').
         --repeat N runs it N times (reports/<run>/attempt-NN/) and lists every case
         whose outcome changed between attempts (stability.json); nothing is retried.
report   renders the run report of a results.json or a run folder (even an interrupted one).
compare  renders one comparison of several runs (results.json files or run folders).
expectations  appends an entry, marked for review, for each unexpected failure of a run
         that no expectation covers yet; existing entries and reasons are kept.
matrix   runs the suite on several FastAPI versions, each in its own uv environment, in
         parallel, and renders one comparison (default: the list in harness/versions.toml).
"""


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        return EXIT_OK if args else EXIT_CANNOT_RUN
    command, rest = args[0], args[1:]
    commands = {
        "run": run,
        "report": report,
        "compare": compare,
        "matrix": matrix,
        "expectations": expectations,
    }
    if command not in commands:
        print(
            f"harness: unknown command {command!r}: the commands are {', '.join(commands)}",
            file=sys.stderr,
        )
        return EXIT_CANNOT_RUN
    return commands[command](rest)


def output_option(args: list[str], default: str) -> tuple[list[str], Path]:
    if "-o" in args and args.index("-o") + 1 < len(args):
        index = args.index("-o")
        return args[:index] + args[index + 2 :], Path(args[index + 1])
    return args, Path(default)


def load_all(paths: list[str]) -> list[dict[str, Any]] | str:
    """The results documents at `paths`, or an error line naming the first unusable one."""
    documents = []
    for raw in paths:
        try:
            documents.append(load_results(Path(raw)))
        except (OSError, ValueError, KeyError) as exc:
            return f"harness: {raw!r} is not a results.json or a run folder ({type(exc).__name__}: {exc})"
    return documents


def report(args: list[str]) -> int:
    paths, output = output_option(args, "index.html")
    if len(paths) != 1:
        print(
            "harness: report takes one results.json or run folder: python -m harness report RUN",
            file=sys.stderr,
        )
        return EXIT_CANNOT_RUN
    return write_page(paths, output, lambda documents: render_run(documents[0]))


def compare(args: list[str]) -> int:
    paths, output = output_option(args, "compare.html")
    if len(paths) < 2:
        print(
            "harness: compare takes two or more results: python -m harness compare A B",
            file=sys.stderr,
        )
        return EXIT_CANNOT_RUN
    return write_page(paths, output, render_compare)


def write_page(
    paths: list[str], output: Path, render: Callable[[list[dict[str, Any]]], str]
) -> int:
    documents = load_all(paths)
    if isinstance(documents, str):
        print(documents, file=sys.stderr)
        return EXIT_CANNOT_RUN
    output.write_text(render(documents), encoding="utf-8")
    print(f"wrote {output}")
    return EXIT_OK


def areas() -> list[str]:
    return sorted(p.name for p in SUITES_DIR.iterdir() if (p / "cases.py").is_file())


def suite_paths(args: list[str]) -> tuple[list[str], list[str]] | str:
    """The suite folders chosen by --area and the remaining arguments, or an error line."""
    if "--area" not in args:
        return [str(SUITES_DIR)], args
    index = args.index("--area")
    chosen = args[index + 1].split(",") if index + 1 < len(args) else []
    unknown = [name for name in chosen if name not in areas()] or ([] if chosen else ["(none)"])
    if unknown:
        return f"harness: --area {','.join(unknown)!r} is not an area: choose from {', '.join(areas())}"
    return [str(SUITES_DIR / name) for name in chosen], args[:index] + args[index + 2 :]


def run(args: list[str]) -> int:
    if "--repeat" in args:
        return repeat_run(args)
    chosen = suite_paths(args)
    if isinstance(chosen, str):
        print(chosen, file=sys.stderr)
        return EXIT_CANNOT_RUN
    paths, rest = chosen
    code = int(pytest.main([*paths, "-W", "ignore::pytest.PytestAssertRewriteWarning", *rest]))
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print("harness: no case was selected: check -k and --area", file=sys.stderr)
    return code if code in (EXIT_OK, EXIT_UNEXPECTED) else EXIT_CANNOT_RUN


def repeat_run(args: list[str]) -> int:
    from harness.stability import repeat

    index = args.index("--repeat")
    times = args[index + 1] if index + 1 < len(args) else ""
    rest = args[:index] + args[index + 2 :]
    if not times.isdigit() or int(times) < 1:
        print(f"harness: --repeat {times!r} is not a positive whole number", file=sys.stderr)
        return EXIT_CANNOT_RUN
    folder = Path(f"reports/repeat-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
    if "--report-dir" in rest and rest.index("--report-dir") + 1 < len(rest):
        where = rest.index("--report-dir")
        folder, rest = Path(rest[where + 1]), rest[:where] + rest[where + 2 :]
    return repeat(int(times), rest, folder)


def matrix(args: list[str]) -> int:
    from harness import matrix as versions_matrix

    if "--" in args:
        args, run_args = args[: args.index("--")], args[args.index("--") + 1 :]
    else:
        run_args = []
    options = dict(zip(args[::2], args[1::2], strict=False))
    unknown = set(options) - {"--versions", "--mode", "--jobs", "--out"}
    mode = options.get("--mode", "latest")
    jobs = options.get("--jobs", str(os.cpu_count() or 1))
    problem = versions_matrix.require_uv()
    if unknown or len(args) % 2:
        problem = f"harness: matrix takes --versions, --mode, --jobs and --out, each with a value; got {args}"
    elif mode not in versions_matrix.MODES:
        problem = f"harness: --mode {mode!r} is not one of {', '.join(versions_matrix.MODES)}"
    elif not jobs.isdigit() or int(jobs) < 1:
        problem = f"harness: --jobs {jobs!r} is not a positive whole number"
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_CANNOT_RUN
    versions = (
        options["--versions"].split(",")
        if "--versions" in options
        else versions_matrix.default_versions()
    )
    out = Path(options.get("--out", f"reports/compare-{time.strftime('%Y%m%d-%H%M%S')}"))
    runs = asyncio.run(versions_matrix.run_matrix(versions, mode, out, int(jobs), run_args))
    page = versions_matrix.write_comparison(runs, out)
    print(f"comparison: {page}" if page else "comparison: fewer than two versions produced results")
    codes = [run.returncode for run in runs]
    if None in codes or any(code not in (EXIT_OK, EXIT_UNEXPECTED) for code in codes):
        return EXIT_CANNOT_RUN
    return EXIT_UNEXPECTED if EXIT_UNEXPECTED in codes else EXIT_OK


def expectations(args: list[str]) -> int:
    from harness.expectations import append_proposals, load_expectations, proposals
    from harness.settings import DEFAULT_EXPECTATIONS

    paths, output = output_option(args, str(DEFAULT_EXPECTATIONS / "review.toml"))
    documents = (
        load_all(paths)
        if len(paths) == 1
        else "harness: expectations takes one results.json or run folder"
    )
    if isinstance(documents, str):
        print(documents, file=sys.stderr)
        return EXIT_CANNOT_RUN
    entries, notes = proposals(documents[0], load_expectations(DEFAULT_EXPECTATIONS))
    for note in notes:
        print(note)
    if entries:
        append_proposals(output, entries)
    print(
        f"{len(entries)} new expectations for review in {output}"
        if entries
        else "no new expectations"
    )
    return EXIT_OK
