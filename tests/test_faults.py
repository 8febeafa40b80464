"""Every case can fail: each fault of a deliberately broken app is caught by the cases named here,
and together the faults catch every case in the catalogue.

A caught fault must give FAIL (the app misbehaved), never ERROR (the harness
could not ask). The table runs in-process; a few rows also run on the local server.
"""

from __future__ import annotations

import asyncio
import fnmatch
from pathlib import Path

import pytest

from harness.runner import run_case
from harness.targets import TargetOptions
from harness.targets.inprocess import InProcessTarget
from suites.catalog import all_cases

FAULT_CATCHES = [
    (
        "hold-response",
        [
            "background.order.after-response",
            "background.order.tasks-[1-9]*",
            "background.order.dependency-*",
            "background.order.nested-*",
            "background.response-kind.*",
            "background.response.*",
            "background.yield.streaming-response",
        ],
    ),
    (
        "rewrite-status:200=299",
        [
            "background.order.*",
            "background.errors.*-task-raises",
            "background.yield.*",
            "background.load.*",
            "background.response-kind.[!r]*",
        ],
    ),
    ("rewrite-status:500=200", ["background.errors.handler-raises"]),
    ("rewrite-status:418=200", ["background.errors.handler-http-exception"]),
    ("rewrite-status:403=200", ["background.errors.dependency-fails"]),
    (
        "flip-response-byte",
        [
            "static.file.[!e]*",
            "responses.file.*",
            "responses.class.*",
            "responses.status.code-[1-5]??",
            "responses.status.decorator-201",
            "responses.errors.*",
            "responses.stream.intact-*",
            "responses.events.text-event-stream",
            "responses.range.single",
            "responses.range.suffix",
            "responses.range.open-ended",
            "responses.range.whole",
        ],
    ),
    (
        "rewrite-status:204=200",
        ["responses.status.code-204-no-body", "responses.status.decorator-204"],
    ),
    ("rewrite-status:304=200", ["responses.status.code-304-no-body"]),
    ("drop-header:location", ["responses.redirect.*"]),
    ("conditional-304", ["responses.conditional.*"]),
    ("drop-request-header:range", ["responses.range.*"]),
    ("rewrite-status:405=404", ["responses.methods.*"]),
    ("rewrite-status:404=200", ["responses.errors.*"]),
    (
        "flip-request-byte",
        [
            "uploads.size.[!1]*",
            "uploads.size.1[!g]*",
            "uploads.read-all.*",
            "uploads.bytes.[!e]*",
            "uploads.chunked.*",
            "uploads.read-n.*",
            "uploads.seek.*",
            "uploads.many.*",
            "uploads.mixed.*",
            "uploads.content-type.*",
            "uploads.limit.route-under",
            "uploads.concurrent.*",
            "uploads.filename.generated",
        ],
    ),
    (
        "sanitize-filenames",
        [
            "uploads.filename.[!ghlnps]*",
            "uploads.filename.percent",
            "uploads.filename.s[!t]*",
        ],
    ),
    (
        "flip-response-byte",
        [
            "uploads.filename.[!s]*",
            "uploads.filename.star-with-fallback",
            "uploads.bytes.*",
        ],
    ),
    (
        "limit-request-body:1048576",
        ["uploads.size.1mib-plus-1", "uploads.size.1gib", "uploads.chunked.*"],
    ),
    (
        "rewrite-status:400=500",
        [
            "uploads.bad.no-boundary",
            "uploads.bad.garbage",
            "uploads.bad.huge-text-field",
            "uploads.bad.too-many-*",
        ],
    ),
    (
        "rewrite-status:422=500",
        [
            "uploads.bad.missing-*",
            "uploads.bad.json-body",
            "uploads.bad.empty-body",
            "uploads.bad.truncated",
            "uploads.filename.star-only",
        ],
    ),
    ("rewrite-status:413=500", ["uploads.limit.route-over"]),
    (
        "flip-response-byte",
        [
            "static.html.*index*",
            "static.html.custom-404",
            "static.range.[!ehftmu]*",
            "static.range.middle",
            "static.range.end-past-size",
            "static.range.too-many",
            "static.range.unknown-unit",
            "static.range.if-range-*",
            "static.traversal.dot-segment-inside",
        ],
    ),
    ("drop-header:content-length", ["static.file.*"]),
    ("drop-header:etag", ["static.header.etag", "static.conditional.*"]),
    ("drop-header:last-modified", ["static.header.last-modified", "static.conditional.*"]),
    ("drop-header:accept-ranges", ["static.header.accept-ranges"]),
    ("drop-request-header:if-none-match", ["static.conditional.*etag-match*"]),
    ("drop-request-header:if-modified-since", ["static.conditional.since-[ls]*"]),
    ("conditional-304", ["static.conditional.*-other*", "static.conditional.since-[ei]*"]),
    ("drop-request-header:if-range", ["static.range.if-range-[sw]*"]),
    (
        "drop-request-header:range",
        [
            f"static.range.{name}"
            for name in [
                "single",
                "middle",
                "suffix",
                "open-ended",
                "end-past-size",
                "suffix-past-size",
                "last-byte",
                "two",
                "overlapping",
                "fifty",
                "unsatisfiable",
                "head",
                "empty-file",
                "if-range-etag",
                "if-range-date",
            ]
        ],
    ),
    ("rewrite-status:400=500", ["static.range.malformed"]),
    ("rewrite-status:200=299", ["static.head.[tb]*"]),
    ("rewrite-status:307=302", ["static.html.*-no-slash"]),
    ("rewrite-status:405=404", ["static.method.*"]),
    (
        "soft-404",
        [
            "static.head.missing",
            "static.html.custom-404",
            "static.html.folder-without-index",
            "static.missing.*",
            "static.traversal.[!dw]*",
            "static.traversal.dot-dot*",
            "static.traversal.double-encoded",
        ],
    ),
    (
        "serve-outside-static",
        [
            "static.traversal.dot-dot",
            "static.traversal.dot-dot-deep",
            "static.traversal.encoded-[!b]*",
            "static.traversal.absolute",
        ],
    ),
    ("deny-websocket:500", ["static.traversal.websocket"]),
    (
        "corrupt-websocket",
        [
            "websockets.echo.*",
            "websockets.json.*",
            "websockets.broadcast.*",
            "websockets.handshake.subprotocol-*",
            "websockets.handshake.query-parameter",
            "websockets.handshake.*-dependency",
            "websockets.handshake.defaults",
            "websockets.disconnect.clean-close*",
        ],
    ),
    (
        "drop-websocket-messages:2",
        ["websockets.broadcast.clients-3", "websockets.broadcast.sender-order"],
    ),
    (
        "reorder-websocket-messages",
        ["websockets.broadcast.sender-order", "websockets.json.send-json"],
    ),
    ("deaf-websocket", ["websockets.broadcast.sender-order"]),
    (
        "websocket-codes:4999",
        [
            "websockets.close.server-*",
            "websockets.close.client-*",
            "websockets.close.websocket-exception-after-accept",
        ],
    ),
    (
        "swallow-websocket-errors",
        [
            "websockets.errors.*",
            "websockets.close.exception-after-accept",
            "websockets.handshake.exception-before-accept",
        ],
    ),
    (
        "deny-websocket:451",
        [
            "websockets.handshake.close-before-accept",
            "websockets.handshake.websocket-exception",
            "websockets.handshake.no-such-route",
            "websockets.handshake.http-only-route",
        ],
    ),
    ("rewrite-status:401=403", ["websockets.handshake.denial-response"]),
    ("rewrite-status:403=451", ["websockets.handshake.http-exception"]),
    ("close-websockets-after-accept", ["websockets.keepalive.idle-1s"]),
    (
        "drop-header:access-control-allow-origin",
        [
            "middleware.cors.preflight.wildcard",
            "middleware.cors.wildcard.simple-request",
            "middleware.cors.wildcard.preflight-not-a-route",
            "middleware.cors.strict.simple-allowed-origin",
            "middleware.cors.strict.preflight-allowed",
            "middleware.cors.preflight.header-case-insensitive",
        ],
    ),
    ("drop-header:access-control-allow-headers", ["middleware.cors.wildcard.preflight-any-header"]),
    (
        "add-response-header:access-control-allow-origin=*",
        ["middleware.cors.wildcard.no-origin", "middleware.cors.strict.simple-other-origin"],
    ),
    (
        "rewrite-status:400=200",
        [
            "middleware.cors.preflight.disallowed-*",
            "middleware.trustedhost.other",
            "middleware.trustedhost.wildcard-bare-domain",
        ],
    ),
    ("drop-header:x-process-time", ["middleware.timing.*"]),
    (
        "rewrite-status:200=299",
        ["middleware.logging.status-200", "middleware.order.*", "middleware.gzip.*"],
    ),
    ("rewrite-status:307=302", ["middleware.logging.status-307", "middleware.httpsredirect.*"]),
    ("rewrite-status:404=200", ["middleware.logging.status-404"]),
    ("rewrite-status:422=400", ["middleware.logging.status-422"]),
    ("rewrite-status:500=200", ["middleware.logging.status-500"]),
    ("rewrite-status:418=200", ["middleware.errors.http-exception-untouched"]),
    ("drop-header:x-middleware-trail", ["middleware.order.response-trail"]),
    (
        "drop-request-header:accept-encoding",
        ["middleware.gzip.large-*", "middleware.gzip.at-minimum-size", "middleware.gzip.streaming"],
    ),
    (
        "set-request-header:host=evil.example",
        [
            "middleware.trustedhost.allowed",
            "middleware.trustedhost.with-port",
            "middleware.trustedhost.wildcard-subdomain",
        ],
    ),
    (
        "set-request-header:host=allowed.example",
        ["middleware.trustedhost.other", "middleware.trustedhost.wildcard-bare-domain"],
    ),
    ("drop-header:location", ["middleware.httpsredirect.*"]),
    ("rewrite-status:500=200", ["middleware.errors.exception-to-json-500"]),
    (
        "drop-header:set-cookie",
        [
            "cookies.set.*",
            "cookies.roundtrip.*",
            "cookies.generated.*",
            "cookies.several.*",
            "cookies.delete.*",
        ],
    ),
    (
        "strip-cookie-attribute:samesite",
        [
            "cookies.set.defaults",
            "cookies.set.max-age-*",
            "cookies.set.path-*",
            "cookies.set.domain*",
            "cookies.set.secure*",
            "cookies.set.httponly*",
            "cookies.set.samesite-lax",
            "cookies.set.samesite-strict",
            "cookies.set.samesite-none",
            "cookies.set.all-attributes",
            "cookies.set.expires-*",
            "cookies.delete.*",
        ],
    ),
    ("strip-cookie-attribute:path", ["cookies.set.samesite-omitted"]),
    ("strip-cookie-attribute:expires", ["cookies.set.expires-*", "cookies.delete.*"]),
    ("merge-set-cookie", ["cookies.several.*"]),
    (
        "strip-cookie-quotes",
        [
            "cookies.roundtrip.double-quote",
            "cookies.roundtrip.semicolon",
            "cookies.roundtrip.comma",
            "cookies.roundtrip.backslash",
            "cookies.roundtrip.latin-1",
            "cookies.roundtrip.json",
            "cookies.delete.*",
        ],
    ),
    (
        "set-request-header:cookie=session=x; theme=dark; odd.name-v1=no; a=9",
        ["cookies.read.*", "cookies.roundtrip.plain", "cookies.roundtrip.equals"],
    ),
    (
        "set-request-header:user-agent=proxy/1.0",
        ["headers.read.user-agent*", "headers.read.missing-optional"],
    ),
    (
        "drop-request-header:x-custom-value",
        ["headers.read.converted-name*", "headers.read.value-*", "headers.generated.*"],
    ),
    (
        "rename-request-header:x_custom_value=x-custom-value",
        ["headers.read.underscore-header-not-converted"],
    ),
    (
        "rename-request-header:strange_header=strange-header",
        ["headers.read.convert-underscores-false"],
    ),
    (
        "rename-request-header:strange-header=strange_header",
        ["headers.read.convert-underscores-false-hyphen"],
    ),
    ("merge-request-headers:x-token", ["headers.read.repeated-*"]),
    ("drop-request-header:x-token", ["headers.read.repeated-*", "headers.read.single-as-list"]),
    ("set-request-header:x-token=injected", ["headers.read.missing-list"]),
    ("set-request-header:x-mode=injected", ["headers.read.default-value"]),
    ("drop-request-header:x-mode", ["headers.read.default-overridden"]),
    ("drop-request-header:x-required", ["headers.read.required-present"]),
    ("set-request-header:x-required=injected", ["headers.read.required-missing"]),
    ("duplicate-response-headers", ["headers.response.*"]),
    ("drop-header:x-cat-dog", ["responses.headers.jsonresponse-headers"]),
    ("rewrite-status:307=302", ["responses.redirect.default-status"]),
    ("drop-header:content-disposition", ["responses.file.download-filename"]),
]
ON_LOCAL_SERVER = [
    "hold-response",
    "drop-websocket-messages:2",
    "merge-set-cookie",
    "corrupt-websocket",
    "close-websockets-after-accept",
]
NEEDS_LOCAL = {
    "corrupt-websocket": ["websockets.disconnect.tcp-drop-*"],
    "close-websockets-after-accept": [
        "websockets.keepalive.ping-pong",
        "websockets.close.message-too-big",
    ],
    "hold-response": [
        "background.middleware.*",
        "responses.stream.incremental",
        "responses.events.incremental",
        "responses.stream.generator-fails",
    ],
}


TESTED_TIERS = ("default", "heavy")


def selected(patterns: list[str]) -> list[str]:
    """The ids of the tested tiers' cases matching any of `patterns` (each must match some case)."""
    ids = [case.id for case in all_cases() if case.tier in TESTED_TIERS]
    chosen = [case_id for case_id in ids if any(fnmatch.fnmatchcase(case_id, p) for p in patterns)]
    assert all(any(fnmatch.fnmatchcase(i, p) for i in ids) for p in patterns), (
        f"a pattern of {patterns} matches no case"
    )
    return chosen


def in_process(case_ids: list[str]) -> list[str]:
    """The ids among `case_ids` whose cases the in-process target can run."""
    return [
        case.id
        for case in all_cases()
        if case.id in case_ids and case.needs <= InProcessTarget.capabilities
    ]


async def statuses_with(fault: str, case_ids: list[str], work: Path) -> dict[str, str]:
    cases = [case for case in all_cases() if case.id in case_ids]
    target = InProcessTarget(TargetOptions(work_dir=str(work)))
    info = await target.start()
    try:
        assert info["faults"] == [fault]
        return {
            case.id: (await run_case(case, target, info["features"], 1.0, 0, TESTED_TIERS))[
                "status"
            ]
            for case in cases
        }
    finally:
        await target.stop()


@pytest.mark.parametrize(("fault", "caught_by"), FAULT_CATCHES, ids=[f for f, _ in FAULT_CATCHES])
def test_fault_is_caught_in_process(
    fault: str, caught_by: list[str], tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("FIXTURES_FAULTS", fault)
    case_ids = in_process(selected(caught_by))
    statuses = asyncio.run(statuses_with(fault, case_ids, tmp_path))
    assert statuses == {case_id: "FAIL" for case_id in case_ids}


@pytest.mark.parametrize("fault", ON_LOCAL_SERVER)
def test_fault_is_caught_on_the_local_server(run_harness, fault: str, tmp_path: Path) -> None:
    case_ids = selected(dict(FAULT_CATCHES)[fault] + NEEDS_LOCAL.get(fault, []))
    areas = sorted({case_id.split(".")[0] for case_id in case_ids})
    no_expectations = tmp_path / "none.toml"
    no_expectations.write_text("")
    run = run_harness(
        "--tier",
        ",".join(TESTED_TIERS),
        "--area",
        ",".join(areas),
        "--expectations",
        str(no_expectations),
        env={"FIXTURES_FAULTS": fault},
    )
    assert run.returncode == 1, run.output
    document = run.results()
    assert document["run_info"]["faults"] == [fault]
    statuses = {r["id"]: r["status"] for r in document["results"]}
    assert {case_id: statuses[case_id] for case_id in case_ids} == {
        case_id: "FAIL" for case_id in case_ids
    }
    assert all(
        r["message"] and r["reproduction"] for r in document["results"] if r["status"] == "FAIL"
    )


def test_every_case_is_caught_by_some_fault() -> None:
    """Scale-tier cases are larger rows of checks proved here on smaller rows (5000 clients vs 1000)."""
    caught = {case.id for case in all_cases() if case.tier not in TESTED_TIERS}
    caught |= {
        case_id for _, patterns in FAULT_CATCHES for case_id in in_process(selected(patterns))
    }
    caught |= {
        case_id for fault in ON_LOCAL_SERVER for case_id in selected(NEEDS_LOCAL.get(fault, []))
    }
    assert sorted({case.id for case in all_cases()} - caught) == []
