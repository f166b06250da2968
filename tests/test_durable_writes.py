"""The gate between a task's writes and its events: a run waits for the commit, never forever.

A run appends a task's events only once the checkpointer has committed the task's writes
(``server.core.persistence.DurableWrites``). These tests use the real SQLite saver: a committed
write releases the waiter, a write that fails wakes it with the error (the run then fails instead
of hanging), and a task with no write in flight (replayed from an earlier process) is not awaited.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from server.core.persistence import open_checkpointer


def _config(checkpoint_id: str) -> Any:
    return {
        "configurable": {"thread_id": "t1", "checkpoint_ns": "", "checkpoint_id": checkpoint_id}
    }


async def test_a_committed_write_releases_its_waiter(tmp_path: Path) -> None:
    async with open_checkpointer(tmp_path / "c.sqlite") as saver:
        durable = saver.durable  # type: ignore[attr-defined]
        waiting = asyncio.ensure_future(durable.wait("t1", "task-a"))
        await saver.aput_writes(_config("cp-1"), [("personas", [1, 2])], "task-a")
        await asyncio.wait_for(waiting, 10)
        assert waiting.done() and waiting.exception() is None


async def test_a_failed_write_wakes_its_waiter_with_the_error(tmp_path: Path) -> None:
    async with open_checkpointer(tmp_path / "c.sqlite") as saver:
        durable = saver.durable  # type: ignore[attr-defined]
        await saver.conn.close()  # every write now fails
        writing = asyncio.ensure_future(
            saver.aput_writes(_config("cp-1"), [("personas", [1])], "task-b")
        )
        with pytest.raises(RuntimeError, match="could not save task task-b"):
            await asyncio.wait_for(durable.wait("t1", "task-b"), 10)
        with pytest.raises(Exception):  # noqa: B017 - the driver's own error, whatever its type
            await writing


async def test_a_task_with_no_write_in_flight_is_not_awaited(tmp_path: Path) -> None:
    async with open_checkpointer(tmp_path / "c.sqlite") as saver:
        durable = saver.durable  # type: ignore[attr-defined]
        await asyncio.wait_for(durable.wait("t1", "replayed-task"), 1)
        await saver.aput_writes(_config("cp-1"), [("__resume__", "yes")], "task-c")
        await asyncio.wait_for(durable.wait("t1", "task-c"), 1)  # a resume value is no outcome
