"""The `local` target: the installed fixture app under a real server the harness starts.

The server is a row of `harness.servers` (uvicorn by default), started with its own
command line in its own process on 127.0.0.1, its log in the run's work folder. It
gets a listening socket by descriptor, or a port reserved for it until it answers.
It stops when the run ends (SIGTERM to its process group, SIGKILL after the grace
time), and also when the harness dies: it gets SIGTERM when its parent goes. Once it
answers, its port is written to `server.port` in the work folder.

A stack (`harness.stackfile`) adds middleware to the app (FIXTURES_MIDDLEWARE in the
server's environment) and may put a proxy (`harness.proxies`) in front: the proxy
starts once the server answers, and the cases reach the app through it.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx

from fixtures_app.limits import raise_open_file_limit
from harness.errors import TargetUnavailable
from harness.proxies import PROXIES, RunningProxy
from harness.servers import (
    APP,
    DEFAULT,
    FD,
    GRACE_S,
    Configuration,
    Launch,
    parse_configuration,
)
from harness.stackfile import Stack
from harness.targets.base import INFO_PATH, RAW_HTTP, TLS, TargetOptions
from harness.targets.remote import TRANSPORT, UrlTarget

HOST = "127.0.0.1"
PR_SET_PDEATHSIG = 1
# variables that would change a server's command line or worker count behind the harness's back
FOREIGN_ENV_PREFIXES = ("UVICORN_", "GRANIAN_", "HYPERCORN_", "GUNICORN_", "WEB_CONCURRENCY")


def listening_socket() -> socket.socket:
    """A socket listening on an ephemeral port of HOST, to be inherited by the server.

    TCP_NODELAY is set here, and the connections it accepts inherit it: a server that binds
    its own socket gets it from asyncio, but uvicorn takes an inherited `--fd` for a Unix
    socket and leaves Nagle's algorithm on, so each answer would wait ~40 ms for an ACK.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((HOST, 0))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def reserved_port() -> socket.socket:
    """A bound, not listening, socket: it keeps its port from other takers, yet the server may
    bind it too (address and port reuse) and gets every connection, since this one never listens."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((HOST, 0))
    return sock


def die_with_parent() -> None:
    """In the child before exec: SIGTERM when the harness process ends, however it ends."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def server_environment(
    configuration: Configuration, work_dir: Path, token: str | None, stack: Stack | None = None
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(FOREIGN_ENV_PREFIXES)}
    env["FIXTURES_SERVER"] = configuration.server.name
    env.pop("FIXTURES_MIDDLEWARE", None)
    if stack is not None and stack.middleware:
        env["FIXTURES_MIDDLEWARE"] = stack.fixtures_middleware()
    env["FIXTURES_JOURNAL_PATH"] = str(work_dir / "journal.sqlite3")
    if token:
        env["FIXTURES_TOKEN"] = token
    return env


class LocalTarget(UrlTarget):
    kind = "local"
    trust_env = False  # 127.0.0.1 directly, whatever proxy the environment names

    def __init__(
        self,
        options: TargetOptions,
        tls: bool = False,
        server: Configuration | None = None,
        stack: Stack | None = None,
    ) -> None:
        super().__init__(f"http://{HOST}:0", options)
        self.configuration = server or parse_configuration(DEFAULT)
        self.stack = stack or Stack()
        self.front: RunningProxy | None = None  # the stack's reverse proxy, once started
        # absolute: the server runs in this folder, so a relative path would name another place
        self.work_dir = Path(options.work_dir or tempfile.mkdtemp(prefix="conformance-")).resolve()
        self.tls = self.configuration.tls(tls)
        self.http2 = self.configuration.http2
        self.capabilities = (
            TRANSPORT | self.configuration.capabilities() | ({TLS} if self.tls else set())
        )
        if self.http2:  # raw requests are HTTP/1.1 bytes: they would not test this run's protocol
            self.capabilities -= {RAW_HTTP}
        self.log_path = self.work_dir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def launch(self, sock: socket.socket) -> Launch:
        return Launch(
            app=APP,
            host=HOST,
            port=sock.getsockname()[1],
            fd=sock.fileno(),
            certfile=self.work_dir / "server.pem" if self.tls else None,
            keyfile=self.work_dir / "server.key" if self.tls else None,
            work_dir=self.work_dir,
        )

    async def _open(self) -> httpx.AsyncClient:
        raise_open_file_limit()
        self.work_dir.mkdir(parents=True, exist_ok=True)
        if self.tls:
            self.options = replace(self.options, verify=str(self.make_certificate()))
        by_fd = self.configuration.binds(self.tls) == FD
        with listening_socket() if by_fd else reserved_port() as sock:
            launch = self.launch(sock)
            self.process = self._spawn(launch, sock.fileno() if by_fd else None)
            if by_fd:
                sock.close()  # the server's copy alone: a dead server refuses, never queues
            self.url = f"{'https' if self.tls else 'http'}://{HOST}:{launch.port}"
            client = self.http_client(self.trust_env)
            await self._wait_ready(client, self.options.timeout(30.0))
        (self.work_dir / "server.port").write_text(str(launch.port))  # for whoever watches the run
        if self.stack.proxy is not None:
            await client.aclose()
            client = await self._behind_proxy(launch.port)
        return client

    async def _behind_proxy(self, backend_port: int) -> httpx.AsyncClient:
        """The stack's proxy in front of the server; the client that reaches the app through it."""
        choice = self.stack.proxy
        assert choice is not None
        site = (
            choice.config.read_text(encoding="utf-8")
            if choice.config
            else PROXIES[choice.name].variants[choice.variant]
        )
        self.front = RunningProxy(choice.name, site, self.work_dir / choice.name, backend_port)
        try:
            await asyncio.to_thread(self.front.start)
        except TargetUnavailable:
            await self._close()
            raise
        self.url = self.front.url
        client = self.http_client(self.trust_env)
        await self._wait_ready(client, self.options.timeout(30.0))
        return client

    def _spawn(self, launch: Launch, fd: int | None) -> subprocess.Popen[bytes]:
        env = server_environment(self.configuration, self.work_dir, self.options.token, self.stack)
        with self.log_path.open("wb") as log:
            return subprocess.Popen(
                self.configuration.command(launch),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=self.work_dir,
                pass_fds=(fd,) if fd is not None else (),
                start_new_session=True,
                preexec_fn=die_with_parent,
            )

    async def _wait_ready(self, client: httpx.AsyncClient, timeout: float) -> None:
        """Until the server answers anything on the info path; raises TargetUnavailable."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (code := self.process.poll()) is not None:
                await client.aclose()
                raise TargetUnavailable(
                    f"{self.configuration.name} exited with code {code} before it was ready: "
                    f"see {self.log_path} ({self._last_log_line()})"
                )
            try:
                await client.get(INFO_PATH, headers=self.harness_headers(), timeout=1.0)
                return
            except httpx.TransportError:
                await asyncio.sleep(0.05)
        await client.aclose()
        await self._close()
        raise TargetUnavailable(
            f"{self.configuration.name} was not ready within {timeout:g} s: see {self.log_path}"
        )

    def make_certificate(self) -> Path:
        """A CA made for this run and a server certificate for 127.0.0.1 it signed; returns the CA file."""
        import trustme

        authority = trustme.CA()
        certificate = authority.issue_cert(HOST, "localhost")
        certificate.private_key_pem.write_to_path(str(self.work_dir / "server.key"))
        certificate.cert_chain_pems[0].write_to_path(str(self.work_dir / "server.pem"))
        for extra in certificate.cert_chain_pems[1:]:
            extra.write_to_path(str(self.work_dir / "server.pem"), append=True)
        authority.cert_pem.write_to_path(str(self.work_dir / "ca.pem"))
        return self.work_dir / "ca.pem"

    def _last_log_line(self) -> str:
        lines = self.log_path.read_text(errors="replace").strip().splitlines()
        return lines[-1] if lines else "empty log"

    async def _close(self) -> None:
        if self.front is not None:
            await asyncio.to_thread(self.front.stop)
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        _signal_group(process, signal.SIGTERM)
        try:
            await asyncio.to_thread(process.wait, GRACE_S + 3.0)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            await asyncio.to_thread(process.wait, 5.0)
        _signal_group(process, signal.SIGKILL)  # workers a master left behind

    def describe(self) -> dict[str, object]:
        return {
            **super().describe(),
            "server_log": str(self.log_path),
            "tls": self.tls,
            "server": self.configuration.describe(),
            **({"proxy": self._proxy_described()} if self.front else {}),
        }

    def _proxy_described(self) -> dict[str, object]:
        assert self.front is not None and self.stack.proxy is not None
        return self.front.describe(self.stack.proxy.variant, self.stack.proxy.config)


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)
