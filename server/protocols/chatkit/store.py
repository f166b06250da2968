"""ChatKit's ``Store`` over the event log: writes append events, reads come from the projection.

ChatKit's server class persists through a ``Store``: it saves the threads it creates, adds the
user's messages, saves client tool outputs and structured-input answers, deletes items on retry.
Here each of those writes is an event appended to the log (never an update: the log is
append-only, design invariant 1), and each read is served by the ``chatkit`` projection, after
waiting until the projection has folded the caller's own writes (read-your-writes).

Items the stream itself emits (assistant replies, cards, tool calls) are already in the log, since
the stream is read from it; ``add_thread_item`` and ``save_item`` therefore ignore them. Every
read checks the owner: another user's thread is a ``NotFoundError`` like an unknown one
(invariant 11). Attachments are not offered; the route refuses their requests before this store
is reached, so its attachment methods only raise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from chatkit.store import NotFoundError, Store, StoreItemType
from chatkit.types import (
    Attachment,
    ClientToolCallItem,
    ClosedStatus,
    Page,
    StructuredInputItem,
    ThreadItem,
    ThreadMetadata,
    UserMessageItem,
    UserMessageTagContent,
)

from server.core.eventlog import NewEvent
from server.core.events import EventType, event
from server.core.services import Services
from server.protocols.chatkit.context import RequestContext, new_id
from server.protocols.chatkit.items import item_model
from server.protocols.chatkit.projection import PROJECTION_NAME, ChatKitView
from server.protocols.chatkit.view import ThreadView

__all__ = ["EventLogStore", "message_text", "thread_metadata"]

_PREFIXES: dict[str, str] = {
    "thread": "thr",
    "message": "msg",
    "tool_call": "tc",
    "task": "tsk",
    "workflow": "wf",
    "attachment": "atc",
    "sdk_hidden_context": "shcx",
}
T = TypeVar("T")
COMPLETED_REASON = "This ad is finished. Start a new thread for another one."


def message_text(item: UserMessageItem) -> str:
    """The text of a user message: its text parts, and the text of its tags."""
    return (
        " ".join(
            part.text for part in item.content if not isinstance(part, UserMessageTagContent)
        ).strip()
        or " ".join(part.text for part in item.content).strip()
    )


def thread_metadata(view: ThreadView) -> ThreadMetadata:
    """ChatKit's metadata of a thread; a finished guided thread is closed."""
    status = ClosedStatus(reason=COMPLETED_REASON) if view.completed else None
    return ThreadMetadata(
        id=view.id,
        title=view.title,
        created_at=view.created_at,  # pydantic parses the ISO string
        metadata={"graph": view.graph},
        **({"status": status} if status else {}),
    )


class EventLogStore(Store[RequestContext]):
    """Reads the ``chatkit`` projection, appends events for every write."""

    def __init__(self, services: Services) -> None:
        self.services = services

    # --- helpers --------------------------------------------------------------------------------

    def _view(self) -> ChatKitView:
        view: ChatKitView = self.services.projections.view(PROJECTION_NAME)
        return view

    def thread(self, thread_id: str, context: RequestContext) -> ThreadView:
        """The caller's thread, or ``NotFoundError``."""
        view = self._view().owned(thread_id, context.user.id)
        if view is None:
            raise NotFoundError(f"no thread with id {thread_id!r}")
        return view

    async def append(self, thread_id: str, events: list[NewEvent]) -> None:
        """Append and wait until the projection has folded the new events."""
        recorded = await self.services.store.append(thread_id, events)
        if recorded:
            await self.services.projections.wait_for(recorded[-1].position)

    # --- ids ------------------------------------------------------------------------------------

    def generate_thread_id(self, context: RequestContext) -> str:
        """The id the preflight reserved for the thread being created."""
        return context.new_thread.thread_id if context.new_thread else new_id("thr")

    def generate_item_id(
        self, item_type: StoreItemType, thread: ThreadMetadata, context: RequestContext
    ) -> str:
        """The reserved id for the user's message (its run already names it); random otherwise."""
        if item_type == "message" and context.message_id:
            reserved, context.message_id = context.message_id, ""
            return reserved
        return new_id(_PREFIXES.get(item_type, "itm"))

    # --- threads --------------------------------------------------------------------------------

    async def load_thread(self, thread_id: str, context: RequestContext) -> ThreadMetadata:
        """The thread's metadata (owner checked)."""
        return thread_metadata(self.thread(thread_id, context))

    async def save_thread(self, thread: ThreadMetadata, context: RequestContext) -> None:
        """Record a new thread (``threads.create``) or a new title."""
        new = context.new_thread
        if new is not None and thread.id == new.thread_id and not new.recorded:
            new.recorded = True
            started = {
                "threadId": new.thread_id,
                "userId": new.user_id,
                "graph": new.graph,
                "options": new.options,
                "title": new.title,
            }
            events = [event(thread.id, EventType.CHAT_THREAD_STARTED, started)]
            if new.session is not None:
                events.insert(0, event(thread.id, EventType.SESSION_STARTED, new.session))
            await self.append(thread.id, events)
            return
        view = self.thread(thread.id, context)
        if thread.title != view.title:
            renamed = {"title": thread.title}
            await self.append(
                thread.id, [event(thread.id, EventType.THREAD_RENAMED, renamed, new_id("ren"))]
            )

    async def load_threads(
        self, limit: int, after: str | None, order: str, context: RequestContext
    ) -> Page[ThreadMetadata]:
        """The caller's threads by creation time; ``after`` is a thread id."""
        threads = self._view().of_user(context.user.id)
        if order == "desc":
            threads.reverse()
        page = _page(threads, after, limit, lambda t: t.id)
        return Page(
            data=[thread_metadata(t) for t in page.data], has_more=page.has_more, after=page.after
        )

    async def delete_thread(self, thread_id: str, context: RequestContext) -> None:
        """A tombstone event (the log keeps the rows); an active run is cancelled."""
        self.thread(thread_id, context)
        active = self.services.runs.active_run(thread_id)
        if active is not None:
            await self.services.runs.cancel(thread_id, active)
        await self.append(
            thread_id, [event(thread_id, EventType.THREAD_DELETED, {"userId": context.user.id})]
        )

    # --- items ----------------------------------------------------------------------------------

    async def load_thread_items(
        self,
        thread_id: str,
        after: str | None,
        limit: int,
        order: str,
        context: RequestContext,
    ) -> Page[ThreadItem]:
        """A page of the thread's items; ``after`` is an item id."""
        view = self.thread(thread_id, context)
        ordered = list(view.items) if order == "asc" else list(reversed(view.items))
        page = _page(ordered, after, limit, lambda i: str(i["id"]))
        return Page(
            data=[item_model(dict(i), context.base_url) for i in page.data],
            has_more=page.has_more,
            after=page.after,
        )

    async def load_item(self, thread_id: str, item_id: str, context: RequestContext) -> ThreadItem:
        """One item, or ``NotFoundError``."""
        item = self.thread(thread_id, context).item(item_id)
        if item is None:
            raise NotFoundError(f"no item {item_id!r} in thread {thread_id!r}")
        return item_model(dict(item), context.base_url)

    async def add_thread_item(
        self, thread_id: str, item: ThreadItem, context: RequestContext
    ) -> None:
        """Record the user's message; every other item came from the log already."""
        if not isinstance(item, UserMessageItem):
            return
        turn = context.turn
        data: dict[str, Any] = {
            "messageId": item.id,
            "text": message_text(item),
            "selection": turn.selection if turn else None,
            "step": None,
            "source": "chatkit",
            "content": [part.model_dump(mode="json") for part in item.content],
        }
        if item.quoted_text:
            data["quotedText"] = item.quoted_text
        if turn is not None:
            data["runId"] = turn.run.run_id
        if context.request_hash is not None:
            data["requestHash"] = context.request_hash
        await self.append(thread_id, [event(thread_id, EventType.USER_MESSAGE_SENT, data, item.id)])

    async def save_item(self, thread_id: str, item: ThreadItem, context: RequestContext) -> None:
        """Record a client tool's output or a structured-input answer; ignore log-made items."""
        if isinstance(item, ClientToolCallItem) and item.status == "completed":
            data = {"itemId": item.id, "callId": item.call_id, "output": item.output}
            key = (item.id, "output")
            await self.append(
                thread_id, [event(thread_id, EventType.CLIENT_TOOL_CALL_COMPLETED, data, *key)]
            )
        elif isinstance(item, StructuredInputItem) and item.status != "pending":
            turn = context.turn
            if turn is None or turn.message is None:
                return
            data = {**turn.message, "answersItem": item.id}
            turn.message = None  # recorded here, not again when the run starts
            await self.append(
                thread_id,
                [event(thread_id, EventType.USER_MESSAGE_SENT, data, data["messageId"])],
            )

    async def delete_thread_item(
        self, thread_id: str, item_id: str, context: RequestContext
    ) -> None:
        """Hide an item from the ChatKit view (retry removes the turns after its message)."""
        data = {"itemId": item_id, "userId": context.user.id}
        await self.append(
            thread_id, [event(thread_id, EventType.THREAD_ITEM_REMOVED, data, item_id)]
        )

    # --- attachments (not offered) ----------------------------------------------------------------

    async def save_attachment(self, attachment: Attachment, context: RequestContext) -> None:
        """Not offered: the route answers 400 before ChatKit gets here."""
        raise NotFoundError("attachments are not supported")

    async def load_attachment(self, attachment_id: str, context: RequestContext) -> Attachment:
        """Not offered: every attachment id is unknown."""
        raise NotFoundError(f"no attachment with id {attachment_id!r}")

    async def delete_attachment(self, attachment_id: str, context: RequestContext) -> None:
        """Not offered: every attachment id is unknown."""
        raise NotFoundError(f"no attachment with id {attachment_id!r}")


def _page(records: list[T], after: str | None, limit: int, id_of: Callable[[T], str]) -> Page[T]:
    """``limit`` records after the one with id ``after`` (``records`` are in page order)."""
    start = 0
    if after is not None:
        ids = [id_of(r) for r in records]
        start = ids.index(after) + 1 if after in ids else len(records)
    chunk = records[start : start + max(limit, 1)]
    has_more = start + len(chunk) < len(records)
    return Page(data=chunk, has_more=has_more, after=id_of(chunk[-1]) if has_more else None)
