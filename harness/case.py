"""Cases and the context a check runs in.

A `Case` is one row: a stable dotted id (`area.feature.condition`), a sentence
saying what is sent, a sentence saying what documented behavior requires, the
document it comes from, the capabilities and app feature it needs, the
deliberate faults (`fixtures_app.faults`) that make it fail (and, for a case
a release is known to fail, those under which it passes), and an async
`check(ctx, **params)`. The `Context` is all a check may touch: it sends
through the target, records every exchange, and collects observations.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
import pytest

from harness.errors import CaseFailed, HarnessError, WebSocketClosed, WebSocketRejected
from harness.lint import lint_response
from harness.normalize import Normalizer
from harness.rawhttp import RawResponse
from harness.recording import http_exchange, note_frame, raw_exchange, websocket_exchange
from harness.targets.base import TIMING, Target, WebSocketSession
from harness.transport import from_httpx
from harness.wire import body_of, frame, http_entry, request_line, websocket_entry

SCOPE_HEADER = "X-Harness-Scope"
CASE_ID = re.compile(r"^[a-z][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*){2,}$")


class Check(Protocol):
    def __call__(self, ctx: Context, /, **params: Any) -> Awaitable[None]: ...


@dataclass(frozen=True)
class Case:
    """One conformance case: a row of data with the check that runs it."""

    id: str
    description: str
    expectation: str
    check: Check
    reference: str
    params: Mapping[str, Any] = field(default_factory=dict)
    needs: frozenset[str] = frozenset()
    feature: str | None = None
    timeout_s: float = 30.0
    tier: str = "default"
    caught_by: tuple[str, ...] = ()
    passes_with: tuple[str, ...] = ()
    alone: bool = False
    group: str | None = None

    def __post_init__(self) -> None:
        if not CASE_ID.match(self.id):
            raise ValueError(
                f"case id {self.id!r} is not dotted lower-case 'area.feature.condition'"
            )
        try:
            inspect.signature(self.check).bind(None, **self.params)
        except TypeError as exc:
            name = getattr(self.check, "__name__", repr(self.check))
            raise ValueError(
                f"case {self.id!r}: its parameters {sorted(self.params)} do not fit "
                f"{name}{inspect.signature(self.check)}: {exc}"
            ) from exc

    @property
    def area(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def runs_alone(self) -> bool:
        """No other case runs beside it: a heavy or load case, or one that measures time."""
        return self.alone or self.tier != "default" or TIMING in self.needs

    def summary(self) -> dict[str, Any]:
        """What `python -m harness list --json` shows of the case."""
        return {
            "id": self.id,
            "area": self.area,
            "description": self.description,
            "expectation": self.expectation,
            "reference": self.reference,
            "tier": self.tier,
            "needs": sorted(self.needs),
            "feature": self.feature,
            "caught_by": list(self.caught_by),
        }


def row(
    id: str,
    description: str,
    expectation: str,
    check: Check,
    reference: str,
    *,
    needs: frozenset[str] = frozenset(),
    feature: str | None = None,
    timeout_s: float = 30.0,
    tier: str = "default",
    caught_by: tuple[str, ...] = (),
    passes_with: tuple[str, ...] = (),
    alone: bool = False,
    group: str | None = None,
    **params: Any,
) -> Case:
    """A case written as one row: the check's parameters as keyword arguments."""
    return Case(
        id=id,
        description=description,
        expectation=expectation,
        check=check,
        reference=reference,
        params=params,
        needs=needs,
        feature=feature,
        timeout_s=timeout_s,
        tier=tier,
        caught_by=caught_by,
        passes_with=passes_with,
        alone=alone,
        group=group,
    )


def parametrize_cases(cases: list[Case]) -> pytest.MarkDecorator:
    """`@parametrize_cases(CASES)`: one pytest test per case, its id the case id."""
    return pytest.mark.parametrize("case", cases, ids=[case.id for case in cases])


def summarize_bytes(data: bytes) -> str:
    return f"<{len(data)} bytes sha256:{hashlib.sha256(data).hexdigest()[:16]}>"


class Context:
    """What a check works with; everything it sends and sees is recorded."""

    def __init__(self, case: Case, target: Target, timeout_scale: float, seed: int = 0) -> None:
        self.case = case
        self.target = target
        self.timeout_scale = timeout_scale
        self._seed = seed
        self.seeded = False
        self.scope = uuid.uuid4().hex
        self.normalizer = Normalizer.for_case(target.base_url, self.scope)
        self.observations: dict[str, Any] = {}
        self.measurements: dict[str, Any] = {}
        self.exchanges: list[dict[str, Any]] = []
        self.wire: list[dict[str, Any]] = []
        self.lint: list[dict[str, str]] = []

    @property
    def seed(self) -> int:
        """The run's seed for generated inputs; a case that reads it depends on it (`seeded`)."""
        self.seeded = True
        return self._seed

    def timeout(self, seconds: float) -> float:
        return seconds * self.timeout_scale

    def observe(self, name: str, value: Any) -> Any:
        """Record a fact the case looked at; returns it. Bytes are recorded by size and hash.

        Observations are compared across runs: only deterministic facts belong here.
        """
        self.observations[name] = summarize_bytes(value) if isinstance(value, bytes) else value
        return value

    def measure(self, name: str, value: float | int) -> float | int:
        """Record a timing, latency or rate; returns it. Shown, benchmarked, never a change."""
        self.measurements[name] = value
        return value

    def expect(self, condition: bool, message: str) -> None:
        if not condition:
            raise CaseFailed(message)

    def expect_equal(self, name: str, observed: Any, expected: Any) -> None:
        """Record `observed` under `name`, and fail unless it equals `expected`."""
        self.observe(name, observed)
        if observed != expected:
            raise CaseFailed(f"{name}: expected {expected!r}, observed {observed!r}")

    def json(self, response: httpx.Response) -> Any:
        """The response body as JSON; a body that is not JSON fails the case."""
        try:
            return self.observe("body", response.json())
        except ValueError as exc:
            raise CaseFailed(f"the body is not JSON: {response.content[:80]!r}") from exc

    def _with_scope(self, extra: Any) -> httpx.Headers:
        """The request headers: this case's scope, then `extra` (a dict or pairs, repeats kept)."""
        pairs = list(extra.items()) if isinstance(extra, dict) else list(extra)
        return httpx.Headers([(SCOPE_HEADER, self.scope), *pairs])

    def _record(self, response: httpx.Response, elapsed_s: float) -> None:
        """Keep the exchange, its wire entry and the response's lint notes."""
        self.exchanges.append(http_exchange(response, elapsed_s))
        request = request_line(self.normalizer, response.request.method, str(response.request.url))
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw]
        entry = http_entry(
            self.normalizer,
            request,
            response.status_code,
            response.http_version,
            headers,
            response.content,
        )
        self.wire.append(entry)
        self.lint += [note for note in lint_response(response) if note not in self.lint]

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = self._with_scope(kwargs.pop("headers", {}))
        started = time.perf_counter()
        response = await self.target.request(method, path, headers=headers, **kwargs)
        self._record(response, time.perf_counter() - started)
        return response

    async def raw(
        self, method: str, target: bytes, headers: list[tuple[str, str]] | None = None
    ) -> RawResponse:
        """A request whose target is sent byte for byte; its exchange is recorded."""
        all_headers = [(SCOPE_HEADER, self.scope), *(headers or [])]
        started = time.perf_counter()
        response = await self.target.raw_request(method, target, all_headers)
        url = self.target.base_url + target.decode("latin-1")
        elapsed = time.perf_counter() - started
        self.exchanges.append(raw_exchange(url, method, all_headers, response, elapsed))
        request = request_line(self.normalizer, method, url)
        self.wire.append(
            http_entry(
                self.normalizer, request, response.status, "1.1", response.headers, response.body
            )
        )
        return response

    async def stream(self, method: str, path: str, **kwargs: Any) -> Streamed:
        """A response read chunk by chunk as it arrives, with each chunk's arrival time.

        A body that breaks off after the response started is an observation
        (`error`), not a harness error: the app ended the stream badly.
        """
        headers = self._with_scope(kwargs.pop("headers", {}))
        started = time.perf_counter()
        result = Streamed(status=0, headers=httpx.Headers())
        try:
            async with self.target.client.stream(
                method, path, headers=headers, **kwargs
            ) as response:
                result.status, result.headers = response.status_code, response.headers
                try:
                    async for chunk in response.aiter_raw():
                        result.chunks.append((time.perf_counter() - started, chunk))
                except httpx.HTTPError as exc:
                    result.error = f"{type(exc).__name__}: {exc}"
                response._content = result.body  # the exchange records what arrived
                self._record(response, time.perf_counter() - started)
        except httpx.HTTPError as exc:
            if result.status == 0:
                timeout = self.target.read_timeout(kwargs.get("timeout"))
                raise from_httpx(exc, f"{method} {path}", timeout) from exc
        return result

    async def websocket(
        self,
        path: str,
        headers: dict[str, str] | None = None,
        subprotocols: list[str] | None = None,
    ) -> RecordedWebSocket:
        all_headers = {SCOPE_HEADER: self.scope, **(headers or {})}
        exchange = websocket_exchange(self.target.base_url + path, all_headers)
        self.exchanges.append(exchange)
        entry = websocket_entry(self.normalizer, path, subprotocols or [])
        self.wire.append(entry)
        try:
            session = await self.target.websocket(path, all_headers, subprotocols or [])
        except WebSocketRejected as refused:
            body = body_of(self.normalizer, refused.body, None)
            entry["refused"] = {"status": refused.status, "body": body}
            raise
        entry["accepted"] = {"subprotocol": session.subprotocol}
        return RecordedWebSocket(session, exchange, entry, self.normalizer, self.timeout(5.0))

    async def journal(
        self, until: Callable[[list[dict[str, Any]]], bool], timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        """Poll this case's server-side journal until `until(events)` holds; fail when it never does."""
        deadline = time.monotonic() + self.timeout(timeout)
        delay = 0.005
        while True:
            response = await self.target.request(
                "GET", f"/_harness/journal/{self.scope}", headers=self.target.harness_headers()
            )
            if response.status_code != 200:
                raise HarnessError(
                    f"the journal answered {response.status_code}: {response.text[:200]}"
                )
            answer = response.json()
            if answer.get("lost"):
                raise HarnessError(
                    f"the fixture app lost {answer['lost']} journal events of this case (SQLite "
                    "write errors), so what it saw is incomplete: see the server's log"
                )
            events: list[dict[str, Any]] = answer["events"]
            if until(events) or time.monotonic() > deadline:
                break
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.1)
        # a snapshot taken while the app may still be writing: shown, never compared (the facts a
        # case relies on it asserts and observes itself)
        self.measurements["journal"] = [event["event"] for event in events]
        self.expect(
            until(events),
            f"the journal did not reach the expected state within {self.timeout(timeout):g} s",
        )
        return events


@dataclass
class Streamed:
    """What a streamed response delivered: status, headers, timed chunks, and how it ended."""

    status: int
    headers: httpx.Headers
    chunks: list[tuple[float, bytes]] = field(default_factory=list)
    error: str | None = None

    @property
    def body(self) -> bytes:
        return b"".join(chunk for _, chunk in self.chunks)


class RecordedWebSocket:
    """A WebSocket session whose frames are noted in the case's exchange."""

    def __init__(
        self,
        session: WebSocketSession,
        exchange: dict[str, Any],
        entry: dict[str, Any],
        normalizer: Normalizer,
        default_timeout: float,
    ) -> None:
        self.session = session
        self.exchange = exchange
        self.entry = entry
        self.normalizer = normalizer
        self.default_timeout = default_timeout

    @property
    def subprotocol(self) -> str | None:
        return self.session.subprotocol

    def _note(self, direction: str, message: str | bytes) -> None:
        note_frame(self.exchange, direction, message)
        self.entry["frames"].append(frame(self.normalizer, direction, message))

    def _closed(self, closed: WebSocketClosed) -> WebSocketClosed:
        self.entry.setdefault(
            "close",
            {"by": "server", "code": closed.code, "reason": closed.reason, "frame": closed.frame},
        )
        return closed

    async def send(self, message: str | bytes) -> None:
        self._note("sent", message)
        try:
            await self.session.send(message)
        except WebSocketClosed as closed:
            raise self._closed(closed) from None

    async def receive(self, timeout: float | None = None) -> str | bytes:
        try:
            message = await self.session.receive(timeout or self.default_timeout)
        except WebSocketClosed as closed:
            raise self._closed(closed) from None
        self._note("received", message)
        return message

    async def close(self, code: int = 1000, reason: str = "") -> None:
        self.entry.setdefault("close", {"by": "client", "code": code, "reason": reason})
        await self.session.close(code, reason)

    async def ping(self, timeout: float | None = None) -> float:
        return await self.session.ping(timeout or self.default_timeout)

    def abort(self) -> None:
        self.entry.setdefault("close", {"by": "client", "dropped": True})
        self.session.abort()

    async def __aenter__(self) -> RecordedWebSocket:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
