"""The ``retry_from`` command: rerun a user message's turn from the checkpoint it started from.

A client (ChatKit's ``threads.retry_after_item``) drops the items after the message and asks for
a new response to it. The graph must forget those turns too, or the model would answer with the discarded replies in its history. The
log says which run answered the message (the first ``RunStarted`` after it); every checkpoint
carries the id of the run that wrote it (``server.core.runs.RUN_ID_KEY``), so the run's first
checkpoint is found without reading any state. LangGraph then forks (time travel):

* a run that *started* from the message (a chat turn, the first guided message) wrote an
  ``input`` checkpoint holding the message: replaying from it reruns everything after the input;
* a run that *resumed* an interrupt (a choice) is rerun from the checkpoint before its first one,
  with the same answer.

The new run's checkpoints become the thread's latest, so the next turn continues the fork.
"""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver, CheckpointTuple

from server.core.errors import conflict
from server.core.events import EventType
from server.core.runs import RUN_ID_KEY, RunRequest
from server.core.services import Services
from server.core.users import User

__all__ = ["retry_from"]


async def _first_checkpoint(
    saver: BaseCheckpointSaver[Any], thread_id: str, run_id: str
) -> CheckpointTuple | None:
    config: Any = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
    first: CheckpointTuple | None = None
    async for checkpoint in saver.alist(config, filter={RUN_ID_KEY: run_id}):
        first = checkpoint  # newest first: the last one listed is the run's first
    return first


async def retry_from(
    services: Services, user: User, thread_id: str, graph: str, message_id: str
) -> RunRequest:
    """The run that answers ``message_id`` again from where its first answer started.

    Raises:
        ApiError: 409 when the message was never answered, or its run left no checkpoint.
    """
    events = await services.store.read_thread(thread_id)
    seq = next(
        (
            e.seq
            for e in events
            if e.type == EventType.USER_MESSAGE_SENT and e.data.get("messageId") == message_id
        ),
        None,
    )
    started = next(
        (e for e in events if seq is not None and e.seq > seq and e.type == EventType.RUN_STARTED),
        None,
    )
    if started is None:
        raise conflict("cannot_retry", "this message has no response to retry yet")
    d = started.data
    saver = services.runs.graphs[graph].checkpointer
    if not isinstance(saver, BaseCheckpointSaver):
        raise conflict("cannot_retry", "this graph keeps no checkpoints")
    first = await _first_checkpoint(saver, thread_id, str(d["runId"]))
    if first is None:
        raise conflict("cannot_retry", "the response to this message left no checkpoint")
    common: dict[str, Any] = {
        "thread_id": thread_id,
        "user_id": user.id,
        "product_name": str(d.get("productName") or ""),
        "graph": graph,
    }
    if first.metadata.get("source") == "input":
        checkpoint_id = first.config["configurable"]["checkpoint_id"]
        return RunRequest(kind="continue", checkpoint_id=checkpoint_id, **common)
    if first.parent_config is None:
        raise conflict("cannot_retry", "the response to this message has no checkpoint before it")
    parent = first.parent_config["configurable"]["checkpoint_id"]
    if d.get("kind") == "resume":
        run = RunRequest(
            kind="resume",
            payload=d.get("payload"),
            interrupt_id=d.get("interruptId"),
            checkpoint_id=parent,
            **common,
        )
    else:
        run = RunRequest(kind="continue", checkpoint_id=parent, **common)
    return run
