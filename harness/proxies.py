"""The reverse proxies a stack can put in front of the local server: one row per proxy.

Each row names the binary and its Debian package, the main configuration (every
file the proxy writes stays in its work folder), and two site bodies: `stock`,
the bare forwarding line most first deployments start from, and `tuned`, which
passes WebSocket upgrades, bodies of any size and unbuffered streams. A stack may
give its own site body instead (`config = "FILE"`). In a site body `BACKEND_PORT`
is where the app's port goes; the app is served at the proxy's root.

Invariants:
1. A proxy listens on 127.0.0.1 only, runs in the foreground in its own process,
   and is stopped with SIGTERM (SIGKILL after a grace time) when the run ends.
2. It is ready when its port accepts a connection; one that exits first, or is not
   ready in time, is a TargetUnavailable naming its log.
3. Its version is read from its own `-v`/`version` output and recorded in the run info.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from harness.errors import TargetUnavailable, UsageError

HOST = "127.0.0.1"
READY_S = 10.0
GRACE_S = 5.0

NGINX_MAIN = """\
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
{user}
events { worker_connections 8192; }
http {
    access_log {work}/access.log;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    map $http_upgrade $connection_upgrade {
        default upgrade;
        '' close;
    }
    server {
        listen 127.0.0.1:{port};
{site}
    }
}
"""

NGINX_STOCK = """\
location / {
    proxy_pass http://127.0.0.1:BACKEND_PORT;
}
"""

NGINX_TUNED = """\
underscores_in_headers on;
location / {
    proxy_pass http://127.0.0.1:BACKEND_PORT;
    proxy_http_version 1.1;
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection $connection_upgrade;
    proxy_read_timeout 300s;
    client_max_body_size 0;
    proxy_request_buffering off;
    proxy_buffering off;
}
"""

CADDY_MAIN = """\
{
	admin off
	auto_https off
	storage file_system {work}/data
	log {
		output file {work}/caddy.log
		level WARN
	}
}

:{port} {
	bind 127.0.0.1
{site}
}
"""

CADDY_STOCK = """\
reverse_proxy 127.0.0.1:BACKEND_PORT
"""

CADDY_TUNED = """\
reverse_proxy 127.0.0.1:BACKEND_PORT {
	flush_interval 10ms
	transport http {
		compression off
	}
}
"""


def fill(template: str, **values: str) -> str:
    """`{name}` replaced by each value (the configurations' own braces are left alone)."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


def indent(text: str, by: str) -> str:
    return "\n".join(by + line if line else line for line in text.splitlines())


def nginx_config(work: Path, port: int, site: str) -> str:
    user = "user root;" if os.geteuid() == 0 else ""
    return fill(NGINX_MAIN, work=str(work), port=str(port), user=user, site=indent(site, " " * 8))


def nginx_command(binary: str, work: Path, config: Path) -> list[str]:
    return [binary, "-p", str(work), "-c", str(config), "-g", "daemon off;"]


def caddy_config(work: Path, port: int, site: str) -> str:
    return fill(CADDY_MAIN, work=str(work), port=str(port), site=indent(site, "\t"))


def caddy_command(binary: str, work: Path, config: Path) -> list[str]:
    return [binary, "run", "--config", str(config), "--adapter", "caddyfile"]


def caddy_environment(work: Path) -> dict[str, str]:
    """Caddy writes its autosave and data under HOME and XDG_*: all of them in its folder."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(work),
        "XDG_CONFIG_HOME": str(work / "config"),
        "XDG_DATA_HOME": str(work / "data"),
    }


@dataclass(frozen=True)
class Proxy:
    """A row of the table."""

    name: str
    binary: str
    package: str
    variants: Mapping[str, str]
    config: Callable[[Path, int, str], str]
    command: Callable[[str, Path, Path], list[str]]
    version_args: tuple[str, ...]
    environment: Callable[[Path], dict[str, str]] | None = None
    config_name: str = "proxy.conf"

    def find(self) -> str | None:
        """The binary on PATH (for nginx also /usr/sbin, which a user's PATH may lack)."""
        extra = "/usr/sbin" if self.name == "nginx" else ""
        path = os.environ.get("PATH", "")
        return shutil.which(self.binary, path=f"{path}:{extra}" if extra and path else None)

    def version(self, binary: str) -> str | None:
        try:
            done = subprocess.run(
                [binary, *self.version_args], capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.SubprocessError):
            return None
        found = re.search(r"(\d+\.\d+(\.\d+)?)", done.stdout + done.stderr)
        return found.group(1) if found else None


PROXIES: dict[str, Proxy] = {
    proxy.name: proxy
    for proxy in (
        Proxy(
            "nginx",
            "nginx",
            "nginx-light",
            {"stock": NGINX_STOCK, "tuned": NGINX_TUNED},
            nginx_config,
            nginx_command,
            ("-v",),
            config_name="nginx.conf",
        ),
        Proxy(
            "caddy",
            "caddy",
            "caddy",
            {"stock": CADDY_STOCK, "tuned": CADDY_TUNED},
            caddy_config,
            caddy_command,
            ("version",),
            caddy_environment,
            config_name="Caddyfile",
        ),
    )
}


def check_installed(name: str) -> str:
    """The proxy's binary; UsageError naming the Debian package when it is not installed."""
    proxy = PROXIES[name]
    binary = proxy.find()
    if binary is None:
        raise UsageError(
            f"proxy.name {name!r}: {proxy.binary} is not installed here (not on PATH): "
            f"apt-get install {proxy.package}"
        )
    return binary


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


class RunningProxy:
    """One proxy process in front of `backend_port`, with its folder, port and version."""

    def __init__(self, name: str, site: str, work: Path, backend_port: int) -> None:
        self.proxy = PROXIES[name]
        self.binary = check_installed(name)
        self.work = work
        self.port = free_port()
        self.site = site.replace("BACKEND_PORT", str(backend_port))
        self.log = work / "proxy.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        """Invariants 1 and 2: write the configuration, start, wait for the port."""
        self.work.mkdir(parents=True, exist_ok=True)
        config = self.work / self.proxy.config_name
        config.write_text(self.proxy.config(self.work, self.port, self.site))
        env = self.proxy.environment(self.work) if self.proxy.environment else None
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.proxy.command(self.binary, self.work, config),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.work,
                env=env,
                start_new_session=True,
            )
        self._wait_ready()

    def _wait_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + READY_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise TargetUnavailable(
                    f"{self.proxy.name} exited with code {self.process.returncode} before it "
                    f"was ready: see {self.log} ({_last_line(self.log)})"
                )
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), 0.5):
                return
            time.sleep(0.05)
        self.stop()
        raise TargetUnavailable(
            f"{self.proxy.name} was not ready within {READY_S:g} s: see {self.log}"
        )

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(GRACE_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(GRACE_S)

    def describe(self, variant: str, config: Path | None) -> dict[str, object]:
        return {
            "name": self.proxy.name,
            "variant": "config" if config else variant,
            "config": config.name if config else None,
            "version": self.proxy.version(self.binary),
        }


def _last_line(path: Path) -> str:
    lines = path.read_text(errors="replace").strip().splitlines() if path.exists() else []
    return lines[-1] if lines else "empty log"
