"""WebSocket sessions over a real socket, with the `websockets` client.

Handshake rejections become `WebSocketRejected`, close frames
`WebSocketClosed`, and transport failures the harness's errors
(`harness.transport`), here where they enter.
"""

from __future__ import annotations

import asyncio
import ssl

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from harness.errors import NoAnswer, PeerFailed, WebSocketClosed, WebSocketRejected
from harness.targets.base import WebSocketSession
from harness.transport import from_connection

ABNORMAL_CLOSURE = 1006


async def open_socket_session(
    url: str,
    headers: dict[str, str],
    subprotocols: list[str],
    open_timeout: float,
    ssl_context: ssl.SSLContext | None = None,
    proxy: str | None = None,
) -> SocketWebSocket:
    try:
        connection = await connect(
            url,
            additional_headers=headers,
            subprotocols=subprotocols or None,  # type: ignore[arg-type]
            open_timeout=open_timeout,
            max_size=None,
            ping_interval=None,
            close_timeout=2,
            compression=None,
            ssl=ssl_context,
            proxy=proxy,  # never read from the environment here (`environment_proxy`)
        )
    except InvalidStatus as exc:
        raise WebSocketRejected(exc.response.status_code, bytes(exc.response.body or b"")) from exc
    except TimeoutError as exc:
        raise NoAnswer(f"WebSocket handshake {url}", open_timeout) from exc
    except InvalidHandshake as exc:
        raise PeerFailed(f"WebSocket handshake {url}: {type(exc).__name__}: {exc}") from exc
    except OSError as exc:
        raise from_connection(exc, f"WebSocket {url}", open_timeout) from exc
    return SocketWebSocket(connection)


class SocketWebSocket(WebSocketSession):
    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.subprotocol = connection.subprotocol

    async def send(self, message: str | bytes) -> None:
        try:
            await self.connection.send(message)
        except ConnectionClosed as exc:
            raise _closed(exc) from exc

    async def receive(self, timeout: float) -> str | bytes:
        try:
            return await asyncio.wait_for(self.connection.recv(), timeout)
        except ConnectionClosed as exc:
            raise _closed(exc) from exc
        except TimeoutError as exc:
            raise NoAnswer("the next WebSocket message", timeout) from exc

    async def close(self, code: int = 1000, reason: str = "") -> None:
        await self.connection.close(code, reason)

    async def ping(self, timeout: float) -> float:
        try:
            waiter = await self.connection.ping()
            return float(await asyncio.wait_for(waiter, timeout))
        except ConnectionClosed as exc:
            raise _closed(exc) from exc
        except TimeoutError as exc:
            raise NoAnswer("a pong", timeout) from exc

    def abort(self) -> None:
        self.connection.transport.abort()


def _closed(exc: ConnectionClosed) -> WebSocketClosed:
    frame = exc.rcvd
    # RFC 6455 7.1.5: with no close frame received, the close code is 1006 (abnormal closure)
    if frame is None:
        return WebSocketClosed(ABNORMAL_CLOSURE, "", frame=False)
    return WebSocketClosed(frame.code, frame.reason)
