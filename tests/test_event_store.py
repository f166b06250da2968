"""Contract tests of the SQLite event store: real files in tmp_path, no mocks."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from server.core.eventlog import (
    CursorAheadError,
    CursorExpiredError,
    EventIdConflictError,
    EventStore,
    NewEvent,
    RecordedEvent,
    UpcasterError,
    UpcasterRegistry,
)


def ev(event_id: str, type: str = "message.added", **data: Any) -> NewEvent:
    return NewEvent(event_id=event_id, type=type, data=data or {"id": event_id}, run_id="r1")


def seqs(events: list[RecordedEvent]) -> list[int]:
    return [e.seq for e in events]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "adforge.sqlite"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[EventStore]:
    async with EventStore.open(db_path, upcasters=UpcasterRegistry()) as opened:
        yield opened


# --- append and read -------------------------------------------------------------------------


async def test_append_then_read_returns_the_recorded_envelope(store: EventStore) -> None:
    recorded = await store.append("t1", [ev("e1", text="hi"), ev("e2", "run.finished")])

    assert [(e.seq, e.event_id, e.type, e.data) for e in recorded] == [
        (1, "e1", "message.added", {"text": "hi"}),
        (2, "e2", "run.finished", {"id": "e2"}),
    ]
    assert recorded == await store.read_thread("t1")
    first = recorded[0]
    assert (first.thread_id, first.run_id, first.schema_version) == ("t1", "r1", 1)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", first.created_at)
    assert recorded[1].position == first.position + 1


async def test_seq_is_gapless_and_strictly_increasing_across_appends(store: EventStore) -> None:
    for batch in range(5):
        await store.append("t1", [ev(f"e{batch}-{i}") for i in range(batch + 1)])

    events = await store.read_thread("t1")
    assert seqs(events) == list(range(1, 16))
    positions = [e.position for e in events]
    assert positions == sorted(set(positions))
    assert await store.head_seq("t1") == 15


async def test_empty_append_and_empty_thread(store: EventStore) -> None:
    assert await store.append("t1", []) == []
    assert await store.read_thread("t1") == []
    assert await store.head_seq("t1") == 0
    assert await store.head_position() == 0


async def test_payload_round_trips_as_json_with_unicode(store: EventStore) -> None:
    data = {"title": "Café ☕", "tags": ["a", "b"], "nested": {"n": 1.5, "ok": True, "none": None}}
    [recorded] = await store.append("t1", [NewEvent("e1", "asset.saved", data)])

    [read] = await store.read_thread("t1")
    assert recorded.data == read.data == data


# --- idempotency -----------------------------------------------------------------------------


async def test_an_existing_event_id_is_skipped_not_duplicated(store: EventStore) -> None:
    await store.append("t1", [ev("e1"), ev("e2")])

    again = await store.append("t1", [ev("e1"), ev("e2")])

    assert again == []
    assert seqs(await store.read_thread("t1")) == [1, 2]
    assert await store.exists("e1")
    assert not await store.exists("nope")


async def test_a_partially_recorded_batch_records_only_the_new_events_contiguously(
    store: EventStore,
) -> None:
    await store.append("t1", [ev("e1"), ev("e3")])

    recorded = await store.append("t1", [ev("e1"), ev("e2"), ev("e3"), ev("e4")])

    assert [(e.event_id, e.seq) for e in recorded] == [("e2", 3), ("e4", 4)]
    assert seqs(await store.read_thread("t1")) == [1, 2, 3, 4]


async def test_a_repeated_id_within_one_batch_is_recorded_once(store: EventStore) -> None:
    recorded = await store.append("t1", [ev("e1"), ev("e1"), ev("e2")])

    assert [(e.event_id, e.seq) for e in recorded] == [("e1", 1), ("e2", 2)]


async def test_an_id_recorded_on_another_thread_is_an_error_and_writes_nothing(
    store: EventStore,
) -> None:
    await store.append("t1", [ev("shared")])

    with pytest.raises(EventIdConflictError) as caught:
        await store.append("t2", [ev("new"), ev("shared")])

    assert (caught.value.existing_thread_id, caught.value.thread_id) == ("t1", "t2")
    assert await store.read_thread("t2") == []
    assert await store.append("t2", [ev("new")])  # the store is still usable


@pytest.mark.parametrize(
    "bad",
    [
        NewEvent("e2", "x", {"n": float("nan")}),
        NewEvent("e2", "x", {"when": object()}),
        NewEvent("", "x", {}),
        NewEvent("e2", "", {}),
        NewEvent("e2", "x", {}, schema_version=0),
    ],
)
async def test_a_malformed_event_rejects_the_whole_batch(store: EventStore, bad: NewEvent) -> None:
    with pytest.raises((TypeError, ValueError)):
        await store.append("t1", [ev("e1"), bad])

    assert await store.read_thread("t1") == []


# --- threads and positions -------------------------------------------------------------------


async def test_threads_have_independent_seqs_and_share_the_global_order(store: EventStore) -> None:
    await store.append("a", [ev("a1")])
    await store.append("b", [ev("b1"), ev("b2")])
    await store.append("a", [ev("a2")])

    assert seqs(await store.read_thread("a")) == [1, 2]
    assert seqs(await store.read_thread("b")) == [1, 2]
    all_events = await store.read_all()
    assert [(e.thread_id, e.seq) for e in all_events] == [("a", 1), ("b", 1), ("b", 2), ("a", 2)]
    assert [e.position for e in all_events] == [1, 2, 3, 4]
    assert await store.head_position() == 4


async def test_read_from_a_position_or_a_seq_with_a_limit(store: EventStore) -> None:
    await store.append("t1", [ev(f"e{i}") for i in range(1, 8)])

    assert seqs(await store.read_thread("t1", after_seq=3)) == [4, 5, 6, 7]
    assert seqs(await store.read_thread("t1", after_seq=3, limit=2)) == [4, 5]
    assert [e.position for e in await store.read_all(after_position=5)] == [6, 7]
    assert [e.position for e in await store.read_all(after_position=1, limit=3)] == [2, 3, 4]
    assert await store.read_thread("t1", after_seq=7) == []


async def test_reopening_the_file_keeps_the_log_and_setup_is_idempotent(db_path: Path) -> None:
    async with EventStore.open(db_path) as first:
        await first.append("t1", [ev("e1")])
        await first.setup()
    async with EventStore.open(db_path) as second:
        await second.append("t1", [ev("e1"), ev("e2")])
        assert seqs(await second.read_thread("t1")) == [1, 2]


# --- append-only -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    ["UPDATE events SET data = '{}' WHERE seq = 1", "DELETE FROM events WHERE seq = 1"],
)
async def test_triggers_refuse_update_and_delete(
    store: EventStore, db_path: Path, statement: str
) -> None:
    await store.append("t1", [ev("e1")])

    conn = sqlite3.connect(db_path, timeout=5)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="events are append-only"):
            conn.execute(statement)
        conn.rollback()
    finally:
        conn.close()

    [event] = await store.read_thread("t1")
    assert event.data == {"id": "e1"}


# --- concurrency -----------------------------------------------------------------------------


async def test_concurrent_appends_on_one_store_produce_seqs_1_to_n(store: EventStore) -> None:
    results = await asyncio.gather(*(store.append("t1", [ev(f"e{i}")]) for i in range(50)))

    assert sorted(e.seq for batch in results for e in batch) == list(range(1, 51))
    assert seqs(await store.read_thread("t1")) == list(range(1, 51))


async def test_concurrent_batches_on_one_store_keep_each_batch_contiguous(
    store: EventStore,
) -> None:
    results = await asyncio.gather(
        *(store.append("t1", [ev(f"b{b}-{i}") for i in range(3)]) for b in range(20))
    )

    for batch in results:
        assert seqs(batch) == list(range(batch[0].seq, batch[0].seq + 3))
    assert seqs(await store.read_thread("t1")) == list(range(1, 61))


async def test_two_connections_appending_concurrently_never_gap_or_duplicate(
    db_path: Path,
) -> None:
    async with EventStore.open(db_path) as one, EventStore.open(db_path) as two:
        await asyncio.gather(
            *(
                (one if i % 2 else two).append("t1", [ev(f"e{i}-a"), ev(f"e{i}-b")])
                for i in range(40)
            ),
            # The same ids from both connections: each is recorded exactly once.
            *(s.append("t1", [ev("dup")]) for s in (one, two)),
        )
        events = await one.read_thread("t1")

    assert seqs(events) == list(range(1, 82))
    assert len({e.event_id for e in events}) == 81
    assert len({e.position for e in events}) == 81


async def test_an_append_whose_caller_is_cancelled_still_completes(store: EventStore) -> None:
    task = asyncio.create_task(store.append("t1", [ev("e1")]))
    await asyncio.sleep(0)
    task.cancel()

    with pytest.raises(asyncio.CancelledError):
        await task

    # The next append waits for the writer: e1 was committed first, no transaction left open.
    assert seqs(await store.append("t1", [ev("e2")])) == [2]
    assert await store.head_seq("t1") == 2


async def test_append_publishes_the_recorded_events_after_commit(store: EventStore) -> None:
    async with store.broker.subscribe("t1") as sub, store.broker.subscribe_all() as everything:
        recorded = await store.append("t1", [ev("e1"), ev("e2")])
        await store.append("t1", [ev("e1")])  # skipped: nothing published

        assert [await sub.get(1), await sub.get(1)] == recorded
        assert [await everything.get(1), await everything.get(1)] == recorded
        assert sub.empty()


# --- upcasting -------------------------------------------------------------------------------


async def test_old_payloads_are_upcast_on_read_and_never_rewritten(db_path: Path) -> None:
    registry = UpcasterRegistry()
    async with EventStore.open(db_path, upcasters=registry) as store:
        await store.append("t1", [NewEvent("e1", "asset.saved", {"url": "/a.png"})])
        registry.register("asset.saved", 1, lambda d: {**d, "kind": "image"})
        registry.register("asset.saved", 2, lambda d: {"urls": [d["url"]], "kind": d["kind"]})

        [event] = await store.read_thread("t1")
        [current] = await store.append(
            "t1", [NewEvent("e2", "asset.saved", {"urls": [], "kind": "video"}, schema_version=3)]
        )

    assert (event.schema_version, event.data) == (3, {"urls": ["/a.png"], "kind": "image"})
    assert (current.schema_version, current.data) == (3, {"urls": [], "kind": "video"})
    raw = sqlite3.connect(db_path)
    try:
        row = raw.execute(
            "SELECT schema_version, data FROM events WHERE event_id = 'e1'"
        ).fetchone()
    finally:
        raw.close()
    assert (row[0], json.loads(row[1])) == (1, {"url": "/a.png"})


def test_the_upcaster_registry_refuses_duplicates_and_missing_steps() -> None:
    registry = UpcasterRegistry()
    registry.register("x", 2, lambda d: d)

    with pytest.raises(UpcasterError, match="already registered"):
        registry.register("x", 2, lambda d: d)
    with pytest.raises(UpcasterError, match="no upcaster"):
        registry.upcast("x", 1, {})
    assert registry.upcast("x", 3, {"a": 1}) == (3, {"a": 1})  # newer than known: as is
    assert registry.upcast("other", 1, {"a": 1}) == (1, {"a": 1})


# --- cursors and retention -------------------------------------------------------------------


async def test_a_cursor_beyond_the_head_is_refused_with_the_head(store: EventStore) -> None:
    await store.append("t1", [ev("e1"), ev("e2")])

    with pytest.raises(CursorAheadError) as caught:
        await store.read_thread("t1", after_seq=3)

    assert (caught.value.thread_id, caught.value.cursor, caught.value.head_seq) == ("t1", 3, 2)
    assert caught.value.code == "cursor_ahead"
    assert await store.check_cursor("t1", 2) == 2
    with pytest.raises(CursorAheadError):
        await store.check_cursor("empty", 1)
    with pytest.raises(ValueError):
        await store.check_cursor("t1", -1)


async def test_retention_expires_old_cursors_but_keeps_the_rows(store: EventStore) -> None:
    await store.append("t1", [ev(f"e{i}") for i in range(1, 11)])

    assert await store.set_retention("t1", 6) == 6

    with pytest.raises(CursorExpiredError) as caught:
        await store.read_thread("t1", after_seq=4)
    error = caught.value
    assert (error.thread_id, error.cursor, error.min_seq, error.head_seq) == ("t1", 4, 6, 10)
    assert error.code == "cursor_expired"
    assert "no longer replayable" in str(error)
    assert seqs(await store.read_thread("t1", after_seq=5)) == [6, 7, 8, 9, 10]
    assert len(await store.read_all()) == 10  # rows stay; projections still fold them
    assert await store.retention_floor("t1") == 6
    assert await store.retention_floor("other") == 1


async def test_retention_never_lowers_and_cannot_pass_the_head(store: EventStore) -> None:
    await store.append("t1", [ev("e1"), ev("e2")])
    await store.set_retention("t1", 3)

    assert await store.set_retention("t1", 2) == 3
    with pytest.raises(ValueError, match="beyond head"):
        await store.set_retention("t1", 4)
    with pytest.raises(ValueError):
        await store.set_retention("t1", 0)
    with pytest.raises(CursorExpiredError):
        await store.check_cursor("t1", 0)
