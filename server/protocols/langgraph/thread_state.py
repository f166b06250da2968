"""A thread's state and history: read from the checkpoints, written through ``aupdate_state``.

The checkpoints are the authority on state for every protocol, so a turn taken in the web app
shows here at once, and an update made here is what the next run of any protocol starts from.
An update holds the thread like a command does (``RunManager.reserve``): it is refused with a
409 while a run is busy, never applied under a running graph.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from server.core.errors import conflict
from server.core.runs import ThreadBusyError
from server.http.deps import ServicesDep
from server.protocols.langgraph.auth import AgentUser
from server.protocols.langgraph.lookup import graph_of, snapshot_of, thread_or_404
from server.protocols.langgraph.state import checkpoint_of, config_for, thread_state
from server.protocols.langgraph.studio import StudioRoute

__all__ = ["router"]

router = APIRouter(tags=["langgraph: thread state"], route_class=StudioRoute)


@router.get("/threads/{thread_id}/state")
async def get_state(
    request: Request,
    services: ServicesDep,
    user: AgentUser,
    thread_id: str,
    subgraphs: bool = False,
) -> dict[str, Any]:
    """The thread's latest state (AdForge's graphs have no subgraphs to expand)."""
    record = await thread_or_404(request, services, user, thread_id)
    return thread_state(await snapshot_of(services, record))


@router.get("/threads/{thread_id}/state/{checkpoint_id}")
async def get_state_at(
    request: Request,
    services: ServicesDep,
    user: AgentUser,
    thread_id: str,
    checkpoint_id: str,
    subgraphs: bool = False,
) -> dict[str, Any]:
    """The thread's state at one checkpoint."""
    record = await thread_or_404(request, services, user, thread_id)
    return thread_state(await snapshot_of(services, record, {"checkpoint_id": checkpoint_id}))


class CheckpointBody(BaseModel):
    """``POST /threads/{id}/state/checkpoint``."""

    checkpoint: dict[str, Any]
    subgraphs: bool = False


@router.post("/threads/{thread_id}/state/checkpoint")
async def post_state_at(
    request: Request, services: ServicesDep, user: AgentUser, thread_id: str, body: CheckpointBody
) -> dict[str, Any]:
    """The thread's state at the checkpoint the body names."""
    record = await thread_or_404(request, services, user, thread_id)
    return thread_state(await snapshot_of(services, record, body.checkpoint))


class StateUpdate(BaseModel):
    """``POST /threads/{id}/state``: values applied as if ``as_node`` had written them."""

    values: dict[str, Any] | list[dict[str, Any]] | None = None
    as_node: str | None = None
    checkpoint: dict[str, Any] | None = None
    checkpoint_id: str | None = None


@router.post("/threads/{thread_id}/state")
async def update_state(
    request: Request, services: ServicesDep, user: AgentUser, thread_id: str, body: StateUpdate
) -> dict[str, Any]:
    """Write a new checkpoint (from the head, or forked from ``checkpoint``); 409 while busy."""
    record = await thread_or_404(request, services, user, thread_id)
    point = dict(body.checkpoint or {})
    if body.checkpoint_id:
        point["checkpoint_id"] = body.checkpoint_id
    graph = graph_of(services, record)
    try:
        async with services.runs.reserve(thread_id):
            await snapshot_of(services, record, point or None)  # 404 for an unknown checkpoint
            written = await graph.aupdate_state(
                config_for(thread_id, point or None), body.values, as_node=body.as_node
            )
    except ThreadBusyError as error:
        raise conflict("thread_busy", "a run is busy on this thread; wait or cancel it") from error
    return {"checkpoint": checkpoint_of(written)}


class HistoryQuery(BaseModel):
    """``POST /threads/{id}/history``."""

    limit: int = Field(default=10, ge=1, le=1000)
    before: dict[str, Any] | str | None = None
    metadata: dict[str, Any] | None = None
    checkpoint: dict[str, Any] | None = None


async def _history(
    request: Request, services: ServicesDep, user: AgentUser, thread_id: str, body: HistoryQuery
) -> list[dict[str, Any]]:
    record = await thread_or_404(request, services, user, thread_id)
    before = {"checkpoint_id": body.before} if isinstance(body.before, str) else body.before
    graph = graph_of(services, record)
    return [
        thread_state(snapshot)
        async for snapshot in graph.aget_state_history(
            config_for(thread_id, body.checkpoint),
            filter=body.metadata or None,
            before=config_for(thread_id, before) if before else None,
            limit=body.limit,
        )
    ]


@router.post("/threads/{thread_id}/history")
async def post_history(
    request: Request, services: ServicesDep, user: AgentUser, thread_id: str, body: HistoryQuery
) -> list[dict[str, Any]]:
    """The thread's states, newest first: ``limit``, ``before`` a checkpoint, ``metadata``."""
    return await _history(request, services, user, thread_id, body)


@router.get("/threads/{thread_id}/history")
async def get_history(
    request: Request,
    services: ServicesDep,
    user: AgentUser,
    thread_id: str,
    limit: Annotated[int, Query(ge=1, le=1000)] = 10,
    before: str | None = None,
) -> list[dict[str, Any]]:
    """``GET`` form of the history: ``?limit=&before=<checkpoint_id>``."""
    body = HistoryQuery(limit=limit, before=before)
    return await _history(request, services, user, thread_id, body)
