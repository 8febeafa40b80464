"""The reports in a real browser: headless Chromium opens them, filters work, hostile values stay text.

Chromium comes from the system (Debian's `chromium`, installed by .ci/run). The
pages are loaded with filter state in the URL fragment, which is how a person
shares a filtered view, and the DOM after the page's script ran is inspected.
Screenshots are saved next to the pages.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness.report.render import render_compare, render_run
from harness.results import build_document

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE = [
    "<script>document.body.setAttribute('data-pwned', '1')</script>",
    "<img src=x onerror=\"document.body.setAttribute('data-pwned', '2')\">",
    "</script><script>document.body.setAttribute('data-pwned', '3')</script>",
    "\u2028'\"><svg onload=\"document.body.setAttribute('data-pwned','4')\">",
]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="chromium is not installed here (apt-get install chromium); CI installs it and runs this",
)


def record(case_id: str, status: str, hostile: str = "", **observations: object) -> dict:
    return {
        "id": case_id,
        "area": case_id.split(".")[0],
        "description": f"sends {hostile}.",
        "expectation": "expects.",
        "reference": "javascript:document.body.setAttribute('data-pwned','5')",
        "status": status,
        "message": hostile,
        "duration_s": 0.01,
        "observations": {"header.x-evil": hostile, **observations},
        "exchanges": [
            {
                "kind": "http",
                "request": {
                    "method": "GET",
                    "url": "http://h/" + hostile,
                    "headers": [["x-evil", hostile]],
                    "body_bytes": 0,
                    "body_excerpt": "",
                },
                "response": {
                    "status": 200,
                    "http_version": "HTTP/1.1",
                    "headers": [["x-evil", hostile]],
                    "body_bytes": 5,
                    "body_excerpt": hostile,
                },
                "elapsed_s": 0.01,
            }
        ],
        "reproduction": "curl " + hostile,
    }


def hostile_document(fastapi: str, cookie_status: str) -> dict:
    records = [
        record("cookies.set.defaults", cookie_status, HOSTILE[0], value="abc"),
        record("uploads.size.hostile", "PASS", HOSTILE[1]),
        record("websockets.echo.hostile", "ERROR", HOSTILE[2]),
        record("static.file.hostile", "UNSUPPORTED", HOSTILE[3]),
    ]
    run_info = {
        "versions": {"fastapi": fastapi, "starlette": HOSTILE[0], "python": "3.11"},
        "server": HOSTILE[1],
        "features": [],
        "faults": [],
        "target": {"kind": "url", "url": "http://x/" + HOSTILE[2], "capabilities": []},
        "suite_commit": HOSTILE[3],
        "seed": 1,
        "time_start": "2026-01-01T00:00:00+00:00",
        "time_end": None,
    }
    return build_document(run_info, records, 1.0, complete=True)


def open_in_chromium(page: Path, fragment: str, tmp_path: Path) -> str:
    """The page's DOM after its script ran; a screenshot is saved beside the page."""
    url = page.resolve().as_uri() + fragment
    common = [CHROMIUM or "chromium", *FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    shot = page.with_name(
        f"{page.stem}-{re.sub(r'[^a-z0-9]+', '-', fragment.lower()).strip('-') or 'all'}.png"
    )
    subprocess.run(
        [*common, "--window-size=1300,1200", f"--screenshot={shot}", url],
        capture_output=True,
        timeout=90,
        check=True,
    )
    dump = subprocess.run(
        [*common, "--dump-dom", url], capture_output=True, text=True, timeout=90, check=True
    )
    assert shot.exists()
    return dump.stdout


def assert_no_script_ran(dom: str) -> None:
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]
    assert "&lt;script&gt;" in dom


def test_run_report_filters_and_stays_safe(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(render_run(hostile_document("0.100.0", "FAIL")), encoding="utf-8")
    everything = open_in_chromium(page, "", tmp_path)
    assert_no_script_ran(everything)
    assert 'href="javascript:' not in everything
    failures = open_in_chromium(page, "#status=FAIL,ERROR", tmp_path)
    assert_no_script_ran(failures)
    shown = set(re.findall(r'<details class="case" id="([^"]+)"', failures))
    assert shown == {"cookies.set.defaults", "websockets.echo.hostile"}
    uploads = open_in_chromium(page, "#area=uploads&status=PASS,FAIL,ERROR,UNSUPPORTED", tmp_path)
    assert set(re.findall(r'<details class="case" id="([^"]+)"', uploads)) == {
        "uploads.size.hostile"
    }
    assert "1 of 4 cases shown" in uploads


def test_comparison_shows_differences_and_stays_safe(tmp_path: Path) -> None:
    old = hostile_document("0.95.2", "FAIL")
    new = copy.deepcopy(hostile_document("0.165.0", "PASS"))
    new["results"][1]["observations"]["size"] = 2
    page = tmp_path / "compare.html"
    page.write_text(render_compare([old, new]), encoding="utf-8")
    dom = open_in_chromium(page, "#diff=1", tmp_path)
    assert_no_script_ran(dom)
    assert "FastAPI 0.95.2" in dom and "FastAPI 0.165.0" in dom
    tags = re.findall(r'<tr id="cmp-([^"]+)"([^>]*)>', dom)
    assert {case_id for case_id, rest in tags if 'class="hidden"' not in rest} == {
        "cookies.set.defaults",
        "uploads.size.hostile",
    }
    assert "2 of 4 cases shown" in dom
    assert re.search(r'<b data-count="improved">1</b>', dom)
    assert re.search(r'<b data-count="changed">1</b>', dom)
    assert "What changed, grouped" in dom
    assert "size: (absent) → 2" in dom  # the changed observation, explained line by line


def test_a_twelve_run_comparison_renders_and_explains_each_pair(tmp_path: Path) -> None:
    documents = []
    for number in range(12):
        document = copy.deepcopy(hostile_document(f"0.{100 + number}.0", "PASS"))
        document["results"][1]["observations"]["size"] = number
        documents.append(document)
    page = tmp_path / "compare12.html"
    page.write_text(render_compare(documents), encoding="utf-8")
    assert page.stat().st_size < 5 * 1024 * 1024
    dom = open_in_chromium(page, "#diff=1", tmp_path)
    assert_no_script_ran(dom)
    assert "size: 0 → 11" in dom  # first to last, the default pair
    assert dom.count('<th title="FastAPI') == 12


def test_report_of_a_real_run(run_harness, tmp_path: Path) -> None:
    run = run_harness("--target", "inprocess", env={"FIXTURES_FAULTS": "drop-header:x-cat-dog"})
    assert run.returncode == 1, run.output
    page = run.report_dir / "index.html"
    dom = open_in_chromium(page, "#status=FAIL", tmp_path)
    assert set(re.findall(r'<details class="case" id="([^"]+)"', dom)) == {
        "responses.headers.jsonresponse-headers"
    }
    assert "Deliberate faults were active in the app: drop-header:x-cat-dog." in dom
    assert f"1 of {len(run.results()['results'])} cases shown" in dom


def test_comparison_of_two_real_fastapi_versions(tmp_path: Path) -> None:
    """The oldest supported FastAPI against the installed one: a real difference shows in the browser."""
    import importlib.metadata

    newest = importlib.metadata.version("fastapi")
    out = tmp_path / "matrix"
    command = [
        sys.executable,
        "-m",
        "harness",
        "matrix",
        "--versions",
        f"0.95.2,{newest}",
        "--out",
        str(out),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    dom = open_in_chromium(out / "compare.html", "#diff=1", tmp_path)
    assert "FastAPI 0.95.2" in dom and f"FastAPI {newest}" in dom
    row = re.search(
        r'<tr id="cmp-background.order.after-response"[^>]*data-differs="1"[^>]*>(.*?)<tr id="cmp-',
        dom,
        re.S,
    )
    assert row is not None, (
        "the background ordering case should differ between Starlette 0.27 and today"
    )
    assert "XFAIL" in row.group(1) and "PASS" in row.group(1)
