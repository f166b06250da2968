"""Errors of the event log, each carrying the data a route needs for a clear 4xx answer.

Cursor errors are the two ways a resuming client can ask for something the log cannot give: a
position older than retention (the events are no longer replayable) or one beyond the head (a
``Last-Event-ID`` from another database, or a typo). Both say so loudly instead of streaming a
silent gap (design Invariant 6). Every error has a stable ``code`` so adapters map it to their
wire format without parsing messages.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "CursorAheadError",
    "CursorError",
    "CursorExpiredError",
    "EventIdConflictError",
    "EventStoreError",
    "SubscriberLaggedError",
    "UpcasterError",
]


class EventStoreError(Exception):
    """Base class of every error raised by ``server.core.eventlog``."""

    code: ClassVar[str] = "event_store_error"


class CursorError(EventStoreError):
    """A client's cursor cannot be served; ``head_seq`` lets it refetch the view and resubscribe."""

    code: ClassVar[str] = "cursor_error"

    def __init__(self, message: str, *, thread_id: str, cursor: int, head_seq: int) -> None:
        super().__init__(message)
        self.thread_id = thread_id
        self.cursor = cursor
        self.head_seq = head_seq


class CursorExpiredError(CursorError):
    """The cursor points before the thread's retention floor: some events are no longer replayable."""

    code: ClassVar[str] = "cursor_expired"

    def __init__(self, thread_id: str, cursor: int, min_seq: int, head_seq: int) -> None:
        super().__init__(
            f"cursor {cursor} on thread {thread_id!r} has expired: events before seq {min_seq} "
            f"are no longer replayable (head is {head_seq}); reload the thread and resume from "
            "its head",
            thread_id=thread_id,
            cursor=cursor,
            head_seq=head_seq,
        )
        self.min_seq = min_seq


class CursorAheadError(CursorError):
    """The cursor is beyond the thread's head, so it was not issued by this log."""

    code: ClassVar[str] = "cursor_ahead"

    def __init__(self, thread_id: str, cursor: int, head_seq: int) -> None:
        super().__init__(
            f"cursor {cursor} on thread {thread_id!r} is ahead of the log (head is {head_seq}); "
            "it was not issued by this server",
            thread_id=thread_id,
            cursor=cursor,
            head_seq=head_seq,
        )


class SubscriberLaggedError(EventStoreError):
    """A live subscriber fell too far behind and was dropped; re-read the log from the database."""

    code: ClassVar[str] = "subscriber_lagged"


class EventIdConflictError(EventStoreError):
    """An event id already recorded on ANOTHER thread: a bug in id derivation, never a replay.

    Deterministic ids include the thread id, so a replayed node repeats ids only on its own thread
    (skipped silently). The same id on two threads would otherwise drop an event without a trace.
    """

    code: ClassVar[str] = "event_id_conflict"

    def __init__(self, event_id: str, thread_id: str, existing_thread_id: str) -> None:
        super().__init__(
            f"event id {event_id!r} appended to thread {thread_id!r} is already recorded on "
            f"thread {existing_thread_id!r}"
        )
        self.event_id = event_id
        self.thread_id = thread_id
        self.existing_thread_id = existing_thread_id


class UpcasterError(EventStoreError):
    """An upcaster registered twice, or a stored version with no path to the newest one."""

    code: ClassVar[str] = "upcaster_error"
