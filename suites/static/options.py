"""StaticFiles options (`packages=`, `check_dir`, `follow_symlink`), `url_for` of a mount, and
FastAPI's `frontend()` (0.138) serving a built single-page app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from harness.case import Context, row
from suites.wire import answer

STATIC_DOC = "https://www.starlette.io/staticfiles/"
URL_FOR_DOC = "https://fastapi.tiangolo.com/tutorial/static-files/#details"
FRONTEND_DOC = "https://fastapi.tiangolo.com/tutorial/frontend/"
SITE_INDEX = (
    Path(__file__).resolve().parents[2] / "fixtures_app" / "site" / "index.html"
).read_bytes()
INDEX = b'<!doctype html>\n<html><head><script src="/frontend/assets/app.js"></script></head><body><div id="app">frontend index</div></body></html>\n'
APP_JS = b'console.log("frontend app");\n'
ABOUT = b"<!doctype html>\n<html><body>about page</body></html>\n"
PAGE_404 = b"<!doctype html>\n<html><body>frontend 404 page</body></html>\n"
HTML = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}
ANY = {"Accept": "*/*"}


async def url_for_mount(ctx: Context) -> None:
    response = await ctx.request("GET", "/static-info/url-for", params={"path": "/hello.txt"})
    ctx.expect_equal("status", response.status_code, 200)
    url = ctx.json(response).get("url", "")
    root_path = urlsplit(ctx.target.base_url).path.rstrip("/")
    ctx.expect_equal("url.path", urlsplit(url).path, f"{root_path}/static/hello.txt")
    served = await ctx.request("GET", "/static/hello.txt")
    ctx.expect_equal("served.status", served.status_code, 200)


def frontend(
    slug: str,
    description: str,
    expectation: str,
    caught_by: tuple[str, ...],
    method: str,
    path: str,
    status: int,
    **expected: Any,
) -> Any:
    return row(
        f"static.frontend.{slug}",
        description,
        expectation,
        answer,
        FRONTEND_DOC,
        feature="frontend",
        caught_by=caught_by,
        method=method,
        path=path,
        status=status,
        **expected,
    )


OPTION_CASES = [
    row(
        "static.packages.tuple",
        "GET `/static-package/index.html` from `StaticFiles(packages=[('fixtures_app', 'site')])`.",
        "200 with the file's bytes: packages= serves a folder found inside an installed package.",
        answer,
        STATIC_DOC,
        caught_by=("flip-response-byte", "rewrite-status:200=404"),
        method="GET",
        path="/static-package/index.html",
        status=200,
        body=SITE_INDEX,
    ),
    row(
        "static.check-dir.deferred",
        "GET a file under `StaticFiles(directory=<missing>, check_dir=False)`.",
        "500: with check_dir=False the missing folder is only found out at the first request, which fails.",
        answer,
        STATIC_DOC,
        caught_by=("rewrite-status:500=404",),
        method="GET",
        path="/static-unchecked/anything.txt",
        status=500,
    ),
    row(
        "static.check-dir.at-construction",
        "Ask the app what `StaticFiles(directory=<missing>)` (check_dir=True, the default) raised when it was made.",
        "A RuntimeError naming the directory: an app mounting a missing folder fails at start-up, not at a request.",
        answer,
        STATIC_DOC,
        caught_by=("flip-response-byte",),
        method="GET",
        path="/static-info/check-dir",
        status=200,
        json_keys={"raised": "RuntimeError", "names_folder": True},
    ),
    row(
        "static.symlink.outside-refused",
        "GET a symbolic link that points outside the mounted folder, with follow_symlink left False.",
        "404: a link resolving outside the folder is not served.",
        answer,
        STATIC_DOC,
        caught_by=("rewrite-status:404=200",),
        method="GET",
        path="/static-links/linked.txt",
        status=404,
    ),
    row(
        "static.symlink.followed",
        "GET the same link under `StaticFiles(..., follow_symlink=True)`.",
        "200 with the linked file's bytes: follow_symlink=True serves what links point at.",
        answer,
        STATIC_DOC,
        caught_by=("flip-response-byte", "rewrite-status:200=404"),
        method="GET",
        path="/static-links-followed/linked.txt",
        status=200,
        body=b"a file outside the mounted folder, reached through a symbolic link\n",
    ),
    row(
        "static.symlink.regular-file",
        "GET a regular file of the folder whose links are not followed.",
        "200 with its bytes: only links are affected by follow_symlink.",
        answer,
        STATIC_DOC,
        caught_by=("flip-response-byte",),
        method="GET",
        path="/static-links/inside.txt",
        status=200,
        body=b"a file inside the mounted folder\n",
    ),
    row(
        "static.url-for.mount",
        "Ask the app for `request.url_for('static', path='/hello.txt')`, the mount named 'static'.",
        "The URL's path is the mount path (after the app's root path) plus the file, and that URL serves the file.",
        url_for_mount,
        URL_FOR_DOC,
        caught_by=("set-root-path:/elsewhere",),
    ),
    frontend(
        "index",
        "GET `/frontend/` from `router.frontend('/', directory=...)` included with prefix '/frontend'.",
        "200 with index.html as text/html.",
        ("flip-response-byte", "rewrite-status:200=404"),
        "GET",
        "/frontend/",
        200,
        headers={"content-type": "text/html; charset=utf-8"},
        body=INDEX,
    ),
    frontend(
        "asset",
        "GET `/frontend/assets/app.js`.",
        "200 with the file's bytes as JavaScript.",
        ("flip-response-byte", "drop-header:content-type"),
        "GET",
        "/frontend/assets/app.js",
        200,
        headers={"content-type": "text/javascript; charset=utf-8"},
        body=APP_JS,
    ),
    frontend(
        "folder-redirect",
        "GET `/frontend/about` (a folder holding index.html) without its trailing slash.",
        "A redirect to `/frontend/about/`.",
        ("rewrite-status:307=200",),
        "GET",
        "/frontend/about",
        307,
    ),
    frontend(
        "folder-index",
        "GET `/frontend/about/`.",
        "200 with the folder's index.html.",
        ("flip-response-byte",),
        "GET",
        "/frontend/about/",
        200,
        body=ABOUT,
    ),
    frontend(
        "path-operation-wins",
        "GET `/frontend/api/ping`, a path operation of the router that also serves the frontend.",
        "The path operation answers (its JSON), not the frontend.",
        ("flip-response-byte",),
        "GET",
        "/frontend/api/ping",
        200,
        body_json={"pong": "path operation"},
    ),
    frontend(
        "client-side-route",
        "GET `/frontend/dashboard/settings` (no such file) with a browser's `Accept: text/html,...`.",
        "200 with index.html: with fallback='auto' and no 404.html a browser navigation gets the app shell.",
        ("rewrite-status:200=404",),
        "GET",
        "/frontend/dashboard/settings",
        200,
        request={"headers": HTML},
        body=INDEX,
    ),
    frontend(
        "client-side-route-dotted",
        "GET `/frontend/users/john.doe` (a dot in the last segment) with `Accept: text/html`.",
        "200 with index.html: a dotted path is still a navigation when the client asks for HTML.",
        ("rewrite-status:200=404",),
        "GET",
        "/frontend/users/john.doe",
        200,
        request={"headers": HTML},
        body=INDEX,
    ),
    frontend(
        "missing-asset",
        "GET `/frontend/assets/missing.js` with `Accept: */*`, as a browser loads a script.",
        "404: without HTML in Accept a missing path is not a navigation.",
        ("soft-404",),
        "GET",
        "/frontend/assets/missing.js",
        404,
        request={"headers": ANY},
    ),
    frontend(
        "missing-asset-accepting-html",
        "GET the same missing `missing.js` with `Accept: text/html`.",
        "200 with index.html: the choice rests on Accept alone, so even a missing script's path gets the shell (the docs say missing JavaScript files still get 404).",
        ("rewrite-status:200=404",),
        "GET",
        "/frontend/assets/missing.js",
        200,
        request={"headers": HTML},
        body=INDEX,
    ),
    frontend(
        "post-to-fallback",
        "POST to `/frontend/dashboard`, a path only the frontend fallback matches.",
        "404: the fallback is for GET and HEAD only.",
        ("soft-404",),
        "POST",
        "/frontend/dashboard",
        404,
    ),
    frontend(
        "post-to-file",
        "POST to `/frontend/assets/app.js`, an existing file.",
        "405: the file exists but only GET and HEAD are served.",
        ("rewrite-status:405=200",),
        "POST",
        "/frontend/assets/app.js",
        405,
    ),
    frontend(
        "custom-404",
        "GET a missing path with `Accept: text/html` from a frontend folder that has a 404.html.",
        "404 with the folder's 404.html: with fallback='auto' a 404.html wins over the index.",
        ("soft-404", "flip-response-byte"),
        "GET",
        "/frontend-404/nowhere",
        404,
        request={"headers": HTML},
        body=PAGE_404,
    ),
    frontend(
        "check-dir",
        "Ask the app what `router.frontend('/', directory=<missing>)` raised when the app was made (FASTAPI_ENV not 'development').",
        "It raised, naming the folder: a missing build fails at start-up, not at the first request.",
        ("flip-response-byte",),
        "GET",
        "/frontend-info/check-dir",
        200,
        json_keys={"raised": "RuntimeError", "names_folder": True},
    ),
    frontend(
        "dependency-refuses",
        "GET `/frontend-guarded/` (a router with a dependency that requires X-Frontend-Key) without the header.",
        "401 from the dependency: router dependencies run for frontend responses.",
        ("rewrite-status:401=200",),
        "GET",
        "/frontend-guarded/",
        401,
    ),
    frontend(
        "dependency-admits",
        "GET `/frontend-guarded/` with the right `X-Frontend-Key`.",
        "200 with index.html and the header the dependency set on its Response.",
        ("drop-header:x-frontend-guard",),
        "GET",
        "/frontend-guarded/",
        200,
        request={"headers": {"X-Frontend-Key": "open-sesame"}},
        headers={"x-frontend-guard": "passed"},
        body=INDEX,
    ),
]
