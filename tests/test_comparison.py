"""Comparisons show only what really changed, and everything that did: normalization rules, the
noise floor of a same-stack comparison, unasserted headers, seeds, and the explanation lines."""

from __future__ import annotations

import copy
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.normalize import HEADER_RULES, Normalizer
from harness.report.compare import (
    build_rows,
    classify,
    comparison_json,
    differences,
    grouped_differences,
    pair_changes,
)
from harness.report.render import render_compare
from harness.results import load_results
from tests.conftest import ROOT, harness_command

TARGET = "http://127.0.0.1:54321"
SCOPE = "0123456789abcdef0123456789abcdef"
NORMALIZER = Normalizer.for_case(TARGET, SCOPE)


@pytest.mark.parametrize(
    ("name", "value", "written"),
    [
        ("date", "Tue, 01 Dec 2026 18:33:01 GMT", "<http-date>"),
        ("last-modified", "Mon, 30 Nov 2026 10:00:00 GMT", "<http-date>"),
        ("etag", '"9a0364b9e99bb480dd25e1f0284c8555"', '"<hex>"'),
        ("etag", 'W/"9a0364b9e99bb480dd25e1f0284c8555"', 'W/"<hex>"'),
        ("etag", "9a0364b9e99bb480dd25e1f0284c8555", "<hex>"),
        (
            "set-cookie",
            "c=v; expires=Tue, 01 Dec 2026 19:33:01 GMT; Path=/",
            "c=v; expires=<http-date>; Path=/",
        ),
        ("x-process-time", "0.000312", "<float>"),
        ("x-process-time", "3.1e-05", "<float>"),
        (
            "content-type",
            "multipart/byteranges; boundary=3d6b6a416f9b5",
            "multipart/byteranges; boundary=<boundary>",
        ),
        ("location", f"{TARGET}/static/", "<target>/static/"),
        ("location", "ws://127.0.0.1:54321/ws", "<target>/ws"),
        ("x-echo", f"127.0.0.1:54321 {SCOPE}", "<target-host> <scope>"),
        ("vary", "Origin", "Origin"),
        ("content-length", "67", "67"),
        ("x-request-id", "0f8fad5bd9cb469fa16570867728950e", "<uuid>"),
        ("x-request-id", "0f8fad5b-d9cb-469f-a165-70867728950e", "<uuid>"),
        ("x-request-id", "my-own-id", "my-own-id"),
        ("x-ratelimit-reset", "1796149981.532", "<epoch>"),
        ("x-ratelimit-remaining", "99998", "<count>"),
        ("retry-after", "59", "<seconds>"),
    ],
)
def test_each_rule_writes_what_varies_as_a_placeholder(name: str, value: str, written: str) -> None:
    assert NORMALIZER.header(name, value) == written


def test_every_header_rule_has_a_reason() -> None:
    assert all(rule.reason and rule.headers for rule in HEADER_RULES)


def test_a_gzip_body_is_compared_without_the_time_in_its_header() -> None:
    made = [gzip.compress(b"x" * 2000, mtime=mtime) for mtime in (1_700_000_000, 1_700_000_001)]
    assert made[0] != made[1]
    assert NORMALIZER.body(made[0], "text/plain") == NORMALIZER.body(made[1], "text/plain")
    other = gzip.compress(b"y" * 2000, mtime=1_700_000_000)
    assert NORMALIZER.body(other, "text/plain") != NORMALIZER.body(made[0], "text/plain")
    assert gzip.decompress(NORMALIZER.body(made[0], None)) == b"x" * 2000


def test_a_body_is_digested_without_the_runs_own_values() -> None:
    one = Normalizer.for_case("http://127.0.0.1:1111", "a" * 32)
    other = Normalizer.for_case("http://127.0.0.1:2222", "b" * 32)
    assert one.body(
        b'{"host": "127.0.0.1:1111", "scope": "' + b"a" * 32 + b'"}', None
    ) == other.body(b'{"host": "127.0.0.1:2222", "scope": "' + b"b" * 32 + b'"}', None)
    assert one.body(b"--xyz\r\n", "multipart/byteranges; boundary=xyz") == b"--<boundary>\r\n"


@pytest.mark.parametrize(
    ("body", "written"),
    [
        (b'{"x-request-id": "0f8fad5bd9cb469fa16570867728950e"}', b'{"x-request-id": "<uuid>"}'),
        (
            b'[["X-Request-ID", "0f8fad5b-d9cb-469f-a165-70867728950e"]]',
            b'[["X-Request-ID", "<uuid>"]]',
        ),
        (
            b'{"sha256": "0f8fad5bd9cb469fa16570867728950e"}',
            b'{"sha256": "0f8fad5bd9cb469fa16570867728950e"}',
        ),
    ],
)
def test_a_request_id_the_app_echoes_is_a_placeholder(body: bytes, written: bytes) -> None:
    assert NORMALIZER.body(body, "application/json") == written


def entry(request: str = "GET /x", **changes: object) -> dict:
    base = {
        "request": request,
        "status": 200,
        "http": "1.1",
        "headers": [["content-type", "text/plain"], ["etag", "<hex>"]],
        "body": {"bytes": 2, "sha256": "aaaa"},
    }
    return {**base, **changes}


def result(status: str = "PASS", wire: list | None = None, **observations: object) -> dict:
    return {
        "id": "a.b.c",
        "area": "a",
        "status": status,
        "message": "m",
        "observations": observations,
        "measurements": {"latency_s": 0.5},
        "wire": wire if wire is not None else [entry()],
    }


@pytest.mark.parametrize(
    ("after", "lines"),
    [
        (
            result(
                wire=[
                    entry(
                        headers=[
                            ["content-type", "text/plain"],
                            ["etag", "<hex>"],
                            ["vary", "Origin"],
                        ]
                    )
                ]
            ),
            [{"where": "GET /x", "what": "vary: (absent) → Origin"}],
        ),
        (
            result(wire=[entry(headers=[["content-type", "text/plain"], ["etag", '"<hex>"']])]),
            [{"where": "GET /x", "what": 'etag: <hex> → "<hex>"'}],
        ),
        (
            result(wire=[entry(headers=[["etag", "<hex>"], ["content-type", "text/plain"]])]),
            [
                {
                    "where": "GET /x",
                    "what": 'header order: ["content-type", "etag"] → ["etag", "content-type"]',
                }
            ],
        ),
        (
            result(wire=[entry(status=404)]),
            [{"where": "GET /x", "what": "status: 200 → 404"}],
        ),
        (
            result(wire=[{**entry(), "count": 2}]),
            [{"where": "GET /x", "what": "count: (absent) → 2"}],
        ),
        (result(size=3), [{"where": "observed", "what": "size: (absent) → 3"}]),
        (
            result("FAIL"),
            [{"where": "status", "what": "PASS → FAIL: m"}],
        ),
    ],
    ids=[
        "new-header",
        "quoted-etag",
        "header-order",
        "status",
        "count",
        "observation",
        "case-status",
    ],
)
def test_a_change_is_explained_at_wire_level(after: dict, lines: list) -> None:
    assert differences(result(), after) == lines


def test_measurements_and_messages_are_never_a_change() -> None:
    other = {**result(), "measurements": {"latency_s": 9.0}, "message": "other"}
    assert classify(result(), other) is None


def test_the_wire_is_a_multiset() -> None:
    one, two = entry("GET /one"), entry("GET /two")
    assert classify(result(wire=[one, two]), result(wire=[two, one])) is None
    assert classify(result(wire=[{**one, "count": 2}]), result(wire=[one, one])) is None


def document(seed: int, records: list[dict]) -> dict:
    return {
        "schema": 2,
        "run_info": {"versions": {"fastapi": "1.0"}, "seed": seed, "target": {"kind": "local"}},
        "summary": {"total": len(records), "PASS": len(records)},
        "results": records,
    }


def test_seeded_cases_of_runs_with_other_seeds_are_not_comparable() -> None:
    seeded = {**result(size=1), "id": "a.b.seeded", "seeded": True}
    moved = {**seeded, "observations": {"size": 2}}
    documents = [document(1, [seeded]), document(2, [moved])]
    found = pair_changes(documents, build_rows(documents), 0, 1)["categories"]
    assert found["not comparable"] == ["a.b.seeded"] and found["changed"] == []
    same_seed = [document(1, [seeded]), document(1, [moved])]
    assert pair_changes(same_seed, build_rows(same_seed), 0, 1)["categories"]["changed"] == [
        "a.b.seeded"
    ]


def test_identical_lines_are_grouped_largest_first() -> None:
    explained = {
        "a": [{"where": "GET /1", "what": "vary: (absent) → Origin"}],
        "b": [
            {"where": "GET /2", "what": "vary: (absent) → Origin"},
            {"where": "x", "what": "other"},
        ],
    }
    assert [(g["what"], g["count"]) for g in grouped_differences(explained)] == [
        ("vary: (absent) → Origin", 2),
        ("other", 1),
    ]


def run(report: Path, *args: str, env: dict[str, str] | None = None) -> Path:
    completed = subprocess.run(
        harness_command("--report-dir", str(report), *args),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )
    assert completed.returncode in (0, 1), completed.stdout[-3000:] + completed.stderr[-3000:]
    return report


def compared(tmp_path: Path, a: Path, b: Path) -> tuple[dict, str]:
    page, data = tmp_path / "compare.html", tmp_path / "diff.json"
    command = [sys.executable, "-m", "harness", "compare", str(a), str(b), "-o", str(page)]
    subprocess.run([*command, "--json", str(data)], cwd=ROOT, check=True, capture_output=True)
    return json.loads(data.read_text()), page.read_text(encoding="utf-8")


@pytest.mark.parametrize("target", ["local", "inprocess"])
def test_the_same_stack_twice_compares_as_no_change(tmp_path: Path, target: str) -> None:
    first = run(tmp_path / "first", "--target", target)
    second = run(tmp_path / "second", "--target", target)
    diff, page = compared(tmp_path, first, second)
    (pair,) = diff["pairs"]
    assert {
        key: pair[key]
        for key in ("improved", "regressed", "changed", "added", "removed", "not_comparable")
    } == {
        key: []
        for key in ("improved", "regressed", "changed", "added", "removed", "not_comparable")
    }
    assert '<b data-count="changed">0</b>' in page
    assert "0 differ between runs" in page


def test_a_header_no_case_asserts_shows_as_a_change(tmp_path: Path) -> None:
    areas = ("--target", "inprocess", "--area", "cookies,headers")
    clean = run(tmp_path / "clean", *areas)
    altered = run(
        tmp_path / "altered",
        *areas,
        env={"FIXTURES_FAULTS": "add-response-header:x-unasserted=yes"},
    )
    assert {r["status"] for r in load_results(altered)["results"]} == {"PASS"}
    diff, _ = compared(tmp_path, clean, altered)
    (pair,) = diff["pairs"]
    assert len(pair["changed"]) == len(load_results(clean)["results"])
    assert pair["summary"][0] == {
        "what": "x-unasserted: (absent) → yes",
        "count": len(pair["changed"]),
    }


def test_a_twelve_run_comparison_stays_small(tmp_path: Path) -> None:
    base = load_results(run(tmp_path / "base", "--target", "inprocess"))
    documents = []
    for number in range(12):
        variant = copy.deepcopy(base)
        variant["run_info"]["versions"]["fastapi"] = f"0.{100 + number}.0"
        for record in variant["results"][number::12]:
            for exchange in record["wire"]:
                exchange.setdefault("headers", []).append(["x-run", str(number)])
        documents.append(variant)
    page = render_compare(documents)
    assert len(page.encode()) < 5 * 1024 * 1024
    assert len(comparison_json(documents)["pairs"]) == 12


def test_an_observed_validator_varies_as_its_header_does() -> None:
    observed = {
        "etag": "bb7b8986bb146d66b283339a4d9167d4",
        "sent": {"If-None-Match": '"bb7b8986bb146d66b283339a4d9167d4"'},
        "header.last-modified": "Tue, 01 Dec 2026 18:33:01 GMT",
        "upload.sha256": "ab" * 32,
        "location": f"{TARGET}/static/",
    }
    assert NORMALIZER.value(observed) == {
        "etag": "<hex>",
        "sent": {"If-None-Match": '"<hex>"'},
        "header.last-modified": "<http-date>",
        "upload.sha256": "ab" * 32,
        "location": "<target>/static/",
    }
