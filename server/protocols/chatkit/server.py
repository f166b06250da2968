"""``AdForgeChatKitServer``: openai-chatkit's ``ChatKitServer`` over runs and the event log.

Why subclass rather than re-implement the protocol: ``ChatKitServer.process`` already parses and
dispatches all 16 request types of openai-chatkit 1.6, frames SSE exactly as ChatKit clients
expect, persists through a ``Store`` (ours appends events), and handles retry, client tool
outputs, structured input and cancellation bookkeeping. What it lacks (HTTP status codes, owner
checks, refusing a turn before the stream starts) the route's preflight adds in front of it. The
cost is importing ``agents``, a hard dependency of ``chatkit.server`` (about 3 s at start-up).

What the overrides do: ``respond`` and ``action`` start the turn the preflight prepared and
stream the log (``server.protocols.chatkit.stream``); ``sync_action`` starts it without streaming;
``add_feedback`` records an event; a cancelled stream cancels its run. ChatKit has no cancel
request: its stop button aborts the HTTP request, so an aborted ChatKit stream is this
protocol's explicit cancel (design invariant 3 otherwise keeps runs alive across disconnects).
The run stops; what it already did stays in its checkpoints, and the fold keeps the text it had
streamed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from chatkit.actions import Action
from chatkit.server import ChatKitServer
from chatkit.types import (
    AudioInput,
    FeedbackKind,
    SyncCustomActionResponse,
    ThreadItem,
    ThreadMetadata,
    ThreadStreamEvent,
    TranscriptionResult,
    UserMessageItem,
    WidgetItem,
)

from server.core.commands.messages import start_turn
from server.core.events import EventType, event
from server.core.runs import ThreadBusyError
from server.core.services import Services
from server.http.errors import ApiError
from server.protocols.chatkit.context import RequestContext
from server.protocols.chatkit.fold_workflow import choice_item
from server.protocols.chatkit.items import item_model
from server.protocols.chatkit.store import EventLogStore, message_text
from server.protocols.chatkit.stream import run_turn

__all__ = ["AdForgeChatKitServer"]

TITLE_LENGTH = 60


class AdForgeChatKitServer(ChatKitServer[RequestContext]):
    """Runs ChatKit turns as AdForge runs; every item comes from the event log."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.log_store = EventLogStore(services)
        super().__init__(self.log_store)
        self._cancelling: set[asyncio.Task[bool]] = set()

    async def respond(
        self,
        thread: ThreadMetadata,
        input_user_message: UserMessageItem | None,
        context: RequestContext,
    ) -> AsyncIterator[ThreadStreamEvent]:
        """Start the prepared run and stream it (nothing to run after a client tool output)."""
        turn = context.turn
        if turn is None:
            return
        if thread.title is None and input_user_message is not None:
            new = context.new_thread
            title = new.title if new and new.title else message_text(input_user_message)
            thread.title = title[:TITLE_LENGTH]  # ChatKit saves it and sends thread.updated
        async for stream_event in run_turn(self.services, thread.id, turn, context):
            yield stream_event

    async def action(
        self,
        thread: ThreadMetadata,
        action: Action[str, Any],
        sender: WidgetItem | None,
        context: RequestContext,
    ) -> AsyncIterator[ThreadStreamEvent]:
        """A choice button: record the selection, resume the workflow, stream the next step."""
        if context.turn is None:
            return
        async for stream_event in run_turn(self.services, thread.id, context.turn, context):
            yield stream_event

    async def sync_action(
        self,
        thread: ThreadMetadata,
        action: Action[str, Any],
        sender: WidgetItem | None,
        context: RequestContext,
    ) -> SyncCustomActionResponse:
        """A choice answered without a stream: start the run, return the card as chosen."""
        turn = context.turn
        if turn is None or turn.message is None:
            raise ApiError(422, "invalid_request", "this action needs a streaming request")
        try:
            await start_turn(
                self.services, turn.run, message=turn.message, reservation=context.reservation
            )
        except ThreadBusyError as error:  # a run started since the preflight looked
            raise ApiError(409, "run_in_progress", str(error)) from error
        view = self.log_store.thread(thread.id, context)
        updated: ThreadItem | None = None
        if sender is not None and view.choice is not None:
            chosen = str((turn.run.payload or {}).get("optionId"))
            updated = item_model(choice_item(view, view.choice, "chosen", chosen), context.base_url)
        return SyncCustomActionResponse(updated_item=updated)

    async def add_feedback(
        self,
        thread_id: str,
        item_ids: list[str],
        feedback: FeedbackKind,
        context: RequestContext,
    ) -> None:
        """Record thumbs up/down on items (a fact for later analysis; nothing reacts to it)."""
        data = {"itemIds": item_ids, "kind": feedback, "userId": context.user.id}
        await self.log_store.append(
            thread_id,
            [event(thread_id, EventType.FEEDBACK_GIVEN, data, context.message_id)],
        )

    async def transcribe(
        self, audio_input: AudioInput, context: RequestContext
    ) -> TranscriptionResult:
        """Dictation is not offered (the route answers 400 before this is reached)."""
        raise ApiError(400, "not_supported", "input.transcribe is not supported by this server")

    async def handle_stream_cancelled(
        self,
        thread: ThreadMetadata,
        pending_items: list[ThreadItem],
        context: RequestContext,
    ) -> None:
        """The client stopped the stream: cancel the run it started."""
        if context.started_run is not None:
            self.cancel_in_background(thread.id, context.started_run)

    def cancel_in_background(self, thread_id: str, run_id: str) -> None:
        """Cancel a run from a task that is itself being cancelled (so it cannot await)."""
        task = asyncio.create_task(self.services.runs.cancel(thread_id, run_id))
        self._cancelling.add(task)
        task.add_done_callback(self._cancelling.discard)
