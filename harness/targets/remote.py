"""A URL target: a fixture app deployed somewhere, reached over the network as any client would.

The URL may carry a path prefix (`https://staging.example/fixtures`); every
request and WebSocket path is appended to it.
"""

from __future__ import annotations

import ssl
import urllib.request
from urllib.parse import urlsplit

import httpx

from harness.capabilities import OF_A_SERVER
from harness.errors import UsageError
from harness.rawhttp import RawResponse, encode_request, exchange
from harness.targets.base import (
    RAW_HTTP,
    REAL_SOCKET,
    STREAMING,
    TIMING,
    TLS,
    WEBSOCKET,
    Target,
    TargetOptions,
    WebSocketSession,
    no_cookie_jar,
)
from harness.targets.ws_client import open_socket_session

# what a real socket gives any target reached over the network
TRANSPORT = frozenset({REAL_SOCKET, STREAMING, TIMING, RAW_HTTP, WEBSOCKET})
EXAMPLE = "--target https://staging.example/fixtures"


def validate_url(url: str) -> str:
    """The URL without a trailing slash; raises UsageError when it cannot be a target."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"--target {url!r} is not 'local', 'inprocess' or an http(s) URL with a host: "
            f"give e.g. {EXAMPLE}"
        )
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as exc:
        raise UsageError(f"--target {url!r} has an invalid port: {exc}") from exc
    return url.rstrip("/")


def make_ssl_context(verify: bool | str) -> ssl.SSLContext:
    """Verification off (False), against a CA file (a path), or against the system's CAs (True)."""
    if verify is False:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    return ssl.create_default_context(cafile=verify if isinstance(verify, str) else None)


def environment_proxy(url: str) -> str | None:
    """The proxy the environment names for `url` (`HTTPS_PROXY`, `NO_PROXY`...), or None.

    Read once, when the target is made: cases run on a thread of their own while pytest
    sets and removes `PYTEST_CURRENT_TEST`, and reading the proxies walks the environment
    (a `KeyError` when a variable goes away during the walk).
    """
    parts = urlsplit(url)
    if parts.hostname and urllib.request.proxy_bypass(parts.netloc):
        return None
    return urllib.request.getproxies().get(parts.scheme)


class UrlTarget(Target):
    """A fixture app at a URL the harness did not start."""

    kind = "url"
    capabilities = TRANSPORT | OF_A_SERVER
    trust_env = True  # proxies and certificates from the environment, as any client would
    http2 = ""  # "" HTTP/1.1; "tls" h2 offered by ALPN; "h2c" cleartext h2 by prior knowledge

    def __init__(self, url: str, options: TargetOptions) -> None:
        super().__init__(options)
        self.url = validate_url(url)
        self.proxy = environment_proxy(self.url) if self.trust_env else None
        self._ssl: dict[tuple[bool | str, bool], ssl.SSLContext] = {}
        if self.url.startswith("https://"):
            self.capabilities = self.capabilities | {TLS}

    @property
    def base_url(self) -> str:
        return self.url

    def ssl_context(self, for_httpx: bool = False) -> ssl.SSLContext | None:
        """The TLS context for `options.verify`, made once per value (loading CAs is slow).

        httpx's gets its ALPN offer from httpx (h2 too, on an HTTP/2 run); the raw and
        WebSocket clients' offers HTTP/1.1 only, since they speak nothing else.
        """
        if not self.url.startswith("https"):
            return None
        return self._context(for_httpx)

    def _context(self, for_httpx: bool) -> ssl.SSLContext:
        key = (self.options.verify, for_httpx)
        if key not in self._ssl:
            context = make_ssl_context(self.options.verify)
            if not for_httpx:
                context.set_alpn_protocols(["http/1.1"])
            self._ssl[key] = context
        return self._ssl[key]

    def case_client(self) -> httpx.AsyncClient | None:
        return self.http_client(self.trust_env) if self._client is not None else None

    def http_client(self, trust_env: bool) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.url,
            http1=self.http2 != "h2c",
            http2=bool(self.http2),
            headers=self.options.extra_headers,
            timeout=httpx.Timeout(self.options.timeout(30.0), connect=self.options.timeout(5.0)),
            # a context made once: httpx would load the CA bundle anew for every client (~30 ms),
            # and every case has a client of its own; over plain http it is never used
            verify=self._context(for_httpx=True),
            follow_redirects=False,
            proxy=self.proxy if trust_env else None,
            trust_env=False,  # the environment's proxy is read once (`environment_proxy`)
            cookies=no_cookie_jar(),
            # an idle connection is dropped well before the server's own idle time-out
            # (uvicorn's and hypercorn's 5 s, httpx's default too): reused at 5 s, it could
            # be closed by the server as the request went out, a "closed without an answer"
            # that made a liveness question declare the target lost
            limits=httpx.Limits(
                max_connections=200, max_keepalive_connections=50, keepalive_expiry=2.0
            ),
        )

    async def raw_request(
        self, method: str, target: bytes, headers: list[tuple[str, str]]
    ) -> RawResponse:
        parts = urlsplit(self.url)
        assert parts.hostname is not None
        port = parts.port or (443 if parts.scheme == "https" else 80)
        all_headers = [*self.options.extra_headers.items(), *headers]
        request = encode_request(method, parts.path.encode() + target, parts.netloc, all_headers)
        timeout = self.options.timeout(10.0)
        return await exchange(parts.hostname, port, request, timeout, self.ssl_context())

    async def _open(self) -> httpx.AsyncClient:
        return self.http_client(self.trust_env)

    async def _close(self) -> None:
        return None

    async def websocket(
        self, path: str, headers: dict[str, str], subprotocols: list[str]
    ) -> WebSocketSession:
        url = "ws" + self.url.removeprefix("http") + path
        return await open_socket_session(
            url,
            {**self.options.extra_headers, **headers},
            subprotocols,
            self.options.timeout(10.0),
            self.ssl_context(),
            self.proxy,
        )
