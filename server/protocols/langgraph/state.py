"""Graph state as the protocol shows it: ``ThreadState`` from a LangGraph ``StateSnapshot``.

The shape is langgraph-api's ``state_snapshot_to_thread_state``: values, next, tasks (with their
interrupts and results), checkpoint and parent checkpoint, metadata, created_at, interrupts. The
checkpoint metadata AdForge adds (``adforge_run_id``) is shown as ``run_id`` too, the key
langgraph-api uses, so Studio links a checkpoint to its run.
"""

from __future__ import annotations

from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.types import StateSnapshot

from server.core.recorded import RUN_ID_KEY
from server.protocols.langgraph.wire import interrupt_json, jsonable

__all__ = ["checkpoint_of", "config_for", "thread_state"]


def config_for(thread_id: str, checkpoint: dict[str, Any] | None = None) -> RunnableConfig:
    """The LangGraph config naming a thread, or one checkpoint of it."""
    configurable: dict[str, Any] = {"thread_id": thread_id, "checkpoint_ns": ""}
    for key in ("checkpoint_id", "checkpoint_ns", "checkpoint_map"):
        if checkpoint and checkpoint.get(key) is not None:
            configurable[key] = checkpoint[key]
    return {"configurable": configurable}


def checkpoint_of(config: RunnableConfig | None) -> dict[str, Any] | None:
    """``{thread_id, checkpoint_ns, checkpoint_id}`` of a config that names a checkpoint."""
    configurable = (config or {}).get("configurable") or {}
    if not configurable.get("checkpoint_id") or not configurable.get("thread_id"):
        return None
    return {
        "thread_id": configurable["thread_id"],
        "checkpoint_ns": configurable.get("checkpoint_ns") or "",
        "checkpoint_id": configurable["checkpoint_id"],
        "checkpoint_map": configurable.get("checkpoint_map"),
    }


def _metadata(snapshot: StateSnapshot) -> dict[str, Any]:
    metadata: dict[str, Any] = jsonable(dict(snapshot.metadata or {}))
    if RUN_ID_KEY in metadata:
        metadata.setdefault("run_id", metadata[RUN_ID_KEY])
    return metadata


def thread_state(snapshot: StateSnapshot) -> dict[str, Any]:
    """One snapshot as the protocol's ``ThreadState``."""
    checkpoint = checkpoint_of(snapshot.config)
    parent = checkpoint_of(snapshot.parent_config)
    return {
        "values": jsonable(snapshot.values),
        "next": list(snapshot.next),
        "tasks": [
            {
                "id": t.id,
                "name": t.name,
                "path": jsonable(t.path),
                "error": None if t.error is None else str(t.error),
                "interrupts": [interrupt_json(i) for i in t.interrupts],
                "checkpoint": None,
                "state": None,
                "result": jsonable(t.result),
            }
            for t in snapshot.tasks
        ],
        "metadata": _metadata(snapshot),
        "created_at": snapshot.created_at,
        "checkpoint": checkpoint,
        "parent_checkpoint": parent,
        "interrupts": [interrupt_json(i) for i in snapshot.interrupts],
        "checkpoint_id": checkpoint["checkpoint_id"] if checkpoint else None,
        "parent_checkpoint_id": parent["checkpoint_id"] if parent else None,
    }
