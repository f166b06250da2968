"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from server.core import faults
from server.core.runtime import open_runtime
from server.http import (
    access_log,
    assets,
    docs,
    errors,
    health,
    metrics,
    openapi,
    usage,
    web,
    webhooks,
)
from server.http.auth import Authenticator
from server.http.csrf import CrossSiteGuard
from server.http.input_checks import input_limits
from server.http.instrument import MetricsMiddleware
from server.http.media_files import MediaFiles
from server.http.media_signing import SignMediaUrls
from server.http.media_urls import MediaSigner, load_media_secret
from server.http.rate_limits import RateLimiter, RateLimits
from server.http.request_context import RequestContextMiddleware
from server.http.request_guard import RequestGuard
from server.http.security_headers import SecurityHeaders
from server.protocols.adforge import catalog, generate, sessions, ws
from server.protocols.agui import router as agui
from server.protocols.chatkit import route as chatkit
from server.protocols.chatkit.projection import ChatKitProjection
from server.protocols.langgraph import router as langgraph_router
from server.settings import Settings, get_settings
from server.version import VERSION

__all__ = ["create_app"]

log = logging.getLogger("adforge")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the lifespan opens SQLite and attaches the checkpointer to the graphs."""
    settings = settings or get_settings()
    faults.configure(settings.crash_at)  # unset outside fault-injection tests
    # Malformed ADFORGE_API_KEYS or JWT settings fail at start-up, not per request.
    authenticator = Authenticator.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_runtime(settings, projections=[ChatKitProjection()]) as runtime:
            app.state.runtime = runtime
            app.state.services = runtime.services
            app.state.products = runtime.services.products
            label = " (offline deterministic engine)" if settings.offline else ""
            log.info(
                "AdForge %s: model %s%s, data in %s",
                VERSION,
                settings.model_spec,
                label,
                settings.data_dir,
            )
            yield
        log.info("AdForge stopped; database closed")

    app = FastAPI(
        title="AdForge",
        version=VERSION,
        summary="Create ads in conversation: LangGraph workflow, SSE streams, an event log.",
        lifespan=lifespan,
        docs_url=None,  # served offline by server.http.docs
        redoc_url=None,
    )
    docs.install(app)
    openapi.install(app)
    app.state.authenticator = authenticator
    errors.install(app)
    app.add_middleware(MetricsMiddleware)  # outside the errors' catch-all: it counts their 500s
    app.add_middleware(RequestContextMiddleware)  # outermost: every response has X-Request-ID
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(sessions.router)
    app.include_router(catalog.router)
    app.include_router(generate.router)
    app.include_router(assets.router)
    app.include_router(usage.router)
    app.include_router(chatkit.router)
    app.include_router(langgraph_router)  # the Agent Protocol at its standard root paths
    app.include_router(agui)
    app.include_router(webhooks.router)
    app.include_router(ws.router)
    app.include_router(web.router)
    settings.media_dir.mkdir(parents=True, exist_ok=True)
    signer = MediaSigner(
        load_media_secret(settings.media_secret, settings.data_dir), settings.media_url_ttl_s
    )
    app.mount(
        "/media",
        MediaFiles(directory=settings.media_dir, signer=signer),
        name="media",
    )
    _install_security(app, settings, signer)
    return app


def _install_security(app: FastAPI, settings: Settings, signer: MediaSigner) -> None:
    """The security middleware (issue 13), innermost first (each ``add`` wraps the last).

    Outermost to innermost: CORS (answers preflights, and its headers reach every error),
    security headers, media URL signing, the cross-site guard, the hostile-input guard, rate
    limits (they read the body the guard parsed), then the JSON catch-all of ``errors.install``.
    """
    origins = frozenset(o.strip() for o in (settings.cors_origins or "").split(",") if o.strip())
    limiter = RateLimiter(
        settings.rate_limit_messages, settings.rate_limit_renders, settings.redis_url
    )
    app.state.rate_limiter = limiter  # for GET /api/usage
    app.add_middleware(RateLimits, limiter=limiter)
    app.add_middleware(
        RequestGuard,
        limits=input_limits(settings),
        plain_text_json=("/assistants", "/threads", "/runs"),  # the Agent Protocol, for Studio
    )
    app.add_middleware(CrossSiteGuard, allowed_origins=origins)
    app.add_middleware(SignMediaUrls, signer=signer)
    app.add_middleware(SecurityHeaders)
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=sorted(origins),
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID"],
            expose_headers=["Retry-After"],
            max_age=600,
        )
    access_log.install()
