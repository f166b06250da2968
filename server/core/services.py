"""The chat API's long-lived services, opened by the lifespan and injected into routes."""

from __future__ import annotations

from dataclasses import dataclass

from server.core.eventlog import EventStore, ProjectionRunner
from server.core.products import ProductStore
from server.core.runs import RunManager
from server.jobs import JobStore, JobWorker

__all__ = ["Services"]


@dataclass(slots=True)
class Services:
    """Event log, projections, runs, products, media jobs and their worker pool."""

    store: EventStore
    projections: ProjectionRunner
    runs: RunManager
    products: ProductStore
    jobs: JobStore
    worker: JobWorker
    session_ttl_h: float = 24.0
    """Idle hours after which a session takes no new messages (``server.core.retention``)."""
