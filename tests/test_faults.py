"""Every seed case can fail: each fault of a deliberately broken app is caught by the cases named here.

Runs in-process and on the local server; a caught fault must give FAIL (the
app misbehaved), never ERROR (the harness could not ask).
"""

from __future__ import annotations

import pytest

FAULT_CATCHES = [
    ("hold-response", ["background.order.after-response"]),
    (
        "flip-response-byte",
        ["static.file.text", "static.file.binary", "responses.file.download-filename"],
    ),
    ("flip-request-byte", ["uploads.size.64kib", "uploads.read-all.64kib"]),
    (
        "corrupt-websocket",
        ["websockets.echo.text", "websockets.echo.binary", "websockets.broadcast.clients-3"],
    ),
    ("drop-websocket-messages:2", ["websockets.broadcast.clients-3"]),
    ("drop-header:access-control-allow-origin", ["middleware.cors.preflight.wildcard"]),
    ("drop-header:x-process-time", ["middleware.timing.process-time-json"]),
    ("rewrite-status:500=200", ["middleware.errors.exception-to-json-500"]),
    ("drop-header:set-cookie", ["cookies.set.defaults"]),
    ("replace-request-header:user-agent=proxy/1.0", ["headers.read.user-agent"]),
    ("drop-header:x-cat-dog", ["responses.headers.jsonresponse-headers"]),
    ("rewrite-status:307=302", ["responses.redirect.default-status"]),
    ("drop-header:content-disposition", ["responses.file.download-filename"]),
]


@pytest.mark.parametrize("target", ["inprocess", "local"])
@pytest.mark.parametrize(("fault", "caught_by"), FAULT_CATCHES, ids=[f for f, _ in FAULT_CATCHES])
def test_fault_is_caught(run_harness, target: str, fault: str, caught_by: list[str]) -> None:
    areas = sorted({case_id.split(".")[0] for case_id in caught_by})
    run = run_harness("--target", target, "--area", ",".join(areas), env={"FIXTURES_FAULTS": fault})
    assert run.returncode == 1, run.output
    document = run.results()
    assert document["run_info"]["faults"] == [fault]
    statuses = {r["id"]: r["status"] for r in document["results"]}
    for case_id in caught_by:
        assert statuses[case_id] == "FAIL", (case_id, statuses, run.output)
    failed = [r for r in document["results"] if r["status"] == "FAIL"]
    assert all(r["message"] and r["reproduction"] for r in failed)
