"""Payloads of thread bookkeeping and of ``ad_assistant`` replies (recorded for ChatKit threads).

Protocol-neutral facts: a thread started, was renamed or deleted, an item was hidden, a client
tool returned, feedback was given; the assistant streamed text and finished a reply. Built by
``server.core.assistant_translate`` and the ChatKit adapter's store and server.
"""

from __future__ import annotations

from typing import Any, Literal

from server.core.event_types.base import EventPayload, OwnedPayload, Shape

__all__ = [
    "AssistantMessageCompleted",
    "AssistantTextStreamed",
    "ChatThreadStarted",
    "ClientToolCallCompleted",
    "FeedbackGiven",
    "ThreadDeleted",
    "ThreadItemRemoved",
    "ThreadRenamed",
    "ToolCall",
]


class ChatThreadStarted(OwnedPayload):
    """A chat thread began on a graph, with its display options (``choices``, ``switchTheme``)."""

    type_name = "ChatThreadStarted"
    thread_id: str
    graph: str
    options: dict[str, str]
    title: str | None
    source: str | None = None
    """The protocol that started it when not ChatKit (``agui``)."""


class ThreadRenamed(EventPayload):
    """The thread's title changed."""

    type_name = "ThreadRenamed"
    title: str | None


class ThreadDeleted(OwnedPayload):
    """A tombstone: the thread is gone on every protocol (its rows stay)."""

    type_name = "ThreadDeleted"


class ThreadItemRemoved(OwnedPayload):
    """An item hidden from the thread (a retry removes the turns after its message)."""

    type_name = "ThreadItemRemoved"
    item_id: str


class ClientToolCallCompleted(EventPayload):
    """A client tool (``switch_theme`` run in the browser) returned its output."""

    type_name = "ClientToolCallCompleted"
    item_id: str
    call_id: str
    output: Any


class FeedbackGiven(OwnedPayload):
    """Thumbs up or down on items: a fact for later analysis; nothing folds it."""

    type_name = "FeedbackGiven"
    item_ids: list[str]
    kind: Literal["positive", "negative"]


class AssistantTextStreamed(EventPayload):
    """A coalesced piece of a reply still being written (``index`` counts from 0 per reply)."""

    type_name = "AssistantTextStreamed"
    message_id: str
    index: int
    delta: str


class ToolCall(Shape):
    """A tool the assistant called in a reply."""

    id: str | None
    name: str
    args: dict[str, Any]


class AssistantMessageCompleted(EventPayload):
    """A finished reply: its whole text, the tools it called, and whether the model was offline."""

    type_name = "AssistantMessageCompleted"
    message_id: str
    text: str
    tool_calls: list[ToolCall]
    offline: bool
