"""The fixture app under hostile input: Schemathesis against its OpenAPI, and malformed HTTP on a real server.

No route that is not meant to fail answers 500 or hangs, memory stays bounded,
and the server keeps serving after every malformed request.
"""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

import httpx
import schemathesis
from hypothesis import HealthCheck, settings

from fixtures_app import Settings, create_app

# routes whose purpose is to fail: each raises on purpose so that a case can watch the failure
MEANT_TO_FAIL = [
    "/background/handler-raises",
    "/background/raising-task",
    "/middleware/boom",
    "/streaming/sse-event-newline",  # an invalid event, refused with 500 before the stream starts
    "/streaming/sse-idle",  # idle for 16 s on purpose, for the heavy tier's keep-alive case
    "/responses/reset-content",  # FastAPI's 205 announces 4 bytes it never sends (a known deviation)
]
# the query parameter that makes a stream fail on purpose
FAIL_ON_PURPOSE = {"/responses/stream": "fail_after"}
MEMORY_GROWTH_LIMIT_MIB = 200

app = create_app(Settings(journal_path=Path(tempfile.mkdtemp()) / "journal.sqlite3"))
schema = schemathesis.openapi.from_asgi("/openapi.json", app).exclude(path=MEANT_TO_FAIL)
resident_at_first_example: list[float] = []


def resident_mib() -> float:
    """This process's resident memory now (not its peak, which earlier tests may have set)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_route_answers_500_to_generated_input(case) -> None:
    if not resident_at_first_example:
        resident_at_first_example.append(resident_mib())
    if case.path in FAIL_ON_PURPOSE and case.query:
        case.query.pop(FAIL_ON_PURPOSE[case.path], None)
    response = case.call(timeout=15)
    assert response.status_code < 500, (
        f"{case.method} {case.path} {case.path_parameters} {case.query}: "
        f"{response.status_code} {response.text[:200]}"
    )


def test_memory_stays_bounded_under_generated_input() -> None:
    """The app kept no unbounded state: resident memory grew little over every generated request."""
    assert resident_at_first_example, "the generated requests did not run before this test"
    grown_mib = resident_mib() - resident_at_first_example[0]
    assert grown_mib < MEMORY_GROWTH_LIMIT_MIB


MALFORMED = [
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
    b"GET /static/hello.txt HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n",
    b"GET /static/hello.txt HTTP/1.1\r\nHost: x\r\nX-A: \x00\x01\r\n\r\n",
    b"POST /uploads/hash HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    b"POST /uploads/hash HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
    b"POST /uploads/hash HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
    b"POST /uploads/hash HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
    b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 200_000 + b"\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,
]


def answer_to(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        try:
            sock.sendall(request)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may close before reading it all
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except OSError:
            pass
        return data


def test_malformed_http_never_gets_a_500_and_the_server_survives(fixture_server) -> None:
    url, process = fixture_server
    port = int(url.rsplit(":", 1)[1])
    for request in MALFORMED:
        answer = answer_to(port, request)
        status_line = answer.split(b"\r\n", 1)[0]
        assert not status_line.startswith(b"HTTP/1.1 5"), (request[:60], status_line)
        assert answer == b"" or status_line.startswith(b"HTTP/1.1 4"), (request[:60], answer[:80])
    assert process.poll() is None
    info = httpx.get(url + "/_harness/info", headers={"X-Harness-Token": "secret"})
    assert info.status_code == 200
