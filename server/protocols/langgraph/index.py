"""Every conversation as an Agent Protocol thread: a fold over the log, kept by this adapter.

One conversation, every protocol: an Ad Forge session (``SessionStarted``), a ChatKit thread
(``ChatThreadStarted``) and a thread created here (``AgentThreadCreated``) are all threads, owned
by the user who started them; a ``ThreadDeleted`` from any protocol removes it everywhere. The
fold is incremental — each read first applies the events appended since the last one
(``read_all`` after its position) — so it stays in step with the log without a projection of
its own in the core.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from typing import Any, Final

from fastapi import Request

from server.core.event_types import EVENT_TYPES
from server.core.event_types.base import EventPayload, OwnedPayload
from server.core.eventlog import EventStore, RecordedEvent
from server.core.events import EventType

__all__ = [
    "THREAD_CREATED",
    "THREAD_UPDATED",
    "ThreadIndex",
    "ThreadRecord",
    "index_of",
]

THREAD_CREATED: Final = "AgentThreadCreated"
"""A thread created over the Agent Protocol: ``{threadId, userId, metadata}``."""
THREAD_UPDATED: Final = "AgentThreadUpdated"
"""Its metadata patched: ``{metadata}`` merged into what it had."""


class AgentThreadCreated(OwnedPayload):
    """A thread created over the Agent Protocol (this adapter's own event type)."""

    type_name = THREAD_CREATED
    thread_id: str
    metadata: dict[str, Any]
    graph: str | None = None


class AgentThreadUpdated(EventPayload):
    """A thread's metadata patched over the Agent Protocol."""

    type_name = THREAD_UPDATED
    metadata: dict[str, Any]


EVENT_TYPES.register(AgentThreadCreated)  # a protocol's own facts are typed like the core's
EVENT_TYPES.register(AgentThreadUpdated)

_ENDS = {
    EventType.RUN_COMPLETED: "success",
    EventType.RUN_FAILED: "error",
    EventType.RUN_CANCELLED: "interrupted",
}


@dataclass(frozen=True, slots=True)
class ThreadRecord:
    """What the log says of one thread."""

    thread_id: str
    user_id: str
    created_at: str
    updated_at: str
    metadata: dict[str, Any] = field(default_factory=dict)
    graph: str | None = None
    """The graph whose state the thread holds, once known (a session is ``ad_workflow``)."""
    last_outcome: str | None = None
    """How its last run ended: success, error or interrupted (cancelled)."""


class ThreadIndex:
    """Threads by id, folded from the log on demand."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.threads: dict[str, ThreadRecord] = {}
        self._position = 0
        self._lock = asyncio.Lock()

    async def refresh(self) -> dict[str, ThreadRecord]:
        """Apply the events appended since the last read; the threads as the log now holds them."""
        async with self._lock:
            while page := await self.store.read_all(after_position=self._position, limit=1000):
                for recorded in page:
                    self._apply(recorded)
                    self._position = recorded.position
        return self.threads

    async def get(self, thread_id: str, user_id: str) -> ThreadRecord | None:
        """The thread if it exists and belongs to ``user_id`` (another user's is not there)."""
        found = (await self.refresh()).get(thread_id)
        return found if found is not None and found.user_id == user_id else None

    def _apply(self, e: RecordedEvent) -> None:
        d, tid = e.data, e.thread_id
        known = self.threads.get(tid)
        if e.type in (THREAD_CREATED, EventType.SESSION_STARTED, EventType.CHAT_THREAD_STARTED):
            if known is None:
                graph = d.get("graph") or ("ad_workflow" if "sessionId" in d else None)
                self.threads[tid] = ThreadRecord(
                    thread_id=tid,
                    user_id=str(d.get("userId", "local")),
                    created_at=e.created_at,
                    updated_at=e.created_at,
                    metadata=dict(d.get("metadata") or {}),
                    graph=graph,
                )
            return
        if known is None:
            return
        if e.type == EventType.THREAD_DELETED:
            del self.threads[tid]
            return
        changes: dict[str, Any] = {"updated_at": e.created_at}
        if e.type == THREAD_UPDATED:
            changes["metadata"] = {**known.metadata, **(d.get("metadata") or {})}
        elif e.type == EventType.RUN_STARTED:
            changes["graph"] = d.get("graph") or known.graph
            changes["last_outcome"] = None
        elif e.type in _ENDS:
            changes["last_outcome"] = _ENDS[e.type]
        self.threads[tid] = replace(known, **changes)


def index_of(request: Request, store: EventStore) -> ThreadIndex:
    """The app's thread index, made on first use."""
    found = getattr(request.app.state, "langgraph_threads", None)
    if not isinstance(found, ThreadIndex) or found.store is not store:
        found = ThreadIndex(store)
        request.app.state.langgraph_threads = found
    return found
