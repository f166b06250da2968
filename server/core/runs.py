"""Runs: background tasks that stream a graph into the event log, one at a time per thread.

A run is never the HTTP request (design.md invariant 3): a command records the user's message,
submits a run and the adapter reads the log; a client that disconnects only stops reading.
LangGraph does not guard a thread against two concurrent resumes (invariant 4), so the manager
serialises runs per thread. A command first *reserves* the thread (``RunManager.reserve``) —
before it reads state or records anything — so of fifty concurrent messages exactly one is
recorded and run and the others are refused with nothing recorded (invariant 12); a caller that
asks to enqueue gets a place in the thread's queue instead.

Runs left unfinished — by a crash, or by a graceful stop (SIGTERM, Ctrl-C), which leaves them
unfinished on purpose — are finished at the next start-up from their checkpoints under the same
run id (``recover``); only an explicit cancel cancels. Event ids derive from LangGraph task ids,
so no event is recorded twice. How one run executes is ``server.core.executor``.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from langgraph.graph.state import CompiledStateGraph

from server.core.eventlog import EventStore, NewEvent
from server.core.events import EventType, event
from server.core.recorded import RUN_ID_KEY

__all__ = ["RUN_ID_KEY", "Multitask", "Reservation", "RunManager", "RunRequest", "ThreadBusyError"]

log = logging.getLogger(__name__)

RunKind = Literal["start", "resume", "continue", "recover", "theme", "reply"]
Multitask = Literal["reject", "enqueue"]
TERMINAL = (EventType.RUN_COMPLETED, EventType.RUN_FAILED, EventType.RUN_CANCELLED)


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


@dataclass
class Reservation:
    """A command's hold on a thread, taken before it reads state or records anything.

    ``now`` is True when the command has the thread to itself (it may read the current step and
    its run starts as soon as the thread is free); False when it was enqueued behind another run,
    whose outcome it must read when its own run starts (``RunRequest.prepare``).
    """

    thread_id: str
    now: bool
    submitted: bool = False


AfterRun = Callable[[RunRequest], Awaitable[None]]
Executor = Callable[["RunManager", RunRequest], Awaitable[None]]


class RunManager:
    """Reserves threads, starts, queues, cancels and recovers runs of the graphs."""

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
        self.stopping = False
        """Set by ``shutdown``: runs stopped now are left unfinished, to be recovered."""
        self.cancelled: set[str] = set()
        """Runs an explicit cancel stopped (the only way a run is recorded as cancelled)."""
        self._active: dict[str, tuple[RunRequest, asyncio.Task[None]]] = {}
        self._queued: dict[str, deque[RunRequest]] = {}
        self._reserved: set[str] = set()
        self._runs: dict[str, RunRequest] = {}
        """Runs not yet finished, by id (finished ones are dropped: bounded bookkeeping)."""

    def active_run(self, thread_id: str) -> str | None:
        """The id of the run executing on this thread, if any."""
        entry = self._active.get(thread_id)
        return entry[0].run_id if entry else None

    def busy(self, thread_id: str) -> bool:
        """True while a run executes, waits in the thread's queue, or a command holds the thread.

        A run whose graph has finished and that is only appending its closing events is not
        busy: a client that has just read ``ai_response_complete`` may answer at once, and its
        run is queued behind those last appends instead of being refused.
        """
        entry = self._active.get(thread_id)
        return (
            (entry is not None and not entry[0].closing)
            or bool(self._queued.get(thread_id))
            or thread_id in self._reserved
        )

    def hold(self, thread_id: str, multitask: Multitask = "reject") -> Reservation:
        """Hold ``thread_id`` for one command; refuse at once when it is busy and may not queue.

        Nothing awaits between the check and the hold, so two commands can never both hold a
        thread. Pair with ``release`` (``reserve`` does both): by then the command has submitted
        its run (which keeps the thread busy) or recorded nothing.

        Raises:
            ThreadBusyError: the thread is busy and ``multitask`` is ``reject``.
        """
        if self.busy(thread_id):
            if multitask == "reject":
                raise ThreadBusyError(thread_id, self.active_run(thread_id) or "a queued run")
            return Reservation(thread_id, now=False)
        self._reserved.add(thread_id)
        return Reservation(thread_id, now=True)

    def release(self, reservation: Reservation) -> None:
        """End a hold (idempotent); a run enqueued meanwhile starts if ours was never submitted."""
        if reservation.now and reservation.thread_id in self._reserved:
            self._reserved.discard(reservation.thread_id)
            if not reservation.submitted:
                self._start_next(reservation.thread_id)

    @asynccontextmanager
    async def reserve(
        self, thread_id: str, multitask: Multitask = "reject"
    ) -> AsyncIterator[Reservation]:
        """``hold`` for the duration of the block, then ``release``."""
        reservation = self.hold(thread_id, multitask)
        try:
            yield reservation
        finally:
            self.release(reservation)

    def submit(
        self,
        request: RunRequest,
        *,
        multitask: Multitask = "reject",
        reservation: Reservation | None = None,
    ) -> RunRequest:
        """Start ``request`` now, queue it behind the active run, or refuse it."""
        if request.graph not in self.graphs:
            raise ValueError(f"unknown graph {request.graph!r}; known: {sorted(self.graphs)}")
        thread_id = request.thread_id
        held = reservation is not None and reservation.now and thread_id in self._reserved
        if reservation is not None:
            reservation.submitted = True
        if not held and self.busy(thread_id):
            if multitask == "reject":
                raise ThreadBusyError(thread_id, self.active_run(thread_id) or "a queued run")
            self._queue(request)
        elif thread_id in self._active:
            self._queue(request)  # behind a closing run: it starts right after the last appends
        else:
            self._runs[request.run_id] = request
            self._start(request)
        return request

    def _queue(self, request: RunRequest) -> None:
        self._runs[request.run_id] = request
        self._queued.setdefault(request.thread_id, deque()).append(request)

    async def wait(self, run_id: str, timeout: float | None = None) -> None:
        """Until the run has finished (completed, failed or cancelled); at once if it has."""
        request = self._runs.get(run_id)
        if request is not None:
            await asyncio.wait_for(request.done.wait(), timeout)

    async def cancel(self, thread_id: str, run_id: str) -> bool:
        """Cancel a queued or running run by id; False when it is not (or no longer) running."""
        queue = self._queued.get(thread_id, deque())
        for queued in list(queue):
            if queued.run_id == run_id:
                queue.remove(queued)
                await self.store.append(thread_id, [terminal(queued, EventType.RUN_CANCELLED, {})])
                self._runs.pop(run_id, None)
                queued.done.set()
                return True
        entry = self._active.get(thread_id)
        if entry is None or entry[0].run_id != run_id:
            return False
        if run_id not in self.cancelled:
            # Once only: a second cancel would land in the run's own cleanup (LangGraph writing
            # its last checkpoint, the closing events) and could leave a SQLite transaction, and
            # its lock, open. ``Task.cancelling()`` cannot tell: LangGraph's task groups uncancel.
            self.cancelled.add(run_id)
            entry[1].cancel()
        await asyncio.gather(entry[1], return_exceptions=True)
        return True

    async def shutdown(self) -> None:
        """Stop accepting work; runs still executing stop unfinished and resume at next start."""
        self.stopping = True
        self._queued.clear()  # their RunStarted is not recorded yet: their messages re-plan
        tasks = [task for _, task in self._active.values()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def recover(self) -> int:
        """Finish runs a crash or a graceful stop left: every RunStarted without a terminal."""
        unfinished = await self.store.unfinished_runs(EventType.RUN_STARTED, TERMINAL)
        for recorded in unfinished:
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
            log.warning("recovering run %s of session %s", request.run_id, request.thread_id)
            self.submit(request, multitask="enqueue")
        return len(unfinished)

    # --- execution ------------------------------------------------------------------------------

    def _start(self, request: RunRequest) -> None:
        from server.core.executor import execute  # one run's steps; it imports this module

        task = asyncio.create_task(execute(self, request), name=f"adforge-run-{request.run_id}")
        self._active[request.thread_id] = (request, task)

    def _start_next(self, thread_id: str) -> None:
        queue = self._queued.get(thread_id)
        if queue and thread_id not in self._active and thread_id not in self._reserved:
            self._start(queue.popleft())
        if queue is not None and not queue:
            self._queued.pop(thread_id, None)

    def finish(self, request: RunRequest) -> None:
        """Bookkeeping once a run's last event is appended (or it stopped for a shutdown)."""
        self._active.pop(request.thread_id, None)
        self._runs.pop(request.run_id, None)
        self.cancelled.discard(request.run_id)
        request.done.set()
        if not self.stopping:
            self._start_next(request.thread_id)


def terminal(request: RunRequest, type_: str, data: dict[str, Any]) -> NewEvent:
    """The event that ends ``request`` (completed, failed or cancelled)."""
    return event(
        request.thread_id,
        type_,
        {"runId": request.run_id, **data},
        request.run_id,
        run_id=request.run_id,
    )
