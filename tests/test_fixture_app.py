"""The fixture app's own guarantees: the /_harness token, size and client caps, settings."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from fixtures_app import Settings, create_app
from harness.errors import WebSocketClosed
from harness.targets.asgi_driver import open_asgi_session


def client_for(tmp_path: Path, **settings: object) -> httpx.AsyncClient:
    app = create_app(Settings(journal_path=tmp_path / "j.sqlite3", **settings))  # type: ignore[arg-type]
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://t")


def multipart(size: int) -> bytes:
    head = b'--zz\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\n'
    return head + b"y" * size + b"\r\n--zz--\r\n"


async def streamed(body: bytes):
    for start in range(0, len(body), 500):
        yield body[start : start + 500]


async def test_token_protects_harness_endpoints(tmp_path: Path) -> None:
    async with client_for(tmp_path, token="t0ken") as client:
        assert (await client.get("/_harness/info")).status_code == 401
        assert (
            await client.get("/_harness/info", headers={"X-Harness-Token": "nope"})
        ).status_code == 401
        info = (await client.get("/_harness/info", headers={"X-Harness-Token": "t0ken"})).json()
    assert info["app"] == "fastapi-conformance-fixtures"
    assert {"python", "fastapi", "starlette", "pydantic", "python-multipart"} <= set(
        info["versions"]
    )


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
async def test_body_over_the_cap_gets_413(tmp_path: Path, declared: bool) -> None:
    body = multipart(3000)
    content = body if declared else streamed(body)
    headers = {"content-type": "multipart/form-data; boundary=zz"}
    async with client_for(tmp_path, max_upload_bytes=1000) as client:
        response = await client.post("/uploads/hash", content=content, headers=headers)
        small = await client.post("/uploads/hash", content=multipart(100), headers=headers)
    assert response.status_code == 413
    assert small.status_code == 200 and small.json()["size"] == 100


async def test_websocket_clients_are_capped(tmp_path: Path) -> None:
    app = create_app(Settings(journal_path=tmp_path / "j.sqlite3", max_ws_clients=2))
    url = "http://t/ws/chat/room/{}"
    first = [await open_asgi_session(app, url.format(n), {}, [], 5.0) for n in range(2)]
    third = await open_asgi_session(app, url.format(3), {}, [], 5.0)
    with pytest.raises(WebSocketClosed) as closed:
        await third.receive(5.0)
    assert closed.value.code == 1013
    await asyncio.gather(*(ws.close() for ws in first))


def test_settings_from_environment() -> None:
    settings = Settings.from_env(
        {"FIXTURES_TOKEN": "x", "FIXTURES_FAULTS": "hold-response, drop-header:a"}
    )
    assert settings.token == "x" and settings.faults == ("hold-response", "drop-header:a")
    with pytest.raises(ValueError, match="unknown fault 'nope'"):
        Settings.from_env({"FIXTURES_FAULTS": "nope"})
