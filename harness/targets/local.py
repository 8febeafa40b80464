"""The `local` target: the installed fixture app under a real server the harness starts.

The server runs in its own process on 127.0.0.1 with an ephemeral port, its
log in the run's work folder. It stops when the run ends, and also when the
harness dies (it watches its standard input), so no server is left behind.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx

from fixtures_app.limits import raise_open_file_limit
from harness.errors import TargetUnavailable
from harness.targets.base import TLS, TargetOptions
from harness.targets.remote import UrlTarget

HOST = "127.0.0.1"


class LocalTarget(UrlTarget):
    kind = "local"

    def __init__(self, options: TargetOptions, tls: bool = False) -> None:
        super().__init__(f"http://{HOST}:0", options)
        self.work_dir = Path(options.work_dir or tempfile.mkdtemp(prefix="conformance-"))
        self.tls = tls
        if tls:
            self.capabilities = self.capabilities | {TLS}
        self.log_path = self.work_dir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def command(self, ready_file: Path) -> list[str]:
        command = [sys.executable, "-m", "fixtures_app", "--host", HOST, "--port", "0"]
        command += ["--ready-file", str(ready_file), "--exit-with-stdin"]
        command += ["--journal", str(self.work_dir / "journal.sqlite3")]
        if self.tls:
            command += [
                "--ssl-certfile",
                str(self.work_dir / "server.pem"),
                "--ssl-keyfile",
                str(self.work_dir / "server.key"),
            ]
        return command + (["--token", self.options.token] if self.options.token else [])

    async def _open(self) -> httpx.AsyncClient:
        raise_open_file_limit()
        self.work_dir.mkdir(parents=True, exist_ok=True)
        ready_file = self.work_dir / "server.port"
        ready_file.unlink(missing_ok=True)
        if self.tls:
            self.options = replace(self.options, verify=str(self.make_certificate()))
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.command(ready_file),
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        port = await self._wait_for_port(ready_file, self.options.timeout(20.0))
        self.url = f"{'https' if self.tls else 'http'}://{HOST}:{port}"
        return self.http_client(trust_env=False)

    async def _wait_for_port(self, ready_file: Path, timeout: float) -> int:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        delay = 0.005
        while time.monotonic() < deadline:
            if ready_file.exists() and (text := ready_file.read_text().strip()):
                return int(text)
            if (code := self.process.poll()) is not None:
                raise TargetUnavailable(
                    f"the local fixture server exited with code {code} before it was ready: "
                    f"see {self.log_path} ({self._last_log_line()})"
                )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.1)
        await self._close()
        raise TargetUnavailable(
            f"the local fixture server was not ready within {timeout:g} s: see {self.log_path}"
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
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            await asyncio.to_thread(process.wait, 5.0)
        except subprocess.TimeoutExpired:
            process.kill()
            await asyncio.to_thread(process.wait, 5.0)
        if process.stdin:
            process.stdin.close()

    def describe(self) -> dict[str, object]:
        return {**super().describe(), "server_log": str(self.log_path), "tls": self.tls}
