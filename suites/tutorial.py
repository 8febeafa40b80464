"""The tutorial the project started from: each of its examples, served verbatim by the fixture app
(`fixtures_app/routers/tutorial.py`), checked as one case in the area it belongs to.

`tutorial_cases(area)` gives an area's rows; the coverage map's claims section
(`suites/features.toml`) says which claim of the tutorial each case bears on.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from harness.case import Case, Context, row
from harness.journal import came_before, first, has
from harness.targets.base import WEBSOCKET
from suites.wire import answer

TUTORIAL = "https://fastapi.tiangolo.com/tutorial/"
LARGE_FILE = Path(__file__).resolve().parent.parent / "fixtures_app" / "tutorial" / "large_file.zip"
UPLOAD = b"0123456789" * 200
SLOW_CLIENT = {"X-Harness-Send-Delay-Ms": "30"}


async def notify(ctx: Context) -> None:
    email = f"{ctx.scope}@example.test"
    response = await ctx.request("POST", "/notify", params={"email": email}, headers=SLOW_CLIENT)
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal("body", ctx.json(response), {"message": "Notification sent in background"})
    events = await ctx.journal(until=has("response.finished", "tutorial.email"))
    sent = first(events, "tutorial.email")["detail"]
    ctx.expect_equal("task.arguments", sent, {"email": email, "message": "Hello, user!"})
    ctx.expect(
        came_before(events, "response.finished", "tutorial.email"),
        "the task started before the response was finished",
    )


async def chat(ctx: Context) -> None:
    token = ctx.scope  # unique to this case, and a placeholder on the wire
    first_client = await ctx.websocket("/chat")
    second_client = await ctx.websocket("/chat")
    try:
        await first_client.send(token)
        for number, client in enumerate((first_client, second_client)):
            heard = await heard_eventually(client, f"User said: {token}")
            ctx.expect(heard, f"client {number} never got 'User said: {token}'")
    finally:
        await first_client.close()
        await second_client.close()


async def heard_eventually(client: Any, message: str, limit: int = 20) -> bool:
    """Whether `message` arrives among the next messages (other runs may share the room)."""
    for _ in range(limit):
        if await client.receive() == message:
            return True
    return False


async def echo(ctx: Context) -> None:
    async with await ctx.websocket("/ws") as ws:
        await ws.send("hello")
        ctx.expect_equal("reply", await ws.receive(), "Echo: hello")


def download_sha256() -> str:
    return hashlib.sha256(LARGE_FILE.read_bytes()).hexdigest()


async def download(ctx: Context) -> None:
    response = await ctx.request("GET", "/download")
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal("content-type", response.headers.get("content-type"), "application/zip")
    ctx.expect_equal(
        "content-disposition",
        response.headers.get("content-disposition"),
        'attachment; filename="downloaded.zip"',
    )
    ctx.expect_equal("sha256", hashlib.sha256(response.content).hexdigest(), download_sha256())


CASES: dict[str, list[Case]] = {
    "background": [
        row(
            "background.tutorial.notify",
            "POST the tutorial's `/notify?email=...`, whose endpoint adds `send_email(email, 'Hello, user!')` as a task.",
            "The answer is the tutorial's message and the task runs once, with both arguments, after the response is finished.",
            notify,
            TUTORIAL + "background-tasks/",
            caught_by=("hold-response", "flip-response-byte"),
        ),
        row(
            "background.tutorial.email-is-a-query-parameter",
            'POST `/notify` with the address as a JSON body `{"email": ...}` instead of in the query.',
            "422 with an error at ['query', 'email']: the tutorial's `email: str` is a query parameter.",
            answer,
            TUTORIAL + "query-params/",
            caught_by=("rewrite-status:422=200",),
            method="POST",
            path="/notify",
            status=422,
            request={"json": {"email": "someone@example.test"}},
            errors=[(["query", "email"], None)],
        ),
    ],
    "uploads": [
        row(
            "uploads.tutorial.upload",
            "POST a 2000-byte file named report.txt to the tutorial's `/upload`.",
            "200 with the part's filename and the size the app read.",
            answer,
            TUTORIAL + "request-files/",
            caught_by=("flip-response-byte",),
            method="POST",
            path="/upload",
            status=200,
            request={"files": {"file": ("report.txt", UPLOAD, "text/plain")}},
            body_json={"filename": "report.txt", "size": len(UPLOAD)},
        ),
        row(
            "uploads.tutorial.not-multipart",
            "POST a JSON body to the tutorial's `/upload`.",
            "422 with an error at ['body', 'file']: only multipart bodies carry files.",
            answer,
            TUTORIAL + "request-files/",
            caught_by=("rewrite-status:422=200",),
            method="POST",
            path="/upload",
            status=422,
            request={"json": {"file": "not a file"}},
            errors=[(["body", "file"], None)],
        ),
    ],
    "websockets": [
        row(
            "websockets.tutorial.echo",
            "Open the tutorial's `/ws` and send 'hello'.",
            "The reply is 'Echo: hello'.",
            echo,
            "https://fastapi.tiangolo.com/advanced/websockets/",
            needs=frozenset({WEBSOCKET}),
            caught_by=("corrupt-websocket",),
        ),
        row(
            "websockets.tutorial.chat",
            "Open two clients on the tutorial's `/chat` and send a message from the first.",
            "Both clients, the sender included, get 'User said: <message>'.",
            chat,
            "https://fastapi.tiangolo.com/advanced/websockets/#handling-disconnections-and-multiple-clients",
            needs=frozenset({WEBSOCKET}),
            caught_by=("corrupt-websocket",),
        ),
    ],
    "cookies": [
        row(
            "cookies.tutorial.set-cookie",
            "GET the tutorial's `/set-cookie`, which calls `response.set_cookie(key='user', value='fake-user')`.",
            "The tutorial's body and exactly `Set-Cookie: user=fake-user; Path=/; SameSite=lax`.",
            answer,
            "https://fastapi.tiangolo.com/advanced/response-cookies/",
            caught_by=("drop-header:set-cookie", "strip-cookie-attribute:path"),
            method="GET",
            path="/set-cookie",
            status=200,
            headers={"set-cookie": "user=fake-user; Path=/; SameSite=lax"},
            body_json={"message": "Cookie set"},
        ),
    ],
    "headers": [
        row(
            "headers.tutorial.user-agent",
            "GET the tutorial's `/headers` (`user_agent: str = Header(None)`) with `User-Agent: tutorial-client/1.0`.",
            "The body names the User-Agent sent.",
            answer,
            TUTORIAL + "header-params/",
            caught_by=("set-request-header:user-agent=proxy/1.0",),
            method="GET",
            path="/headers",
            status=200,
            request={"headers": {"User-Agent": "tutorial-client/1.0"}},
            body_json={"User-Agent": "tutorial-client/1.0"},
        ),
    ],
    "responses": [
        row(
            "responses.tutorial.custom-headers",
            "GET the tutorial's `/custom-headers`, a JSONResponse with `headers={'X-Custom-Header': 'FastAPI'}`.",
            "X-Custom-Header: FastAPI and the body {'message': 'Hello'}.",
            answer,
            "https://fastapi.tiangolo.com/advanced/response-headers/",
            caught_by=("drop-header:x-custom-header", "flip-response-byte"),
            method="GET",
            path="/custom-headers",
            status=200,
            headers={"x-custom-header": "FastAPI"},
            body_json={"message": "Hello"},
        ),
        row(
            "responses.tutorial.redirect",
            "GET the tutorial's `/redirect`, a `RedirectResponse(url='https://fastapi.tiangolo.com')`.",
            "307 Temporary Redirect to that URL, with an empty body.",
            answer,
            "https://fastapi.tiangolo.com/advanced/custom-response/#redirectresponse",
            caught_by=("rewrite-status:307=302", "drop-header:location"),
            method="GET",
            path="/redirect",
            status=307,
            headers={"location": "https://fastapi.tiangolo.com"},
            body=b"",
        ),
        row(
            "responses.tutorial.download",
            "GET the tutorial's `/download`, a `FileResponse('large_file.zip', filename='downloaded.zip')`.",
            'The archive\'s bytes as application/zip (guessed from the name), with `Content-Disposition: attachment; filename="downloaded.zip"`.',
            download,
            "https://fastapi.tiangolo.com/advanced/custom-response/#fileresponse",
            caught_by=("flip-response-byte", "drop-header:content-disposition"),
        ),
    ],
}


def tutorial_cases(area: str) -> list[Case]:
    return CASES.get(area, [])
