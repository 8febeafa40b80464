"""nginx on loopback in front of a fixture app, for the proxy scenarios of the harness's own tests.

Two `server` bodies serve the app under `/fixtures/`: STOCK is the bare
`proxy_pass` most first deployments start from; TUNED passes WebSocket
upgrades, bodies of any size and unbuffered streams, and tells the app where
it is (Host, X-Forwarded-*). Both blocks are quoted verbatim in
docs/deploying.md. nginx runs as a foreground process with every file in a
temporary folder, and stops with the test. The main configuration is the one
the harness starts nginx with for a stack (`harness.proxies`).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from harness.proxies import NGINX_TUNED, PROXIES, nginx_config

PREFIX = "/fixtures"

STOCK = """\
location /fixtures/ {
    proxy_pass http://127.0.0.1:BACKEND_PORT/;
}
"""

# the tuned site of harness/proxies.py, served under the /fixtures/ prefix
TUNED = NGINX_TUNED.replace("location / {", "location /fixtures/ {").replace(
    "BACKEND_PORT;", "BACKEND_PORT/;", 1
)


def nginx_binary() -> str | None:
    return PROXIES["nginx"].find()


def wait_for(predicate: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} within {timeout:g} s")
        time.sleep(0.02)


@contextmanager
def nginx(work: Path, location: str, backend_port: int, port: int) -> Iterator[str]:
    """nginx with `location` in front of the backend; yields the fixture app's URL through it."""
    binary = nginx_binary()
    assert binary, "nginx is not installed (Debian package 'nginx-light')"
    work.mkdir(parents=True, exist_ok=True)
    block = location.replace("BACKEND_PORT", str(backend_port))
    (work / "nginx.conf").write_text(nginx_config(work, port, block))
    process = subprocess.Popen(
        [binary, "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=(work / "nginx.stderr").open("wb"),
    )
    try:
        wait_for(
            lambda: (work / "nginx.pid").exists() or process.poll() is not None,
            10,
            "nginx did not start",
        )
        assert process.poll() is None, (work / "nginx.stderr").read_text()
        yield f"http://127.0.0.1:{port}{PREFIX}"
    finally:
        process.terminate()
        process.wait(10)


@contextmanager
def behind_nginx(work: Path, location: str) -> Iterator[str]:
    """A fixture app and nginx with `location` in front of it; yields the app's URL through nginx."""
    from tests.conftest import free_port, served_fixture_app

    with (
        served_fixture_app(work, "--root-path", PREFIX) as (backend, _),
        nginx(work / "nginx", location, backend, free_port()) as url,
    ):
        yield url
