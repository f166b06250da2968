"""Who a command acts for: every session, thread, job and asset belongs to a user (invariant 11)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LOCAL_USER", "User"]


@dataclass(frozen=True, slots=True)
class User:
    """The caller, as far as ownership is concerned."""

    id: str


LOCAL_USER = User(id="local")
"""Everyone, when no API keys are configured."""
