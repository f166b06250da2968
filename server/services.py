"""The chat API's long-lived services, opened by the lifespan and injected into routes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from server.events import EventStore, ProjectionRunner
from server.jobs import JobStore, JobWorker
from server.products import ProductStore
from server.runs import RunManager

__all__ = ["Services", "ServicesDep", "get_services"]


@dataclass(slots=True)
class Services:
    """Event log, projections, runs, products, media jobs and their worker pool."""

    store: EventStore
    projections: ProjectionRunner
    runs: RunManager
    products: ProductStore
    jobs: JobStore
    worker: JobWorker


def get_services(request: Request) -> Services:
    """The services the lifespan opened."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
