"""Command line of the harness: `run` the suites, `list` the cases, render a `report`,
`compare` runs, propose `expectations`, run a version `matrix`.

Exit codes: 0 every case as expected; 1 some case unexpected; 2 the run could
not be done (bad arguments, unusable target, no case selected, interrupted).
A bad argument gets one line naming it and what to do.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import pytest

from harness import coverage as coverage_map
from harness.errors import UsageError
from harness.exitcodes import EXIT_CANNOT_RUN, EXIT_OK, EXIT_UNEXPECTED
from harness.index import IndexProblem
from harness.inputs import expand_runs
from harness.report.render import render_compare, render_run
from harness.results import load_results
from suites.catalog import AREAS, SUITES_DIR, all_cases, area_dir

DESCRIPTION = """commands:
  run           runs the conformance suites against a fixture app; writes reports/<run>/ with
                results.json, results.jsonl, junit.xml and index.html (pytest options pass through;
                see 'python -m pytest --help' for the run options: --target, --token, --seed ...)
  list          lists the cases without running them (--json for a JSON array)
  report        renders the run report of a results.json or a run folder (even an interrupted one)
  compare       renders one comparison of several runs (results.json files, run folders or globs)
  expectations  writes a proposed entry for each unexpected failure of a run, for review
  matrix        runs the suite on several FastAPI versions (and --servers), each version in its
                own uv environment
  coverage      writes docs/coverage.md, the map of documented features to cases (--check:
                exit 1 when the page is stale or a feature has neither cases nor a reason)
"""


class UsageFailure(Exception):
    """A bad command line: the message is the one line printed."""


class Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line and exit code 2, never a usage dump."""

    def error(self, message: str) -> NoReturn:
        raise UsageFailure(f"{self.prog}: {message} (see {self.prog} --help)")


def build_parser() -> Parser:
    parser = Parser(
        prog="python -m harness",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    run = commands.add_parser("run", help="run the suites", allow_abbrev=False, add_help=False)
    run.add_argument("--area", type=area_list, help="comma-separated areas (default: all)")
    run.add_argument("--repeat", type=positive_int, help="N complete runs, kept apart")
    listing = commands.add_parser("list", help="list the cases", allow_abbrev=False)
    listing.add_argument("--json", action="store_true", help="a JSON array of the cases")
    listing.add_argument("--area", type=area_list, default=AREAS)
    report = commands.add_parser("report", help="render a run report", allow_abbrev=False)
    report.add_argument("run", metavar="RUN")
    report.add_argument("-o", dest="output", type=Path, default=Path("index.html"))
    compare = commands.add_parser("compare", help="compare runs", allow_abbrev=False)
    compare.add_argument("runs", metavar="RUN", nargs="+")
    compare.add_argument("-o", dest="output", type=Path, default=Path("compare.html"))
    compare.add_argument("--json", dest="json_output", type=Path, help="the comparison as JSON")
    compare.add_argument(
        "--junit", dest="junit_output", type=Path, help="one JUnit file of every run"
    )
    proposals = commands.add_parser("expectations", help="propose expectations", allow_abbrev=False)
    proposals.add_argument("run", metavar="RUN")
    proposals.add_argument(
        "-o", dest="output", type=Path, help="default: RUN/proposed-expectations.toml"
    )
    matrix = commands.add_parser("matrix", help="a version matrix", allow_abbrev=False)
    matrix.add_argument("--versions", type=comma_list, help="e.g. 0.110.0,latest")
    matrix.add_argument(
        "--servers",
        type=server_list,
        help="crossed with the versions (default with --servers: latest only), e.g. uvicorn,hypercorn:h2",
    )
    matrix.add_argument(
        "--stacks",
        type=stack_list,
        help="stack files crossed with the versions (default with --stacks: latest only), "
        "e.g. stacks/brotli.toml,stacks/nginx-tuned.toml; 'bare' for the app without a stack",
    )
    matrix.add_argument("--mode", choices=("latest", "era"), default="latest")
    matrix.add_argument("--jobs", type=positive_int, default=os.cpu_count() or 1)
    matrix.add_argument("--out", type=Path)
    mapping = commands.add_parser("coverage", help="the coverage map", allow_abbrev=False)
    mapping.add_argument("--check", action="store_true", help="only check, write nothing")
    return parser


def comma_list(raw: str) -> list[str]:
    values = [part.strip() for part in raw.split(",") if part.strip()]
    if not values:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a comma-separated list")
    return values


def server_list(raw: str) -> list[str]:
    from harness.servers import parse_configuration

    try:
        return [parse_configuration(spec).name for spec in comma_list(raw)]
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def stack_list(raw: str) -> list[Path | None]:
    """Stack files, each checked against the schema now (`bare`: no stack)."""
    from harness.stackfile import load_stack

    try:
        return [
            None if spec == "bare" else _loaded(Path(spec), load_stack) for spec in comma_list(raw)
        ]
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _loaded(path: Path, load: Callable[[Path], object]) -> Path:
    load(path)
    return path.resolve()


def area_list(raw: str) -> tuple[str, ...]:
    chosen = comma_list(raw)
    unknown = [name for name in chosen if name not in AREAS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"{','.join(unknown)!r} is not an area: choose from {', '.join(AREAS)}"
        )
    return tuple(chosen)


def positive_int(raw: str) -> int:
    if not raw.isdigit() or int(raw) < 1:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a positive whole number")
    return int(raw)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not args:
        parser.print_help()
        return EXIT_CANNOT_RUN
    before, after = split_at_double_dash(args)
    try:
        if before and before[0] == "run":
            options, rest = parser.parse_known_args(before)
            return run(options.area, options.repeat, rest, after)
        options = parser.parse_args(before)
        return COMMANDS[options.command](options, after)
    except (UsageFailure, UsageError) as failure:
        print(failure, file=sys.stderr)
        return EXIT_CANNOT_RUN


def split_at_double_dash(args: list[str]) -> tuple[list[str], list[str]]:
    """The arguments before `--` and those after it (passed on to the runs of a matrix)."""
    if "--" not in args:
        return args, []
    index = args.index("--")
    return args[:index], args[index + 1 :]


def run(
    areas: tuple[str, ...] | None, repeat: int | None, pytest_args: list[str], after: list[str]
) -> int:
    pytest_args = pytest_args + (["--", *after] if after else [])
    if repeat:
        from harness.stability import repeat_run

        return repeat_run(repeat, [*(["--area", ",".join(areas)] if areas else []), *pytest_args])
    paths = [str(area_dir(area)) for area in areas] if areas else [str(SUITES_DIR)]
    # cases check with ctx.expect, never assert: rewriting their modules would only cost time
    code = int(pytest.main([*paths, "--assert=plain", *pytest_args]))
    if code == pytest.ExitCode.NO_TESTS_COLLECTED and "--collect-only" not in pytest_args:
        print("harness: no case was selected: check -k and --area", file=sys.stderr)
    if code == pytest.ExitCode.NO_TESTS_COLLECTED and "--collect-only" in pytest_args:
        return EXIT_OK
    return code if code in (EXIT_OK, EXIT_UNEXPECTED) else EXIT_CANNOT_RUN


def list_cases(options: argparse.Namespace, after: list[str]) -> int:
    cases = all_cases(tuple(options.area))
    if options.json:
        print(json.dumps([case.summary() for case in cases], indent=1, ensure_ascii=False))
        return EXIT_OK
    for case in cases:
        tier = "" if case.tier == "default" else f"  [{case.tier}]"
        print(f"{case.id}{tier}\n    {case.description}\n    expects: {case.expectation}")
    print(f"{len(cases)} cases")
    return EXIT_OK


def load_all(paths: list[str]) -> list[dict[str, Any]]:
    """The results documents at `paths` (files, run folders, folders of runs, globs)."""
    documents = []
    for path in expand_runs(paths):
        try:
            documents.append(load_results(path))
        except (OSError, ValueError, KeyError) as exc:
            raise UsageFailure(
                f"harness: {str(path)!r} is not a results.json or a run folder ({type(exc).__name__}: {exc})"
            ) from exc
    return documents


def report(options: argparse.Namespace, after: list[str]) -> int:
    return write_page([options.run], options.output, lambda documents: render_run(documents[0]))


def compare(options: argparse.Namespace, after: list[str]) -> int:
    from harness.junit import render_merged_junit
    from harness.report.compare import comparison_json, run_labels

    documents = load_all(options.runs)
    if len(documents) < 2:
        raise UsageFailure(
            f"harness: compare needs two or more runs; {options.runs} gave {len(documents)}"
        )
    options.output.write_text(render_compare(documents), encoding="utf-8")
    print(f"wrote {options.output}")
    if options.json_output:
        text = json.dumps(comparison_json(documents), indent=1, ensure_ascii=False)
        options.json_output.write_text(text, encoding="utf-8")
        print(f"wrote {options.json_output}")
    if options.junit_output:
        options.junit_output.write_bytes(render_merged_junit(documents, run_labels(documents)))
        print(f"wrote {options.junit_output}")
    return EXIT_OK


def write_page(
    paths: list[str], output: Path, render: Callable[[list[dict[str, Any]]], str]
) -> int:
    output.write_text(render(load_all(paths)), encoding="utf-8")
    print(f"wrote {output}")
    return EXIT_OK


def matrix(options: argparse.Namespace, run_args: list[str]) -> int:
    from harness import matrix as versions_matrix

    problem = versions_matrix.require_uv()
    if problem:
        raise UsageFailure(problem)
    versions = options.versions or (
        ["latest"] if options.servers or options.stacks else versions_matrix.default_versions()
    )
    run_args = one_seed_for_all(run_args)
    out = options.out or Path(f"reports/compare-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        runs = asyncio.run(
            versions_matrix.run_matrix(
                versions,
                options.mode,
                out,
                options.jobs,
                run_args,
                options.servers,
                options.stacks,
            )
        )
    except IndexProblem as unusable:
        raise UsageFailure(f"harness: {unusable}") from unusable
    page = versions_matrix.write_comparison(runs, out)
    print(f"comparison: {page}" if page else "comparison: fewer than two versions produced results")
    codes = [run.returncode for run in runs]
    if None in codes or any(code not in (EXIT_OK, EXIT_UNEXPECTED) for code in codes):
        return EXIT_CANNOT_RUN
    return EXIT_UNEXPECTED if EXIT_UNEXPECTED in codes else EXIT_OK


def one_seed_for_all(run_args: list[str]) -> list[str]:
    """`--seed random` drawn once here, so every run of a comparison sends the same inputs."""
    from harness.settings import random_seed

    for index, arg in enumerate(run_args):
        if arg == "--seed" and run_args[index + 1 : index + 2] == ["random"]:
            return [*run_args[:index], "--seed", str(random_seed()), *run_args[index + 2 :]]
        if arg == "--seed=random":
            return [*run_args[:index], f"--seed={random_seed()}", *run_args[index + 1 :]]
    return run_args


def expectations(options: argparse.Namespace, after: list[str]) -> int:
    from harness.expectations import append_proposals, load_expectations, proposals
    from suites.catalog import EXPECTATIONS_DIR

    document = load_all([options.run])[0]
    output = options.output or proposal_file(Path(options.run))
    if output.resolve().is_relative_to(EXPECTATIONS_DIR.resolve()):
        raise UsageFailure(
            f"harness: {str(output)!r} is inside {EXPECTATIONS_DIR.name}/, which every run loads: "
            "write proposals elsewhere and move each entry there once it is reviewed"
        )
    entries, notes = proposals(document, load_expectations(EXPECTATIONS_DIR))
    for note in notes:
        print(note)
    if entries:
        append_proposals(output, entries)
    print(
        f"{len(entries)} proposed expectations for review in {output}"
        if entries
        else "no new expectations"
    )
    return EXIT_OK


def coverage(options: argparse.Namespace, after: list[str]) -> int:
    data = coverage_map.load()
    found = coverage_map.problems(data, (case.id for case in all_cases()))
    for problem in found:
        print(problem, file=sys.stderr)
    page, text = coverage_map.COVERAGE_PAGE, coverage_map.render(data)
    if options.check:
        stale = not page.is_file() or page.read_text(encoding="utf-8") != text
        if stale:
            print(f"{page.name} is stale: run python -m harness coverage", file=sys.stderr)
        return EXIT_UNEXPECTED if found or stale else EXIT_OK
    page.write_text(text, encoding="utf-8")
    print(f"wrote {page}: {coverage_map.ratio(data):.0%} of the features have a case")
    return EXIT_UNEXPECTED if found else EXIT_OK


def proposal_file(run: Path) -> Path:
    folder = run if run.is_dir() else run.parent
    return folder / "proposed-expectations.toml"


COMMANDS: dict[str, Callable[[argparse.Namespace, list[str]], int]] = {
    "list": list_cases,
    "report": report,
    "compare": compare,
    "expectations": expectations,
    "matrix": matrix,
    "coverage": coverage,
}
