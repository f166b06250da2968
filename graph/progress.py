"""Transient progress events a node reports while it works (``custom`` stream mode).

They are the integration guide's ``status_update`` payloads. Durable facts (proposals, choices,
results) travel in state updates instead, so a reconnecting client never depends on these.
"""

from __future__ import annotations

from typing import Any, Literal

from langgraph.config import get_stream_writer

__all__ = ["report_status"]


def report_status(
    label: str,
    status: Literal["loading", "completed", "failed"] = "loading",
    *,
    step: str,
    estimated_time: str | None = None,
) -> None:
    """Emit one ``status_update``; a no-op when nobody streams ``custom`` events."""
    data: dict[str, Any] = {"label": label, "status": status, "step": step}
    if estimated_time:
        data["estimatedTime"] = estimated_time
    get_stream_writer()({"type": "status_update", "data": data})
