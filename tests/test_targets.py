"""Every target runs every case: each as expected (PASS, a known XFAIL, or UNSUPPORTED with its reason), and the results follow the schema."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from suites.catalog import all_cases

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "harness/schema/results-2.schema.json").read_text()
)
SEED_AREAS = {
    "background",
    "static",
    "uploads",
    "websockets",
    "middleware",
    "cookies",
    "headers",
    "responses",
    "protocol",
}


def check_run(run) -> dict:
    assert run.returncode == 0, run.output
    document = run.results()
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert document["complete"] is True
    statuses = {r["id"]: r["status"] for r in document["results"]}
    assert set(statuses.values()) <= {"PASS", "XFAIL", "UNSUPPORTED", "SKIP"}, statuses
    assert all("tier" in r["message"] for r in document["results"] if r["status"] == "SKIP")
    assert all(r["message"] for r in document["results"] if r["status"] != "PASS")
    assert {r["area"] for r in document["results"]} == SEED_AREAS
    # results.jsonl holds the cases as they ended, results.json in the order collected
    assert sorted(r["id"] for r in run.jsonl()) == sorted(r["id"] for r in document["results"])
    collected = [case.id for case in all_cases() if case.area in SEED_AREAS]
    assert [r["id"] for r in document["results"]] == collected
    junit = ET.parse(run.report_dir / "junit.xml").getroot()
    assert len(junit.findall("testcase")) == len(document["results"])
    return document


@pytest.mark.parametrize("target", ["local", "inprocess"])
def test_seed_cases_pass(run_harness, target: str) -> None:
    document = check_run(run_harness("--target", target))
    assert document["run_info"]["target"]["kind"] == target
    assert document["run_info"]["versions"]["fastapi"]


def test_seed_cases_pass_on_a_url_with_a_token(run_harness, fixture_server) -> None:
    url, _ = fixture_server
    document = check_run(run_harness("--target", url, "--token", "secret"))
    assert document["run_info"]["target"] == {
        "kind": "url",
        "url": url,
        "capabilities": document["run_info"]["target"]["capabilities"],
        "http_version": "1.1",
    }
    assert "secret" not in json.dumps(document)


def test_local_target_over_tls(run_harness) -> None:
    document = check_run(run_harness("--tls"))
    target = document["run_info"]["target"]
    assert target["url"].startswith("https://127.0.0.1:") and "tls" in target["capabilities"]
    websocket_cases = [
        r for r in document["results"] if r["area"] == "websockets" and r["status"] == "PASS"
    ]
    assert len(websocket_cases) > 50
    statuses = {r["id"]: r for r in document["results"]}
    for redirect in (
        "middleware.httpsredirect.http-to-https",
        "middleware.httpsredirect.query-kept",
        "middleware.httpsredirect.websocket",
    ):
        assert statuses[redirect]["status"] == "UNSUPPORTED"
        assert "over https" in statuses[redirect]["message"]
    assert statuses["middleware.httpsredirect.https-served"]["status"] == "PASS"


def test_tls_needs_the_local_target(run_harness) -> None:
    run = run_harness("--tls", "--target", "inprocess")
    assert run.returncode == 2, run.output
    assert "--tls serves the local target over https" in run.output


def test_https_url_with_wss(run_harness, tls_fixture_server) -> None:
    url, ca = tls_fixture_server
    run = run_harness("--target", url, "--ca-bundle", str(ca), "--area", "websockets,cookies")
    assert run.returncode == 0, run.output
    document = run.results()
    assert document["run_info"]["target"]["url"] == url
    assert sum(r["status"] == "PASS" for r in document["results"] if r["area"] == "websockets") > 50


def test_https_url_with_an_untrusted_certificate(run_harness, tls_fixture_server) -> None:
    url, _ = tls_fixture_server
    run = run_harness("--target", url, timeout=60)
    assert run.returncode == 2, run.output
    assert (
        "TLS certificate this machine does not trust: pass --ca-bundle FILE or --insecure"
        in run.output
    )


def test_parallel_workers_write_one_run(run_harness) -> None:
    """`-n 2` (pytest-xdist): each worker serves its own app; the controller writes one run."""
    run = run_harness("--target", "local", "--area", "headers,cookies", "-n", "2", "--seed", "7")
    assert run.returncode == 0, run.output
    document = run.results()
    total = len(all_cases(("headers", "cookies")))
    assert document["summary"]["total"] == total and document["summary"]["PASS"] == total
    assert document["run_info"]["seed"] == 7
    assert sorted(r["id"] for r in run.jsonl()) == sorted(r["id"] for r in document["results"])
    work = sorted(path.name for path in run.report_dir.glob("work-gw*"))
    assert work == ["work-gw0", "work-gw1"]
    assert (run.report_dir / "junit.xml").exists() and (run.report_dir / "index.html").exists()
