"""Replay-then-follow: the one reader behind every SSE endpoint (design.md Invariant 6).

The order is what makes it exact. Subscribe first, then read the database after the cursor: an
event committed during the read is then both in the read and in the subscription queue, and the
``seq <= last`` check drops the second copy, so nothing is missed and nothing repeats. The queue
is only a doorbell; whenever it cannot be trusted the database is read again from the last seq
yielded:

* the subscriber lagged (its queue overflowed): resubscribe, then re-read;
* a live event skips seqs (another connection or process appended): read the gap;
* optionally, every ``poll_interval`` seconds of silence (to see other processes' appends when
  this process appends nothing).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable

from server.core.eventlog.errors import SubscriberLaggedError
from server.core.eventlog.records import RecordedEvent
from server.core.eventlog.store import EventStore

__all__ = ["follow"]


async def follow(
    store: EventStore,
    thread_id: str,
    *,
    after_seq: int,
    stop: Callable[[RecordedEvent], bool] | None = None,
    poll_interval: float | None = None,
    page_size: int = 500,
) -> AsyncGenerator[RecordedEvent, None]:
    """Yield every event of ``thread_id`` with ``seq > after_seq`` in order, then the live tail.

    The iterator ends after yielding an event for which ``stop(event)`` is true (a per-run stream
    ending at its terminal event), or when the store closes. It never ends on its own otherwise:
    wrap it in ``contextlib.aclosing`` so a client disconnect releases the subscription.

    Args:
        store: The event log.
        thread_id: The thread to follow.
        after_seq: The client's cursor (``Last-Event-ID``); 0 replays from the start.
        stop: Ends the stream after the first event it accepts.
        poll_interval: If set, re-read the database after this many seconds without a live
            event, to pick up appends made by other processes.
        page_size: Events read from the database per query, bounding memory on long replays.

    Raises:
        CursorExpiredError: the cursor is older than the thread's retention floor.
        CursorAheadError: the cursor is beyond the thread's head.
            Both surface on the first iteration, after the response has begun: an endpoint calls
            ``store.check_cursor`` first to answer 4xx instead.
    """
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    last = after_seq
    while True:
        async with store.broker.subscribe(thread_id) as sub:
            read_db = True
            try:
                while True:
                    if read_db:
                        if sub.closed:
                            return
                        page = await store.read_thread(thread_id, after_seq=last, limit=page_size)
                        for event in page:
                            yield event
                            last = event.seq
                            if stop is not None and stop(event):
                                return
                        read_db = len(page) == page_size  # a full page: there may be more
                        continue
                    try:
                        live = await sub.get(poll_interval)
                    except TimeoutError:
                        read_db = True
                        continue
                    if live is None:
                        return  # the store is closing
                    if live.seq <= last:
                        continue  # already yielded from the database
                    if live.seq > last + 1:
                        read_db = True  # a gap: committed rows precede their publication
                        continue
                    yield live
                    last = live.seq
                    if stop is not None and stop(live):
                        return
            except SubscriberLaggedError:
                pass  # resubscribe first, then re-read from ``last``
