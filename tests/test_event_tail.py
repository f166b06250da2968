"""The replay-then-follow reader: no gap, no duplicate, whatever the timing."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import aclosing
from pathlib import Path

import pytest

from server.core.eventlog import (
    CursorAheadError,
    CursorExpiredError,
    EventBroker,
    EventStore,
    NewEvent,
    RecordedEvent,
    SubscriberLaggedError,
    UpcasterRegistry,
    follow,
)


def ev(event_id: str, type: str = "message.added") -> NewEvent:
    return NewEvent(event_id=event_id, type=type, data={"id": event_id})


def until_seq(n: int) -> Callable[[RecordedEvent], bool]:
    return lambda event: event.seq >= n


async def collect(stream: AsyncGenerator[RecordedEvent, None], timeout: float = 5.0) -> list[int]:
    async with aclosing(stream) as events, asyncio.timeout(timeout):
        return [event.seq async for event in events]


async def take(
    stream: AsyncGenerator[RecordedEvent, None], n: int, timeout: float = 5.0
) -> list[int]:
    seen: list[int] = []
    async with aclosing(stream) as events, asyncio.timeout(timeout):
        async for event in events:
            seen.append(event.seq)
            if len(seen) == n:
                break
    return seen


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "adforge.sqlite"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[EventStore]:
    async with EventStore.open(db_path, upcasters=UpcasterRegistry()) as opened:
        yield opened


async def subscribed(store: EventStore, thread_id: str, count: int = 1) -> None:
    """Wait until ``count`` followers have subscribed (they subscribe before reading)."""
    async with asyncio.timeout(5):
        while store.broker.subscriber_count(thread_id) < count:
            await asyncio.sleep(0)


async def test_replays_the_log_then_follows_live_events(store: EventStore) -> None:
    await store.append("t1", [ev("e1"), ev("e2"), ev("e3")])
    reader = asyncio.create_task(collect(follow(store, "t1", after_seq=0, stop=until_seq(5))))
    await subscribed(store, "t1")

    await store.append("t1", [ev("e4")])
    await store.append("t1", [ev("e5")])

    assert await reader == [1, 2, 3, 4, 5]
    assert store.broker.subscriber_count("t1") == 0  # released when the stream ended


async def test_a_reconnect_from_a_mid_cursor_yields_exactly_the_rest(store: EventStore) -> None:
    await store.append("t1", [ev(f"e{i}") for i in range(1, 7)])
    reader = asyncio.create_task(take(follow(store, "t1", after_seq=3), 4))
    await subscribed(store, "t1")

    await store.append("t1", [ev("e7")])

    assert await reader == [4, 5, 6, 7]


async def test_a_cursor_at_the_head_waits_for_the_next_event(store: EventStore) -> None:
    await store.append("t1", [ev("e1"), ev("e2")])
    reader = asyncio.create_task(take(follow(store, "t1", after_seq=2), 1))
    await subscribed(store, "t1")

    await store.append("t1", [ev("e3")])

    assert await reader == [3]


async def append_in_random_batches(
    store: EventStore, rng: random.Random, start: int, total: int
) -> None:
    n = start
    while n < total:
        size = min(rng.randint(1, 4), total - n)
        await store.append("t1", [ev(f"e{n + i}") for i in range(size)])
        n += size
        if rng.random() < 0.5:
            await asyncio.sleep(0)


async def read_after_a_random_delay(
    store: EventStore, rng: random.Random, total: int
) -> tuple[int, list[int]]:
    for _ in range(rng.randint(0, 6)):
        await asyncio.sleep(0)
    after = rng.choice([0, 0, 5, 10])
    page_size = rng.choice([3, 500])  # small pages: appends land between replay pages too
    stream = follow(store, "t1", after_seq=after, stop=until_seq(total), page_size=page_size)
    return after, await collect(stream)


@pytest.mark.parametrize("max_queue", [10_000, 2], ids=["roomy-queue", "lagging-queue"])
async def test_concurrent_appends_during_replay_are_seen_once_in_order(
    db_path: Path, max_queue: int
) -> None:
    total = 60
    for round_ in range(20):
        rng = random.Random(round_)
        broker = EventBroker(max_queue=max_queue)
        path = db_path.with_name(f"round{round_}.sqlite")
        async with EventStore.open(path, broker=broker, upcasters=UpcasterRegistry()) as store:
            await store.append("t1", [ev(f"pre{i}") for i in range(10)])

            writer = asyncio.create_task(append_in_random_batches(store, rng, 10, total))
            readers = await asyncio.gather(
                *(read_after_a_random_delay(store, rng, total) for _ in range(4))
            )
            await writer

        for after, seen in readers:
            assert seen == list(range(after + 1, total + 1)), f"round {round_}, after {after}"


async def test_every_follower_of_a_thread_sees_every_event(store: EventStore) -> None:
    tabs = [
        asyncio.create_task(collect(follow(store, "t1", after_seq=0, stop=until_seq(3))))
        for _ in range(3)
    ]
    await subscribed(store, "t1", count=3)

    await store.append("t1", [ev("e1"), ev("e2")])
    await store.append("other", [ev("o1")])
    await store.append("t1", [ev("e3")])

    assert [await tab for tab in tabs] == [[1, 2, 3]] * 3


async def test_stop_ends_the_stream_after_the_matching_event(store: EventStore) -> None:
    await store.append("t1", [ev("e1"), ev("e2", "response.completed"), ev("e3")])
    done: Callable[[RecordedEvent], bool] = lambda e: e.type == "response.completed"  # noqa: E731

    assert await collect(follow(store, "t1", after_seq=0, stop=done)) == [1, 2]  # in the replay

    reader = asyncio.create_task(collect(follow(store, "t1", after_seq=3, stop=done)))
    await subscribed(store, "t1")
    await store.append("t1", [ev("e4"), ev("e5", "response.completed"), ev("e6")])
    assert await reader == [4, 5]  # live


async def test_invalid_cursors_fail_before_anything_is_yielded(store: EventStore) -> None:
    await store.append("t1", [ev(f"e{i}") for i in range(1, 6)])
    await store.set_retention("t1", 3)

    with pytest.raises(CursorAheadError) as ahead:
        await collect(follow(store, "t1", after_seq=9))
    with pytest.raises(CursorExpiredError) as expired:
        await collect(follow(store, "t1", after_seq=1))

    assert (ahead.value.cursor, ahead.value.head_seq) == (9, 5)
    assert (expired.value.cursor, expired.value.min_seq) == (1, 3)
    assert await collect(follow(store, "t1", after_seq=2, stop=until_seq(5))) == [3, 4, 5]


async def test_a_gap_left_by_another_connection_is_filled_from_the_database(
    store: EventStore, db_path: Path
) -> None:
    reader = asyncio.create_task(collect(follow(store, "t1", after_seq=0, stop=until_seq(4))))
    await subscribed(store, "t1")

    async with EventStore.open(db_path) as other_process:
        await other_process.append("t1", [ev("e1"), ev("e2"), ev("e3")])  # not published here
    await store.append("t1", [ev("e4")])  # seq 4 arrives live: 1..3 are read from the DB

    assert await reader == [1, 2, 3, 4]


async def test_polling_sees_appends_of_another_connection(store: EventStore, db_path: Path) -> None:
    stream = follow(store, "t1", after_seq=0, stop=until_seq(2), poll_interval=0.02)
    reader = asyncio.create_task(collect(stream))
    await subscribed(store, "t1")

    async with EventStore.open(db_path) as other_process:
        await other_process.append("t1", [ev("e1"), ev("e2")])

    assert await reader == [1, 2]


async def test_closing_the_store_ends_its_followers(db_path: Path) -> None:
    async with EventStore.open(db_path) as store:
        await store.append("t1", [ev("e1")])
        reader = asyncio.create_task(collect(follow(store, "t1", after_seq=0)))
        await subscribed(store, "t1")

    assert await reader == [1]


async def test_closing_the_stream_releases_the_subscription(store: EventStore) -> None:
    await store.append("t1", [ev("e1"), ev("e2")])

    assert await take(follow(store, "t1", after_seq=0), 1) == [1]
    assert store.broker.subscriber_count("t1") == 0


# --- the broker underneath -------------------------------------------------------------------


async def test_a_subscription_iterates_until_closed(store: EventStore) -> None:
    recorded = await store.append("t1", [ev("e1"), ev("e2")])
    broker = EventBroker()
    async with broker.subscribe("t1") as sub:
        broker.publish(recorded)
        broker.close()
        assert [event async for event in sub] == recorded

    late = broker.subscribe("t1")
    async with late:
        assert await late.get() is None  # a closed broker accepts no subscriber


async def test_an_overflowing_subscription_raises_lagged_and_is_dropped(store: EventStore) -> None:
    recorded = await store.append("t1", [ev(f"e{i}") for i in range(3)])
    broker = EventBroker(max_queue=2)
    async with broker.subscribe("t1") as slow, broker.subscribe_all() as everything:
        broker.publish(recorded[:2])
        assert await everything.get() == recorded[0]
        broker.publish(recorded[2:])

        with pytest.raises(SubscriberLaggedError):
            await slow.get()
        assert slow.lagging
        assert broker.subscriber_count("t1") == 0
        assert [await everything.get(), await everything.get()] == recorded[1:]
        assert broker.subscriber_count() == 1

    with pytest.raises(ValueError):
        EventBroker(max_queue=0)
