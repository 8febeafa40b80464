"""The ASGI servers the local target can start: one row per server, options crossed with it.

A configuration is named `SERVER[:OPTION...]` (`uvicorn`, `uvicorn:h11:wsproto`,
`hypercorn:h2`). Each row says which distribution must be installed (its version
is the server's version in the run info), how the server's own command line is
built, how it gets its listening socket, the options it takes, and what it can
do (capabilities the target gets, so cases that need what it lacks are UNSUPPORTED).

Invariants:
1. Every server is started with its own CLI, in its own process, on 127.0.0.1 only.
2. A server that can take a listening socket by descriptor gets one (no port race);
   the others get a port reserved for them until they are ready.
3. An HTTP/2 option is either `tls` (h2 chosen by ALPN over TLS) or `h2c` (cleartext, prior
   knowledge); an HTTP/1.1 configuration has the `http1` capability, an HTTP/2 one `http2`.
"""

from __future__ import annotations

import importlib.metadata
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.version import Version

from harness.capabilities import FORWARDED_HEADERS, HTTP1, HTTP2, LIFESPAN, WEBSOCKET_DENIAL
from harness.errors import UsageError

APP = "fixtures_app:app"
WS_MAX_SIZE = 64 * 1024 * 1024
GRACE_S = 5
FD, PORT = "fd", "port"


@dataclass(frozen=True)
class Launch:
    """What a command line is built from: the app, the socket, the TLS files, the work folder."""

    app: str
    host: str
    port: int
    fd: int | None
    certfile: Path | None
    keyfile: Path | None
    work_dir: Path


@dataclass(frozen=True)
class Option:
    """One `:OPTION` of a configuration."""

    help: str
    requires: tuple[str, ...] = ()
    http2: str = ""  # "" HTTP/1.1; "tls" h2 by ALPN (TLS is turned on); "h2c" cleartext h2


Command = Callable[[Launch, frozenset[str]], list[str]]


@dataclass(frozen=True)
class Server:
    """A row of the table: a server and how the harness runs it."""

    name: str
    distribution: str
    command: Command
    binds: str = FD
    tls_binds: str = FD
    options: Mapping[str, Option] = field(default_factory=dict)
    capabilities: frozenset[str] = frozenset({LIFESPAN, WEBSOCKET_DENIAL, FORWARDED_HEADERS})
    requires: tuple[str, ...] = ()
    exclusive: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class Configuration:
    """A server with the options chosen for this run."""

    server: Server
    options: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        return ":".join([self.server.name, *sorted(self.options)])

    @property
    def http2(self) -> str:
        return next(
            (o.http2 for n, o in self.server.options.items() if n in self.options and o.http2), ""
        )

    @property
    def http_version(self) -> str:
        return "2" if self.http2 else "1.1"

    def tls(self, asked: bool) -> bool:
        return asked or self.http2 == "tls"

    def binds(self, tls: bool) -> str:
        return self.server.tls_binds if tls else self.server.binds

    def capabilities(self) -> frozenset[str]:
        protocol = HTTP2 if self.http2 else HTTP1
        return self.server.capabilities | {protocol}

    def command(self, launch: Launch) -> list[str]:
        return self.server.command(launch, self.options)

    def distributions(self) -> tuple[str, ...]:
        chosen = [self.server.options[name].requires for name in sorted(self.options)]
        return (self.server.distribution, *self.server.requires, *sum(chosen, ()))

    def describe(self) -> dict[str, object]:
        """The run info's `server`: name, configuration, version, options, protocol."""
        return {
            "name": self.server.name,
            "config": self.name,
            "version": installed_version(self.server.distribution),
            "options": sorted(self.options),
            "http_version": self.http_version,
        }


def server_of(run_info: Mapping[str, Any]) -> dict[str, Any]:
    """A run info's server as a dict, also for runs that recorded only its name (or nothing)."""
    server = run_info.get("server")
    return dict(server) if isinstance(server, Mapping) else {"name": server}


def installed_version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def at_least(distribution: str, version: str) -> bool:
    """True when `distribution` is installed at `version` or newer (for flags that came late)."""
    return Version(installed_version(distribution) or "0") >= Version(version)


def python_m(module: str) -> list[str]:
    return [sys.executable, "-m", module]


def uvicorn_command(launch: Launch, options: frozenset[str]) -> list[str]:
    command = [*python_m("uvicorn"), launch.app, "--fd", str(launch.fd), "--lifespan", "on"]
    command += ["--ws-max-size", str(WS_MAX_SIZE), "--timeout-graceful-shutdown", str(GRACE_S)]
    command += ["--log-level", "warning"]
    command += ["--http", "h11"] if "h11" in options else []
    command += ["--ws", "wsproto"] if "wsproto" in options else []
    if launch.certfile and launch.keyfile:
        command += ["--ssl-certfile", str(launch.certfile), "--ssl-keyfile", str(launch.keyfile)]
    return command


def hypercorn_command(launch: Launch, options: frozenset[str]) -> list[str]:
    config = launch.work_dir / "hypercorn.toml"  # the message size has no command-line flag
    config.write_text(f"websocket_max_message_size = {WS_MAX_SIZE}\n")
    command = [*python_m("hypercorn"), "--config", str(config), "--bind", f"fd://{launch.fd}"]
    command += ["--workers", "0", "--graceful-timeout", str(GRACE_S), "--log-level", "WARNING"]
    if launch.certfile and launch.keyfile:
        command += ["--certfile", str(launch.certfile), "--keyfile", str(launch.keyfile)]
    return [*command, launch.app]


def granian_command(launch: Launch, options: frozenset[str]) -> list[str]:
    # `--http 2` would turn WebSockets off; `auto` offers h2 by ALPN and h2c by prior knowledge
    http = "auto" if options & {"h2", "h2c"} else "1"
    command = [*python_m("granian"), "--interface", "asgi", "--host", launch.host]
    command += ["--port", str(launch.port), "--workers", "1", "--http", http]
    command += ["--workers-kill-timeout", str(GRACE_S), "--log-level", "warning"]
    if launch.certfile and launch.keyfile:
        command += ["--ssl-certificate", str(launch.certfile), "--ssl-keyfile", str(launch.keyfile)]
    return [*command, launch.app]


def daphne_command(launch: Launch, options: frozenset[str]) -> list[str]:
    command = [
        *python_m("daphne"),
        "-v",
        "1",
        "--proxy-headers",
    ]  # as behind a proxy (off by default)
    if at_least("daphne", "4.2.2"):  # limits (1 MiB by default) came in 4.2.2; none before
        size = str(WS_MAX_SIZE)
        command += ["--websocket-max-message-size", size, "--websocket-max-frame-size", size]
    if launch.certfile and launch.keyfile:  # no descriptor form for TLS endpoints
        endpoint = f"ssl:port={launch.port}:interface={launch.host}"
        command += ["-e", f"{endpoint}:privateKey={launch.keyfile}:certKey={launch.certfile}"]
    else:
        command += ["--fd", str(launch.fd)]
    return [*command, launch.app]


def gunicorn_command(launch: Launch, options: frozenset[str]) -> list[str]:
    worker = "fixtures_app.gunicorn_worker.FixtureUvicornWorker"
    command = [*python_m("gunicorn"), "--worker-class", worker, "--workers", "1"]
    command += ["--bind", f"fd://{launch.fd}", "--graceful-timeout", str(GRACE_S)]
    command += ["--log-level", "warning"]
    if at_least("gunicorn", "27"):
        command += ["--no-control-socket"]  # 27's control socket is one per user: runs would clash
    if launch.certfile and launch.keyfile:
        command += ["--certfile", str(launch.certfile), "--keyfile", str(launch.keyfile)]
    return [*command, launch.app]


H2 = Option("HTTP/2 over TLS (ALPN), with the run's CA", requires=("h2",), http2="tls")
H2C = Option("HTTP/2 in clear text (prior knowledge)", requires=("h2",), http2="h2c")

WITHOUT_FORWARDED = frozenset({LIFESPAN, WEBSOCKET_DENIAL})

SERVERS: dict[str, Server] = {
    server.name: server
    for server in (
        Server(
            "uvicorn",
            "uvicorn",
            uvicorn_command,
            options={
                "h11": Option("the h11 HTTP implementation (default: httptools)", ("h11",)),
                "wsproto": Option("the wsproto WebSocket implementation", ("wsproto",)),
            },
        ),
        Server(
            "hypercorn",
            "hypercorn",
            hypercorn_command,
            options={"h2": H2, "h2c": H2C},
            exclusive=(frozenset({"h2", "h2c"}),),
            capabilities=WITHOUT_FORWARDED,  # proxy headers only through its ProxyFixMiddleware
        ),
        Server(
            "granian",
            "granian",
            granian_command,
            binds=PORT,
            tls_binds=PORT,
            options={"h2": H2, "h2c": H2C},
            exclusive=(frozenset({"h2", "h2c"}),),
            capabilities=WITHOUT_FORWARDED,  # no option for X-Forwarded-* (2.8)
        ),
        Server(
            "daphne",
            "daphne",
            daphne_command,
            tls_binds=PORT,
            options={"h2": Option("HTTP/2 over TLS (ALPN)", ("h2", "pyopenssl"), http2="tls")},
            # no lifespan protocol, no WebSocket denial responses; X-Forwarded-* with --proxy-headers
            capabilities=frozenset({FORWARDED_HEADERS}),
        ),
        Server(
            "gunicorn",
            "gunicorn",
            gunicorn_command,
            requires=("uvicorn-worker",),
        ),
    )
}
DEFAULT = "uvicorn"


def parse_configuration(spec: str) -> Configuration:
    """`SERVER[:OPTION...]` as a Configuration; raises UsageError naming what is wrong."""
    name, *chosen = [part.strip() for part in spec.split(":")]
    server = SERVERS.get(name)
    if server is None:
        raise UsageError(
            f"--server {spec!r}: unknown server {name!r}; choose from {', '.join(SERVERS)}"
        )
    unknown = [option for option in chosen if option not in server.options]
    if unknown:
        known = "; ".join(f"{n}: {o.help}" for n, o in server.options.items()) or "none"
        raise UsageError(
            f"--server {spec!r}: {name} has no option {unknown[0]!r} (its options: {known})"
        )
    options = frozenset(chosen)
    clash = next((group for group in server.exclusive if len(options & group) > 1), None)
    if clash:
        raise UsageError(f"--server {spec!r}: choose one of {', '.join(sorted(clash))}")
    return Configuration(server, options)


def configurations_help() -> str:
    """Every server with its options, for --help: `uvicorn[:h11][:wsproto], hypercorn[:h2|:h2c]...`."""
    return ", ".join(
        server.name + "".join(f"[:{option}]" for option in server.options)
        for server in SERVERS.values()
    )


def missing_distributions(configuration: Configuration) -> list[str]:
    return [name for name in configuration.distributions() if installed_version(name) is None]


def check_installed(configuration: Configuration) -> None:
    """Raises UsageError, with the install command, when a distribution the server needs is missing."""
    missing = missing_distributions(configuration)
    if missing:
        raise UsageError(
            f"--server {configuration.name!r} needs {', '.join(missing)}, not installed here: "
            f"pip install 'fastapi-conformance[servers]' (or pip install {' '.join(missing)})"
        )
