"""What the lifespan opens and the routes use: checkpointer, graphs, event log, runs, workers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.graph.state import CompiledStateGraph

from graph.assistant import build_assistant
from graph.workflow import build_workflow
from server.chatkit.projection import ChatKitProjection
from server.events import EventStore, ProjectionRunner
from server.gallery import AssetsProjection
from server.jobs import JobWorker, open_job_store
from server.persistence import open_checkpointer
from server.products import open_product_store
from server.projections import SessionsProjection, TranscriptProjection
from server.runs import RunManager
from server.services import Services
from server.settings import Settings
from tools.image_providers import image_provider_from_env
from tools.video_providers import provider_from_env

__all__ = ["ServerRuntime", "open_runtime"]


@dataclass(slots=True)
class ServerRuntime:
    """Long-lived resources shared by every request."""

    settings: Settings
    saver: AsyncSqliteSaver
    graphs: dict[str, CompiledStateGraph[Any, Any, Any, Any]]
    services: Services


@asynccontextmanager
async def open_runtime(settings: Settings) -> AsyncIterator[ServerRuntime]:
    """Open SQLite (checkpoints, events, products), start projections and recover crashed runs."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    timeout = settings.sqlite_busy_timeout_ms
    async with (
        open_checkpointer(settings.database_path, busy_timeout_ms=timeout) as saver,
        EventStore.open(settings.database_path, busy_timeout_ms=timeout) as store,
        open_product_store(settings.database_path, busy_timeout_ms=timeout) as products,
        open_job_store(settings.database_path, busy_timeout_ms=timeout) as jobs,
    ):
        graphs: dict[str, CompiledStateGraph[Any, Any, Any, Any]] = {
            "ad_workflow": build_workflow().compile(checkpointer=saver, name="ad_workflow"),
            "ad_assistant": build_assistant().compile(checkpointer=saver, name="ad_assistant"),
        }
        projections = ProjectionRunner(
            store,
            [
                SessionsProjection(),
                TranscriptProjection(),
                AssetsProjection(),
                ChatKitProjection(),
            ],
        )
        worker = JobWorker(
            jobs,
            store,
            video=provider_from_env(offline_fps=settings.video_fps),
            images=image_provider_from_env(),
            media_dir=settings.media_dir,
            concurrency=settings.job_workers,
            webhook_secret=settings.webhook_secret,
        )
        runs = RunManager(
            store,
            graphs["ad_workflow"],
            model=settings.model_spec,
            after_run=worker.after_run,
            graphs=graphs,
        )
        worker.runs = runs
        await projections.start()
        services = Services(
            store=store,
            projections=projections,
            runs=runs,
            products=products,
            jobs=jobs,
            worker=worker,
        )
        try:
            await runs.recover()
            sessions = projections.view("sessions")
            await worker.start(
                [sid for sid, s in sessions.items() if s["currentStep"] == "media_generation"]
            )
            yield ServerRuntime(settings=settings, saver=saver, graphs=graphs, services=services)
        finally:
            await worker.shutdown()
            await runs.shutdown()
            await projections.stop()
