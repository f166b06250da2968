"""SQLite, opened the way a server needs it: WAL, synchronous=NORMAL, a busy timeout.

``AsyncSqliteSaver.from_conn_string`` opens a bare connection with none of these, so the project
opens its own and hands it to the saver. WAL lets readers (SSE replays) run beside the writer;
NORMAL makes each commit ~30x cheaper and can lose the last commits only on power loss, never on
a process crash; the busy timeout absorbs the brief write locks of a second connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, ClassVar

import aiosqlite
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

__all__ = ["ShieldedSqliteSaver", "connect_sqlite", "open_checkpointer"]


async def connect_sqlite(path: Path, *, busy_timeout_ms: int = 30_000) -> aiosqlite.Connection:
    """Open ``path`` with the project's pragmas; the caller closes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = await aiosqlite.connect(path, timeout=busy_timeout_ms / 1000)
    await conn.execute("PRAGMA journal_mode=WAL")
    await conn.execute("PRAGMA synchronous=NORMAL")
    await conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    await conn.execute("PRAGMA foreign_keys=ON")
    return conn


class ShieldedSqliteSaver(AsyncSqliteSaver):
    """``AsyncSqliteSaver`` whose writes, once begun, finish even if their caller is cancelled.

    The saver writes in a transaction on its own connection; a cancellation landing between its
    INSERT and its COMMIT leaves that transaction open, and SQLite's write lock with it: every
    later write (events, checkpoints) then waits for the busy timeout and fails. Cancelling a run
    while a step's checkpoint is being saved is ordinary (a stop button), so writes are shielded:
    the run is still cancelled, right after its checkpoint is committed.
    """

    _in_flight: ClassVar[set[asyncio.Future[Any]]] = set()
    """Strong references: a shielded task must not be garbage-collected mid-write."""

    async def _shielded(self, write: Awaitable[Any]) -> Any:
        task = asyncio.ensure_future(write)
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return await asyncio.shield(task)

    async def aput(self, *args: Any, **kwargs: Any) -> Any:
        """Save a checkpoint (shielded)."""
        return await self._shielded(super().aput(*args, **kwargs))

    async def aput_writes(self, *args: Any, **kwargs: Any) -> Any:
        """Save a task's pending writes (shielded)."""
        return await self._shielded(super().aput_writes(*args, **kwargs))

    async def adelete_thread(self, *args: Any, **kwargs: Any) -> Any:
        """Delete a thread's checkpoints (shielded)."""
        return await self._shielded(super().adelete_thread(*args, **kwargs))


@asynccontextmanager
async def open_checkpointer(
    path: Path, *, busy_timeout_ms: int = 30_000
) -> AsyncIterator[AsyncSqliteSaver]:
    """An ``AsyncSqliteSaver`` on its own tuned connection, closed on exit (else the process hangs)."""
    conn = await connect_sqlite(path, busy_timeout_ms=busy_timeout_ms)
    try:
        saver = ShieldedSqliteSaver(conn)
        await saver.setup()
        yield saver
    finally:
        await conn.close()
