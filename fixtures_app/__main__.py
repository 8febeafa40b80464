"""Serve the fixture app: `python -m fixtures_app --host H --port P`.

`--port 0` picks a free port; the port actually bound is printed and, with
`--ready-file`, written to that file once the socket listens. With
`--exit-with-stdin` the server stops when its standard input closes, so a
harness that dies, even by SIGKILL, never leaves it behind.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import threading
from dataclasses import replace
from pathlib import Path

from fixtures_app.application import create_app
from fixtures_app.limits import raise_open_file_limit
from fixtures_app.settings import Settings


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m fixtures_app", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--token", help="require this X-Harness-Token on /_harness")
    parser.add_argument("--journal", type=Path, help="SQLite file of the event journal")
    parser.add_argument(
        "--root-path",
        default="",
        help="the path prefix a proxy that strips it serves the app under (given to the server)",
    )
    parser.add_argument("--ready-file", type=Path, help="write the bound port here when ready")
    parser.add_argument("--exit-with-stdin", action="store_true", help="stop when stdin closes")
    parser.add_argument(
        "--ssl-certfile", help="serve https and wss with this certificate chain (PEM)"
    )
    parser.add_argument("--ssl-keyfile", help="the private key of --ssl-certfile (PEM)")
    parser.add_argument("--log-level", default="warning")
    return parser.parse_args(argv)


def settings_from(args: argparse.Namespace) -> Settings:
    settings = replace(Settings.from_env(), server="uvicorn")
    if args.token:
        settings = replace(settings, token=args.token)
    if args.journal:
        settings = replace(settings, journal_path=args.journal)
    return settings


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def exit_when_stdin_closes() -> None:
    def watch() -> None:
        while sys.stdin.buffer.read(4096):
            pass
        os.kill(os.getpid(), signal.SIGTERM)
        threading.Timer(5.0, os._exit, args=(3,)).start()

    threading.Thread(target=watch, name="stdin-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    args = parse_args(argv)
    raise_open_file_limit()
    sock = bind(args.host, args.port)
    port = sock.getsockname()[1]
    app = create_app(settings_from(args))
    if args.exit_with_stdin:
        exit_when_stdin_closes()
    scheme = "https" if args.ssl_certfile else "http"
    print(f"fixtures_app listening on {scheme}://{args.host}:{port}", flush=True)
    if args.ready_file:
        args.ready_file.write_text(str(port))
    config = uvicorn.Config(
        app,
        log_level=args.log_level,
        ws_max_size=64 * 1024 * 1024,
        ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile,
        root_path=args.root_path,
    )
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
