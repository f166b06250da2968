"""Threads: create, search, count, get, patch, delete, copy.

A thread created here is recorded in the log (``AgentThreadCreated``), like every conversation,
so it outlives restarts and a deletion from any protocol (``ThreadDeleted``) removes it from
all of them. Checkpoints stay where LangGraph keeps them; state routes are in ``thread_state``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from server.core.errors import ApiError, conflict
from server.core.events import EventType, event
from server.core.users import User
from server.http.deps import ServicesDep
from server.protocols.langgraph.auth import AgentUser
from server.protocols.langgraph.index import THREAD_CREATED, THREAD_UPDATED, index_of
from server.protocols.langgraph.lookup import thread_json, thread_or_404
from server.protocols.langgraph.studio import StudioRoute
from server.protocols.langgraph.wire import jsonable

__all__ = ["router"]

router = APIRouter(tags=["langgraph: threads"], route_class=StudioRoute)


class ThreadCreate(BaseModel):
    """``POST /threads``."""

    thread_id: str | None = Field(default=None, min_length=1, max_length=200)
    metadata: dict[str, Any] = Field(default_factory=dict)
    if_exists: Literal["raise", "do_nothing"] = "raise"
    graph_id: str | None = None


async def create_thread(
    request: Request,
    services: ServicesDep,
    user: User,
    thread_id: str | None,
    metadata: dict[str, Any],
    *,
    graph: str | None = None,
) -> str:
    """Record a new thread of ``user``; 409 when the id is taken."""
    thread_id = thread_id or str(uuid.uuid4())
    threads = await index_of(request, services.store).refresh()
    if thread_id in threads:
        raise conflict("thread_exists", f"thread {thread_id} already exists")
    data = {"threadId": thread_id, "userId": user.id, "metadata": metadata, "graph": graph}
    head = await services.store.head_seq(thread_id)
    await services.store.append(thread_id, [event(thread_id, THREAD_CREATED, data, head)])
    return thread_id


@router.post("/threads")
async def post_thread(
    request: Request, services: ServicesDep, user: AgentUser, body: ThreadCreate
) -> dict[str, Any]:
    """Create a thread (``if_exists=do_nothing`` answers the caller's existing one)."""
    if body.thread_id and body.if_exists == "do_nothing":
        found = await index_of(request, services.store).get(body.thread_id, user.id)
        if found is not None:
            return await thread_json(services, found)
    metadata = {**body.metadata, **({"graph_id": body.graph_id} if body.graph_id else {})}
    thread_id = await create_thread(
        request, services, user, body.thread_id, metadata, graph=body.graph_id
    )
    return await thread_json(services, await thread_or_404(request, services, user, thread_id))


class ThreadSearch(BaseModel):
    """``POST /threads/search`` and ``/count``."""

    metadata: dict[str, Any] = Field(default_factory=dict)
    values: dict[str, Any] = Field(default_factory=dict)
    status: Literal["idle", "busy", "interrupted", "error"] | None = None
    ids: list[str] | None = None
    limit: int = Field(default=10, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)
    sort_by: Literal["thread_id", "status", "created_at", "updated_at"] = "created_at"
    sort_order: Literal["asc", "desc"] = "desc"


async def _matching(
    request: Request, services: ServicesDep, user: User, body: ThreadSearch
) -> list[dict[str, Any]]:
    threads = await index_of(request, services.store).refresh()
    found = []
    for record in list(threads.values()):
        if record.user_id != user.id or (body.ids is not None and record.thread_id not in body.ids):
            continue
        thread = await thread_json(services, record)
        if any(thread["metadata"].get(k) != v for k, v in body.metadata.items()):
            continue
        if any(thread["values"].get(k) != jsonable(v) for k, v in body.values.items()):
            continue
        if body.status is not None and thread["status"] != body.status:
            continue
        found.append(thread)
    found.sort(key=lambda t: str(t[body.sort_by]), reverse=body.sort_order == "desc")
    return found


@router.post("/threads/search")
async def search_threads(
    request: Request, services: ServicesDep, user: AgentUser, body: ThreadSearch
) -> list[dict[str, Any]]:
    """The caller's threads matching metadata, values and status, newest first."""
    return (await _matching(request, services, user, body))[body.offset : body.offset + body.limit]


@router.post("/threads/count")
async def count_threads(
    request: Request, services: ServicesDep, user: AgentUser, body: ThreadSearch
) -> int:
    """How many of the caller's threads match."""
    return len(await _matching(request, services, user, body))


@router.get("/threads/{thread_id}")
async def get_thread(
    request: Request, services: ServicesDep, user: AgentUser, thread_id: str
) -> dict[str, Any]:
    """One of the caller's threads (an Ad Forge session or a ChatKit thread alike)."""
    return await thread_json(services, await thread_or_404(request, services, user, thread_id))


class ThreadPatch(BaseModel):
    """``PATCH /threads/{id}``."""

    metadata: dict[str, Any] = Field(default_factory=dict)


@router.patch("/threads/{thread_id}")
async def patch_thread(
    request: Request, services: ServicesDep, user: AgentUser, thread_id: str, body: ThreadPatch
) -> dict[str, Any]:
    """Merge metadata into the thread's."""
    await thread_or_404(request, services, user, thread_id)
    head = await services.store.head_seq(thread_id)
    data = {"metadata": body.metadata}
    await services.store.append(thread_id, [event(thread_id, THREAD_UPDATED, data, head)])
    return await thread_json(services, await thread_or_404(request, services, user, thread_id))


@router.delete("/threads/{thread_id}", status_code=204)
async def delete_thread(
    request: Request, services: ServicesDep, user: AgentUser, thread_id: str
) -> Response:
    """Delete the thread on every protocol; 409 while a run is busy on it."""
    await thread_or_404(request, services, user, thread_id)
    if services.runs.busy(thread_id):
        raise conflict("thread_busy", "the thread is running; cancel its run first")
    head = await services.store.head_seq(thread_id)
    gone = event(thread_id, EventType.THREAD_DELETED, {"userId": user.id}, "langgraph", head)
    await services.store.append(thread_id, [gone])
    return Response(status_code=204)


@router.post("/threads/{thread_id}/copy")
async def copy_thread(
    request: Request, services: ServicesDep, user: AgentUser, thread_id: str
) -> dict[str, Any]:
    """A new thread of the caller holding the same checkpoints (history included)."""
    record = await thread_or_404(request, services, user, thread_id)
    saver = services.runs.graphs[record.graph or "ad_workflow"].checkpointer
    if saver is None or isinstance(saver, bool):  # pragma: no cover - the runtime attaches one
        raise ApiError(503, "unavailable", "no checkpointer is attached")
    new_id = await create_thread(
        request, services, user, None, dict(record.metadata), graph=record.graph
    )
    config: Any = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
    tuples = [t async for t in saver.alist(config)]
    for saved in reversed(tuples):  # oldest first, so each parent exists before its child
        parent = (saved.parent_config or {}).get("configurable", {}).get("checkpoint_id")
        target: Any = {"configurable": {"thread_id": new_id, "checkpoint_ns": ""}}
        if parent:
            target["configurable"]["checkpoint_id"] = parent
        versions = saved.checkpoint.get("channel_versions", {})
        written = await saver.aput(target, saved.checkpoint, saved.metadata, versions)
        by_task: dict[str, list[tuple[str, Any]]] = defaultdict(list)
        for task_id, channel, value in saved.pending_writes or []:
            by_task[task_id].append((channel, value))
        for task_id, writes in by_task.items():
            await saver.aput_writes(written, writes, task_id)
    return await thread_json(services, await thread_or_404(request, services, user, new_id))
