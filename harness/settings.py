"""The conformance options of one run, parsed and checked before anything starts."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import UsageError
from harness.expectations import Expectation, load_expectations
from harness.runner import TIERS
from harness.servers import DEFAULT, Configuration, check_installed, parse_configuration
from harness.stackfile import Stack, check_stack, load_stack, with_middleware
from harness.targets import TargetOptions, validate_target
from suites.catalog import EXPECTATIONS_DIR


@dataclass(frozen=True)
class RunSettings:
    target: str
    report_root: Path
    report_dir: Path | None
    seed: int
    target_options: TargetOptions
    expectations: list[Expectation]
    tiers: tuple[str, ...] = ("default",)
    tls: bool = False
    server: Configuration | None = None
    concurrency: int = 4
    stack: Stack = field(default_factory=Stack)

    @classmethod
    def from_options(cls, option: Any, invocation_dir: Path) -> RunSettings:
        scale = _positive_float("--timeout-scale", option.timeout_scale)
        options = TargetOptions(
            token=option.token,
            timeout_scale=scale,
            extra_headers=_headers(option.header),
            verify=_verify(option.insecure, option.ca_bundle),
        )
        target = validate_target(option.target)
        stack = _stack(option.stack, option.middleware, target)
        server = _server(_server_spec(option.server, stack), option.target)
        tls = _tls(option.tls, option.target)
        _plain_behind_proxy(stack, server, tls)
        return cls(
            target=target,
            report_root=invocation_dir / "reports",
            report_dir=Path(option.report_dir) if option.report_dir else None,
            seed=_seed(option.seed),
            target_options=options,
            expectations=load_expectations(Path(option.expectations or EXPECTATIONS_DIR)),
            tiers=_tiers(option.tier),
            tls=tls,
            server=server,
            concurrency=_positive_int("--concurrency", option.concurrency),
            stack=stack,
        )


def _stack(file: str | None, middleware: list[str], target: str) -> Stack:
    """The run's stack (harness.stackfile), checked: a stack runs on the local target only."""
    stack = with_middleware(load_stack(Path(file)) if file else Stack(), middleware)
    if (stack.middleware or stack.proxy) and target != "local":
        what = "--stack" if file else "--middleware"
        raise UsageError(
            f"{what} changes the app the local target starts; with --target {target!r} "
            "deploy the stack there instead (FIXTURES_MIDDLEWARE, docs/stacks.md)"
        )
    check_stack(stack)
    if stack.proxy is not None:
        from harness.proxies import check_installed as proxy_installed

        proxy_installed(stack.proxy.name)
    return stack


def _plain_behind_proxy(stack: Stack, server: Configuration, tls: bool) -> None:
    if stack.proxy is not None and (tls or server.http2):
        raise UsageError(
            f"proxy {stack.proxy.name!r} forwards plain HTTP/1.1 to the server: "
            f"drop --tls and choose an HTTP/1.1 server (not {server.name!r})"
        )


def _server_spec(option: str, stack: Stack) -> str:
    """--server, or the stack's server; both given and different is an error."""
    if stack.server is None:
        return option
    if option not in (DEFAULT, stack.server):
        raise UsageError(
            f"--server {option!r} and the stack's server = {stack.server!r} differ: choose one"
        )
    return stack.server


def _positive_int(name: str, raw: str) -> int:
    if not str(raw).isdigit() or int(raw) < 1:
        raise UsageError(f"{name} {raw!r} is not a positive whole number: give e.g. {name} 2")
    return int(raw)


def _positive_float(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise UsageError(f"{name} {raw!r} is not a positive number: give e.g. {name} 2")
    return value


def _tls(tls: bool, target: str) -> bool:
    if tls and target != "local":
        raise UsageError(
            f"--tls serves the local target over https; with --target {target!r} give an https:// URL instead"
        )
    return tls


def _server(spec: str, target: str) -> Configuration:
    configuration = parse_configuration(spec)
    if spec != DEFAULT and target != "local":
        raise UsageError(
            f"--server chooses the server the local target starts; with --target {target!r} "
            "the server is whatever serves there"
        )
    if target == "local":
        check_installed(configuration)
    return configuration


def _tiers(raw: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in raw.split(",") if part.strip())
    unknown = [tier for tier in chosen if tier not in TIERS]
    if unknown or not chosen:
        raise UsageError(
            f"--tier {raw!r} is not a list of {', '.join(TIERS)}: give e.g. --tier default,heavy"
        )
    return chosen


# Every run that is not told otherwise sends the same generated inputs, so two runs compare.
DEFAULT_SEED = 1


def _seed(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_SEED
    if raw == "random":
        return random_seed()
    if not raw.isdigit():
        raise UsageError(f"--seed {raw!r} is not a non-negative integer or 'random'")
    return int(raw)


def random_seed() -> int:
    return random.SystemRandom().randrange(2**32)


def _headers(raw: list[str]) -> dict[str, str]:
    headers = {}
    for item in raw:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            raise UsageError(f"--header {item!r} is not 'Name: value'")
        headers[name.strip()] = value.strip()
    return headers


def _verify(insecure: bool, ca_bundle: str | None) -> bool | str:
    if insecure and ca_bundle:
        raise UsageError("--insecure and --ca-bundle exclude each other: choose one")
    if ca_bundle and not Path(ca_bundle).is_file():
        raise UsageError(f"--ca-bundle {ca_bundle!r} is not a file")
    return False if insecure else (ca_bundle or True)
