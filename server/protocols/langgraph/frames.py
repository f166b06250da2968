"""A run's Agent Protocol frames, derived from its log events and its checkpoints.

Every frame is a pure function of one log event (and, for the run's end, of the checkpoints the
run wrote, which no longer change once it has ended), so its id is that event's ``seq`` plus the
frame's index among the event's frames: ``"<seq>-<k>"``. A rejoin with ``Last-Event-ID`` then
gets exactly the later frames, whichever protocol started the run and whatever the client asked
at its start (``stream_resumable`` makes no difference: every run is resumable).

* ``RunStarted`` → ``metadata`` ``{run_id, attempt}`` (always first);
* ``StatusReported`` → ``custom`` (the node's stream-writer payload);
* ``AssistantTextStreamed`` → ``messages`` ``[chunk, metadata]`` (``messages-tuple``);
* the run's end → per superstep ``updates`` / ``tasks`` / ``values`` / ``checkpoints`` / ``debug``
  read from the run's checkpoints (``adforge_run_id`` in their metadata), the pending interrupt
  inside the last ``values`` and as ``updates`` ``{"__interrupt__": [...]}``, then ``error`` for a
  failed run.

Known difference from langgraph-api: ``values``/``updates`` arrive when the run ends rather than
superstep by superstep (progress streams live as ``custom`` and ``messages``); the frames and
their payloads are the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from langgraph.graph.state import CompiledStateGraph
from langgraph.types import StateSnapshot

from server.core.eventlog import RecordedEvent
from server.core.events import EventType
from server.core.recorded import RUN_ID_KEY
from server.core.runs import TERMINAL
from server.protocols.langgraph.state import checkpoint_of, config_for, thread_state
from server.protocols.langgraph.wire import interrupt_json, jsonable

__all__ = ["MODES", "Frame", "FrameMaker", "parse_modes", "query_modes", "run_snapshots"]

MODES = frozenset(
    {"values", "updates", "messages", "messages-tuple", "custom", "tasks", "checkpoints", "debug"}
)
Frame = tuple[str, Any]


def parse_modes(raw: str | list[str] | None, default: list[str]) -> list[str]:
    """The requested stream modes (``mode|ns`` subgraph forms reduce to their mode)."""
    if raw is None or raw == "" or raw == []:
        return default
    modes = [raw] if isinstance(raw, str) else list(raw)
    return [m.split("|", 1)[0] for m in modes if m]


def query_modes(values: list[str] | None) -> list[str]:
    """Stream modes from a query: repeated (Python SDK), comma-separated, or a JSON list (JS SDK)."""
    modes: list[str] = []
    for value in values or []:
        value = value.strip()
        if value.startswith("["):
            try:
                modes.extend(str(m) for m in json.loads(value))
                continue
            except ValueError:
                pass
        modes.extend(m.strip() for m in value.split(",") if m.strip())
    return modes


async def run_snapshots(
    graph: CompiledStateGraph[Any, Any, Any, Any], thread_id: str, run_id: str
) -> tuple[StateSnapshot | None, list[StateSnapshot]]:
    """The checkpoint the run started from, and those it wrote, oldest first."""
    own = [
        s
        async for s in graph.aget_state_history(config_for(thread_id), filter={RUN_ID_KEY: run_id})
    ]
    own.reverse()
    if not own or own[0].parent_config is None:
        return None, own
    return await graph.aget_state(own[0].parent_config), own


def _checkpoint_payload(snapshot: StateSnapshot) -> dict[str, Any]:
    return {
        "config": {"configurable": checkpoint_of(snapshot.config)},
        "parent_config": {"configurable": checkpoint_of(snapshot.parent_config)}
        if snapshot.parent_config
        else None,
        "values": jsonable(snapshot.values),
        "metadata": thread_state(snapshot)["metadata"],
        "next": list(snapshot.next),
        "tasks": [
            {"id": t.id, "name": t.name, "interrupts": [interrupt_json(i) for i in t.interrupts]}
            for t in snapshot.tasks
        ],
    }


@dataclass
class FrameMaker:
    """Frames of one run for the requested modes."""

    graph: CompiledStateGraph[Any, Any, Any, Any]
    thread_id: str
    run_id: str
    modes: list[str]

    def _on(self, *modes: str) -> bool:
        return any(m in self.modes for m in modes)

    async def frames(self, recorded: RecordedEvent) -> list[Frame]:
        """The frames ``recorded`` stands for (none for events of other runs)."""
        if recorded.run_id != self.run_id:
            return []
        d = recorded.data
        if recorded.type == EventType.RUN_STARTED:
            return [("metadata", {"run_id": self.run_id, "attempt": 1})]
        if recorded.type == EventType.STATUS_REPORTED and self._on("custom"):
            data = {k: v for k, v in d.items() if k != "messageId"}
            return [("custom", {"type": "status_update", "data": data})]
        if recorded.type == EventType.ASSISTANT_TEXT_STREAMED and self._on(
            "messages-tuple", "messages"
        ):
            chunk = {
                "type": "AIMessageChunk",
                "content": d.get("delta", ""),
                "id": d.get("messageId"),
                "additional_kwargs": {},
                "response_metadata": {},
                "tool_calls": [],
                "tool_call_chunks": [],
                "invalid_tool_calls": [],
            }
            meta = {"langgraph_node": "respond", "run_id": self.run_id, "thread_id": self.thread_id}
            return [("messages", [chunk, meta])]
        if recorded.type in TERMINAL:
            frames = await self._steps()
            if recorded.type == EventType.RUN_FAILED:
                error = d.get("error") or {}
                frames.append(
                    (
                        "error",
                        {
                            "error": error.get("code", "run_failed"),
                            "message": error.get("message", ""),
                        },
                    )
                )
            return frames
        return []

    async def _steps(self) -> list[Frame]:
        """Per superstep, as LangGraph streams them.

        First the state the loop starts from, then for each step the finished tasks' updates and
        the state after it; the pending interrupt last.
        """
        start, own = await run_snapshots(self.graph, self.thread_id, self.run_id)
        began_with_input = bool(own) and (own[0].metadata or {}).get("source") == "input"
        steps = [s for s in own if (s.metadata or {}).get("source") != "input"]
        if not began_with_input and start is not None:
            steps.insert(0, start)
        frames: list[Frame] = []
        before: StateSnapshot | None = None
        for snapshot in steps:
            if before is not None:
                frames.extend(self._results(before, snapshot))
            if self._on("values"):
                frames.append(("values", jsonable(snapshot.values)))
            if self._on("checkpoints"):
                frames.append(("checkpoints", _checkpoint_payload(snapshot)))
            if self._on("debug"):
                step = (snapshot.metadata or {}).get("step")
                debug = {"type": "checkpoint", "timestamp": snapshot.created_at, "step": step}
                frames.append(("debug", {**debug, "payload": _checkpoint_payload(snapshot)}))
            before = snapshot
        if own and own[-1].interrupts:
            pending = [interrupt_json(i) for i in own[-1].interrupts]
            if self._on("updates"):
                frames.append(("updates", {"__interrupt__": pending}))
            if self._on("values"):
                frames.append(("values", {**jsonable(own[-1].values), "__interrupt__": pending}))
        return frames

    def _results(self, before: StateSnapshot, after: StateSnapshot) -> list[Frame]:
        """The finished tasks of superstep ``before`` → ``after`` as updates/tasks/debug frames."""
        frames: list[Frame] = []
        step = (after.metadata or {}).get("step")
        for task in before.tasks:
            if task.result is None or task.name == "__start__":
                continue
            result = jsonable(task.result)
            if self._on("updates"):
                frames.append(("updates", {task.name: result}))
            payload = {
                "id": task.id,
                "name": task.name,
                "error": None if task.error is None else str(task.error),
                "result": result,
                "interrupts": [],
            }
            if self._on("tasks"):
                frames.append(("tasks", payload))
            if self._on("debug"):
                stamp = after.created_at
                frames.append(
                    (
                        "debug",
                        {
                            "type": "task_result",
                            "timestamp": stamp,
                            "step": step,
                            "payload": payload,
                        },
                    )
                )
        return frames
