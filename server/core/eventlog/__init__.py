"""The event log: append-only storage, live tail, and projections (design.md Invariants 1, 5, 6).

Layering: ``records`` (types, upcasting) <- ``broker`` (in-process pub/sub) <- ``store`` (SQLite)
<- ``tail`` (replay-then-follow for SSE) and ``projection`` (in-memory folds). Domain event types,
the graph-to-event translator and the concrete projections build on this package; it imports
nothing from ``graph/`` or ``tools/``.
"""

from __future__ import annotations

from server.core.eventlog.broker import DEFAULT_QUEUE_SIZE, EventBroker, Subscription
from server.core.eventlog.errors import (
    CursorAheadError,
    CursorError,
    CursorExpiredError,
    EventIdConflictError,
    EventStoreError,
    SubscriberLaggedError,
    UpcasterError,
)
from server.core.eventlog.projection import Projection, ProjectionRunner, rebuild
from server.core.eventlog.records import (
    NewEvent,
    RecordedEvent,
    Upcaster,
    UpcasterRegistry,
    default_upcasters,
    register_upcaster,
    utc_timestamp,
)
from server.core.eventlog.store import EventStore
from server.core.eventlog.tail import follow

__all__ = [
    "DEFAULT_QUEUE_SIZE",
    "CursorAheadError",
    "CursorError",
    "CursorExpiredError",
    "EventBroker",
    "EventIdConflictError",
    "EventStore",
    "EventStoreError",
    "NewEvent",
    "Projection",
    "ProjectionRunner",
    "RecordedEvent",
    "SubscriberLaggedError",
    "Subscription",
    "Upcaster",
    "UpcasterError",
    "UpcasterRegistry",
    "default_upcasters",
    "follow",
    "rebuild",
    "register_upcaster",
    "utc_timestamp",
]
