"""Set-up functions for libraries that install themselves, as their own docs show it.

A stack file names them as `setup = "fixtures_app.stack_setups:NAME"` (called with
the finished app) or `init = ...` (called before the app is made). Whatever a
library would send elsewhere (spans, error events) is kept in memory, bounded:
nothing leaves the process. Each library is imported inside its function, so
this module imports without any of them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Any, ClassVar

from fixtures_app.stack import library

KEPT = 1000  # spans or envelopes kept in memory, newest last
SENTRY_DSN = "https://public@example.invalid/1"  # never contacted: the transport keeps events


@library("opentelemetry-instrumentation-fastapi")
def opentelemetry(app: Any, **options: Any) -> None:
    """`FastAPIInstrumentor.instrument_app(app)` with a tracer provider that keeps spans in memory."""
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult

    class KeptSpans(SpanExporter):  # type: ignore[misc]
        spans: ClassVar[deque[Any]] = deque(maxlen=KEPT)

        def export(self, spans: Sequence[Any]) -> Any:
            self.spans.extend(spans)
            return SpanExportResult.SUCCESS

    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(KeptSpans()))
    FastAPIInstrumentor.instrument_app(app, tracer_provider=provider, **options)


@library("prometheus-fastapi-instrumentator")
def prometheus_instrumentator(app: Any, **options: Any) -> None:
    """`Instrumentator().instrument(app).expose(app)`, the library's README line."""
    from prometheus_fastapi_instrumentator import Instrumentator

    Instrumentator(**options).instrument(app).expose(app)


@library("starlette-exporter")
def starlette_exporter(app: Any, **options: Any) -> None:
    """`PrometheusMiddleware` and its `/metrics` route, as starlette-exporter's README adds them."""
    from starlette_exporter import PrometheusMiddleware, handle_metrics

    app.add_middleware(PrometheusMiddleware, **options)
    app.add_route("/metrics", handle_metrics)


@library("slowapi")
def slowapi(app: Any, middleware: str = "SlowAPIMiddleware", **options: Any) -> None:
    """A `Limiter` on `app.state`, its 429 handler, and one of slowapi's middlewares
    (`SlowAPIMiddleware`, a BaseHTTPMiddleware, or `SlowAPIASGIMiddleware`)."""
    import slowapi.middleware
    from slowapi import Limiter, _rate_limit_exceeded_handler
    from slowapi.errors import RateLimitExceeded
    from slowapi.util import get_remote_address

    app.state.limiter = Limiter(key_func=get_remote_address, **options)
    app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)
    app.add_middleware(getattr(slowapi.middleware, middleware))


@library("secure")
def secure_headers(app: Any) -> None:
    """`SecureASGIMiddleware` with `Secure.with_default_headers()`, secure's README line."""
    from secure import Secure
    from secure.middleware import SecureASGIMiddleware

    app.add_middleware(SecureASGIMiddleware, secure=Secure.with_default_headers())


@library("sentry-sdk")
def sentry(**options: Any) -> None:
    """`sentry_sdk.init(...)` before the app is made, with a transport that keeps envelopes."""
    import sentry_sdk
    from sentry_sdk.transport import Transport

    class KeptEnvelopes(Transport):  # type: ignore[misc]
        envelopes: ClassVar[deque[Any]] = deque(maxlen=KEPT)

        def capture_envelope(self, envelope: Any) -> None:
            self.envelopes.append(envelope)

        def flush(self, timeout: float, callback: Any = None) -> None:
            return None

        def kill(self) -> None:
            return None

    sentry_sdk.init(dsn=SENTRY_DSN, transport=KeptEnvelopes, **options)
