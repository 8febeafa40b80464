"""The `local` target: the installed fixture app under a real server the harness starts.

The server runs in its own process on 127.0.0.1 with an ephemeral port, its
log in the run's work folder. It stops when the run ends, and also when the
harness dies (it watches its standard input), so no server is left behind.
"""

from __future__ import annotations

import asyncio
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from harness.errors import TargetUnavailable
from harness.targets.base import TargetOptions
from harness.targets.remote import UrlTarget

HOST = "127.0.0.1"


def raise_open_file_limit() -> int:
    """Lift this process's soft open-file limit to the hard one; returns the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


class LocalTarget(UrlTarget):
    kind = "local"

    def __init__(self, options: TargetOptions) -> None:
        super().__init__(f"http://{HOST}:0", options)
        self.work_dir = Path(options.work_dir or tempfile.mkdtemp(prefix="conformance-"))
        self.log_path = self.work_dir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def command(self, ready_file: Path) -> list[str]:
        command = [sys.executable, "-m", "fixtures_app", "--host", HOST, "--port", "0"]
        command += ["--ready-file", str(ready_file), "--exit-with-stdin"]
        command += ["--journal", str(self.work_dir / "journal.sqlite3")]
        return command + (["--token", self.options.token] if self.options.token else [])

    async def _open(self) -> httpx.AsyncClient:
        raise_open_file_limit()
        self.work_dir.mkdir(parents=True, exist_ok=True)
        ready_file = self.work_dir / "server.port"
        ready_file.unlink(missing_ok=True)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.command(ready_file),
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        port = await self._wait_for_port(ready_file, self.options.timeout(20.0))
        self.url = f"http://{HOST}:{port}"
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
        return {**super().describe(), "server_log": str(self.log_path)}
