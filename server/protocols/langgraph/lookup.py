"""The caller's thread, its graph, state and status: what every thread and run route reads first.

Thread status as the protocol defines it (``langgraph.md`` §4.5): ``busy`` while a run executes
or waits on the thread (whichever protocol started it), ``error`` when its last run failed,
``interrupted`` while an ``interrupt()`` is pending (or its last run was cancelled), else
``idle``.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import StateSnapshot

from server.core.errors import not_found
from server.core.services import Services
from server.core.users import User
from server.protocols.langgraph.index import ThreadRecord, index_of
from server.protocols.langgraph.state import config_for
from server.protocols.langgraph.wire import interrupt_json, jsonable

__all__ = ["graph_of", "snapshot_of", "status_of", "thread_json", "thread_or_404"]

DEFAULT_GRAPH = "ad_workflow"


async def thread_or_404(
    request: Request, services: Services, user: User, thread_id: str
) -> ThreadRecord:
    """The caller's thread; another user's or an unknown one is a 404."""
    found = await index_of(request, services.store).get(thread_id, user.id)
    if found is None:
        raise not_found("thread", thread_id)
    return found


def graph_of(services: Services, record: ThreadRecord) -> CompiledStateGraph[Any, Any, Any, Any]:
    """The graph whose checkpoints the thread holds (``ad_workflow`` until a run says otherwise)."""
    return services.runs.graphs[record.graph or DEFAULT_GRAPH]


async def snapshot_of(
    services: Services, record: ThreadRecord, checkpoint: dict[str, Any] | None = None
) -> StateSnapshot:
    """The thread's state at its head, or at ``checkpoint``; 404 for an unknown checkpoint."""
    graph = graph_of(services, record)
    snapshot = await graph.aget_state(config_for(record.thread_id, checkpoint))
    if checkpoint and checkpoint.get("checkpoint_id") and snapshot.config is None:
        raise not_found("checkpoint", str(checkpoint["checkpoint_id"]))
    return snapshot


def status_of(services: Services, record: ThreadRecord, snapshot: StateSnapshot) -> str:
    """idle, busy, interrupted or error."""
    if services.runs.busy(record.thread_id):
        return "busy"
    if record.last_outcome == "error":
        return "error"
    if snapshot.interrupts or record.last_outcome == "interrupted":
        return "interrupted"
    return "idle"


async def thread_json(services: Services, record: ThreadRecord) -> dict[str, Any]:
    """The protocol's ``Thread``: ids, dates, metadata, status, values and pending interrupts."""
    snapshot = await snapshot_of(services, record)
    interrupts: dict[str, list[dict[str, Any]]] = {}
    for task in snapshot.tasks:
        if task.interrupts:
            interrupts[task.id] = [interrupt_json(i) for i in task.interrupts]
    metadata = dict(record.metadata)
    if record.graph:
        metadata.setdefault("graph_id", record.graph)
    return {
        "thread_id": record.thread_id,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "metadata": metadata,
        "status": status_of(services, record, snapshot),
        "config": {},
        "values": jsonable(snapshot.values),
        "interrupts": interrupts,
        "error": None,
    }
