"""SQLite, opened the way a server needs it: WAL, synchronous=NORMAL, a busy timeout.

``AsyncSqliteSaver.from_conn_string`` opens a bare connection with none of these, so the project
opens its own and hands it to the saver. WAL lets readers (SSE replays) run beside the writer;
NORMAL makes each commit ~30x cheaper and can lose the last commits only on power loss, never on
a process crash; the busy timeout absorbs the brief write locks of a second connection.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

__all__ = ["connect_sqlite", "open_checkpointer"]


async def connect_sqlite(path: Path, *, busy_timeout_ms: int = 30_000) -> aiosqlite.Connection:
    """Open ``path`` with the project's pragmas; the caller closes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = await aiosqlite.connect(path, timeout=busy_timeout_ms / 1000)
    await conn.execute("PRAGMA journal_mode=WAL")
    await conn.execute("PRAGMA synchronous=NORMAL")
    await conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    await conn.execute("PRAGMA foreign_keys=ON")
    return conn


@asynccontextmanager
async def open_checkpointer(
    path: Path, *, busy_timeout_ms: int = 30_000
) -> AsyncIterator[AsyncSqliteSaver]:
    """An ``AsyncSqliteSaver`` on its own tuned connection, closed on exit (else the process hangs)."""
    conn = await connect_sqlite(path, busy_timeout_ms=busy_timeout_ms)
    try:
        saver = AsyncSqliteSaver(conn)
        await saver.setup()
        yield saver
    finally:
        await conn.close()
