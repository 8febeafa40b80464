"""Stacks: the schema and its checks, bad stack files (one line, exit 2), every example stack
run on the areas where it makes a difference, and a stack compared with itself and with the bare app."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from harness.errors import UsageError
from harness.expectations import load_expectations
from harness.report.compare import build_rows, pair_changes
from harness.stackfile import check_stack, load_stack, schema, with_middleware
from tests.conftest import ROOT, harness_command

STACKS = sorted((ROOT / "stacks").glob("*.toml"))

# (file content, a fragment of the one line it gets); each breaks one rule of the schema
BAD_FILES = [
    ("name = ", "is not valid TOML"),
    ('colour = "red"', "unknown key 'colour'"),
    ('[[middleware]]\nclas = "a:B"', "unknown key 'middleware[0].clas'"),
    ('[[middleware]]\nclass = "a:B"\nsetup = "c:d"', "middleware[0] needs exactly one of"),
    ('[[middleware]]\nclass = "brotli_asgi"', "middleware[0].class is 'brotli_asgi'"),
    ('[[middleware]]\nclass = "a:B"\nkwargs = 3', "middleware[0].kwargs must be an object"),
    ('[proxy]\nname = "traefik"', "proxy.name is 'traefik': choose from nginx, caddy"),
    ('[proxy]\nvariant = "tuned"', "proxy needs the key 'name'"),
    ('[proxy]\nname = "nginx"\nvariant = "tuned"\nconfig = "x"', "may not have variant and config"),
    ('packages = "slowapi"', "packages must be an array"),
    ('mode = "oldest"', "mode is 'oldest': choose from latest, era"),
    ('server = "uvicorn h11"', "server is 'uvicorn h11'"),
]
# (file content, a fragment of the line check_stack gives)
FAILING_CHECKS = [
    (
        '[[middleware]]\nclass = "no_such_module:Middleware"',
        "middleware[0].class 'no_such_module:Middleware' cannot be imported",
    ),
    (
        '[[middleware]]\nclass = "brotli_asgi:NoSuchMiddleware"',
        "cannot be imported (AttributeError",
    ),
    ('packages = ["no-such-distribution-here"]', "packages needs 'no-such-distribution-here'"),
    ('packages = ["starlette<0.1"]', "packages needs 'starlette<0.1'"),
    ('fastapi = "0.95.2"', "fastapi = '0.95.2', but"),
    ('[proxy]\nname = "nginx"\nconfig = "missing.conf"', "proxy.config"),
]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "stack.toml"
    path.write_text(text + "\n")
    return path


@pytest.mark.parametrize(("text", "line"), BAD_FILES)
def test_a_bad_stack_file_is_one_line_naming_the_key(tmp_path: Path, text: str, line: str) -> None:
    with pytest.raises(UsageError) as raised:
        load_stack(write(tmp_path, text))
    assert line in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.parametrize(("text", "line"), BAD_FILES[1:])
def test_the_schema_itself_refuses_what_the_small_validator_refuses(text: str, line: str) -> None:
    import tomllib

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(tomllib.loads(text), schema())


@pytest.mark.parametrize("stack", STACKS, ids=lambda path: path.stem)
def test_every_example_stack_is_valid_for_both_validators(stack: Path) -> None:
    import tomllib

    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.validate(tomllib.loads(stack.read_text()), schema())
    assert load_stack(stack).description


@pytest.mark.parametrize(("text", "line"), FAILING_CHECKS)
def test_a_stack_that_cannot_run_here_is_one_line(tmp_path: Path, text: str, line: str) -> None:
    with pytest.raises(UsageError) as raised:
        check_stack(load_stack(write(tmp_path, text)))
    assert line in str(raised.value) and "\n" not in str(raised.value)


def test_middleware_option_adds_a_class_entry_after_the_files() -> None:
    stack = with_middleware(load_stack(ROOT / "stacks" / "brotli.toml"), ["a.b:C"])
    assert [next(iter(entry.values())) for entry in stack.middleware][-1] == "a.b:C"
    assert stack.name == "brotli"
    assert with_middleware(load_stack(ROOT / "stacks" / "nginx-tuned.toml"), []).middleware == ()


def run_harness(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        harness_command("--report-dir", str(tmp_path / "report"), *args),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("--stack", "missing.toml"), "stack 'missing.toml' cannot be read"),
        (
            ("--middleware", "no_such_module:X"),
            "--middleware: middleware[0].class 'no_such_module:X' cannot be imported",
        ),
        (
            ("--stack", "stacks/brotli.toml", "--target", "inprocess"),
            "--stack changes the app the local target starts",
        ),
        (("--stack", "stacks/nginx-tuned.toml", "--tls"), "forwards plain HTTP/1.1"),
        (
            ("--stack", "stacks/nginx-tuned.toml", "--server", "hypercorn:h2"),
            "choose an HTTP/1.1 server",
        ),
    ],
)
def test_a_stack_that_cannot_be_run_exits_2_with_one_line(
    tmp_path: Path, args: tuple[str, ...], line: str
) -> None:
    done = run_harness(tmp_path, *args)
    assert done.returncode == 2, done.stdout[-2000:]
    assert line in done.stdout + done.stderr


def test_a_proxy_that_is_not_installed_exits_2(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    done = run_harness(
        tmp_path, "--stack", "stacks/caddy-tuned.toml", env={**os.environ, "PATH": str(empty)}
    )
    assert done.returncode == 2
    assert (
        "proxy.name 'caddy': caddy is not installed here (not on PATH): apt-get install caddy"
        in (done.stdout + done.stderr)
    )


# each example stack on the cases where it makes its difference (and a few where it makes none)
SUBSETS = {
    "brotli": "responses.status or static.range or middleware.gzip or static.head",
    "nginx-stock": "websockets.echo or uploads.size or headers.read or trustedhost",
    "nginx-tuned": "headers.read or middleware.proxy or responses.sse",
    "caddy-stock": "headers.read or middleware.proxy or responses.sse",
    "caddy-tuned": "headers.read or middleware.proxy or responses.sse",
    "sentry": "form-limits or headers.read or middleware.cors",
}
MIDDLEWARE_SUBSET = "headers.read or middleware.cors or middleware.proxy or responses.status"
# the stacks whose subset shows a known difference (an XFAIL from suites/expectations/stacks.toml)
DIFFERING = {"brotli", "nginx-stock", "nginx-tuned", "caddy-stock", "caddy-tuned", "sentry"}


def runnable(stack: Path) -> None:
    """Skips (fails on CI) a stack whose packages or proxy this machine lacks."""
    try:
        loaded = load_stack(stack)
        check_stack(loaded)
        if loaded.proxy:
            from harness.proxies import check_installed

            check_installed(loaded.proxy.name)
    except UsageError as missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} (.ci/run installs the stacks extra and the proxies)")
        pytest.skip(str(missing))


def results(tmp_path: Path, name: str, *args: str) -> dict:
    done = run_harness(tmp_path / name, *args)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    return json.loads((tmp_path / name / "report" / "results.json").read_text())


@pytest.mark.parametrize("stack", STACKS, ids=lambda path: path.stem)
def test_each_example_stack_runs_as_its_expectations_say(tmp_path: Path, stack: Path) -> None:
    runnable(stack)
    subset = SUBSETS.get(stack.stem, MIDDLEWARE_SUBSET)
    document = results(tmp_path, "run", "--stack", str(stack), "-k", subset)
    assert all(record["status"] != "ERROR" for record in document["results"])
    known = {entry.reason for entry in load_expectations(ROOT / "suites/expectations/stacks.toml")}
    by_stack = [
        record["id"]
        for record in document["results"]
        if record["status"] == "XFAIL" and record["expected"]["reason"] in known
    ]
    assert bool(by_stack) == (stack.stem in DIFFERING), by_stack
    recorded = document["run_info"]["stack"]
    assert recorded["name"] == stack.stem
    for entry in recorded["middleware"]:
        assert entry["distribution"] and entry["version"], entry
    if load_stack(stack).proxy:
        assert recorded["proxy"]["version"] and recorded["proxy"]["name"] in stack.stem


def test_a_stack_twice_is_0_changes_and_against_the_bare_app_shows_its_header(
    tmp_path: Path,
) -> None:
    stack = ROOT / "stacks" / "correlation-id.toml"
    runnable(stack)
    args = ("-k", "headers.read or responses.status")
    bare = results(tmp_path, "bare", *args)
    once, twice = (results(tmp_path, name, "--stack", str(stack), *args) for name in "ab")
    same = [once, twice]
    changes = pair_changes(same, build_rows(same), 0, 1)["categories"]
    assert not any(changes.values()), changes
    pair = [bare, once]
    found = pair_changes(pair, build_rows(pair), 0, 1)
    assert found["categories"]["changed"] and not found["categories"]["regressed"]
    lines = {d["what"] for ds in found["differences"].values() for d in ds}
    assert "x-request-id: (absent) → <uuid>" in lines


def test_docs_show_both_caddy_bodies_and_every_example_stack() -> None:
    from harness.proxies import CADDY_STOCK, CADDY_TUNED

    deploying = (ROOT / "docs" / "deploying.md").read_text()
    assert CADDY_STOCK in deploying and CADDY_TUNED in deploying
    stacks = (ROOT / "docs" / "stacks.md").read_text()
    assert all(f"`{stack.stem}`" in stacks for stack in STACKS)


NGINX_STOCK_INFO = {
    "stack": {"name": "s", "middleware": [], "proxy": {"name": "nginx", "variant": "stock"}}
}
BROTLI_INFO = {"stack": {"name": "b", "middleware": [{"class": "brotli_asgi:BrotliMiddleware"}]}}


@pytest.mark.parametrize(
    ("info", "case_id", "what", "cause"),
    [
        (NGINX_STOCK_INFO, "websockets.echo.text", "status PASS → FAIL", "WebSocket upgrade"),
        (
            NGINX_STOCK_INFO,
            "uploads.size.1mib",
            "status: expected 200, observed 413",
            "client_max_body_size",
        ),
        (
            NGINX_STOCK_INFO,
            "middleware.trustedhost.allowed",
            "status PASS → FAIL",
            "rewritten Host",
        ),
        (
            BROTLI_INFO,
            "responses.status.code-200",
            "content-length: 14 → (absent)",
            "sees every body as a stream",
        ),
        (
            BROTLI_INFO,
            "static.file.text",
            "content-encoding: (absent) → br",
            "compression middleware",
        ),
        (BROTLI_INFO, "websockets.echo.text", "frame 1: a → b", "cause not known"),
        ({}, "uploads.size.1mib", "status: expected 200, observed 413", "cause not known"),
    ],
)
def test_the_diagnosis_names_the_cause_the_stack_shows(
    info: dict, case_id: str, what: str, cause: str
) -> None:
    from harness.report.diagnosis import diagnose

    changes = {
        "categories": {"regressed": [case_id]},
        "differences": {case_id: [{"where": "GET /x", "what": what}]},
    }
    (area,) = diagnose(info, changes)
    assert area["area"] == case_id.split(".")[0] and area["counts"] == {"regressed": 1}
    assert any(cause in found["cause"] for found in area["causes"]), area["causes"]


def test_a_bad_stack_in_a_comparison_exits_2_before_anything_is_installed(tmp_path: Path) -> None:
    bad = write(tmp_path, 'colour = "red"')
    done = subprocess.run(
        [sys.executable, "-m", "harness", "matrix", "--stacks", f"bare,{bad}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "unknown key 'colour'" in done.stderr and len(done.stderr.strip().splitlines()) == 1
