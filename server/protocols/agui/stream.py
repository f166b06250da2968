"""AG-UI events over SSE, read from the log: one run's turn, or a thread's rejoin stream.

Frames are the official ``ag_ui.encoder.EventEncoder`` output (``data: <camelCase JSON>``), each
preceded by ``id: <seq>`` — the seq of the log event it was mapped from. AG-UI's own clients
ignore ``id:`` lines; an ``EventSource`` or any SSE client that reconnects with ``Last-Event-ID``
gets every later event from the thread stream (``GET /agui/threads/{id}/events``), so a dropped
client loses nothing (design invariant 6). A disconnect stops the reading, never the run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing

from ag_ui.core import BaseEvent
from ag_ui.encoder import EventEncoder
from sse_starlette import EventSourceResponse

from server.core.eventlog import follow
from server.core.services import Services
from server.protocols.agui.conversation import Conversation
from server.protocols.agui.translate import Translator

__all__ = ["encode", "sse", "thread_events", "turn_events"]

PING_S = 15
_ENCODER = EventEncoder()


def encode(events: list[BaseEvent], seq: int | None = None) -> list[bytes]:
    """SSE frames of ``events``; each carries ``id: <seq>`` when it comes from a log event."""
    prefix = "" if seq is None else f"id: {seq}\n"
    return [(prefix + _ENCODER.encode(e)).encode() for e in events]


def sse(frames: AsyncIterator[bytes]) -> EventSourceResponse:
    """The response: frames as they are, pings as SSE comments, no proxy buffering."""
    return EventSourceResponse(frames, ping=PING_S, sep="\n", headers={"X-Accel-Buffering": "no"})


async def turn_events(
    services: Services, translator: Translator, cursor: int
) -> AsyncIterator[bytes]:
    """The turn whose user message is event ``cursor``: from it to the turn's end."""
    thread_id = translator.conversation.thread_id
    async with aclosing(follow(services.store, thread_id, after_seq=cursor - 1)) as events:
        async for recorded in events:
            for frame in encode(translator.feed(recorded), recorded.seq):
                yield frame
            if translator.finished:
                return


async def thread_events(services: Services, thread_id: str, cursor: int) -> AsyncIterator[bytes]:
    """Every turn of the thread after ``cursor`` as AG-UI runs, then the live tail (never ends).

    The events up to the cursor are folded, not shown, so a client that rejoins in the middle of
    a turn continues it (its ``RUN_STARTED`` was in what it already had). Events outside any turn
    (a title change, an image the assistant queued finishing later) map to no AG-UI event and
    are sent as SSE comments, so their seq still moves the client's cursor.
    """
    translator = Translator(Conversation(thread_id))
    before = await services.store.read_thread(thread_id, limit=cursor)
    translator.prime(e for e in before if e.seq <= cursor)  # seqs start later after retention
    async with aclosing(follow(services.store, thread_id, after_seq=cursor)) as events:
        async for recorded in events:
            frames = encode(translator.feed(recorded), recorded.seq)
            for frame in frames or [f"id: {recorded.seq}\n: {recorded.type}\n\n".encode()]:
                yield frame
