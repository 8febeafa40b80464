"""The distributions whose versions `/_harness/info` reports: the framework and the servers.

Kept free of imports, so the harness can name them (expectation conditions such as
`hypercorn < "0.17"`) without loading FastAPI.
"""

from __future__ import annotations

FRAMEWORK = ("fastapi", "starlette", "pydantic", "python-multipart", "httpx")
SERVERS = (
    "uvicorn",
    "httptools",
    "h11",
    "websockets",
    "wsproto",
    "hypercorn",
    "h2",
    "granian",
    "daphne",
    "twisted",
    "autobahn",
    "gunicorn",
    "uvicorn-worker",
)
DISTRIBUTIONS = FRAMEWORK + SERVERS
