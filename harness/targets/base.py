"""The `Target` interface: how cases reach a fixture app, whatever carries the bytes.

A target opens an HTTP client and WebSocket sessions, declares what it can
do (capabilities), and translates its transport's exceptions into the
harness's error family where they enter. Cases never know which target
they run on.
"""

from __future__ import annotations

import asyncio
import json
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx

from harness.capabilities import (
    CAPABILITIES,
    HTTP1,
    HTTP2,
    LIFESPAN,
    RAW_HTTP,
    REAL_SOCKET,
    STREAMING,
    TIMING,
    TLS,
    WEBSOCKET,
    WEBSOCKET_DENIAL,
)
from harness.errors import HarnessError, TargetUnavailable
from harness.rawhttp import RawResponse
from harness.transport import H2_ERRORS, from_h2, from_httpx

# the capability names are re-exported: cases import them from here
__all__ = [
    "CAPABILITIES",
    "HTTP1",
    "HTTP2",
    "LIFESPAN",
    "RAW_HTTP",
    "REAL_SOCKET",
    "STREAMING",
    "TIMING",
    "TLS",
    "WEBSOCKET",
    "WEBSOCKET_DENIAL",
    "Target",
    "TargetOptions",
    "WebSocketSession",
    "no_cookie_jar",
]

APP_NAME = "fastapi-conformance-fixtures"
DNS_FAILURES = (
    "Name or service not known",
    "nodename nor servname",
    "No address associated",
    "Temporary failure in name resolution",
)
TLS_ON_PLAIN_PORT = (
    "WRONG_VERSION_NUMBER",
    "record layer failure",
    "packet length too long",
    "UNKNOWN_PROTOCOL",
)
TOKEN_HEADER = "X-Harness-Token"
INFO_PATH = "/_harness/info"


@dataclass(frozen=True)
class TargetOptions:
    """What the user chose about how to reach the target."""

    token: str | None = None
    timeout_scale: float = 1.0
    extra_headers: dict[str, str] = field(default_factory=dict)
    verify: bool | str = True
    work_dir: str | None = None

    def timeout(self, seconds: float) -> float:
        return seconds * self.timeout_scale


class WebSocketSession(ABC):
    """One open WebSocket, the same on every target."""

    subprotocol: str | None = None

    @abstractmethod
    async def send(self, message: str | bytes) -> None: ...

    @abstractmethod
    async def receive(self, timeout: float) -> str | bytes:
        """The next message; raises WebSocketClosed, or NoAnswer when none comes in time."""

    @abstractmethod
    async def close(self, code: int = 1000, reason: str = "") -> None: ...

    async def ping(self, timeout: float) -> float:
        """Round-trip time of a ping answered by a pong (real sockets only)."""
        raise HarnessError("this target has no WebSocket ping")

    def abort(self) -> None:
        """Drop the TCP connection without a close frame (real sockets only)."""
        raise HarnessError("this target cannot drop a WebSocket's connection")


def no_cookie_jar() -> CookieJar:
    """A cookie jar that keeps nothing: cases see every Set-Cookie raw and send cookies explicitly."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


class Target(ABC):
    """A fixture app reachable over HTTP and WebSocket."""

    kind: str
    capabilities: frozenset[str]

    def __init__(self, options: TargetOptions) -> None:
        self.options = options
        self._client: httpx.AsyncClient | None = None
        self._case_client: ContextVar[httpx.AsyncClient | None] = ContextVar(
            f"case_client_{id(self)}", default=None
        )
        self.http_version: str | None = None  # as negotiated for the info request: "1.1" or "2"

    @property
    @abstractmethod
    def base_url(self) -> str:
        """The URL the app's root is reached at (used in reproductions too)."""

    @abstractmethod
    async def _open(self) -> httpx.AsyncClient:
        """Make the app reachable and return an HTTP client for it."""

    @abstractmethod
    async def _close(self) -> None:
        """Release whatever `_open` acquired."""

    @abstractmethod
    async def websocket(
        self, path: str, headers: dict[str, str], subprotocols: list[str]
    ) -> WebSocketSession: ...

    async def raw_request(
        self, method: str, target: bytes, headers: list[tuple[str, str]]
    ) -> RawResponse:
        """A request whose target is sent exactly as given (see `harness.rawhttp`)."""
        raise HarnessError(f"target {self.kind!r} cannot send raw HTTP requests")

    @property
    def client(self) -> httpx.AsyncClient:
        own = self._case_client.get()
        if own is not None:
            return own
        if self._client is None:
            raise HarnessError(f"target {self.kind!r} is not started")
        return self._client

    async def start(self) -> dict[str, Any]:
        """Open the target and return the app's `/_harness/info`; raises TargetUnavailable."""
        self._client = await self._open()
        return await self.fetch_info()

    def case_client(self) -> httpx.AsyncClient | None:
        """A client with connections of its own for one case, or None where there are none."""
        return None

    @asynccontextmanager
    async def own_connections(self) -> AsyncIterator[None]:
        """Within this block (one case's task) the target's client has connections of its own,
        closed when the block ends: what a case leaves on a connection (a body the server never
        read, a connection it neither closes nor serves) cannot reach another case. Cases
        running side by side each see their own, since the client is held in a context variable."""
        client = self.case_client()
        if client is None:
            yield
            return
        token = self._case_client.set(client)
        try:
            yield
        finally:
            self._case_client.reset(token)
            await client.aclose()

    async def stop(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        await self._close()

    def harness_headers(self) -> dict[str, str]:
        return {TOKEN_HEADER: self.options.token} if self.options.token else {}

    def read_timeout(self, given: Any = None) -> float:
        """The seconds a request waits for its answer: `given` (a number) or the client's own."""
        if isinstance(given, int | float):
            return float(given)
        return float(self.client.timeout.read or 0)

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One HTTP exchange; transport failures become the harness's errors (harness.transport)."""
        try:
            return await self.client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            timeout = self.read_timeout(kwargs.get("timeout"))
            raise from_httpx(exc, f"{method} {url}", timeout) from exc
        except (
            H2_ERRORS
        ) as exc:  # httpx lets some through unmapped (a body read as the stream ends)
            raise from_h2(exc, f"{method} {url}") from exc

    async def fetch_info(self) -> dict[str, Any]:
        timeout = self.options.timeout(10.0)
        try:
            response = await self.client.get(
                INFO_PATH, headers=self.harness_headers(), timeout=timeout
            )
        except httpx.HTTPError as exc:
            silent = isinstance(exc, httpx.TimeoutException)
            raise TargetUnavailable(self._unreachable(exc, timeout), silent=silent) from exc
        self.http_version = response.http_version.removeprefix("HTTP/")
        return self._check_info(response)

    async def lost(self, bound_s: float) -> str | None:
        """None while the target answers its info endpoint; else why not.

        A target that refuses or drops the connection is lost at once; one that
        stays silent (overloaded by a heavy case, say) is asked again until
        `bound_s` seconds have passed.
        """
        deadline = time.monotonic() + bound_s
        while True:
            try:
                await self.fetch_info()
                return None
            except TargetUnavailable as exc:
                if not exc.silent or time.monotonic() >= deadline:
                    return f"{exc} (asked for {bound_s:g} s)" if exc.silent else str(exc)
                await asyncio.sleep(1.0)

    def _unreachable(self, exc: httpx.HTTPError, timeout: float) -> str:
        where = f"target {self.base_url!r}"
        if isinstance(exc, httpx.TimeoutException):
            return f"{where} did not answer {INFO_PATH} within {timeout:g} s: is the fixture app up there?"
        detail = f"{exc!r} {exc.__context__!r}"
        if "CERTIFICATE_VERIFY_FAILED" in detail:
            return f"{where} has a TLS certificate this machine does not trust: pass --ca-bundle FILE or --insecure"
        if any(marker in detail for marker in DNS_FAILURES):
            return f"{where}: its host name does not resolve ({exc}): check the URL's spelling and this machine's DNS"
        if any(marker in detail for marker in TLS_ON_PLAIN_PORT):
            return f"{where} did not speak TLS on that port: if it serves plain http, use an http:// URL"
        if "Server disconnected without sending a response" in detail:
            return (
                f"{where} closed the connection without an HTTP answer: if it serves https, "
                "use an https:// URL; else check that the fixture app is what listens there"
            )
        if isinstance(exc, httpx.RemoteProtocolError):
            return f"{where} answered with something that is not valid HTTP ({exc}): is the fixture app what listens there?"
        return (
            f"{where} could not be reached ({type(exc).__name__}: {exc or 'no detail'}): "
            "is the fixture app running there? Start it with 'python -m fixtures_app --port 8000'"
        )

    def _check_info(self, response: httpx.Response) -> dict[str, Any]:
        where = f"target {self.base_url!r}"
        if response.status_code == 401:
            raise TargetUnavailable(
                f"{where} refused the harness token on {INFO_PATH} (401): pass the deployment's token with --token"
            )
        if response.status_code != 200:
            raise TargetUnavailable(
                f"{where} answered {response.status_code} on {INFO_PATH}: is the fixture app deployed there, with its path prefix in the URL?"
            )
        try:
            info = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            info = None
        if not isinstance(info, dict) or info.get("app") != APP_NAME:
            raise TargetUnavailable(
                f'{where} answered {INFO_PATH} but is not the fixture app (no "app": "{APP_NAME}"): point --target at a fixture app'
            )
        return info

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "url": self.base_url,
            "capabilities": sorted(self.capabilities),
            "http_version": self.http_version,
        }
