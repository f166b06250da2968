"""Runs: background tasks that stream a graph into the event log, one at a time per thread.

A run is never the HTTP request (design.md invariant 3): the request appends the user's message,
submits a run and reads the log; a client that disconnects only stops reading. LangGraph does not
guard a thread against two concurrent resumes (invariant 4), so the manager serialises runs per
thread: a second submission is refused (409) or queued when the caller asks to enqueue. Runs left
unfinished by a crash are finished at start-up from their checkpoint under the same run id, and
because event ids derive from LangGraph task ids, no event is recorded twice.

Each run names its graph: ``ad_workflow`` (Ad Forge sessions, guided ChatKit threads) or
``ad_assistant`` (ChatKit threads); a thread always runs the same one, since both share the
checkpointer and one graph cannot read the other's checkpoints. Checkpoints carry the run id in
their metadata (``RUN_ID_KEY``), which is how a ChatKit retry finds where a message's run began
and forks from there (``RunRequest.checkpoint_id``).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command, StreamMode

from graph.context import Context
from graph.structured import CreativeGenerationError
from server.core.eventlog import EventStore, NewEvent
from server.core.events import EventType, event
from server.core.metrics import RunWatch
from server.core.translate import RunTranslator, message_id_for

__all__ = ["RUN_ID_KEY", "RunManager", "RunRequest", "ThreadBusyError"]

log = logging.getLogger(__name__)

RunKind = Literal["start", "resume", "continue", "recover", "theme"]
_TERMINAL = (EventType.RUN_COMPLETED, EventType.RUN_FAILED, EventType.RUN_CANCELLED)
RUN_ID_KEY = "adforge_run_id"
"""Checkpoint metadata key holding the id of the run that wrote the checkpoint."""
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


class ThreadBusyError(RuntimeError):
    """A run is already active on this thread and the caller did not ask to enqueue."""

    def __init__(self, thread_id: str, run_id: str) -> None:
        super().__init__(f"session {thread_id} is already running {run_id}")
        self.thread_id = thread_id
        self.run_id = run_id


@dataclass
class RunRequest:
    """What to run on a thread: the workflow's input, or the answer to its pending interrupt."""

    thread_id: str
    user_id: str
    kind: RunKind
    payload: dict[str, Any] | None = None
    interrupt_id: str | None = None
    product_name: str = ""
    run_id: str = field(default_factory=lambda: f"run-{uuid.uuid4().hex[:16]}")
    done: asyncio.Event = field(default_factory=asyncio.Event)
    closing: bool = False
    """Set once the graph is done and only the closing events remain to be appended."""
    prepare: Callable[[], Awaitable[None]] | None = None
    """Fills ``kind``/``payload``/``interrupt_id`` when the run starts (a queued chat message is
    read against the step the previous run left, not the step at the time it was sent)."""
    graph: str = "ad_workflow"
    """The graph that runs this thread (``ad_workflow`` or ``ad_assistant``)."""
    checkpoint_id: str | None = None
    """Run from this checkpoint instead of the thread's latest: a fork (ChatKit retry)."""


AfterRun = Callable[[RunRequest], Awaitable[None]]


class RunManager:
    """Starts, queues, cancels and recovers runs of ``ad_workflow`` and ``ad_assistant``."""

    def __init__(
        self,
        store: EventStore,
        graph: CompiledStateGraph[Any, Any, Any, Any],
        *,
        model: str,
        after_run: AfterRun | None = None,
        graphs: Mapping[str, CompiledStateGraph[Any, Any, Any, Any]] | None = None,
    ) -> None:
        self.store = store
        self.graph = graph
        """``ad_workflow``, which Ad Forge sessions and the media jobs read state from."""
        self.graphs = {"ad_workflow": graph, **(graphs or {})}
        self.model = model
        self.after_run = after_run
        self._active: dict[str, tuple[RunRequest, asyncio.Task[None]]] = {}
        self._queued: dict[str, deque[RunRequest]] = {}
        self._runs: dict[str, RunRequest] = {}
        self._cancelled: set[str] = set()

    def active_run(self, thread_id: str) -> str | None:
        """The id of the run executing on this thread, if any."""
        entry = self._active.get(thread_id)
        return entry[0].run_id if entry else None

    def busy(self, thread_id: str) -> bool:
        """True while a run executes or waits in the thread's queue.

        A run whose graph has finished and that is only appending its closing events is not
        busy: a client that has just read ``ai_response_complete`` may answer at once, and its
        run is queued behind those last appends instead of being refused.
        """
        entry = self._active.get(thread_id)
        return (entry is not None and not entry[0].closing) or bool(self._queued.get(thread_id))

    def submit(
        self, request: RunRequest, *, multitask: Literal["reject", "enqueue"] = "reject"
    ) -> RunRequest:
        """Start ``request`` now, queue it behind the active run, or refuse it."""
        if request.graph not in self.graphs:
            raise ValueError(f"unknown graph {request.graph!r}; known: {sorted(self.graphs)}")
        self._runs[request.run_id] = request
        if self.busy(request.thread_id):
            if multitask == "reject":
                active = self.active_run(request.thread_id) or "a queued run"
                raise ThreadBusyError(request.thread_id, active)
            self._queued.setdefault(request.thread_id, deque()).append(request)
            return request
        if request.thread_id in self._active:  # closing: start right after its last appends
            self._queued.setdefault(request.thread_id, deque()).append(request)
            return request
        self._start(request)
        return request

    async def wait(self, run_id: str, timeout: float | None = None) -> None:
        """Until the run has finished (completed, failed or cancelled)."""
        await asyncio.wait_for(self._runs[run_id].done.wait(), timeout)

    async def cancel(self, thread_id: str, run_id: str) -> bool:
        """Cancel a queued or running run by id; False when it is not (or no longer) running."""
        queue = self._queued.get(thread_id, deque())
        for queued in list(queue):
            if queued.run_id == run_id:
                queue.remove(queued)
                await self.store.append(
                    thread_id, [self._terminal(queued, EventType.RUN_CANCELLED, {})]
                )
                queued.done.set()
                return True
        entry = self._active.get(thread_id)
        if entry is None or entry[0].run_id != run_id:
            return False
        if run_id not in self._cancelled:
            # Once only: a second cancel would land in the run's own cleanup (LangGraph writing
            # its last checkpoint, the closing events) and could leave a SQLite transaction, and
            # its lock, open. ``Task.cancelling()`` cannot tell: LangGraph's task groups uncancel.
            self._cancelled.add(run_id)
            entry[1].cancel()
        await asyncio.gather(entry[1], return_exceptions=True)
        return True

    async def shutdown(self) -> None:
        """Stop accepting work; runs still executing are cancelled and finished at next start-up."""
        tasks = [task for _, task in self._active.values()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def recover(self) -> int:
        """Finish runs a crash interrupted: every RunStarted without a terminal event."""
        started: dict[str, Any] = {}
        for recorded in await self.store.read_all():
            if recorded.type == EventType.RUN_STARTED:
                started[recorded.data["runId"]] = recorded
            elif recorded.type in _TERMINAL:
                started.pop(str(recorded.data.get("runId", recorded.run_id)), None)
        for recorded in started.values():
            d = recorded.data
            request = RunRequest(
                thread_id=recorded.thread_id,
                user_id=d.get("userId", "local"),
                kind="recover",
                payload={"original": d.get("kind"), "payload": d.get("payload")},
                interrupt_id=d.get("interruptId"),
                product_name=d.get("productName", ""),
                run_id=d["runId"],
                graph=d.get("graph", "ad_workflow"),
                checkpoint_id=d.get("checkpointId"),
            )
            log.warning(
                "recovering run %s of session %s after a crash", request.run_id, request.thread_id
            )
            self.submit(request, multitask="enqueue")
        return len(started)

    # --- execution ------------------------------------------------------------------------------

    def _start(self, request: RunRequest) -> None:
        task = asyncio.create_task(self._execute(request), name=f"adforge-run-{request.run_id}")
        self._active[request.thread_id] = (request, task)

    def _terminal(self, request: RunRequest, type_: str, data: dict[str, Any]) -> NewEvent:
        return event(
            request.thread_id,
            type_,
            {"runId": request.run_id, **data},
            request.run_id,
            run_id=request.run_id,
        )

    async def _graph_input(self, request: RunRequest, config: RunnableConfig) -> Any:
        graph = self.graphs[request.graph]
        if request.kind == "start":
            return request.payload
        if request.kind == "resume":
            return Command(resume=request.payload)
        if request.kind == "continue":  # after a cancelled or failed run: pick up where it stopped
            return None
        if request.kind == "theme":  # switch_theme: no graph step, only its event
            return False
        original = request.payload or {}
        if original.get("original") == "theme":
            return False
        snapshot = await graph.aget_state(config)
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

    async def _execute(self, request: RunRequest) -> None:
        thread_id, run_id = request.thread_id, request.run_id
        watch = RunWatch(request.graph, run_id, thread_id, request.user_id)
        response_id = message_id_for(thread_id, run_id, "response")
        translator = RunTranslator(thread_id, run_id, response_id, request.product_name)
        graph = self.graphs[request.graph]
        if request.kind == "recover" and request.checkpoint_id is not None:
            # A fork (ChatKit retry) that crashed: redo it from the fork point unless it had
            # already written a checkpoint of its own, then go on from the thread's head.
            head = await graph.aget_state({"configurable": {"thread_id": thread_id}})
            if (head.metadata or {}).get(RUN_ID_KEY) == run_id:
                request.checkpoint_id = None
        configurable: dict[str, Any] = {"thread_id": thread_id}
        if request.checkpoint_id is not None:
            configurable["checkpoint_id"] = request.checkpoint_id
        config: RunnableConfig = {
            "configurable": configurable,
            "metadata": {RUN_ID_KEY: run_id},
        }
        modes: list[StreamMode] = ["tasks", "custom"]
        if request.graph in _TOKEN_STREAMING:
            modes.append("messages")
        refusal: Exception | None = None
        if request.prepare is not None:
            try:
                await request.prepare()
            except Exception as error:  # a queued message that no longer fits the step
                refusal = error
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
        opening = [event(thread_id, EventType.RUN_STARTED, started, run_id, run_id=run_id)]
        opening.append(
            event(
                thread_id,
                EventType.RESPONSE_STARTED,
                {"messageId": response_id},
                run_id,
                run_id=run_id,
            )
        )
        closing: list[NewEvent] = []
        try:
            await self.store.append(thread_id, opening)
            if refusal is not None:
                raise refusal
            payload = await self._graph_input(request, config)
            if theme := _theme_of(request):
                switched = {"theme": theme, "messageId": response_id}
                await self.store.append(
                    thread_id,
                    [event(thread_id, EventType.THEME_SWITCHED, switched, run_id, run_id=run_id)],
                )
            if payload is not False:
                async for part in graph.astream(
                    payload,
                    config,
                    context=Context(model=self.model, user_id=request.user_id),
                    stream_mode=modes,
                    durability="sync",
                    version="v2",
                ):
                    if events := translator.translate(dict(part)):
                        watch.frame()
                        await self.store.append(thread_id, events)
            closing.append(self._terminal(request, EventType.RUN_COMPLETED, {}))
        except asyncio.CancelledError:
            closing.extend(translator.assistant.pending())  # keep the text streamed so far
            closing.append(self._terminal(request, EventType.RUN_CANCELLED, {}))
        except CreativeGenerationError as error:
            closing.append(
                self._failure(request, "ai_generation_error", str(error), retryable=True)
            )
        except Exception as error:
            if error is refusal:
                code = str(getattr(error, "code", "message_refused"))
                closing.append(self._failure(request, code, str(error), retryable=False))
            else:
                log.exception("run %s of session %s failed", run_id, thread_id)
                failure = f"{type(error).__name__}: {error}"
                closing.append(self._failure(request, "run_failed", failure, retryable=True))
        watch.finish(closing[-1].type)
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
            await asyncio.shield(self.store.append(thread_id, closing))
        finally:
            self._finish(request)
        if self.after_run is not None:
            await self.after_run(request)  # media jobs the run asked for

    def _failure(
        self, request: RunRequest, code: str, message: str, *, retryable: bool
    ) -> NewEvent:
        error = {"code": code, "message": message, "retryable": retryable}
        return self._terminal(request, EventType.RUN_FAILED, {"error": error})

    def _finish(self, request: RunRequest) -> None:
        self._active.pop(request.thread_id, None)
        self._cancelled.discard(request.run_id)
        request.done.set()
        queue = self._queued.get(request.thread_id)
        if queue:
            self._start(queue.popleft())
        elif queue is not None:
            self._queued.pop(request.thread_id, None)
