"""Payloads of a run's bookkeeping (``server.core.runs``): what started it and how it ended.

``RunStarted`` carries everything start-up recovery needs to finish a run a crash interrupted;
the terminal events name the run so a reader pairs them without the row's ``run_id`` column.
"""

from __future__ import annotations

from typing import Any, Literal

from server.core.event_types.base import ErrorInfo, EventPayload, OwnedPayload

__all__ = ["RunCancelled", "RunCompleted", "RunFailed", "RunStarted"]


class RunStarted(OwnedPayload):
    """A run of a graph on a thread began; ``payload`` is the graph input as given."""

    type_name = "RunStarted"
    run_id: str
    kind: Literal["start", "resume", "continue", "recover", "theme", "reply"]
    payload: Any
    interrupt_id: str | None
    product_name: str
    graph: str
    checkpoint_id: str | None
    """The checkpoint a ChatKit retry forks from, else None (the thread's head)."""


class RunCompleted(EventPayload):
    """The run finished its graph steps."""

    type_name = "RunCompleted"
    run_id: str


class RunCancelled(EventPayload):
    """The run was cancelled (by an explicit cancel, or queued and dropped)."""

    type_name = "RunCancelled"
    run_id: str


class RunFailed(EventPayload):
    """The run stopped on an error (a refused queued message, a generation error, a bug)."""

    type_name = "RunFailed"
    run_id: str
    error: ErrorInfo
