"""The append-only event log in SQLite: the record of what each conversation showed.

Design notes (design.md Invariants 1, 2, 5, 6; style.md guidelines 6-7):

* ``position`` (AUTOINCREMENT) is the global order projections follow; ``seq`` is the gapless
  per-thread order SSE ids use. ``UNIQUE(event_id)`` makes a replayed LangGraph node or a
  crash-recovered run harmless: its events are skipped, never duplicated.
* Writers hold an asyncio lock (one connection per store: two coroutines' statements must not
  interleave in one transaction) and ``BEGIN IMMEDIATE`` (other connections and processes wait on
  SQLite's write lock via the busy timeout), so ``head + 1`` is always free. Readers hold the same
  lock: on a shared connection a read between an INSERT and its COMMIT could see rows that roll back.
* Nothing updates or deletes a row; triggers refuse it. Payload changes are upcast on read.
* The log shares the checkpoints' SQLite file but has its own connection. That connection keeps
  Python's default ``isolation_level`` (aiosqlite cannot change it from the loop thread), so every
  write issues ``BEGIN IMMEDIATE`` itself before any DML and the driver never opens a deferred one.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from server.core.eventlog.broker import EventBroker
from server.core.eventlog.errors import CursorAheadError, CursorExpiredError, EventIdConflictError
from server.core.eventlog.records import (
    NewEvent,
    RecordedEvent,
    UpcasterRegistry,
    default_upcasters,
    utc_timestamp,
)
from server.core.faults import crash_point
from server.core.migrations import migrate_connection
from server.core.persistence import connect_sqlite

__all__ = ["EventStore"]

_COLUMNS = "position, thread_id, seq, event_id, type, schema_version, data, run_id, created_at"
_HEAD = "SELECT COALESCE(MAX(seq), 0) FROM events WHERE thread_id = ?"
_MAX_VARS = 500  # ids per IN (...) query, well under SQLite's bound-parameter limit


class EventStore:
    """The event log on one aiosqlite connection, publishing what it commits to ``broker``."""

    def __init__(
        self,
        conn: aiosqlite.Connection,
        *,
        broker: EventBroker | None = None,
        upcasters: UpcasterRegistry | None = None,
    ) -> None:
        self._conn = conn
        self.broker = broker or EventBroker()
        self._upcasters = upcasters or default_upcasters
        self._lock = asyncio.Lock()

    @classmethod
    @asynccontextmanager
    async def open(
        cls,
        path: Path,
        *,
        busy_timeout_ms: int = 30_000,
        broker: EventBroker | None = None,
        upcasters: UpcasterRegistry | None = None,
    ) -> AsyncIterator[EventStore]:
        """Open ``path`` on a dedicated connection and migrate its schema; close on exit.

        Closing ends every live follower (so SSE streams finish at shutdown) and waits for an
        in-flight append, which must not lose its connection halfway.
        """
        conn = await connect_sqlite(path, busy_timeout_ms=busy_timeout_ms)
        store = cls(conn, broker=broker, upcasters=upcasters)
        try:
            await store.setup()
            yield store
        finally:
            store.broker.close()
            async with store._lock:
                await conn.close()

    async def setup(self) -> None:
        """Migrate the file's schema (``server.core.migrations``); safe on every start."""
        async with self._lock:
            await migrate_connection(self._conn)

    async def append(self, thread_id: str, events: Sequence[NewEvent]) -> list[RecordedEvent]:
        """Record ``events`` on ``thread_id`` with the next seqs, skipping ids already recorded.

        Returns only the newly recorded events, in seq order, after publishing them. Once called
        it runs to completion even if the caller is cancelled: a commit that is never published
        would leave live followers waiting for the next event.

        Raises:
            EventIdConflictError: an id is already recorded on another thread (an id bug).
            TypeError, ValueError: an event is malformed or a payload is not strict JSON;
                nothing is written.
        """
        rows = [(event, _dump(event)) for event in events]
        if not rows:
            return []
        task = asyncio.ensure_future(self._append_locked(thread_id, rows))
        task.add_done_callback(_retrieve_exception)
        return await asyncio.shield(task)

    async def _append_locked(
        self, thread_id: str, rows: Sequence[tuple[NewEvent, str]]
    ) -> list[RecordedEvent]:
        async with self._lock:
            async with self._transaction():
                recorded = await self._insert(thread_id, rows)
                if recorded:
                    crash_point("mid_append", *(e.type for e in recorded))
            if recorded:
                crash_point("after_events_commit", *(e.type for e in recorded))
            # Still inside the lock, and no await since the commit: the broker receives this
            # process's events in position order.
            self.broker.publish(recorded)
            return recorded

    async def _insert(
        self, thread_id: str, rows: Sequence[tuple[NewEvent, str]]
    ) -> list[RecordedEvent]:
        known = await self._owners(event.event_id for event, _ in rows)
        for event_id, owner in known.items():
            if owner != thread_id:
                raise EventIdConflictError(event_id, thread_id, owner)
        head = await self._scalar(_HEAD, (thread_id,))
        created_at = utc_timestamp()
        fresh: list[tuple[Any, ...]] = []
        seen = set(known)
        for event, data in rows:
            if event.event_id not in seen:
                seen.add(event.event_id)
                seq = head + len(fresh) + 1
                fresh.append(
                    (thread_id, seq, event.event_id, event.type, event.schema_version, data)
                    + (event.run_id, created_at)
                )
        if not fresh:
            return []
        await self._conn.executemany(
            "INSERT INTO events (thread_id, seq, event_id, type, schema_version, data, run_id, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            fresh,
        )
        sql = f"SELECT {_COLUMNS} FROM events WHERE thread_id = ? AND seq > ? ORDER BY seq"
        return await self._select(sql, (thread_id, head))

    async def read_thread(
        self, thread_id: str, *, after_seq: int = 0, limit: int | None = None
    ) -> list[RecordedEvent]:
        """Events of one thread with ``seq > after_seq``, in seq order.

        Raises:
            CursorExpiredError: ``after_seq`` is below the thread's retention floor minus one.
            CursorAheadError: ``after_seq`` is beyond the thread's head.
        """
        async with self._lock:
            await self._check_cursor(thread_id, after_seq)
            sql = f"SELECT {_COLUMNS} FROM events WHERE thread_id = ? AND seq > ? ORDER BY seq"
            return await self._select(f"{sql} LIMIT ?", (thread_id, after_seq, _limit(limit)))

    async def read_all(
        self, *, after_position: int = 0, limit: int | None = None
    ) -> list[RecordedEvent]:
        """Events of every thread with ``position > after_position``, in position order.

        Retention does not apply: the rows stay, and projections fold all of them.
        """
        async with self._lock:
            sql = f"SELECT {_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?"
            return await self._select(sql, (after_position, _limit(limit)))

    async def unfinished_runs(self, started: str, terminal: Sequence[str]) -> list[RecordedEvent]:
        """The ``started`` events (in position order) of runs with none of ``terminal`` yet.

        Start-up recovery asks this instead of reading the whole log: the (run_id, type) index
        answers it from the runs alone.
        """
        marks = ", ".join("?" * len(terminal))
        sql = (
            f"SELECT {_COLUMNS} FROM events AS s WHERE s.type = ? AND NOT EXISTS "
            f"(SELECT 1 FROM events AS t WHERE t.run_id = s.run_id AND t.type IN ({marks})) "
            "ORDER BY s.position"
        )
        async with self._lock:
            return await self._select(sql, (started, *terminal))

    async def check_cursor(self, thread_id: str, after_seq: int) -> int:
        """Validate a client's cursor before a stream starts (the 4xx must precede the 200).

        Returns:
            The thread's head seq.

        Raises:
            CursorExpiredError, CursorAheadError: as ``read_thread``.
        """
        async with self._lock:
            return await self._check_cursor(thread_id, after_seq)

    async def head_seq(self, thread_id: str) -> int:
        """The last seq of ``thread_id``; 0 when the thread has no events."""
        async with self._lock:
            return await self._scalar(_HEAD, (thread_id,))

    async def head_position(self) -> int:
        """The last global position; 0 when the log is empty."""
        async with self._lock:
            return await self._scalar("SELECT COALESCE(MAX(position), 0) FROM events", ())

    async def find(self, event_id: str) -> RecordedEvent | None:
        """The recorded event with ``event_id``, on any thread; None when there is none."""
        async with self._lock:
            found = await self._select(
                f"SELECT {_COLUMNS} FROM events WHERE event_id = ?", (event_id,)
            )
        return found[0] if found else None

    async def exists(self, event_id: str) -> bool:
        """Whether ``event_id`` is recorded, on any thread."""
        async with self._lock:
            return bool(await self._owners([event_id]))

    async def set_retention(self, thread_id: str, min_seq: int) -> int:
        """Declare the events below ``min_seq`` no longer replayable (rows stay); never lowers.

        An explicit operation, never automatic: a cursor below the floor then gets
        ``CursorExpiredError`` instead of a silent gap.

        Returns:
            The thread's retention floor after the call.
        """
        if min_seq < 1:
            raise ValueError("min_seq must be at least 1")
        async with self._lock, self._transaction():
            head = await self._scalar(_HEAD, (thread_id,))
            if min_seq > head + 1:
                raise ValueError(f"min_seq {min_seq} is beyond head {head} + 1 of {thread_id!r}")
            await self._conn.execute(
                "INSERT INTO retention (thread_id, min_seq) VALUES (?, ?) ON CONFLICT (thread_id) "
                "DO UPDATE SET min_seq = MAX(min_seq, excluded.min_seq)",
                (thread_id, min_seq),
            )
            return await self._min_seq(thread_id)

    async def retention_floor(self, thread_id: str) -> int:
        """The lowest replayable seq of ``thread_id`` (1 unless ``set_retention`` raised it)."""
        async with self._lock:
            return await self._min_seq(thread_id)

    async def load_projection_positions(self) -> dict[str, int]:
        """The last position each projection recorded."""
        async with self._lock:
            rows = await self._conn.execute_fetchall(
                "SELECT name, position FROM projection_positions"
            )
            return {str(name): int(position) for name, position in rows}

    async def save_projection_positions(self, positions: Mapping[str, int]) -> None:
        """Record projection positions; a stored position never moves backwards."""
        async with self._lock, self._transaction():
            await self._conn.executemany(
                "INSERT INTO projection_positions (name, position) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET position = MAX(position, excluded.position)",
                list(positions.items()),
            )

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[None]:
        # The caller holds self._lock. BEGIN sits inside the try: a cancellation while it is
        # queued must still roll back (rollback outside a transaction is a no-op).
        try:
            await self._conn.execute("BEGIN IMMEDIATE")
            yield
        except BaseException:
            await self._conn.rollback()
            raise
        await self._conn.commit()

    async def _check_cursor(self, thread_id: str, after_seq: int) -> int:
        if after_seq < 0:
            raise ValueError(f"a cursor is a seq >= 0, got {after_seq}")
        rows = await self._conn.execute_fetchall(
            f"SELECT ({_HEAD}), (SELECT min_seq FROM retention WHERE thread_id = ?)",
            (thread_id, thread_id),
        )
        head, min_seq = next(iter(rows))
        if after_seq > head:
            raise CursorAheadError(thread_id, after_seq, head)
        if min_seq is not None and after_seq < min_seq - 1:
            raise CursorExpiredError(thread_id, after_seq, min_seq, head)
        return int(head)

    async def _min_seq(self, thread_id: str) -> int:
        rows = await self._conn.execute_fetchall(
            "SELECT min_seq FROM retention WHERE thread_id = ?", (thread_id,)
        )
        return next((int(row[0]) for row in rows), 1)

    async def _owners(self, event_ids: Iterable[str]) -> dict[str, str]:
        ids = list(dict.fromkeys(event_ids))
        owners: dict[str, str] = {}
        for start in range(0, len(ids), _MAX_VARS):
            chunk = ids[start : start + _MAX_VARS]
            marks = ", ".join("?" * len(chunk))
            rows = await self._conn.execute_fetchall(
                f"SELECT event_id, thread_id FROM events WHERE event_id IN ({marks})", chunk
            )
            owners.update({str(event_id): str(owner) for event_id, owner in rows})
        return owners

    async def _scalar(self, sql: str, params: Sequence[Any]) -> int:
        rows = await self._conn.execute_fetchall(sql, params)
        return int(next(iter(rows))[0])

    async def _select(self, sql: str, params: Sequence[Any]) -> list[RecordedEvent]:
        rows = await self._conn.execute_fetchall(sql, params)
        return [self._record(row) for row in rows]

    def _record(self, row: Any) -> RecordedEvent:
        position, thread_id, seq, event_id, type_, version, data, run_id, created_at = row
        version, payload = self._upcasters.upcast(type_, version, json.loads(data))
        return RecordedEvent(
            position, thread_id, seq, event_id, type_, version, payload, run_id, created_at
        )


def _dump(event: NewEvent) -> str:
    """Validate ``event`` and serialise its payload as strict JSON (no NaN), before any write."""
    if not event.event_id or not event.type or event.schema_version < 1:
        raise ValueError(f"event {event.event_id!r} needs an id, a type and a version >= 1")
    return json.dumps(dict(event.data), separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _limit(limit: int | None) -> int:
    if limit is not None and limit < 0:
        raise ValueError("limit must be >= 0")
    return -1 if limit is None else limit  # SQLite: LIMIT -1 means no limit


def _retrieve_exception(task: asyncio.Future[Any]) -> None:
    # The shielded append may fail after its caller was cancelled; nobody else would read it.
    if not task.cancelled():
        task.exception()
