"""`create_app(settings)`: the fixture app, one router per area plus the `/_harness` endpoints.

The app object is a `FastAPI` subclass whose only difference is that its call
is wrapped, outermost, by the journal's ASGI wrapper, so the "response finished"
event is seen even for responses made by Starlette's own error middleware.
Deliberate faults, when configured, sit just inside it. The wrappers go around
the call, not into `build_middleware_stack`, so the middleware stack is the one
any FastAPI app has (`ServerErrorMiddleware` outermost), which libraries that
instrument it check for. A stack's middleware (`FIXTURES_MIDDLEWARE`) is added
last, as a user's code adds it (`fixtures_app.stack`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from fixtures_app.faults import apply_faults
from fixtures_app.features import has_feature
from fixtures_app.limits import BodyLimit
from fixtures_app.observe import JournalWrapper
from fixtures_app.routers import (
    background,
    cookies_headers,
    forms,
    frontend,
    harness_api,
    middleware,
    middleware_apps,
    param_models,
    proxy,
    responses,
    static,
    streaming,
    tutorial,
    uploads,
    websockets,
)
from fixtures_app.routers.middleware_apps import (
    STRICT_PREFIX,
    VARIANTS_PREFIX,
    PrefixDispatch,
    cors_variants_app,
    strict_cors_app,
)
from fixtures_app.settings import Settings
from fixtures_app.stack import apply_middleware, run_inits
from fixtures_app.state import AppState

ROUTERS = (
    harness_api,
    background,
    uploads,
    forms,
    websockets,
    middleware,
    proxy,
    cookies_headers,
    param_models,
    responses,
    streaming,
    static,
    tutorial,
)


class FixtureApp(FastAPI):
    """FastAPI with the journal wrapper outermost; everything else is stock."""

    fixture_state: AppState

    fixture_wrappers: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.fixture_wrappers is None:
            self.fixture_wrappers = self.wrap(super().__call__)
        await self.fixture_wrappers(scope, receive, send)

    def wrap(self, app: Any) -> Any:
        state = self.fixture_state
        dispatched = PrefixDispatch(
            PrefixDispatch(app, STRICT_PREFIX, strict_cors_app()),
            VARIANTS_PREFIX,
            cors_variants_app(),
        )
        limited = BodyLimit(dispatched, state.settings.max_upload_bytes)
        faulty = apply_faults(limited, state.settings.faults)
        return JournalWrapper(faulty, state.journal)


def lifespan_of(state: AppState) -> dict[str, Any]:
    """`lifespan=` noting that startup ran, where FastAPI has the parameter."""

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        state.lifespan_started = True
        yield

    return {"lifespan": lifespan} if has_feature("lifespan") else {}


def create_app(settings: Settings | None = None) -> FixtureApp:
    """A new fixture app; `settings` default to the FIXTURES_* environment."""
    state = AppState.from_settings(settings or Settings.from_env())
    run_inits(state.settings.middleware)
    app = FixtureApp(
        title="FastAPI conformance fixtures",
        root_path=state.settings.root_path,
        **lifespan_of(state),
    )
    app.fixture_state = state
    for area in ROUTERS:
        app.include_router(area.build(state))
    app.include_router(responses.default_class_router())
    frontend.include(app, state)
    proxy.mount(app, state)
    static.mount(app, state)
    middleware_apps.mount(app, state)
    middleware.install(app, state)
    state.middleware = apply_middleware(app, state.settings.middleware)
    return app
