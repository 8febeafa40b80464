"""The tutorial the project started from, its examples served verbatim at their own paths.

`/notify`, `/upload`, `/ws`, `/chat`, `/set-cookie`, `/headers`, `/custom-headers`,
`/redirect` and `/download` are the tutorial's code with its indentation restored.
Three changes, none visible on the wire: `send_email` also writes what it would
send to the journal (under the scope named by the address's local part, which the
cases set to their own scope), `/download` serves an archive shipped with the
package instead of `./large_file.zip` of the working directory, and the chat's
room is this module's own. Its `/static` mount and middleware are the app's
(`static.py`, `middleware.py`), set up as the tutorial shows them.
"""

from __future__ import annotations

from typing import Any

from fastapi import (
    APIRouter,
    BackgroundTasks,
    File,
    Header,
    Response,
    UploadFile,
    WebSocket,
    WebSocketDisconnect,
)
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse

from fixtures_app.settings import PACKAGE_DIR
from fixtures_app.state import AppState

LARGE_FILE = PACKAGE_DIR / "tutorial" / "large_file.zip"


class ConnectionManager:
    def __init__(self) -> None:
        self.connections: list[WebSocket] = []

    async def connect(self, websocket: WebSocket) -> None:
        await websocket.accept()
        self.connections.append(websocket)

    async def broadcast(self, message: str) -> None:
        for connection in self.connections:
            await connection.send_text(message)


def build(state: AppState) -> APIRouter:
    router = APIRouter(tags=["tutorial"])
    journal = state.journal
    manager = ConnectionManager()

    def send_email(email: str, message: str) -> None:
        print(f"Sending email to {email}: {message}")  # Simulate email send
        journal.record(email.split("@")[0], "tutorial.email", email=email, message=message)

    @router.post("/notify")
    async def notify_user(email: str, background_tasks: BackgroundTasks) -> Any:
        background_tasks.add_task(send_email, email, "Hello, user!")
        return {"message": "Notification sent in background"}

    @router.post("/upload")
    async def upload_file(file: UploadFile = File(...)) -> Any:
        contents = await file.read()
        return {
            "filename": file.filename,
            "size": len(contents),
        }

    @router.websocket("/ws")
    async def websocket_endpoint(websocket: WebSocket) -> None:
        await websocket.accept()
        while True:
            data = await websocket.receive_text()
            await websocket.send_text(f"Echo: {data}")

    @router.websocket("/chat")
    async def chat(websocket: WebSocket) -> None:
        await manager.connect(websocket)
        try:
            while True:
                data = await websocket.receive_text()
                await manager.broadcast(f"User said: {data}")
        except WebSocketDisconnect:
            manager.connections.remove(websocket)

    @router.get("/set-cookie")
    def set_cookie(response: Response) -> Any:
        response.set_cookie(key="user", value="fake-user")
        return {"message": "Cookie set"}

    @router.get("/headers")
    def read_headers(user_agent: str = Header(None)) -> Any:
        return {"User-Agent": user_agent}

    @router.get("/custom-headers")
    def custom_headers() -> Any:
        content = {"message": "Hello"}
        headers = {"X-Custom-Header": "FastAPI"}
        return JSONResponse(content=content, headers=headers)

    @router.get("/redirect")
    def redirect() -> Any:
        return RedirectResponse(url="https://fastapi.tiangolo.com")

    @router.get("/download")
    def download_file() -> Any:
        return FileResponse(LARGE_FILE, filename="downloaded.zip")

    return router
