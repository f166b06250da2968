"""What the lifespan opens and the routes use: checkpointer, graphs, event log, runs, workers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.graph.state import CompiledStateGraph

from graph.assistant import build_assistant
from graph.workflow import build_workflow
from server.core.eventlog import EventStore, Projection, ProjectionRunner
from server.core.migrations import migrate
from server.core.persistence import ShieldedSqliteSaver, open_checkpointer
from server.core.products import open_product_store
from server.core.projections.gallery import AssetsProjection
from server.core.projections.sessions import SessionsProjection
from server.core.runs import RunManager
from server.core.services import Services
from server.jobs import JobWorker, open_job_store
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
async def open_runtime(
    settings: Settings, *, projections: Sequence[Projection[Any]] = ()
) -> AsyncIterator[ServerRuntime]:
    """Open SQLite (checkpoints, events, products), start projections and recover crashed runs.

    ``projections`` are the protocols' own read models (the ChatKit thread view), folded beside
    the core's: the app composes them, so the core never imports a protocol.
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    timeout = settings.sqlite_busy_timeout_ms
    # Once, before any store: a file from a newer AdForge is refused before anything touches it.
    await migrate(settings.database_path, busy_timeout_ms=timeout)
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
        runner = ProjectionRunner(store, [SessionsProjection(), AssetsProjection(), *projections])
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
        await runner.start()
        services = Services(
            store=store,
            projections=runner,
            runs=runs,
            products=products,
            jobs=jobs,
            worker=worker,
        )
        try:
            await runs.recover()
            sessions = runner.view("sessions")
            await worker.start(
                [sid for sid, s in sessions.items() if s["currentStep"] == "media_generation"]
            )
            yield ServerRuntime(settings=settings, saver=saver, graphs=graphs, services=services)
        finally:
            await worker.shutdown()
            await runs.shutdown()
            await ShieldedSqliteSaver.drain()
            await runner.stop()
