"""Command line of the harness: `python -m harness run [--area A,B] [options and pytest arguments]`.

Exit codes: 0 every case as expected; 1 some case unexpected; 2 the run could
not be done (bad arguments, unusable target, no case selected, interrupted).
"""

from __future__ import annotations

import sys

import pytest

from harness.runinfo import SUITES_DIR

USAGE = """usage: python -m harness run [--area AREA[,AREA...]] [--target local|inprocess|URL] [pytest options]

Runs the conformance suites against a fixture app and writes reports/<run>/results.json.
Options of the run: --target, --token, --report-dir, --timeout-scale, --seed,
--insecure, --ca-bundle, --header 'Name: value' (see 'python -m pytest --help').
"""

EXIT_OK, EXIT_UNEXPECTED, EXIT_CANNOT_RUN = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        return EXIT_OK if args else EXIT_CANNOT_RUN
    command, rest = args[0], args[1:]
    if command == "run":
        return run(rest)
    print(f"harness: unknown command {command!r}: the commands are 'run'", file=sys.stderr)
    return EXIT_CANNOT_RUN


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
