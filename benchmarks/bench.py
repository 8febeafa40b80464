"""Benchmark: where a conformance run's time goes. Prints figures and writes them to JSON.

Each figure is the median of several repetitions on this machine:
- a full run on `local` and on `inprocess`: wall time, cases, cases per second;
- the default tier on each server configuration (one run each; `--servers` to choose),
  and its time next to uvicorn's;
- the local server's start and stop;
- the harness's overhead: the same HTTP exchanges through the harness's recording
  context and through a bare httpx client, on one local server, and their ratio;
- WebSocket broadcast: connect and fan-out times for 100, 1000 and 5000 clients;
- the 1 GiB upload on `local`: throughput next to a bare httpx upload, peak memory
  (benchmarks/upload.py, in a process of its own);
- the default version matrix (`python -m harness matrix`), with warm environments
  and uv cache, and cold (new environments, empty uv cache; every wheel downloaded);
- rendering the run report and a 12-run comparison of the last run, and that comparison
  loaded in headless Chromium (when installed; the time of an empty page subtracted);
- the noise floor: the cases a comparison calls changed between runs of the same stack,
  for each of the 5 pairs of 5 runs (each run to the next, and the first to the last).
Usage: python benchmarks/bench.py [--repeat N] [--quick] [--servers A,B] [--servers-only]
                                  [--out reports/bench.json]
(--quick leaves out the 1 GiB upload, the matrix and the servers.)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from harness.case import Case, Context
from harness.report.compare import comparison_json
from harness.report.render import render_compare, render_run
from harness.results import load_results
from harness.targets import TargetOptions
from harness.targets.local import LocalTarget

EXCHANGES = 200
NOISE_RUNS = 5


# Runs are timed as Python runs by default, with bytecode caching (some shells turn it off).
RUN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def harness_run(report_dir: Path, *args: str) -> None:
    """`python -m harness run ARGS` in a subprocess, its results in `report_dir`.

    Exit 1 (some case unexpected) still times a complete run; exit 2 (no run) raises."""
    command = [sys.executable, "-m", "harness", "run", "-q", "-p", "no:cacheprovider", *args]
    run = [*command, "--report-dir", str(report_dir)]
    completed = subprocess.run(run, capture_output=True, env=RUN_ENV)
    if completed.returncode not in (0, 1):
        raise RuntimeError(
            f"{' '.join(args)}: exit {completed.returncode}: {completed.stdout[-500:]!r}"
        )


SERVER_CONFIGURATIONS = (
    "uvicorn",
    "uvicorn:h11",
    "uvicorn:wsproto",
    "hypercorn",
    "hypercorn:h2",
    "granian",
    "granian:h2",
    "daphne",
    "gunicorn",
)


def timed_run(target: str, report_dir: Path, *args: str) -> tuple[float, int]:
    started = time.perf_counter()
    harness_run(report_dir, "--target", target, *args)
    seconds = time.perf_counter() - started
    return seconds, len(load_results(report_dir)["results"])


async def server_cycle(work: Path) -> tuple[float, float]:
    target = LocalTarget(TargetOptions(work_dir=str(work)))
    started = time.perf_counter()
    await target.start()
    up = time.perf_counter() - started
    started = time.perf_counter()
    await target.stop()
    return up, time.perf_counter() - started


async def overhead(work: Path) -> tuple[float, float]:
    target = LocalTarget(TargetOptions(work_dir=str(work)))
    await target.start()

    async def noop(ctx: Context) -> None:
        return None

    ctx = Context(Case("bench.overhead.noop", "d.", "e.", noop, "https://x"), target, 1.0)
    try:
        started = time.perf_counter()
        for _ in range(EXCHANGES):
            await ctx.request("GET", "/headers/user-agent")
        harness_s = time.perf_counter() - started
        async with httpx.AsyncClient(base_url=target.base_url) as bare:
            started = time.perf_counter()
            for _ in range(EXCHANGES):
                await bare.get("/headers/user-agent")
            bare_s = time.perf_counter() - started
    finally:
        await target.stop()
    return harness_s, bare_s


def websocket_scale(report_dir: Path) -> dict[str, float]:
    """Connect and fan-out times of the broadcast cases for 100, 1000 and 5000 clients on `local`."""
    selection = "clients-100 or clients-1000 or clients-5000"
    scale_tier = ("--area", "websockets", "--tier", "default,scale", "-k", selection)
    harness_run(report_dir, *scale_tier)
    figures = {}
    for record in load_results(report_dir)["results"]:
        clients = record["id"].rsplit("-", 1)[1]
        measured = record["measurements"]
        figures[f"websocket.clients-{clients}.connect_seconds"] = measured["connect.seconds"]
        figures[f"websocket.clients-{clients}.fanout_seconds"] = measured["fanout.seconds"]
    return figures


def upload_figures() -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("upload.py"))],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


def matrix_seconds(out: Path, cold_root: Path | None) -> float:
    """Wall time of `python -m harness matrix` on the default list; cold: new envs, empty uv cache."""
    env = dict(os.environ)
    if cold_root is not None:
        env["UV_CACHE_DIR"] = str(cold_root / "uv-cache")
        env["CONFORMANCE_ENV_CACHE"] = str(cold_root / "envs")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "harness", "matrix", "--out", str(out)],
        env=env,
        check=False,
        capture_output=True,
    )
    return round(time.perf_counter() - started, 1)


def server_figures(work: Path, configurations: list[str]) -> dict[str, float]:
    """Default-tier wall time per server configuration, and its ratio to uvicorn's."""
    figures: dict[str, float] = {}
    for name in configurations:
        seconds, _ = timed_run("local", work / f"server-{name.replace(':', '_')}", "--server", name)
        figures[f"server.{name}.seconds"] = round(seconds, 1)
    base = figures.get("server.uvicorn.seconds")
    for name in configurations:
        if base:
            figures[f"server.{name}.vs_uvicorn"] = round(
                figures[f"server.{name}.seconds"] / base, 2
            )
    return figures


def noise_floor(folders: list[Path]) -> list[int]:
    """The cases called changed (any category) in each pair of runs of the same stack."""
    pairs = comparison_json([load_results(folder) for folder in folders])["pairs"]
    categories = ("improved", "regressed", "changed", "added", "removed", "not_comparable")
    return [sum(len(pair[category]) for category in categories) for pair in pairs]


def chromium_seconds(page: Path, work: Path) -> float | None:
    """Seconds headless Chromium takes to load `page` and run its script, beyond an empty page."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return None
    empty = work / "empty.html"
    empty.write_text("<!doctype html><title>empty</title>")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    flags += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]

    def load(target: Path) -> float:
        profile = ["--user-data-dir=" + str(work / "chromium-profile")]
        started = time.perf_counter()
        command = [chromium, *flags, *profile, "--dump-dom", target.resolve().as_uri()]
        subprocess.run(command, capture_output=True, check=True, timeout=120)
        return time.perf_counter() - started

    return round(
        median([load(page) for _ in range(3)]) - median([load(empty) for _ in range(3)]), 3
    )


def median(values: list[float]) -> float:
    return round(statistics.median(values), 4)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("reports/bench.json"))
    parser.add_argument(
        "--quick", action="store_true", help="leave out the 1 GiB upload and the matrix"
    )
    parser.add_argument(
        "--servers",
        default=",".join(SERVER_CONFIGURATIONS),
        help="server configurations whose default-tier time is measured (comma-separated)",
    )
    parser.add_argument(
        "--servers-only", action="store_true", help="only the default-tier time of each server"
    )
    args = parser.parse_args()
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.servers_only:
            report(server_figures(work, args.servers.split(",")), args.out)
            return
        for target in ("local", "inprocess"):
            count = max(args.repeat, NOISE_RUNS)
            runs = [timed_run(target, work / f"{target}-{n}") for n in range(count)]
            noise = noise_floor([work / f"{target}-{n}" for n in range(NOISE_RUNS)])
            figures[f"noise.{target}.changed_per_pair"] = noise
            seconds = median([s for s, _ in runs])
            figures[f"run.{target}.seconds"] = seconds
            figures[f"run.{target}.cases"] = runs[0][1]
            figures[f"run.{target}.cases_per_second"] = round(runs[0][1] / seconds, 1)
        cycles = [asyncio.run(server_cycle(work / f"cycle-{n}")) for n in range(args.repeat)]
        figures["server.start.seconds"] = median([up for up, _ in cycles])
        figures["server.stop.seconds"] = median([down for _, down in cycles])
        pairs = [asyncio.run(overhead(work / f"overhead-{n}")) for n in range(args.repeat)]
        figures["overhead.harness.seconds_per_200"] = median([h for h, _ in pairs])
        figures["overhead.bare.seconds_per_200"] = median([b for _, b in pairs])
        figures["overhead.ratio"] = round(
            figures["overhead.harness.seconds_per_200"] / figures["overhead.bare.seconds_per_200"],
            2,
        )
        figures.update(websocket_scale(work / "websocket-scale"))
        if not args.quick:
            figures.update(server_figures(work, args.servers.split(",")))
            figures.update(upload_figures())
            matrix_seconds(work / "matrix-warm-up", None)  # builds any missing environment
            figures["matrix.default.warm_seconds"] = matrix_seconds(work / "matrix-warm", None)
            figures["matrix.default.cold_seconds"] = matrix_seconds(
                work / "matrix-cold", work / "cold"
            )
        document = load_results(work / "local-0")
        started = time.perf_counter()
        render_run(document)
        figures["render.run.seconds"] = round(time.perf_counter() - started, 4)
        started = time.perf_counter()
        page = render_compare([load_results(work / f"local-{n % NOISE_RUNS}") for n in range(12)])
        figures["render.compare12.seconds"] = round(time.perf_counter() - started, 4)
        figures["render.compare12.bytes"] = len(page.encode())
        (work / "compare12.html").write_text(page, encoding="utf-8")
        figures["render.compare12.chromium_seconds"] = chromium_seconds(
            work / "compare12.html", work
        )
    report(figures, args.out)


def report(figures: dict[str, Any], out: Path) -> None:
    width = max(len(name) for name in figures)
    for name, value in figures.items():
        print(f"{name:<{width}}  {value}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=1))
    print(f"figures written to {out}")


if __name__ == "__main__":
    main()
