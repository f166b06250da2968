"""The projection runner, read as given / when / then with a toy projection (count per type)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from server.core.eventlog import (
    EventBroker,
    EventStore,
    NewEvent,
    ProjectionRunner,
    RecordedEvent,
    UpcasterRegistry,
    rebuild,
)

Counts = dict[str, int]


class CountByType:
    """Counts events per type; a pure fold returning a new dict each time."""

    name = "count_by_type"

    def initial(self) -> Counts:
        return {}

    def apply(self, view: Counts, event: RecordedEvent) -> Counts:
        return {**view, event.type: view.get(event.type, 0) + 1}


class ThreadsSeen:
    """Known types only: ``thread.created`` adds a thread; anything else leaves the view as is."""

    name = "threads"

    def initial(self) -> frozenset[str]:
        return frozenset()

    def apply(self, view: frozenset[str], event: RecordedEvent) -> frozenset[str]:
        match event.type:
            case "thread.created":
                return view | {event.thread_id}
            case _:
                return view


class Explodes:
    """A buggy projection: fails on ``boom`` events."""

    name = "explodes"

    def initial(self) -> int:
        return 0

    def apply(self, view: int, event: RecordedEvent) -> int:
        if event.type == "boom":
            raise KeyError("boom")
        return view + 1


def ev(event_id: str, type: str = "message.added") -> NewEvent:
    return NewEvent(event_id=event_id, type=type, data={})


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "adforge.sqlite"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[EventStore]:
    async with EventStore.open(db_path, upcasters=UpcasterRegistry()) as opened:
        yield opened


@pytest.fixture
async def runner(store: EventStore) -> AsyncIterator[ProjectionRunner]:
    started = ProjectionRunner(store, [CountByType(), ThreadsSeen()])
    await started.start()
    yield started
    await started.stop()


async def append_mixed(store: EventStore, prefix: str, threads: int = 3) -> int:
    """Given a few threads, each created then chatting; returns the last position."""
    last = 0
    for t in range(threads):
        thread = f"{prefix}-t{t}"
        recorded = await store.append(
            thread,
            [ev(f"{thread}-c", "thread.created"), ev(f"{thread}-m1"), ev(f"{thread}-m2")],
        )
        last = recorded[-1].position
    return last


async def test_incremental_views_equal_a_rebuild_from_zero(
    store: EventStore, runner: ProjectionRunner
) -> None:
    # when events arrive while the runner follows
    last = await append_mixed(store, "a")
    await runner.wait_for(last)

    # then
    assert runner.view("count_by_type") == {"thread.created": 3, "message.added": 6}
    assert runner.view("threads") == {"a-t0", "a-t1", "a-t2"}
    assert runner.view("count_by_type") == await rebuild(store, CountByType())
    assert runner.view("threads") == await rebuild(store, ThreadsSeen())
    assert runner.position == last


async def test_start_replays_the_existing_log_before_returning(store: EventStore) -> None:
    # given a log written before the server started
    last = await append_mixed(store, "old")

    # when
    runner = ProjectionRunner(store, [CountByType()], page_size=2)
    await runner.start()
    try:
        # then the view is complete at once, without waiting
        assert runner.position == last
        assert runner.view("count_by_type") == {"thread.created": 3, "message.added": 6}
    finally:
        await runner.stop()


async def test_a_new_runner_catches_up_and_positions_are_recorded(store: EventStore) -> None:
    # given a runner that saw some events, then stopped
    first = ProjectionRunner(store, [CountByType(), ThreadsSeen()])
    await first.start()
    await first.wait_for(await append_mixed(store, "before"))
    await first.stop()
    assert await store.load_projection_positions() == {"count_by_type": 9, "threads": 9}

    # when more events arrive while nothing runs, and a new runner starts
    last = await append_mixed(store, "after", threads=2)
    second = ProjectionRunner(store, [CountByType(), ThreadsSeen()])
    await second.start()
    try:
        # then it knows where the last one stopped and has caught up with everything
        assert second.stored_positions == {"count_by_type": 9, "threads": 9}
        assert second.position == last
        assert second.view("count_by_type") == await rebuild(store, CountByType())
        assert len(second.view("threads")) == 5
    finally:
        await second.stop()
    assert await store.load_projection_positions() == {"count_by_type": last, "threads": last}


async def test_duplicated_and_old_events_are_ignored(
    store: EventStore, runner: ProjectionRunner
) -> None:
    # given
    recorded = await store.append("t1", [ev("e1", "thread.created"), ev("e2"), ev("e3")])
    await runner.wait_for(recorded[-1].position)

    # when the same events are delivered again (from the middle, and all of them)
    store.broker.publish(recorded[1:])
    store.broker.publish(recorded)
    [later] = await store.append("t1", [ev("e4")])
    await runner.wait_for(later.position)

    # then each counted once
    assert runner.view("count_by_type") == {"thread.created": 1, "message.added": 3}
    assert runner.view("count_by_type") == await rebuild(store, CountByType())


async def test_unknown_types_leave_a_view_unchanged(
    store: EventStore, runner: ProjectionRunner
) -> None:
    [event] = await store.append("t1", [ev("e1", "something.unheard.of")])
    await runner.wait_for(event.position)

    assert runner.view("threads") == frozenset()
    assert runner.view("count_by_type") == {"something.unheard.of": 1}


async def test_wait_for_returns_at_once_times_out_or_refuses_when_not_running(
    store: EventStore,
) -> None:
    runner = ProjectionRunner(store, [CountByType()])
    with pytest.raises(RuntimeError, match="not running"):
        await runner.wait_for(1)

    await runner.start()
    try:
        await runner.wait_for(0)
        with pytest.raises(TimeoutError):
            await runner.wait_for(1, timeout=0.05)
        waiting = asyncio.create_task(runner.wait_for(2, timeout=5))
        await store.append("t1", [ev("e1"), ev("e2")])
        await waiting
        assert runner.view("count_by_type") == {"message.added": 2}
    finally:
        await runner.stop()


async def test_stopping_releases_pending_waiters(store: EventStore) -> None:
    runner = ProjectionRunner(store, [CountByType()])
    await runner.start()
    waiting = asyncio.create_task(runner.wait_for(10, timeout=5))
    await asyncio.sleep(0)

    await runner.stop()

    with pytest.raises(RuntimeError, match="stopped"):
        await waiting


async def test_a_lagging_runner_recovers_from_the_database(db_path: Path) -> None:
    # given a broker that can buffer only two events
    broker = EventBroker(max_queue=2)
    async with EventStore.open(db_path, broker=broker, upcasters=UpcasterRegistry()) as store:
        runner = ProjectionRunner(store, [CountByType()])
        await runner.start()
        try:
            # when batches larger than its queue are published before the runner gets a turn
            results = await asyncio.gather(
                *(store.append(f"t{i % 3}", [ev(f"e{i}-{j}") for j in range(5)]) for i in range(12))
            )
            await runner.wait_for(max(batch[-1].position for batch in results))

            # then nothing was lost or counted twice
            assert runner.view("count_by_type") == {"message.added": 60}
        finally:
            await runner.stop()


async def test_events_appended_by_another_connection_are_picked_up(
    store: EventStore, runner: ProjectionRunner, db_path: Path
) -> None:
    # given another process appending to the same file (its broker is not ours)
    async with EventStore.open(db_path) as other_process:
        await append_mixed(other_process, "elsewhere", threads=2)

    # when this process appends next, the position jump reveals the gap
    [event] = await store.append("here", [ev("h1", "thread.created")])
    await runner.wait_for(event.position)

    # then
    assert runner.view("threads") == {"elsewhere-t0", "elsewhere-t1", "here"}
    assert runner.view("count_by_type") == await rebuild(store, CountByType())


async def test_a_failing_projection_is_logged_and_does_not_stop_the_others(
    store: EventStore, caplog: pytest.LogCaptureFixture
) -> None:
    runner = ProjectionRunner(store, [Explodes(), CountByType()])
    await runner.start()
    try:
        with caplog.at_level(logging.ERROR, logger="server.core.eventlog.projection"):
            recorded = await store.append("t1", [ev("e1"), ev("e2", "boom"), ev("e3")])
            await runner.wait_for(recorded[-1].position)

        assert runner.view("explodes") == 2
        assert runner.view("count_by_type") == {"message.added": 2, "boom": 1}
        assert "projection explodes failed on event e2" in caplog.text
    finally:
        await runner.stop()
    with pytest.raises(KeyError):
        await rebuild(store, Explodes())  # rebuild is strict, for tests and repair


async def test_closing_the_store_ends_the_runner_quietly(db_path: Path) -> None:
    async with EventStore.open(db_path, upcasters=UpcasterRegistry()) as store:
        runner = ProjectionRunner(store, [CountByType()])
        await runner.start()
        [event] = await store.append("t1", [ev("e1")])
        await runner.wait_for(event.position)

    await runner.stop()  # the store is gone: nothing left to record, and no error

    assert runner.view("count_by_type") == {"message.added": 1}


def test_projection_names_must_be_unique(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unique"):
        ProjectionRunner(None, [CountByType(), CountByType()])  # type: ignore[arg-type]


async def test_starting_twice_is_refused(runner: ProjectionRunner) -> None:
    with pytest.raises(RuntimeError, match="twice"):
        await runner.start()


async def test_positions_are_recorded_after_a_quiet_moment(store: EventStore) -> None:
    runner = ProjectionRunner(store, [CountByType()], save_interval=0.05)
    await runner.start()
    try:
        [event] = await store.append("t1", [ev("e1")])
        await runner.wait_for(event.position)
        async with asyncio.timeout(5):
            while (await store.load_projection_positions()).get("count_by_type") != 1:
                await asyncio.sleep(0.01)
    finally:
        await runner.stop()
