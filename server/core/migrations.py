"""The project's own tables in the SQLite file: numbered steps, recorded in ``PRAGMA user_version``.

Why steps and not ``CREATE TABLE IF NOT EXISTS`` at each store's start-up: a table created that
way can never change shape (``IF NOT EXISTS`` skips an existing older table silently), and nothing
says which schema a database file holds. Here the file's ``user_version`` is the number of the last
step applied; opening a file applies the later steps in order and refuses a file from a newer
AdForge instead of writing into a schema it does not know.

* Each step runs in its own ``BEGIN IMMEDIATE`` transaction and re-reads the version once it holds
  SQLite's write lock, so two processes opening one file at once apply every step exactly once
  (the second waits on the busy timeout, then finds the step done). DDL and ``user_version`` are
  transactional in SQLite: a step that fails leaves neither its tables nor its number behind.
* Steps are history: never edit one that has shipped, append a new one. Step 1 is the schema the
  stores created before versions existed, ``IF NOT EXISTS`` included, so a file made then
  (``user_version`` 0, tables present) is recognised and upgraded in place.
* LangGraph's checkpoint tables are not here: ``AsyncSqliteSaver.setup()`` owns them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from server.core.persistence import connect_sqlite

__all__ = [
    "LATEST_VERSION",
    "MIGRATIONS",
    "Migration",
    "MigrationError",
    "SchemaTooNewError",
    "migrate",
    "migrate_connection",
]


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered step: the SQL that moves the schema from ``version - 1`` to ``version``."""

    version: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        """``sql`` split into complete statements (a trigger's ``BEGIN … END`` stays whole)."""
        statements: list[str] = []
        pending = ""
        for line in self.sql.splitlines(keepends=True):
            pending += line
            if sqlite3.complete_statement(pending):
                statements.append(pending.strip())
                pending = ""
        if pending.strip():
            raise ValueError(f"migration {self.version} ends in an incomplete statement")
        return statements


class SchemaTooNewError(RuntimeError):
    """The file was written by a newer AdForge: its schema is beyond every step this code knows."""

    def __init__(self, database: str, found: int, known: int) -> None:
        super().__init__(
            f"{database} has schema version {found}, newer than this AdForge knows ({known}): "
            "upgrade AdForge or point ADFORGE_DATA_DIR at another directory"
        )
        self.found = found
        self.known = known


class MigrationError(RuntimeError):
    """A step failed; it was rolled back and the file keeps the version it had."""


_V1_TODAY = """
CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    data TEXT NOT NULL,
    run_id TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (thread_id, seq)
);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TABLE IF NOT EXISTS projection_positions (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS retention (thread_id TEXT PRIMARY KEY, min_seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS media_jobs (
    job_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    progress INTEGER NOT NULL DEFAULT 0,
    estimated_seconds INTEGER NOT NULL,
    request TEXT,
    result TEXT,
    error TEXT,
    provider TEXT,
    provider_job_id TEXT,
    callback_url TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    webhook_state TEXT NOT NULL DEFAULT 'none',
    webhook_attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS media_jobs_by_status ON media_jobs (status);
CREATE INDEX IF NOT EXISTS media_jobs_by_session ON media_jobs (session_id);
CREATE TABLE IF NOT EXISTS products (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS products_by_user ON products (user_id);
"""

_V2_RUN_INDEX = """
CREATE INDEX events_run_type ON events (run_id, type);
"""
"""Start-up recovery asks for runs without a terminal event (``EventStore.unfinished_runs``);
this index answers that from the runs alone instead of a scan of the whole log. (Idempotency
keys need no table: a keyed command's event id derives from the key, server.core.commands.keys.)"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "events, projection positions, retention, media jobs, products", _V1_TODAY),
    Migration(2, "index of events by run and type, for start-up recovery", _V2_RUN_INDEX),
)
"""Every step, in order. Append; never edit or renumber a step that has shipped."""

LATEST_VERSION = MIGRATIONS[-1].version
"""The schema version this code writes."""


async def migrate(
    path: Path, *, steps: Sequence[Migration] | None = None, busy_timeout_ms: int = 30_000
) -> list[int]:
    """Bring the file at ``path`` to the last step (of ``steps``, else ``MIGRATIONS``).

    Returns:
        The versions this call applied, in order (empty when the file was already current).

    Raises:
        SchemaTooNewError: the file's version is beyond the last step; nothing is written.
        MigrationError: a step failed; it is rolled back and the version stays where it was.
    """
    conn = await connect_sqlite(path, busy_timeout_ms=busy_timeout_ms)
    try:
        return await migrate_connection(conn, steps)
    finally:
        await conn.close()


async def migrate_connection(
    conn: aiosqlite.Connection, steps: Sequence[Migration] | None = None
) -> list[int]:
    """``migrate`` on an open connection with no transaction in progress (a store's own)."""
    steps = MIGRATIONS if steps is None else steps  # read at call time: a later step counts
    _check_numbering(steps)
    known = steps[-1].version if steps else 0
    version = await _user_version(conn)
    await _refuse_newer(conn, version, known)
    applied: list[int] = []
    for step in steps[version:]:
        try:
            await conn.execute("BEGIN IMMEDIATE")
            # Another process may have applied this step while we waited for the lock.
            current = await _user_version(conn)
            await _refuse_newer(conn, current, known)
            if current < step.version:
                for statement in step.statements():
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA user_version = {step.version}")
        except BaseException as error:
            await conn.rollback()
            if isinstance(error, sqlite3.Error):
                raise MigrationError(
                    f"schema step {step.version} ({step.name}) failed and was rolled back: {error}"
                ) from error
            raise
        await conn.commit()
        if current < step.version:
            applied.append(step.version)
    return applied


def _check_numbering(steps: Sequence[Migration]) -> None:
    numbers = [step.version for step in steps]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"migration steps must be numbered 1, 2, 3, … in order; got {numbers}")


async def _user_version(conn: aiosqlite.Connection) -> int:
    rows = list(await conn.execute_fetchall("PRAGMA user_version"))
    return int(rows[0][0])


async def _refuse_newer(conn: aiosqlite.Connection, version: int, known: int) -> None:
    if version > known:
        rows = await conn.execute_fetchall("PRAGMA database_list")
        database = next((str(row[2]) for row in rows if row[1] == "main"), "the database")
        raise SchemaTooNewError(database or "the database", version, known)
