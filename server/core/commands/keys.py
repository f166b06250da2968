"""Idempotent commands: a client's key names the event the command records.

A command that records something derives that event's id from the client's key (an
``Idempotency-Key`` header or the client's own ``messageId``), and the event carries a hash of the
request. A retry therefore finds its own event before doing anything: the same request answers
what the first answer was (the same stream is replayed from the log) and records nothing; the
same key with another request is a 422. The log is the idempotency table — no second store can
disagree with it — and a crash between "recorded" and "answered" is harmless, since the answer is
derived from what was recorded. Keys are honoured for ``KEY_TTL``; an older key is refused so a
client never mistakes a day-old answer for a fresh one.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from server.core.errors import ApiError
from server.core.eventlog import EventStore, RecordedEvent
from tools.ids import stable_id

__all__ = ["KEY_TTL", "MAX_KEY_LENGTH", "keyed_id", "replayed", "request_hash"]

KEY_TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255


def request_hash(body: dict[str, Any]) -> str:
    """A stable hash of a command's parsed request (key order and spacing do not matter)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def keyed_id(prefix: str, user_id: str, scope: str, key: str) -> str:
    """The id a keyed command gives what it records (its session, its message)."""
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ApiError(
            422,
            "invalid_idempotency_key",
            f"an idempotency key is 1 to {MAX_KEY_LENGTH} printable characters",
        )
    return stable_id(prefix, user_id, scope, key, length=16)


async def replayed(
    store: EventStore, event_id: str, digest: str, *, thread_id: str
) -> RecordedEvent | None:
    """The event a keyed command recorded before, if any; checks it is the same request.

    Raises:
        ApiError: 422 ``idempotency_key_reused`` when the key came with another request (or
            names another thread), ``idempotency_key_expired`` when it is older than ``KEY_TTL``.
    """
    found = await store.find(event_id)
    if found is None:
        return None
    if found.thread_id != thread_id or found.data.get("requestHash") != digest:
        raise ApiError(
            422,
            "idempotency_key_reused",
            "this idempotency key was used with a different request; use a new key",
        )
    recorded = datetime.fromisoformat(found.created_at.replace("Z", "+00:00"))
    if datetime.now(UTC) - recorded > KEY_TTL:
        raise ApiError(
            422,
            "idempotency_key_expired",
            "this idempotency key is older than 24 hours; use a new key",
        )
    return found
