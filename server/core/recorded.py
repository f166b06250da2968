"""Deriving a run's task events from the writes its checkpoints hold: the log catches up.

A run appends a task's events right after the checkpointer has committed the task's writes
(``server.core.persistence.DurableWrites``). A crash between that commit and the append leaves the
graph holding a step the log does not show. The writes are still there, as the pending writes of
the checkpoint the task ran from, and a task's events are a pure function of its id and its
writes (``server.core.translate.RunTranslator``), so recovery derives them again — with the same
ids, which the log's UNIQUE constraint turns into "append only what is missing". Design
invariant 13 holds on any checkpointer that keeps pending writes, SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver, CheckpointTuple

from server.core.eventlog import NewEvent
from server.core.translate import RunTranslator

__all__ = ["RUN_ID_KEY", "derive_run_events", "task_parts"]

RUN_ID_KEY = "adforge_run_id"
"""Checkpoint metadata key holding the id of the run that wrote the checkpoint."""
_INTERRUPT, _ERROR = "__interrupt__", "__error__"


def task_parts(pending_writes: Iterable[tuple[str, str, Any]]) -> list[dict[str, Any]]:
    """The ``tasks`` stream parts (as ``astream(version="v2")`` yields them) of saved writes."""
    tasks: dict[str, dict[str, Any]] = {}
    for task_id, channel, value in pending_writes:
        data = tasks.setdefault(task_id, {"id": task_id, "name": "", "result": {}})
        if channel == _INTERRUPT:
            data["interrupts"] = [
                {"id": getattr(i, "id", None), "value": getattr(i, "value", None)} for i in value
            ]
        elif channel == _ERROR:
            data["error"] = str(value)
        elif not channel.startswith(("__", "branch:")):
            result = data["result"]
            if channel not in result:
                result[channel] = value
            else:  # several writes to one channel, folded as the stream folds them
                earlier = result[channel]
                folded = earlier["$writes"] if _is_folded(earlier) else [earlier]
                result[channel] = {"$writes": [*folded, value]}
    return [{"type": "tasks", "data": data} for data in tasks.values()]


def _is_folded(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"$writes"}


async def _run_checkpoints(
    saver: BaseCheckpointSaver[Any], thread_id: str, run_id: str
) -> list[CheckpointTuple]:
    """The checkpoints whose pending writes hold the run's tasks, oldest first.

    Those the run wrote, plus the one it started from: a resumed choice's task runs from the
    checkpoint the previous run left, and its writes are stored there.
    """
    config: RunnableConfig = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
    own = [c async for c in saver.alist(config, filter={RUN_ID_KEY: run_id})]
    own.reverse()
    if own:
        start = own[0].parent_config
        parent = await saver.aget_tuple(start) if start else None
    else:  # the run wrote no checkpoint: it ran (or resumed) from the thread's head
        parent = await saver.aget_tuple(config)
    return ([parent] if parent else []) + own


async def derive_run_events(
    saver: BaseCheckpointSaver[Any], translator: RunTranslator
) -> list[NewEvent]:
    """Every task event of ``translator``'s run that its checkpoints' writes imply, in order."""
    events: list[NewEvent] = []
    for checkpoint in await _run_checkpoints(saver, translator.thread_id, translator.run_id):
        for part in task_parts(checkpoint.pending_writes or []):
            events.extend(translator.translate(part))
    return events
