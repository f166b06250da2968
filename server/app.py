"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from server.core import faults
from server.core.runtime import open_runtime
from server.http import assets, errors, health, web, webhooks
from server.http.auth import parse_api_keys
from server.http.media_files import MediaFiles
from server.protocols.adforge import catalog, generate, sessions, ws
from server.protocols.agui import router as agui
from server.protocols.chatkit import route as chatkit
from server.protocols.chatkit.projection import ChatKitProjection
from server.settings import Settings, get_settings
from server.version import VERSION

__all__ = ["create_app"]

log = logging.getLogger("adforge")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the lifespan opens SQLite and attaches the checkpointer to the graphs."""
    settings = settings or get_settings()
    faults.configure(settings.crash_at)  # unset outside fault-injection tests
    parse_api_keys(
        settings.api_keys
    )  # a malformed ADFORGE_API_KEYS fails at start-up, not per request

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
    )
    errors.install(app)
    app.include_router(health.router)
    app.include_router(sessions.router)
    app.include_router(catalog.router)
    app.include_router(generate.router)
    app.include_router(assets.router)
    app.include_router(chatkit.router)
    app.include_router(agui)
    app.include_router(webhooks.router)
    app.include_router(ws.router)
    app.include_router(web.router)
    settings.media_dir.mkdir(parents=True, exist_ok=True)
    app.mount("/media", MediaFiles(directory=settings.media_dir), name="media")
    return app
