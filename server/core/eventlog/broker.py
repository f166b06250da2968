"""In-process pub/sub of recorded events: the live half of every tail.

The broker is only a doorbell. The database is the truth; a subscriber that falls behind is
dropped (``SubscriberLaggedError``) rather than allowed to grow memory without bound, and it
recovers by re-reading the log from its last position. ``publish`` is synchronous so that the
store can publish right after its commit without yielding to the loop: subscribers therefore see
one process's events in commit order.

asyncio only: every method must be called on the loop that owns the broker. Events appended by
another process never reach this broker; readers notice them by a jump in ``seq``/``position``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from types import TracebackType

from server.core.eventlog.errors import SubscriberLaggedError
from server.core.eventlog.records import RecordedEvent

__all__ = ["DEFAULT_QUEUE_SIZE", "EventBroker", "Subscription"]

DEFAULT_QUEUE_SIZE = 10_000
"""Events buffered per subscriber before it is declared lagging."""


class Subscription:
    """One subscriber's bounded queue; an async context manager and an async iterator.

    Registration happens on ``__aenter__`` (or ``start``), so a caller subscribes *before* reading
    the database: the replay-then-follow order that guarantees no gap.
    """

    def __init__(self, broker: EventBroker, thread_id: str | None, max_queue: int) -> None:
        self._broker = broker
        self.thread_id = thread_id
        """The thread followed, or ``None`` for every thread."""
        self._queue: asyncio.Queue[RecordedEvent | None] = asyncio.Queue(max_queue)
        self.lagging = False
        """True once an event was dropped because the queue was full."""
        self.closed = False

    async def __aenter__(self) -> Subscription:
        return self.start()

    def start(self) -> Subscription:
        """Start receiving now (``async with`` does this); for owners that outlive a block."""
        self._broker._register(self)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> RecordedEvent:
        event = await self.get()
        if event is None:
            raise StopAsyncIteration
        return event

    async def get(self, timeout: float | None = None) -> RecordedEvent | None:
        """The next event, or ``None`` once the subscription is closed.

        Raises:
            SubscriberLaggedError: events were dropped; re-read the log from the last position.
            TimeoutError: nothing arrived within ``timeout`` seconds (used for polling).
        """
        self._raise_if_lagging()
        if self.closed and self._queue.empty():
            return None
        event = await asyncio.wait_for(self._queue.get(), timeout)
        self._raise_if_lagging()
        return event

    def empty(self) -> bool:
        """Whether no event is waiting (a good moment to do housekeeping)."""
        return self._queue.empty()

    def close(self) -> None:
        """Stop receiving; a pending ``get`` returns ``None``. Idempotent."""
        if self.closed:
            return
        self.closed = True
        self._broker._unregister(self)
        self._wake()

    def _deliver(self, event: RecordedEvent) -> None:
        if self.lagging or self.closed:
            return
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self.lagging = True
            self._broker._unregister(self)
            self._drain()
            self._wake()

    def _raise_if_lagging(self) -> None:
        if self.lagging:
            raise SubscriberLaggedError(
                f"subscriber of {self.thread_id or 'all threads'} fell more than "
                f"{self._queue.maxsize} events behind; re-read from the database"
            )

    def _drain(self) -> None:
        while not self._queue.empty():
            self._queue.get_nowait()

    def _wake(self) -> None:
        # A None in the queue wakes a reader blocked in get(); the flags tell it why.
        if not self._queue.full():
            self._queue.put_nowait(None)


class EventBroker:
    """Fan-out of recorded events to per-thread and all-thread subscribers."""

    def __init__(self, *, max_queue: int = DEFAULT_QUEUE_SIZE) -> None:
        if max_queue < 1:
            raise ValueError("max_queue must be at least 1")
        self._max_queue = max_queue
        self._by_thread: dict[str, set[Subscription]] = {}
        self._global: set[Subscription] = set()
        self._closed = False

    def subscribe(self, thread_id: str) -> Subscription:
        """A subscription to one thread's events; enter it to start receiving."""
        return Subscription(self, thread_id, self._max_queue)

    def subscribe_all(self) -> Subscription:
        """A subscription to every thread's events, in position order (for projections)."""
        return Subscription(self, None, self._max_queue)

    def publish(self, events: Sequence[RecordedEvent]) -> None:
        """Hand committed events to every interested subscriber without blocking."""
        for event in events:
            for sub in list(self._by_thread.get(event.thread_id, ())):
                sub._deliver(event)
            for sub in list(self._global):
                sub._deliver(event)

    def subscriber_count(self, thread_id: str | None = None) -> int:
        """Live subscribers of ``thread_id`` (or of all threads when ``None``); for tests and metrics."""
        if thread_id is None:
            return len(self._global)
        return len(self._by_thread.get(thread_id, ()))

    @property
    def closed(self) -> bool:
        """Whether ``close`` was called (the store is shutting down)."""
        return self._closed

    def close(self) -> None:
        """End every subscription (shutdown): followers finish instead of waiting forever."""
        self._closed = True
        subs = [s for group in self._by_thread.values() for s in group] + list(self._global)
        for sub in subs:
            sub.close()

    def _register(self, sub: Subscription) -> None:
        if self._closed:
            sub.closed = True
            sub._wake()
            return
        if sub.thread_id is None:
            self._global.add(sub)
        else:
            self._by_thread.setdefault(sub.thread_id, set()).add(sub)

    def _unregister(self, sub: Subscription) -> None:
        if sub.thread_id is None:
            self._global.discard(sub)
            return
        group = self._by_thread.get(sub.thread_id)
        if group is not None:
            group.discard(sub)
            if not group:
                del self._by_thread[sub.thread_id]
