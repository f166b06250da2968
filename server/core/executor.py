"""One run's execution: open the turn, stream the graph into the log, close the turn.

Order of the record (design invariant 13): a task's events are appended only once the
checkpointer has committed the task's writes (``DurableWrites``), so the log never shows what the
graph does not hold; a crash between the two is repaired at recovery by deriving the missing
events from those writes (``server.core.recorded``). Status reports and streamed tokens are
progress, not state, and are appended as they come.

How a run ends: ``RunCompleted``, ``RunFailed`` (the model failed, or a queued message no longer
fits the step), or ``RunCancelled`` — only for an explicit cancel. A run stopped by a shutdown
records no end at all: it is unfinished, and ``RunManager.recover`` finishes it at next start.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.types import Command, StreamMode

from graph.context import Context
from graph.structured import CreativeGenerationError
from server.core.eventlog import NewEvent
from server.core.events import EventType, event
from server.core.persistence import DurableWrites
from server.core.recorded import RUN_ID_KEY, derive_run_events
from server.core.runs import RunManager, RunRequest, terminal
from server.core.translate import RunTranslator, message_id_for

__all__ = ["execute"]

log = logging.getLogger(__name__)

_TOKEN_STREAMING = frozenset({"ad_assistant"})
"""Graphs whose model output is text for the user, streamed token by token (``messages`` mode);
the workflow's model calls return structured JSON that only its finished steps show."""


def _theme_of(request: RunRequest) -> str | None:
    """The theme a ``theme`` run switches to (also when it is recovered after a crash)."""
    payload = request.payload or {}
    if request.kind == "recover" and payload.get("original") == "theme":
        payload = payload.get("payload") or {}
    elif request.kind != "theme":
        return None
    theme = payload.get("theme")
    return str(theme) if theme else None


def _reply_of(request: RunRequest) -> str | None:
    """The clarifying text a ``reply`` run answers with (no graph step: the choice stays open)."""
    payload = request.payload or {}
    if request.kind == "recover" and payload.get("original") == "reply":
        payload = payload.get("payload") or {}
    elif request.kind != "reply":
        return None
    text = payload.get("text")
    return str(text) if text else None


async def _graph_input(manager: RunManager, request: RunRequest, config: RunnableConfig) -> Any:
    """What to stream the graph with; ``False`` when the run takes no graph step."""
    if request.kind == "start":
        return request.payload
    if request.kind == "resume":
        return Command(resume=request.payload)
    if request.kind == "continue":  # after a cancelled or failed run: pick up where it stopped
        return None
    if request.kind in ("theme", "reply"):
        return False
    original = request.payload or {}
    if original.get("original") in ("theme", "reply"):
        return False
    snapshot = await manager.graphs[request.graph].aget_state(config)
    last_run = (snapshot.metadata or {}).get(RUN_ID_KEY)
    if original.get("original") == "start" and (
        not snapshot.values or (last_run is not None and last_run != request.run_id)
    ):  # the run never wrote a checkpoint: its input was never applied
        return original.get("payload")
    if original.get("original") == "resume" and any(
        i.id == request.interrupt_id for i in snapshot.interrupts
    ):
        return Command(resume=original.get("payload"))
    # ``next`` omits tasks whose writes were saved before the crash but whose step's
    # checkpoint was not: those still need the graph to continue, so they count as work.
    return None if snapshot.next or snapshot.tasks else False


def _saver_of(manager: RunManager, request: RunRequest) -> BaseCheckpointSaver[Any] | None:
    saver = manager.graphs[request.graph].checkpointer
    return saver if isinstance(saver, BaseCheckpointSaver) else None


def _failure(request: RunRequest, code: str, message: str, *, retryable: bool) -> NewEvent:
    error = {"code": code, "message": message, "retryable": retryable}
    return terminal(request, EventType.RUN_FAILED, {"error": error})


def _opening(request: RunRequest, response_id: str) -> list[NewEvent]:
    thread_id, run_id = request.thread_id, request.run_id
    started = {
        "runId": run_id,
        "kind": request.kind,
        "payload": request.payload,
        "userId": request.user_id,
        "interruptId": request.interrupt_id,
        "productName": request.product_name,
        "graph": request.graph,
        "checkpointId": request.checkpoint_id,
    }
    return [
        event(thread_id, EventType.RUN_STARTED, started, run_id, run_id=run_id),
        event(
            thread_id, EventType.RESPONSE_STARTED, {"messageId": response_id}, run_id, run_id=run_id
        ),
    ]


async def _stream(
    manager: RunManager,
    request: RunRequest,
    translator: RunTranslator,
    config: RunnableConfig,
    payload: Any,
) -> None:
    """Stream the graph, appending each task's events once its writes are durable."""
    graph = manager.graphs[request.graph]
    saver = _saver_of(manager, request)
    durable: DurableWrites | None = getattr(saver, "durable", None)
    modes: list[StreamMode] = ["tasks", "custom"]
    if request.graph in _TOKEN_STREAMING:
        modes.append("messages")
    async for streamed in graph.astream(
        payload,
        config,
        context=Context(model=manager.model, user_id=request.user_id),
        stream_mode=modes,
        durability="sync",
        version="v2",
    ):
        part: dict[str, Any] = dict(streamed)
        if events := translator.translate(part):
            if durable is not None and part["type"] == "tasks":
                await durable.wait(request.thread_id, part["data"]["id"])
            await manager.store.append(request.thread_id, events)


async def execute(manager: RunManager, request: RunRequest) -> None:
    """Run ``request`` to its end and record it; the manager's task for one run."""
    thread_id, run_id = request.thread_id, request.run_id
    response_id = message_id_for(thread_id, run_id, "response")
    translator = RunTranslator(thread_id, run_id, response_id, request.product_name)
    saver = _saver_of(manager, request)
    durable: DurableWrites | None = getattr(saver, "durable", None)
    if durable is not None:
        durable.forget(thread_id)
    graph = manager.graphs[request.graph]
    if request.kind == "recover" and request.checkpoint_id is not None:
        # A fork (ChatKit retry) that crashed: redo it from the fork point unless it had
        # already written a checkpoint of its own, then go on from the thread's head.
        head = await graph.aget_state({"configurable": {"thread_id": thread_id}})
        if (head.metadata or {}).get(RUN_ID_KEY) == run_id:
            request.checkpoint_id = None
    configurable: dict[str, Any] = {"thread_id": thread_id}
    if request.checkpoint_id is not None:
        configurable["checkpoint_id"] = request.checkpoint_id
    config: RunnableConfig = {"configurable": configurable, "metadata": {RUN_ID_KEY: run_id}}
    refusal: Exception | None = None
    if request.prepare is not None:
        try:
            await request.prepare()
        except Exception as error:  # a queued message that no longer fits the step
            refusal = error
    closing: list[NewEvent] = []
    try:
        await manager.store.append(thread_id, _opening(request, response_id))
        if refusal is not None:
            raise refusal
        if request.kind == "recover" and saver is not None:
            # What the graph holds of this run but the log does not show yet (a crash between a
            # commit of writes and the append of their events).
            await manager.store.append(thread_id, await derive_run_events(saver, translator))
        payload = await _graph_input(manager, request, config)
        if theme := _theme_of(request):
            switched = {"theme": theme, "messageId": response_id}
            await manager.store.append(
                thread_id,
                [event(thread_id, EventType.THEME_SWITCHED, switched, run_id, run_id=run_id)],
            )
        if reply := _reply_of(request):
            said = {"messageId": response_id, "content": reply}
            await manager.store.append(
                thread_id,
                [event(thread_id, EventType.CLARIFICATION_ASKED, said, run_id, run_id=run_id)],
            )
        if payload is not False:
            await _stream(manager, request, translator, config, payload)
        closing.append(terminal(request, EventType.RUN_COMPLETED, {}))
    except asyncio.CancelledError:
        if manager.stopping and run_id not in manager.cancelled:
            # A graceful stop: record no end. The run is recovered at the next start-up.
            manager.finish(request)
            raise
        closing.extend(translator.assistant.pending())  # keep the text streamed so far
        closing.append(terminal(request, EventType.RUN_CANCELLED, {}))
    except CreativeGenerationError as error:
        closing.append(_failure(request, "ai_generation_error", str(error), retryable=True))
    except Exception as error:
        if error is refusal:
            code = str(getattr(error, "code", "message_refused"))
            closing.append(_failure(request, code, str(error), retryable=False))
        else:
            log.exception("run %s of session %s failed", run_id, thread_id)
            failure = f"{type(error).__name__}: {error}"
            closing.append(_failure(request, "run_failed", failure, retryable=True))
    closing.append(
        event(
            thread_id,
            EventType.RESPONSE_COMPLETED,
            {"messageId": response_id},
            run_id,
            run_id=run_id,
        )
    )
    request.closing = True
    try:
        await asyncio.shield(manager.store.append(thread_id, closing))
    finally:
        if durable is not None:
            durable.forget(thread_id)
        manager.finish(request)
    if manager.after_run is not None:
        await manager.after_run(request)  # media jobs the run asked for
