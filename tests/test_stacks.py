"""Stacks: the schema and its checks, bad stack files (one line, exit 2), every example stack
run on the areas where it makes a difference, and a stack compared with itself and with the bare app."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import jsonschema
import pytest

from harness.errors import UsageError
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
