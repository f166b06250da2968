"""Starting a run from an Agent Protocol request: the body read into a core ``RunRequest``.

A run goes through the core like every protocol's turn: the thread is reserved before anything
is read or recorded (``RunManager.reserve``), so a refused run (409, 4xx) leaves no trace, and
the executor records the run in the log, where the Ad Forge API and ChatKit see it too.

``input`` starts the graph; ``command.resume`` answers the pending interrupt; ``command.update``
writes state first (``aupdate_state``) and continues from there; no input continues from the
head. ``checkpoint`` forks from an older checkpoint. Multitask: ``reject`` (409), ``enqueue``
(the core's queue), ``interrupt`` (cancel the running run, then run), ``rollback`` (cancel it,
hide it, and run from the checkpoint it started from: AdForge never deletes checkpoints).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field

from server.core.errors import ApiError, conflict, invalid, not_found
from server.core.recorded import RUN_ID_KEY
from server.core.runs import RunRequest, ThreadBusyError
from server.core.services import Services
from server.core.users import User
from server.protocols.langgraph.assistants import graph_of_assistant
from server.protocols.langgraph.frames import parse_modes, run_snapshots
from server.protocols.langgraph.index import index_of
from server.protocols.langgraph.run_book import AgentRun, RunBook
from server.protocols.langgraph.state import config_for
from server.protocols.langgraph.threads import create_thread

__all__ = ["BUSY_MESSAGE", "RunCreate", "Started", "start_run"]

BUSY_MESSAGE = (
    "Thread is already running a task. Wait for it to finish or choose a different multitask "
    "strategy."
)
"""langgraph-api's 409 text (``models/run.py``)."""


class RunCreate(BaseModel):
    """The run-create body (``RunCreateStateful``); fields AdForge does not use are ignored."""

    model_config = ConfigDict(extra="ignore")

    assistant_id: str
    input: Any = None
    command: dict[str, Any] | None = None
    checkpoint: dict[str, Any] | None = None
    checkpoint_id: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    config: dict[str, Any] | None = None
    context: dict[str, Any] | None = None
    stream_mode: str | list[str] | None = None
    stream_subgraphs: bool = False
    stream_resumable: bool = False
    multitask_strategy: Literal["reject", "interrupt", "rollback", "enqueue"] = "enqueue"
    if_not_exists: Literal["create", "reject"] = "reject"
    on_disconnect: Literal["cancel", "continue"] = "continue"
    interrupt_before: str | list[str] | None = None
    interrupt_after: str | list[str] | None = None
    durability: Literal["sync", "async", "exit"] | None = None


class Started(BaseModel):
    """A submitted run and the log cursor its frames follow."""

    run_id: str
    thread_id: str
    graph: str
    cursor: int
    modes: list[str]


def _check(body: RunCreate) -> None:
    if body.input is not None and body.command is not None:
        raise ApiError(400, "bad_request", "send either input or command, not both")
    if body.config and body.config.get("configurable") and body.context:
        raise ApiError(400, "bad_request", "send configurable in config or context, not both")
    if body.interrupt_before or body.interrupt_after:
        raise invalid(
            "interrupt_before/interrupt_after are not supported: AdForge's graphs pause at their "
            "own interrupts",
            code="unsupported",
        )
    command = body.command or {}
    if command.get("goto") is not None:
        raise invalid("command.goto is not supported by AdForge's runs", code="unsupported")
    if "resume" in command and command.get("update") is not None:
        raise invalid("send command.resume or command.update, not both", code="unsupported")


async def _free_thread(
    services: Services, book: RunBook, thread_id: str, rollback: bool
) -> str | None:
    """Cancel what runs on the thread (multitask interrupt/rollback); a rollback's fork point."""
    active = services.runs.active_run(thread_id)
    queued = [
        r.run_id for r in book.runs.values() if r.thread_id == thread_id and r.run_id != active
    ]
    fork: str | None = None
    for run_id in [*queued, *([active] if active else [])]:
        if rollback and run_id == active:
            graph = services.runs.graphs[
                book.runs[run_id].graph if run_id in book.runs else "ad_workflow"
            ]
            start, _ = await run_snapshots(graph, thread_id, run_id)
            if start is not None and start.config:
                fork = start.config["configurable"].get("checkpoint_id")
        if await services.runs.cancel(thread_id, run_id) and rollback:
            book.rolled_back.add(run_id)
    return fork


async def _plan(services: Services, run: RunRequest, body: RunCreate, *, now: bool) -> None:
    """Fill the run's kind and payload from the body (read under the thread's reservation)."""
    command = body.command or {}
    graph = services.runs.graphs[run.graph]
    if "resume" in command:
        run.kind, run.payload = "resume", command["resume"]
        if now:
            snapshot = await graph.aget_state(config_for(run.thread_id))
            if not snapshot.interrupts:
                raise conflict("nothing_to_resume", "the thread has no pending interrupt")
            run.interrupt_id = snapshot.interrupts[0].id
    elif command.get("update") is not None:
        update = command["update"]
        if isinstance(update, list):  # [[key, value], ...]
            update = {str(k): v for k, v in update}
        point = {"checkpoint_id": run.checkpoint_id} if run.checkpoint_id else None

        async def write() -> None:  # never under a running graph: now, or when the run starts
            config = config_for(run.thread_id, point)
            config["metadata"] = {RUN_ID_KEY: run.run_id}  # the update is the run's first step
            await graph.aupdate_state(config, update)

        run.kind, run.payload, run.checkpoint_id = "continue", None, None
        if now:
            await write()
        else:
            run.prepare = write
    elif body.input is not None:
        run.kind, run.payload = "start", body.input
    else:
        run.kind, run.payload = "continue", None


async def start_run(
    request: Request,
    services: Services,
    book: RunBook,
    user: User,
    thread_id: str,
    body: RunCreate,
    *,
    default_modes: list[str],
) -> Started:
    """Submit the run the body asks for on the caller's thread, or refuse it leaving no trace."""
    _check(body)
    graph = graph_of_assistant(body.assistant_id)
    record = await index_of(request, services.store).get(thread_id, user.id)
    if record is None:
        if body.if_not_exists != "create":
            raise not_found("thread", thread_id)
        await create_thread(request, services, user, thread_id, {"graph_id": graph}, graph=graph)
    elif record.graph and record.graph != graph:
        raise conflict("wrong_graph", f"thread {thread_id} runs {record.graph}, not {graph}")
    strategy = body.multitask_strategy
    fork = None
    if strategy in ("interrupt", "rollback") and services.runs.busy(thread_id):
        fork = await _free_thread(services, book, thread_id, strategy == "rollback")
    multitask: Literal["reject", "enqueue"] = "reject" if strategy == "reject" else "enqueue"
    checkpoint_id = (body.checkpoint or {}).get("checkpoint_id") or body.checkpoint_id or fork
    try:
        async with services.runs.reserve(thread_id, multitask) as reservation:
            run = RunRequest(
                thread_id=thread_id,
                user_id=user.id,
                kind="start",
                run_id=str(uuid.uuid4()),
                graph=graph,
                checkpoint_id=checkpoint_id,
            )
            await _plan(services, run, body, now=reservation.now)
            cursor = await services.store.head_seq(thread_id)
            modes = parse_modes(body.stream_mode, default_modes)
            book.add(
                AgentRun(
                    run_id=run.run_id,
                    thread_id=thread_id,
                    graph=graph,
                    created_at=datetime.now(UTC).isoformat(),
                    metadata=body.metadata,
                    stream_mode=modes,
                    multitask_strategy=strategy,
                    kwargs={
                        "input": body.input,
                        "command": body.command,
                        "config": body.config or {},
                    },
                )
            )
            services.runs.submit(run, multitask=multitask, reservation=reservation)
    except ThreadBusyError as error:
        raise ApiError(409, "conflict", BUSY_MESSAGE) from error
    return Started(run_id=run.run_id, thread_id=thread_id, graph=graph, cursor=cursor, modes=modes)
