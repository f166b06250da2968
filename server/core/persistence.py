"""SQLite, opened the way a server needs it: WAL, synchronous=NORMAL, a busy timeout.

``AsyncSqliteSaver.from_conn_string`` opens a bare connection with none of these, so the project
opens its own and hands it to the saver. WAL lets readers (SSE replays) run beside the writer;
NORMAL makes each commit ~30x cheaper and can lose the last commits only on power loss, never on
a process crash; the busy timeout absorbs the brief write locks of a second connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, ClassVar

import aiosqlite
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from server.core.faults import crash_point

__all__ = ["DurableWrites", "ShieldedSqliteSaver", "connect_sqlite", "open_checkpointer"]

_RESUME = "__resume__"


class DurableWrites:
    """Which tasks' writes the checkpointer has committed, per thread: the run's gate to the log.

    Design invariant 13: the log never shows what the graph does not hold. LangGraph streams a
    task's result as soon as it has *submitted* the task's writes to the checkpointer, not once
    they are committed; a run therefore waits here for the commit before it appends the task's
    events. A crash after the commit and before the append leaves the events to be derived from
    those writes at recovery (``server.core.recorded``), with the same ids.
    """

    def __init__(self) -> None:
        self._done: dict[str, dict[str, asyncio.Event]] = {}
        self._failed: dict[tuple[str, str], BaseException] = {}

    def started(self, thread_id: str, task_id: str) -> None:
        """The saver began writing ``task_id``'s writes (called before its first await)."""
        self._done.setdefault(thread_id, {}).setdefault(task_id, asyncio.Event())

    def committed(self, thread_id: str, task_id: str) -> None:
        """The saver committed ``task_id``'s writes on ``thread_id``."""
        self._done.setdefault(thread_id, {}).setdefault(task_id, asyncio.Event()).set()

    async def wait(self, thread_id: str, task_id: str) -> None:
        """Until ``task_id``'s writes on ``thread_id`` are committed, if any are being written.

        LangGraph submits the writes before it streams the task's result, so the write has
        begun by the time a run reads the result; one yield covers the scheduling order. A task
        with nothing being written (its writes were committed by an earlier process and are
        replayed from the checkpoint) needs no wait.
        """
        done = self._done.get(thread_id, {}).get(task_id)
        if done is None:
            await asyncio.sleep(0)
            done = self._done.get(thread_id, {}).get(task_id)
        if done is not None:
            await done.wait()
            if (thread_id, task_id) in self._failed:
                raise RuntimeError(
                    f"the checkpointer could not save task {task_id}'s writes"
                ) from self._failed[(thread_id, task_id)]

    def failed(self, thread_id: str, task_id: str, error: BaseException) -> None:
        """The saver could not commit ``task_id``'s writes: wake its waiter with the error."""
        self._failed[(thread_id, task_id)] = error
        self._done.setdefault(thread_id, {}).setdefault(task_id, asyncio.Event()).set()

    def forget(self, thread_id: str) -> None:
        """Drop the thread's entries (a run starts or ends: task ids of the next run differ)."""
        for task_id in self._done.pop(thread_id, {}):
            self._failed.pop((thread_id, task_id), None)


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

    durable: DurableWrites
    """Told of every task's committed writes (set by ``open_checkpointer``)."""

    @classmethod
    async def drain(cls) -> None:
        """Wait for writes still in flight (a shutdown must not close their connection)."""
        await asyncio.gather(*cls._in_flight, return_exceptions=True)

    async def _shielded(self, write: Awaitable[Any]) -> Any:
        task = asyncio.ensure_future(write)
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return await asyncio.shield(task)

    async def aput(self, *args: Any, **kwargs: Any) -> Any:
        """Save a checkpoint (shielded)."""
        return await self._shielded(self._put_checkpoint(*args, **kwargs))

    async def _put_checkpoint(self, *args: Any, **kwargs: Any) -> Any:
        saved = await super().aput(*args, **kwargs)
        crash_point("after_checkpoint_commit")
        return saved

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Save a task's pending writes (shielded), then tell ``durable`` they are committed."""
        configurable = config.get("configurable") or {}
        if _is_outcome(configurable, writes):
            self.durable.started(str(configurable["thread_id"]), task_id)
        await self._shielded(self._put_writes(config, writes, task_id, task_path))

    async def _put_writes(
        self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str, path: str
    ) -> None:
        configurable = config.get("configurable") or {}
        try:
            await super().aput_writes(config, writes, task_id, path)
        except BaseException as error:  # a run waiting for these writes must not wait forever
            if _is_outcome(configurable, writes):
                self.durable.failed(str(configurable["thread_id"]), task_id, error)
            raise
        if _is_outcome(configurable, writes):
            self.durable.committed(str(configurable["thread_id"]), task_id)
            crash_point("after_writes_commit", *(p.strip(" ~") for p in path.split(",")))

    async def adelete_thread(self, *args: Any, **kwargs: Any) -> Any:
        """Delete a thread's checkpoints (shielded)."""
        return await self._shielded(super().adelete_thread(*args, **kwargs))


def _is_outcome(configurable: dict[str, Any], writes: Sequence[tuple[str, Any]]) -> bool:
    """A root-graph task's result, error or interrupt (a resume value alone is not one)."""
    return configurable.get("checkpoint_ns", "") == "" and any(c != _RESUME for c, _ in writes)


@asynccontextmanager
async def open_checkpointer(
    path: Path, *, busy_timeout_ms: int = 30_000
) -> AsyncIterator[AsyncSqliteSaver]:
    """An ``AsyncSqliteSaver`` on its own tuned connection, closed on exit (else the process hangs)."""
    conn = await connect_sqlite(path, busy_timeout_ms=busy_timeout_ms)
    try:
        saver = ShieldedSqliteSaver(conn)
        saver.durable = DurableWrites()
        await saver.setup()
        yield saver
    finally:
        await conn.close()
