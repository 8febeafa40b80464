"""junit.xml for CI systems, rendered from results documents: one testcase per case id, and for
many runs (the jobs of a CI matrix) one testsuite per run, named by what differs between them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from harness.status import ERROR, FAIL, SKIP, UNSUPPORTED, XFAIL, XPASS


def render_junit(document: dict[str, Any]) -> bytes:
    xml: bytes = ET.tostring(
        _suite(document, "fastapi-conformance"), encoding="utf-8", xml_declaration=True
    )
    return xml


def render_merged_junit(documents: list[dict[str, Any]], labels: list[str]) -> bytes:
    """One file for many runs: a testsuite per run, named by its label."""
    suites = ET.Element("testsuites", name="fastapi-conformance")
    for document, label in zip(documents, labels, strict=True):
        suites.append(_suite(document, f"fastapi-conformance {label}"))
    xml: bytes = ET.tostring(suites, encoding="utf-8", xml_declaration=True)
    return xml


def _suite(document: dict[str, Any], name: str) -> ET.Element:
    results = document["results"]
    summary = document["summary"]
    suite = ET.Element(
        "testsuite",
        name=name,
        tests=str(len(results)),
        failures=str(summary[FAIL] + summary[XPASS]),
        errors=str(summary[ERROR]),
        skipped=str(summary[UNSUPPORTED] + summary[SKIP] + summary[XFAIL]),
        time=str(document["duration_s"]),
    )
    for record in results:
        suite.append(_testcase(record))
    return suite


def _testcase(record: dict[str, Any]) -> ET.Element:
    case = ET.Element(
        "testcase", classname=record["area"], name=record["id"], time=str(record["duration_s"])
    )
    status, message = record["status"], record["message"]
    if status in (FAIL, XPASS):
        failure = ET.SubElement(case, "failure", message=message or status)
        failure.text = record.get("reproduction", "")
    elif status == ERROR:
        error = ET.SubElement(case, "error", message=message)
        error.text = record.get("traceback", "")
    elif status in (UNSUPPORTED, SKIP, XFAIL):
        ET.SubElement(case, "skipped", message=f"{status}: {message}")
    return case


def write_junit(document: dict[str, Any], path: Path) -> None:
    path.write_bytes(render_junit(document))
