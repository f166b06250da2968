"""A turn's ChatKit stream: start its run, then follow the log and fold it into stream events.

The stream starts from the projection's view of the thread, taken once the projection has folded
everything already in the log, and applies each later event with the same fold the projection
uses (``server.protocols.chatkit.fold``). It reads only the log, never the run (design invariant 6), so it
shows whatever any protocol causes on the thread while it is open.

When to end: at the end of this turn's response; but a turn whose run ends waiting for a render
(the workflow's media job) keeps the stream open until the render's result is shown, so a ChatKit
client sees the video or image arrive instead of having to reload.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

from chatkit.errors import CustomStreamError
from chatkit.types import (
    ClientEffectEvent,
    ErrorEvent,
    NoticeEvent,
    ProgressUpdateEvent,
    ThreadItemAddedEvent,
    ThreadItemDoneEvent,
    ThreadItemRemovedEvent,
    ThreadItemReplacedEvent,
    ThreadItemUpdatedEvent,
    ThreadStreamEvent,
)
from pydantic import BaseModel

from server.core.commands.messages import start_turn
from server.core.eventlog import follow
from server.core.events import EventType
from server.core.runs import ThreadBusyError
from server.core.services import Services
from server.protocols.chatkit.context import RequestContext, Turn
from server.protocols.chatkit.fold import apply
from server.protocols.chatkit.items import item_model
from server.protocols.chatkit.projection import PROJECTION_NAME, ChatKitView
from server.protocols.chatkit.view import ThreadView

__all__ = ["replay_turn", "run_turn", "snapshot", "to_stream_event"]

_EVENTS: dict[str, type[BaseModel]] = {
    "thread.item.added": ThreadItemAddedEvent,
    "thread.item.updated": ThreadItemUpdatedEvent,
    "thread.item.done": ThreadItemDoneEvent,
    "thread.item.replaced": ThreadItemReplacedEvent,
    "thread.item.removed": ThreadItemRemovedEvent,
    "client_effect": ClientEffectEvent,
    "progress_update": ProgressUpdateEvent,
    "error": ErrorEvent,
    "notice": NoticeEvent,
}


def to_stream_event(change: dict[str, Any], base_url: str) -> ThreadStreamEvent:
    """The ``chatkit.types`` stream event of a fold change."""
    payload = dict(change)
    if "item" in payload:
        payload["item"] = item_model(payload["item"], base_url)
    model = _EVENTS[payload["type"]].model_validate(payload)
    return model  # type: ignore[return-value]  # one member of the ThreadStreamEvent union


async def snapshot(services: Services, thread_id: str) -> ThreadView:
    """The projection's view of the thread once it has folded everything logged so far."""
    await services.projections.wait_for(await services.store.head_position())
    view: ChatKitView = services.projections.view(PROJECTION_NAME)
    return view.threads[thread_id]


async def run_turn(
    services: Services, thread_id: str, turn: Turn, context: RequestContext
) -> AsyncIterator[ThreadStreamEvent]:
    """Record the turn's message, start its run, and stream what the log shows until it ends."""
    view = await snapshot(services, thread_id)
    try:
        await start_turn(
            services,
            turn.run,
            message=turn.message,
            reservation=context.reservation,
            multitask=turn.multitask,
        )
    except ThreadBusyError as error:
        raise CustomStreamError(
            "A response is still being generated; wait for it or stop it first.",
            allow_retry=True,
        ) from error
    run_id = context.started_run = turn.run.run_id
    async for stream_event in _follow_turn(services, thread_id, view, run_id, context.base_url):
        yield stream_event


async def replay_turn(
    services: Services, thread_id: str, message_seq: int, run_id: str, base_url: str
) -> AsyncIterator[ThreadStreamEvent]:
    """A retried request's answer: the turn it recorded first, from its message on, from the log."""
    view: ThreadView | None = None
    for recorded in await services.store.read_thread(thread_id, limit=message_seq - 1):
        view = apply(view, recorded)[0] or view
    assert view is not None  # the thread started before its message
    async for stream_event in _follow_turn(services, thread_id, view, run_id, base_url):
        yield stream_event


async def _follow_turn(
    services: Services, thread_id: str, view: ThreadView, run_id: str, base_url: str
) -> AsyncIterator[ThreadStreamEvent]:
    """Fold the log after ``view`` into stream events until ``run_id``'s response is shown."""
    answered = False
    async with aclosing(follow(services.store, thread_id, after_seq=view.last_seq)) as events:
        async for recorded in events:
            folded, changes = apply(view, recorded)
            view = folded or view
            for change in changes:
                yield to_stream_event(change, base_url)
            if recorded.type != EventType.RESPONSE_COMPLETED:
                continue
            answered = answered or recorded.run_id == run_id
            if answered and view.media is None:
                return
