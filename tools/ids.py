"""Deterministic identifiers.

A resumed or crash-recovered LangGraph node re-executes from its first line, so anything it creates
(an asset, a provider job, an event) is named from what identifies it — thread, step, choice —
never from a clock or a random number. Re-running then produces the same id and a UNIQUE
constraint drops the repeat.
"""

from __future__ import annotations

import uuid

__all__ = ["ADFORGE_NAMESPACE", "stable_id"]

ADFORGE_NAMESPACE = uuid.UUID("4f1c2d7e-5a8b-4c3d-9e2f-adf0a9e00001")


def stable_id(prefix: str, *parts: object, length: int = 16) -> str:
    """``prefix-<hex>`` derived from ``parts``; equal parts always give the equal id."""
    key = "\x1f".join(str(p) for p in parts)
    return f"{prefix}-{uuid.uuid5(ADFORGE_NAMESPACE, key).hex[:length]}"
