"""Projections: pure folds over the log, kept current in memory by one runner.

Choice recorded here (design.md Invariant 5, style.md guideline 8): views live in memory and are
rebuilt at start-up by replaying the whole log in position order; ``projection_positions`` records
how far each projection got, for observability and for a future persistent view store, but is
not used to skip events on boot (an in-memory view has nothing to resume from). Because a view is
a fold, ``rebuild`` from position 0 gives the same result as the incremental runner.

Applying is idempotent by position: an event at or below a projection's position is a no-op, so
the overlap between the catch-up read and the live subscription, or a redelivered event, never
counts twice. An ``apply`` that raises is a bug in that projection: the runner logs it with the
position and moves on (the other views stay current, and the failure is deterministic, so every
rebuild skips the same event); ``rebuild`` lets the exception propagate so tests see it.

Lifecycle: start the runner after the store opens and stop it before the store closes. Limit: the
broker is in-process, so events appended by another process are folded when this process next
sees a jump in ``position`` (its own next append), not at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from server.core.eventlog.broker import Subscription
from server.core.eventlog.errors import SubscriberLaggedError
from server.core.eventlog.records import RecordedEvent
from server.core.eventlog.store import EventStore

__all__ = ["Projection", "ProjectionRunner", "rebuild"]

log = logging.getLogger(__name__)

ViewT = TypeVar("ViewT")


class Projection(Protocol[ViewT]):
    """A named, pure fold from events to a view."""

    name: str
    """Stable key in ``projection_positions`` and in ``ProjectionRunner.view``."""

    def initial(self) -> ViewT:
        """The view before any event."""
        ...

    def apply(self, view: ViewT, event: RecordedEvent) -> ViewT:
        """The view after ``event``; must not mutate ``view``; unknown types return it as is."""
        ...


async def rebuild(
    store: EventStore, projection: Projection[ViewT], *, page_size: int = 1000
) -> ViewT:
    """Fold ``projection`` over the whole log from position 0 (tests and repair)."""
    view, position = projection.initial(), 0
    while True:
        page = await store.read_all(after_position=position, limit=page_size)
        for event in page:
            view, position = projection.apply(view, event), event.position
        if len(page) < page_size:
            return view


class ProjectionRunner:
    """Keeps in-memory views current: replay at start, then follow the global broker."""

    def __init__(
        self,
        store: EventStore,
        projections: Sequence[Projection[Any]],
        *,
        page_size: int = 1000,
        save_interval: float = 1.0,
    ) -> None:
        names = [p.name for p in projections]
        if len(set(names)) != len(names):
            raise ValueError(f"projection names must be unique, got {names}")
        if page_size < 1 or save_interval <= 0:
            raise ValueError("page_size must be >= 1 and save_interval > 0")
        self._store = store
        self._projections = {p.name: p for p in projections}
        self._views: dict[str, Any] = {p.name: p.initial() for p in projections}
        self._positions = dict.fromkeys(names, 0)
        self._position = 0
        self._page_size = page_size
        self._save_interval = save_interval
        self._dirty = False
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._task: asyncio.Task[None] | None = None
        self._started = False
        self.stored_positions: dict[str, int] = {}
        """What ``projection_positions`` held at start (before this run's replay)."""

    @property
    def position(self) -> int:
        """The last position every projection has applied."""
        return self._position

    @property
    def projections(self) -> dict[str, Projection[Any]]:
        """The projections this runner keeps current, by name (for rebuilds and repair)."""
        return dict(self._projections)

    def view(self, name: str) -> Any:
        """The current view of projection ``name`` (``KeyError`` if unknown)."""
        return self._views[name]

    async def start(self) -> None:
        """Replay the log into fresh views, then follow live events in a background task.

        Returns once the views reflect every event committed before the call, so a server can
        serve reads as soon as its lifespan has started the runner.
        """
        if self._started:
            raise RuntimeError("ProjectionRunner.start() called twice; use a new runner")
        self._started = True
        self.stored_positions = await self._store.load_projection_positions()
        sub = self._store.broker.subscribe_all().start()  # before reading: no gap
        try:
            await self._catch_up()
            await self._save()
        except BaseException:
            sub.close()
            raise
        for name, stored in self.stored_positions.items():
            if stored > self._position and name in self._positions:
                log.warning(
                    "projection %s had recorded position %d beyond the log head %d: "
                    "was the database replaced?",
                    name,
                    stored,
                    self._position,
                )
        self._task = asyncio.create_task(self._follow(sub), name="projection-runner")
        self._task.add_done_callback(_log_failure)

    async def stop(self) -> None:
        """Stop following and record the final positions (if the store is still open)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)  # a failure was logged already
        if self._dirty and not self._store.broker.closed:
            await self._save()

    async def wait_for(self, position: int, timeout: float = 5.0) -> None:
        """Read-your-writes: wait until every projection has applied ``position``.

        Raises:
            TimeoutError: not reached within ``timeout`` seconds.
            RuntimeError: the runner is not running.
        """
        if self._position >= position:
            return
        if self._task is None or self._task.done():
            raise RuntimeError("the projection runner is not running")
        future = asyncio.get_running_loop().create_future()
        entry = (position, future)
        self._waiters.append(entry)
        try:
            await asyncio.wait_for(future, timeout)
        finally:
            if entry in self._waiters:
                self._waiters.remove(entry)

    async def _follow(self, sub: Subscription) -> None:
        loop = asyncio.get_running_loop()
        last_save = loop.time()
        try:
            while True:
                try:
                    event = await sub.get(self._save_interval if self._dirty else None)
                except TimeoutError:  # quiet for a while: a good moment to record positions
                    await self._save_logged()
                    last_save = loop.time()
                    continue
                except SubscriberLaggedError:
                    sub.close()
                    sub = self._store.broker.subscribe_all().start()
                    await self._catch_up()
                    continue
                if event is None:
                    return  # the store is closing
                if event.position > self._position + 1:
                    await self._catch_up()  # another connection appended in between
                else:
                    self._apply(event)
                    self._notify()
                if self._dirty and loop.time() - last_save >= self._save_interval:
                    await self._save_logged()
                    last_save = loop.time()
        finally:
            sub.close()
            for _, future in self._waiters:
                if not future.done():
                    future.set_exception(RuntimeError("the projection runner stopped"))

    async def _catch_up(self) -> None:
        while True:
            page = await self._store.read_all(after_position=self._position, limit=self._page_size)
            for event in page:
                self._apply(event)
            self._notify()
            if len(page) < self._page_size:
                return

    def _apply(self, event: RecordedEvent) -> None:
        if event.position <= self._position:
            return  # already applied: duplicates and overlaps are no-ops
        for name, projection in self._projections.items():
            if event.position <= self._positions[name]:
                continue
            try:
                self._views[name] = projection.apply(self._views[name], event)
            except Exception:
                log.exception(
                    "projection %s failed on event %s (position %d, type %s); view unchanged",
                    name,
                    event.event_id,
                    event.position,
                    event.type,
                )
            self._positions[name] = event.position
        self._position = event.position
        self._dirty = True

    def _notify(self) -> None:
        for position, future in self._waiters:
            if position <= self._position and not future.done():
                future.set_result(None)

    async def _save(self) -> None:
        if self._positions:
            await self._store.save_projection_positions(self._positions)
        self._dirty = False

    async def _save_logged(self) -> None:
        # Positions are observability: a failed save (say, a lock held past the busy timeout)
        # must not stop the views; the next save records the newer position anyway.
        try:
            await self._save()
        except Exception:
            log.warning("could not record projection positions", exc_info=True)


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("the projection runner stopped: views are no longer current", exc_info=error)
