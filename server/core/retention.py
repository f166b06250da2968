"""Session expiry: a session idle longer than ``ADFORGE_SESSION_TTL_H`` takes no new messages.

The integration guide asks to expire inactive sessions after 24 hours. Idle time runs from the
session's last event (``updatedAt`` of the sessions projection), so a render or a reply keeps a
session alive. An expired session refuses new messages and renders with 410 ``session_expired``
and shows ``"status": "expired"``; its history (context, replays, the event log) stays readable,
and nothing is deleted or edited in place.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from server.core.errors import ApiError

__all__ = ["is_expired", "refuse_if_expired"]


def _last_activity(session: Mapping[str, Any]) -> datetime | None:
    stamp = session.get("updatedAt")
    if not isinstance(stamp, str):
        return None
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def is_expired(
    session: Mapping[str, Any], ttl_hours: float, *, now: datetime | None = None
) -> bool:
    """Whether ``session`` has been idle for more than ``ttl_hours`` (0 means never)."""
    last = _last_activity(session)
    if ttl_hours <= 0 or last is None:
        return False
    return (now or datetime.now(UTC)) - last > timedelta(hours=ttl_hours)


def refuse_if_expired(session: Mapping[str, Any], ttl_hours: float) -> None:
    """Raise the 410 an expired session answers to anything that would extend it.

    Raises:
        ApiError: 410 ``session_expired`` (not retryable: the same request will not succeed).
    """
    if is_expired(session, ttl_hours):
        raise ApiError(
            410,
            "session_expired",
            f"this session has been idle for more than {ttl_hours:g} h and takes no new "
            "messages; its history stays readable; start a new session to continue",
        )
