"""Runs as the protocol shows them: status from the log, request details kept while they matter.

A run's facts are in the log — ``RunStarted`` (by whichever protocol), then one of
``RunCompleted``/``RunFailed``/``RunCancelled`` — so a web-app turn is a run here too, and a run
survives a restart. What only this protocol asked for (the assistant id, metadata, stream modes,
the multitask strategy) is kept in memory beside it: after a restart a run shows the graph's
assistant and no metadata. Statuses are the protocol's: ``pending`` (queued, not started),
``running``, ``success`` (also when it stopped at an ``interrupt()``), ``error``, ``interrupted``
(cancelled).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from server.core.eventlog import EventStore, RecordedEvent
from server.core.events import EventType, event_id
from server.core.runs import TERMINAL
from server.core.services import Services
from server.protocols.langgraph.assistants import assistant_id_of

__all__ = ["AgentRun", "RunBook", "book_of", "run_json", "runs_of_thread", "terminal_of"]

_STATUS = {
    EventType.RUN_COMPLETED: "success",
    EventType.RUN_FAILED: "error",
    EventType.RUN_CANCELLED: "interrupted",
}


@dataclass
class AgentRun:
    """What a run created over the Agent Protocol asked for."""

    run_id: str
    thread_id: str
    graph: str
    created_at: str
    metadata: dict[str, Any] = field(default_factory=dict)
    stream_mode: list[str] = field(default_factory=lambda: ["values"])
    multitask_strategy: str = "enqueue"
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunBook:
    """Runs created here, by id; rolled-back runs, which the protocol no longer shows."""

    runs: dict[str, AgentRun] = field(default_factory=dict)
    rolled_back: set[str] = field(default_factory=set)
    limit: int = 10_000
    """Runs remembered; the oldest are forgotten first (their facts stay in the log)."""

    def add(self, run: AgentRun) -> None:
        """Remember ``run``, forgetting the oldest beyond ``limit``."""
        self.runs[run.run_id] = run
        while len(self.runs) > self.limit:
            self.runs.pop(next(iter(self.runs)))


def book_of(request: Request) -> RunBook:
    """The app's run book, made on first use."""
    found = getattr(request.app.state, "langgraph_runs", None)
    if not isinstance(found, RunBook):
        found = RunBook()
        request.app.state.langgraph_runs = found
    return found


async def started_of(store: EventStore, thread_id: str, run_id: str) -> RecordedEvent | None:
    """The run's ``RunStarted`` event, once it has started."""
    return await store.find(event_id(thread_id, EventType.RUN_STARTED, run_id))


async def terminal_of(store: EventStore, thread_id: str, run_id: str) -> RecordedEvent | None:
    """The event that ended the run, if it has ended."""
    for type_ in TERMINAL:
        found = await store.find(event_id(thread_id, type_, run_id))
        if found is not None and found.thread_id == thread_id:
            return found
    return None


async def run_json(
    services: Services, book: RunBook, thread_id: str, run_id: str
) -> dict[str, Any] | None:
    """The protocol's ``Run``, or None when the thread has no such (visible) run."""
    if run_id in book.rolled_back:
        return None
    known = book.runs.get(run_id)
    started = await started_of(services.store, thread_id, run_id)
    if known is None and (started is None or started.thread_id != thread_id):
        return None
    if known is not None and known.thread_id != thread_id:
        return None
    ended = await terminal_of(services.store, thread_id, run_id)
    if ended is not None:
        status = _STATUS[ended.type]
    elif started is not None:
        status = "running"
    else:
        status = "pending"
    graph = known.graph if known else str((started.data if started else {}).get("graph"))
    created = known.created_at if known else (started.created_at if started else "")
    return {
        "run_id": run_id,
        "thread_id": thread_id,
        "assistant_id": assistant_id_of(graph),
        "created_at": created,
        "updated_at": ended.created_at if ended else created,
        "status": status,
        "metadata": known.metadata if known else {},
        "kwargs": known.kwargs if known else {},
        "multitask_strategy": known.multitask_strategy if known else "reject",
    }


async def runs_of_thread(services: Services, book: RunBook, thread_id: str) -> list[str]:
    """The thread's run ids, newest first: those started (any protocol) and those still queued."""
    started = [
        e.run_id
        for e in await services.store.read_thread(thread_id)
        if e.type == EventType.RUN_STARTED and e.run_id
    ]
    queued = [r.run_id for r in book.runs.values() if r.thread_id == thread_id]
    ids = list(dict.fromkeys([*started, *queued]))
    return [r for r in reversed(ids) if r not in book.rolled_back]
