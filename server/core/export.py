"""``adforge export SESSION``: one session's event log as a JSON document.

The log is the record of what the conversation showed, so it is the export: every event in seq
order with its type, schema version (payloads upcast to the newest), data, run id and time.
Read on its own connection, so it works beside a running server (SQLite WAL).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from server.core.eventlog import EventStore
from server.core.eventlog.records import utc_timestamp

__all__ = ["export_session"]


async def export_session(
    database: Path, session_id: str, *, busy_timeout_ms: int = 30_000
) -> dict[str, Any] | None:
    """The session's events as ``{"sessionId", "exportedAt", "events": [...]}``; None if unknown."""
    async with EventStore.open(database, busy_timeout_ms=busy_timeout_ms) as store:
        events = await store.read_thread(session_id)
    if not events:
        return None
    return {
        "sessionId": session_id,
        "exportedAt": utc_timestamp(),
        "events": [
            {
                "seq": e.seq,
                "eventId": e.event_id,
                "type": e.type,
                "schemaVersion": e.schema_version,
                "runId": e.run_id,
                "createdAt": e.created_at,
                "data": e.data,
            }
            for e in events
        ],
    }
