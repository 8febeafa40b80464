"""WebSockets: an echo endpoint and the tutorial's chat with its `ConnectionManager`.

The chat keeps one `ConnectionManager` per room (the room is a path
parameter) so that concurrent runs never hear each other; inside a room the
manager is exactly the one of the FastAPI WebSockets tutorial.
"""

from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

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


def build(state: AppState) -> APIRouter:
    router = APIRouter(prefix="/ws", tags=["websockets"])
    rooms: defaultdict[str, ConnectionManager] = defaultdict(ConnectionManager)
    max_clients = state.settings.max_ws_clients

    def clients() -> int:
        return sum(len(manager.active_connections) for manager in rooms.values())

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

    @router.websocket("/chat/{room}/{client_id}")
    async def chat(websocket: WebSocket, room: str, client_id: int) -> None:
        if clients() >= max_clients:
            await websocket.accept()
            await websocket.close(
                code=TRY_AGAIN_LATER, reason="the fixture app's client limit is reached"
            )
            return
        manager = rooms[room]
        await manager.connect(websocket)
        try:
            while True:
                data = await websocket.receive_text()
                await manager.send_personal_message(f"You wrote: {data}", websocket)
                await manager.broadcast(f"Client #{client_id} says: {data}")
        except WebSocketDisconnect:
            manager.disconnect(websocket)
            await manager.broadcast(f"Client #{client_id} left the chat")
            if not manager.active_connections:
                rooms.pop(room, None)

    return router
