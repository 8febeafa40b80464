"""Command line of the harness: `run` the suites, render a `report`, `compare` runs.

Exit codes: 0 every case as expected; 1 some case unexpected; 2 the run could
not be done (bad arguments, unusable target, no case selected, interrupted).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harness.report.render import render_compare, render_run
from harness.results import load_results
from harness.runinfo import SUITES_DIR

USAGE = """usage:
  python -m harness run [--area AREA[,AREA...]] [--target local|inprocess|URL] [pytest options]
  python -m harness report RUN [-o index.html]
  python -m harness compare RUN RUN [RUN ...] [-o compare.html]

run      runs the conformance suites against a fixture app; writes reports/<run>/ with
         results.json, results.jsonl, junit.xml and index.html. Options of the run:
         --target, --token, --report-dir, --timeout-scale, --seed, --insecure,
         --ca-bundle, --header 'Name: value' (see 'python -m pytest --help').
report   renders the run report of a results.json or a run folder (even an interrupted one).
compare  renders one comparison of several runs (results.json files or run folders).
"""

EXIT_OK, EXIT_UNEXPECTED, EXIT_CANNOT_RUN = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        return EXIT_OK if args else EXIT_CANNOT_RUN
    command, rest = args[0], args[1:]
    commands = {"run": run, "report": report, "compare": compare}
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
    chosen = suite_paths(args)
    if isinstance(chosen, str):
        print(chosen, file=sys.stderr)
        return EXIT_CANNOT_RUN
    paths, rest = chosen
    code = int(pytest.main([*paths, "-W", "ignore::pytest.PytestAssertRewriteWarning", *rest]))
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print("harness: no case was selected: check -k and --area", file=sys.stderr)
    return code if code in (EXIT_OK, EXIT_UNEXPECTED) else EXIT_CANNOT_RUN


if __name__ == "__main__":
    raise SystemExit(main())
