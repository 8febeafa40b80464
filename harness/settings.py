"""The conformance options of one run, parsed and checked before anything starts."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.errors import UsageError
from harness.expectations import Expectation, load_expectations
from harness.runner import TIERS
from harness.servers import DEFAULT, Configuration, check_installed, parse_configuration
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

    @classmethod
    def from_options(cls, option: Any, invocation_dir: Path) -> RunSettings:
        scale = _positive_float("--timeout-scale", option.timeout_scale)
        options = TargetOptions(
            token=option.token,
            timeout_scale=scale,
            extra_headers=_headers(option.header),
            verify=_verify(option.insecure, option.ca_bundle),
        )
        return cls(
            target=validate_target(option.target),
            report_root=invocation_dir / "reports",
            report_dir=Path(option.report_dir) if option.report_dir else None,
            seed=_seed(option.seed),
            target_options=options,
            expectations=load_expectations(Path(option.expectations or EXPECTATIONS_DIR)),
            tiers=_tiers(option.tier),
            tls=_tls(option.tls, option.target),
            server=_server(option.server, option.target),
            concurrency=_positive_int("--concurrency", option.concurrency),
        )


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
