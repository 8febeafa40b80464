"""Background tasks, as the FastAPI tutorial uses them; each task writes its run to the journal."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Depends

from fixtures_app.observe import request_scope
from fixtures_app.state import AppState


def build(state: AppState) -> APIRouter:
    router = APIRouter(prefix="/background", tags=["background"])
    journal = state.journal

    def write_notification(scope: str, email: str, message: str = "") -> None:
        journal.record(scope, "task.start", task="write_notification")
        journal.record(scope, "task.end", task="write_notification", email=email, message=message)

    @router.post("/send-notification/{email}")
    async def send_notification(
        email: str, background_tasks: BackgroundTasks, scope: str = Depends(request_scope)
    ) -> dict[str, str]:
        background_tasks.add_task(write_notification, scope, email, message="some notification")
        return {"message": "Notification sent in the background"}

    return router
