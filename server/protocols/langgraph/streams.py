"""A run's SSE stream: the log after a cursor, turned into frames, until the run's end.

One reader for the first stream and every rejoin (``server.core.eventlog.follow``): replay
after the cursor, then the live tail, no gap and no duplicate. A cursor is ``Last-Event-ID``
(``"<seq>-<k>"`` as the frames carry, ``-1`` for the run's start). The stream closes only once
the run's end is in the log, so a client that asks for the run's status on close finds it
finished. A disconnect stops the reading, never the run — unless the client asked for
``on_disconnect=cancel``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from typing import Any

from fastapi.responses import StreamingResponse

from server.core.errors import ApiError
from server.core.eventlog import CursorAheadError, CursorExpiredError, RecordedEvent, follow
from server.core.events import EventType
from server.core.runs import TERMINAL
from server.core.services import Services
from server.protocols.langgraph.frames import Frame, FrameMaker
from server.protocols.langgraph.run_book import started_of, terminal_of
from server.protocols.langgraph.wire import encode_frame

__all__ = [
    "Cursor",
    "cursor_from_header",
    "run_headers",
    "stream_response",
    "thread_stream_response",
]

Cursor = tuple[int, int]
"""Stream after frame ``k`` of the event with seq ``s`` (``k = -1``: from that event's first)."""
_CANCELLING: set[asyncio.Task[Any]] = set()


def run_headers(thread_id: str, run_id: str, *, wait: bool = False) -> dict[str, str]:
    """``Location`` (where to reconnect) and ``Content-Location`` (the run), as the SDK reads."""
    run = f"/threads/{thread_id}/runs/{run_id}"
    return {"Location": f"{run}/join" if wait else f"{run}/stream", "Content-Location": run}


async def cursor_from_header(
    services: Services, thread_id: str, run_id: str, raw: str | None
) -> Cursor:
    """The cursor of a rejoin: after the given frame, from the run's start (-1), or live only."""
    raw = (raw or "").strip()
    if raw == "-1":
        started = await started_of(services.store, thread_id, run_id)
        return ((started.seq - 1) if started else await services.store.head_seq(thread_id), -1)
    if not raw:
        return (await services.store.head_seq(thread_id), -1)
    seq, _, k = raw.partition("-")
    try:
        cursor = (int(seq), int(k)) if k else (int(seq), 10**9)
    except ValueError as error:
        raise ApiError(
            400, "invalid_cursor", f"Last-Event-ID must be <seq>-<k>, got {raw!r}"
        ) from error
    try:  # answered before the stream starts: a 4xx, not a broken 200
        await services.store.check_cursor(thread_id, max(_after(cursor), 0))
    except CursorAheadError as error:
        raise ApiError(
            400, "invalid_cursor", f"Last-Event-ID {raw!r} is not of this thread"
        ) from error
    except CursorExpiredError as error:
        raise ApiError(410, "cursor_expired", "those events are no longer kept") from error
    return cursor


def _after(cursor: Cursor) -> int:
    """The seq to follow the log after."""
    seq, skip = cursor
    return seq - 1 if skip >= 0 else seq


def _encoded(recorded: RecordedEvent, frames: list[Frame], cursor: Cursor) -> list[bytes]:
    """The frames of one event that come after the cursor, each with its ``<seq>-<k>`` id."""
    seq, skip = cursor
    return [
        encode_frame(name, data, f"{recorded.seq}-{k}")
        for k, (name, data) in enumerate(frames)
        if not (recorded.seq == seq and skip >= 0 and k <= skip)
    ]


def _ends(run_id: str) -> Callable[[RecordedEvent], bool]:
    def stop(recorded: RecordedEvent) -> bool:
        return recorded.run_id == run_id and recorded.type in TERMINAL

    return stop


async def _frames(
    services: Services, maker: FrameMaker, cursor: Cursor, cancel_on_disconnect: bool
) -> AsyncIterator[bytes]:
    thread_id, run_id = maker.thread_id, maker.run_id
    after = _after(cursor)
    ended = await terminal_of(services.store, thread_id, run_id)
    finished = False
    try:
        if ended is not None and ended.seq <= after:
            finished = True
            return  # the run ended before the cursor: nothing later
        stop = _ends(run_id)
        async with aclosing(follow(services.store, thread_id, after_seq=after, stop=stop)) as tail:
            async for recorded in tail:
                for frame in _encoded(recorded, await maker.frames(recorded), cursor):
                    yield frame
                if stop(recorded):
                    finished = True
    finally:
        if cancel_on_disconnect and not finished:
            task = asyncio.create_task(services.runs.cancel(thread_id, run_id))
            _CANCELLING.add(task)
            task.add_done_callback(_CANCELLING.discard)


def stream_response(
    services: Services,
    maker: FrameMaker,
    cursor: Cursor,
    *,
    cancel_on_disconnect: bool = False,
) -> StreamingResponse:
    """The SSE response of a run, with the headers the SDK reconnects by."""
    headers = {
        **run_headers(maker.thread_id, maker.run_id),
        "Cache-Control": "no-store",
        "X-Accel-Buffering": "no",
    }
    return StreamingResponse(
        _frames(services, maker, cursor, cancel_on_disconnect),
        media_type="text/event-stream",
        headers=headers,
    )


async def _thread_frames(
    services: Services,
    thread_id: str,
    graph: str,
    cursor: Cursor,
    modes_of: Callable[[str], list[str]],
) -> AsyncIterator[bytes]:
    """Every run's frames on the thread, each run ending with ``metadata`` ``run_done``."""
    makers: dict[str, FrameMaker] = {}
    tail = follow(services.store, thread_id, after_seq=_after(cursor))
    async with aclosing(tail):
        async for recorded in tail:
            run_id = recorded.run_id
            if run_id is None:
                continue
            if run_id not in makers:
                name = (
                    recorded.data.get("graph") if recorded.type == EventType.RUN_STARTED else None
                )
                runs_graph = services.runs.graphs[str(name or graph)]
                makers[run_id] = FrameMaker(runs_graph, thread_id, run_id, modes_of(run_id))
            frames = await makers[run_id].frames(recorded)
            if recorded.type in TERMINAL:
                frames.append(("metadata", {"status": "run_done", "run_id": run_id}))
                del makers[run_id]
            for frame in _encoded(recorded, frames, cursor):
                yield frame


def thread_stream_response(
    services: Services,
    thread_id: str,
    graph: str,
    cursor: Cursor,
    modes_of: Callable[[str], list[str]],
) -> StreamingResponse:
    """The thread-level join stream: runs of every protocol, live, until the client leaves."""
    return StreamingResponse(
        _thread_frames(services, thread_id, graph, cursor, modes_of),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
