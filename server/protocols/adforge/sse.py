"""SSE for the Ad Forge API: frames read from the log, ``id: <seq>``, resumable with Last-Event-ID.

Every streaming endpoint only reads the log (``server.core.eventlog.follow``): replay after the cursor,
then the live tail, no gap and no duplicate; a disconnect stops the reading, never the run.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from typing import Any
from weakref import WeakKeyDictionary

from fastapi import Request
from sse_starlette import EventSourceResponse, ServerSentEvent

from server.core.eventlog import (
    CursorAheadError,
    CursorExpiredError,
    EventStore,
    RecordedEvent,
    follow,
)
from server.http.errors import ApiError
from server.protocols.adforge.frames import to_frame

__all__ = ["check_cursor", "cursor_from", "encoded_frame", "replay_start", "stream_session"]

RETRY_MS = 3000
PING_S = 15


def cursor_from(request: Request, default: int) -> int:
    """The client's resume cursor: ``Last-Event-ID`` header or ``?lastEventId=``, else ``default``."""
    raw = request.headers.get("last-event-id") or request.query_params.get("lastEventId")
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError as error:
        raise ApiError(
            400, "invalid_cursor", f"Last-Event-ID must be an event seq, got {raw!r}"
        ) from error
    if value < 0:
        raise ApiError(400, "invalid_cursor", "Last-Event-ID must not be negative")
    return value


async def check_cursor(store: EventStore, thread_id: str, cursor: int) -> None:
    """Answer a 4xx before streaming when the cursor cannot be honoured."""
    try:
        await store.check_cursor(thread_id, cursor)
    except CursorExpiredError as error:
        raise ApiError(
            410,
            "cursor_expired",
            f"events before {error.min_seq} are no longer kept; reload the session",
        ) from error
    except CursorAheadError as error:
        raise ApiError(
            409,
            "cursor_ahead",
            f"cursor {cursor} is beyond the session's last event {error.head_seq}",
        ) from error


async def replay_start(store: EventStore, thread_id: str, cursor: int | None) -> int:
    """The cursor to stream from: the client's (checked), or the oldest event still kept.

    A client without a cursor wants the whole conversation; once retention has dropped the
    oldest events that is "from the first kept event", not a 410 it cannot act on.
    """
    if cursor is not None:
        await check_cursor(store, thread_id, cursor)
        return cursor
    try:
        await store.check_cursor(thread_id, 0)
    except CursorExpiredError as error:
        return error.min_seq - 1
    return 0


_Encoded = OrderedDict[tuple[int, str, str], str | None]
_ENCODED: WeakKeyDictionary[EventStore, _Encoded] = WeakKeyDictionary()
_ENCODED_MAX = 4096


def encoded_frame(store: EventStore, recorded: RecordedEvent, names: dict[str, str]) -> str | None:
    """The JSON of ``recorded``'s frame, encoded once however many streams send it.

    Every tab following a session and every replay of the same event sends the same bytes, so
    each log keeps its last few thousand encodings (by position and the names frames repeat).
    """
    cache = _ENCODED.setdefault(store, OrderedDict())
    key = (recorded.position, names.get("product", ""), names.get("format", ""))
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    frame: dict[str, Any] | None = to_frame(recorded, product_name=key[1], format_name=key[2])
    data = None if frame is None else json.dumps(frame, ensure_ascii=False)
    cache[key] = data
    if len(cache) > _ENCODED_MAX:
        cache.popitem(last=False)
    return data


def stream_session(
    store: EventStore,
    thread_id: str,
    cursor: int,
    *,
    names: dict[str, str],
    stop: Callable[[RecordedEvent], bool] | None = None,
) -> EventSourceResponse:
    """An SSE response of the session's frames after ``cursor``, ending when ``stop`` says so."""

    async def frames() -> AsyncIterator[ServerSentEvent]:
        yield ServerSentEvent(comment="adforge", retry=RETRY_MS)
        async with aclosing(follow(store, thread_id, after_seq=cursor, stop=stop)) as events:
            async for recorded in events:
                data = encoded_frame(store, recorded, names)
                if data is None:
                    yield ServerSentEvent(id=str(recorded.seq), comment=recorded.type)
                else:
                    yield ServerSentEvent(data=data, id=str(recorded.seq))

    return EventSourceResponse(frames(), ping=PING_S, sep="\n", headers={"X-Accel-Buffering": "no"})
