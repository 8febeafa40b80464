"""WebSockets: echo, the tutorial's chat and a robust variant, close codes, handshakes.

The chat keeps one `ConnectionManager` per room (the room is a path parameter)
so that concurrent runs never hear each other; inside a room the manager is
exactly the one of the FastAPI WebSockets tutorial. The robust variant removes
a connection whose send fails instead of letting the broadcast stop there.
Whatever the server sees of a client's departure is written to the journal.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fastapi import (
    APIRouter,
    Cookie,
    Depends,
    Header,
    HTTPException,
    Query,
    Security,
    WebSocket,
    WebSocketDisconnect,
    WebSocketException,
)
from fastapi.responses import JSONResponse
from fastapi.security import SecurityScopes
from starlette import status

from fixtures_app.features import has_feature
from fixtures_app.observe import websocket_scope
from fixtures_app.state import AppState

TRY_AGAIN_LATER = 1013


class ConnectionManager:
    """The tutorial's manager: a list of connections and a sequential broadcast."""

    def __init__(self) -> None:
        self.active_connections: list[WebSocket] = []

    async def connect(self, websocket: WebSocket) -> None:
        await websocket.accept()
        self.active_connections.append(websocket)

    def disconnect(self, websocket: WebSocket) -> None:
        self.active_connections.remove(websocket)

    async def send_personal_message(self, message: str, websocket: WebSocket) -> None:
        await websocket.send_text(message)

    async def broadcast(self, message: str) -> None:
        for connection in self.active_connections:
            await connection.send_text(message)


class RobustConnectionManager(ConnectionManager):
    """Like the tutorial's, but a connection whose send fails leaves the room and the broadcast goes on."""

    async def broadcast(self, message: str) -> None:
        for connection in list(self.active_connections):
            try:
                await connection.send_text(message)
            except Exception:
                if connection in self.active_connections:
                    self.disconnect(connection)


def websocket_probe(
    x_probe: str | None = Header(None), session: str | None = Cookie(None)
) -> dict[str, Any]:
    """A dependency of a WebSocket route: what the handshake carried."""
    return {"header": x_probe, "cookie": session}


async def get_cookie_or_token(
    websocket: WebSocket,
    session: str | None = Cookie(None),
    token: str | None = Query(None),
) -> str:
    """The docs' dependency: refuse the handshake without a session cookie or a token."""
    if session is None and token is None:
        raise WebSocketException(code=status.WS_1008_POLICY_VIOLATION)
    return session or token or ""


def chat_scope(security_scopes: SecurityScopes, key: str | None = Query(None)) -> list[str]:
    """A Security dependency of a WebSocket route: the key must be right, the scopes are reported."""
    if key != "chat-key":
        raise WebSocketException(code=status.WS_1008_POLICY_VIOLATION, reason="wrong key")
    return security_scopes.scopes


def build(state: AppState) -> APIRouter:
    router = APIRouter(prefix="/ws", tags=["websockets"])
    rooms: defaultdict[str, ConnectionManager] = defaultdict(ConnectionManager)
    robust_rooms: defaultdict[str, ConnectionManager] = defaultdict(RobustConnectionManager)
    journal = state.journal
    max_clients = state.settings.max_ws_clients

    def clients() -> int:
        every = [*rooms.values(), *robust_rooms.values()]
        return sum(len(manager.active_connections) for manager in every)

    @router.websocket("/echo")
    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    return
                if message.get("text") is not None:
                    await websocket.send_text(message["text"])
                else:
                    await websocket.send_bytes(message.get("bytes") or b"")
        except WebSocketDisconnect:
            return

    async def serve_chat(
        websocket: WebSocket,
        room: str,
        client_id: int,
        managers: defaultdict[str, ConnectionManager],
    ) -> None:
        if clients() >= max_clients:
            await websocket.accept()
            await websocket.close(
                code=TRY_AGAIN_LATER, reason="the fixture app's client limit is reached"
            )
            return
        manager = managers[room]
        await manager.connect(websocket)
        try:
            while True:
                data = await websocket.receive_text()
                await manager.send_personal_message(f"You wrote: {data}", websocket)
                await manager.broadcast(f"Client #{client_id} says: {data}")
        except WebSocketDisconnect as exc:
            journal.record(websocket_scope(websocket), "chat.left", client=client_id, code=exc.code)
            manager.disconnect(websocket)
            await manager.broadcast(f"Client #{client_id} left the chat")
        finally:
            journal.record(websocket_scope(websocket), "chat.handler-ended", client=client_id)
            if not manager.active_connections:
                managers.pop(room, None)

    @router.websocket("/chat/{room}/{client_id}")
    async def chat(websocket: WebSocket, room: str, client_id: int) -> None:
        await serve_chat(websocket, room, client_id, rooms)

    @router.websocket("/robust-chat/{room}/{client_id}")
    async def robust_chat(websocket: WebSocket, room: str, client_id: int) -> None:
        await serve_chat(websocket, room, client_id, robust_rooms)

    @router.websocket("/json")
    async def json_echo(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_json({"greeting": "h\u00e9llo \u2713", "n": [1, 2.5, None]})
        try:
            while True:
                await websocket.send_json({"echo": await websocket.receive_json()})
        except WebSocketDisconnect:
            return

    @router.websocket("/text-only")
    async def text_only(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                await websocket.send_text(await websocket.receive_text())
        except WebSocketDisconnect:
            return

    @router.websocket("/close")
    async def server_closes(websocket: WebSocket, code: int = 1000, reason: str = "") -> None:
        await websocket.accept()
        await websocket.close(code=code, reason=reason)

    @router.websocket("/client-close")
    async def client_closes(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                await websocket.receive_text()
        except WebSocketDisconnect as exc:
            journal.record(
                websocket_scope(websocket), "client.closed", code=exc.code, reason=exc.reason
            )

    @router.websocket("/raise-after-accept")
    async def raise_after_accept(websocket: WebSocket) -> None:
        await websocket.accept()
        raise RuntimeError("the handler failed after accept")

    @router.websocket("/raise-before-accept")
    async def raise_before_accept(websocket: WebSocket) -> None:
        raise RuntimeError("the handler failed before accept")

    @router.websocket("/close-before-accept")
    async def close_before_accept(websocket: WebSocket) -> None:
        await websocket.close(code=1008)

    @router.websocket("/http-exception-before-accept")
    async def http_exception_before_accept(websocket: WebSocket) -> None:
        raise HTTPException(status_code=403, detail="no entry")

    @router.websocket("/ws-exception")
    async def ws_exception(websocket: WebSocket) -> None:
        raise WebSocketException(code=1008, reason="policy says no")

    @router.websocket("/ws-exception-after-accept")
    async def ws_exception_after_accept(websocket: WebSocket) -> None:
        await websocket.accept()
        raise WebSocketException(code=4001, reason="custom refusal")

    @router.websocket("/items/{item_id}/ws")
    async def websocket_items(
        *,
        websocket: WebSocket,
        item_id: str,
        q: int | None = None,
        cookie_or_token: str = Depends(get_cookie_or_token),
    ) -> None:
        await websocket.accept()
        while True:
            data = await websocket.receive_text()
            await websocket.send_text(f"Session cookie or query token value is: {cookie_or_token}")
            if q is not None:
                await websocket.send_text(f"Query parameter q is: {q}")
            await websocket.send_text(f"Message text was: {data}, for item ID: {item_id}")

    @router.websocket("/secured")
    async def secured(
        websocket: WebSocket, scopes: list[str] = Security(chat_scope, scopes=["chat"])
    ) -> None:
        await websocket.accept()
        await websocket.send_json({"scopes": scopes})
        await websocket.close()

    @router.websocket("/iterate")
    async def iterate(websocket: WebSocket) -> None:
        scope = websocket_scope(websocket)
        await websocket.accept()
        async for message in websocket.iter_text():
            await websocket.send_text(message.upper())
        journal.record(scope, "ws.iteration-ended")

    if has_feature("websocket-route-dependencies"):
        refuse: Any = {"dependencies": [Depends(get_cookie_or_token)]}

        @router.websocket("/route-dependencies", **refuse)
        async def route_dependencies(websocket: WebSocket) -> None:
            await websocket.accept()
            await websocket.send_text("admitted")
            await websocket.close()

    @router.websocket("/denial")
    async def denial(websocket: WebSocket) -> None:
        await websocket.send_denial_response(JSONResponse({"detail": "denied"}, status_code=401))

    @router.websocket("/subprotocol")
    async def subprotocol(websocket: WebSocket) -> None:
        offered = list(websocket.scope.get("subprotocols", []))
        chosen = next((p for p in offered if p in ("chat.v2", "chat.v1")), None)
        await websocket.accept(subprotocol=chosen)
        await websocket.send_json({"offered": offered, "chosen": chosen})
        await websocket.close()

    @router.websocket("/inspect")
    async def inspect(
        websocket: WebSocket, name: str = "none", probe: dict[str, Any] = Depends(websocket_probe)
    ) -> None:
        await websocket.accept()
        await websocket.send_json({"query": name, **probe})
        await websocket.close()

    return router
