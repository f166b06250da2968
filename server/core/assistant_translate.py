"""``ad_assistant`` stream parts → domain events: streamed text, finished replies, tool facts.

Tokens arrive in LangGraph's ``messages`` stream mode. Recording one row per token would make the
log (and every replay) as long as the reply is in tokens, so tokens are coalesced: the first one is
recorded at once (the first paint stays fast), later ones once ``FLUSH_CHARS`` characters or
``FLUSH_SECONDS`` have accumulated. The finished ``respond`` task carries the whole reply
(``AssistantMessageCompleted``), which is what a reload shows; the deltas only serve live streams.

The tools node's state updates become the facts other parts of the server fold: ``AssetSaved``
(the same ``{"asset": <AssetRecord wire dict>}`` payload the workflow emits, so the gallery does not
care which graph saved it), ``ImageRequested`` (the job worker renders it) and ``ThemeSwitched``.
Every id derives from the LangGraph task id, so a re-executed task records nothing twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ToolMessage

from server.core.eventlog import NewEvent
from server.core.events import EventType, event
from tools.ids import stable_id

__all__ = ["FLUSH_CHARS", "FLUSH_SECONDS", "AssistantTranslator", "assistant_message_id", "writes"]

FLUSH_CHARS = 48
"""Buffered characters that force a delta event."""
FLUSH_SECONDS = 0.05
"""Time since the last delta event that forces the next one."""


def assistant_message_id(thread_id: str, task_id: str) -> str:
    """The id of the reply a ``respond`` task writes: ChatKit item id and event key alike."""
    return stable_id("msg", thread_id, task_id, "reply", length=16)


def writes(update: dict[str, Any], key: str) -> list[Any]:
    """Every value a task wrote to ``key`` (LangGraph folds several writes into ``$writes``)."""
    if key not in update:
        return []
    value = update[key]
    if isinstance(value, dict) and set(value) == {"$writes"}:
        return list(value["$writes"])
    return [value]


def _messages(update: dict[str, Any]) -> list[BaseMessage]:
    found: list[BaseMessage] = []
    for written in writes(update, "messages"):
        items: Iterable[Any] = written if isinstance(written, list) else [written]
        found.extend(m for m in items if isinstance(m, BaseMessage))
    return found


def _task_of(metadata: dict[str, Any]) -> str | None:
    """The task id in ``langgraph_checkpoint_ns`` (``node:<task id>`` at the top level)."""
    namespace = str(metadata.get("langgraph_checkpoint_ns") or "")
    task = namespace.split("|")[0].partition(":")[2]
    return task or None


@dataclass
class _Buffer:
    index: int = 0
    text: str = ""
    flushed_at: float = float("-inf")


@dataclass
class AssistantTranslator:
    """Per run: buffers streamed text per reply and maps the tools' updates to events."""

    thread_id: str
    run_id: str
    clock: Callable[[], float] = time.monotonic
    _buffers: dict[str, _Buffer] = field(default_factory=dict)

    def _event(self, type_: str, data: dict[str, Any], *key: object) -> NewEvent:
        return event(self.thread_id, type_, data, *key, run_id=self.run_id)

    def on_token(self, chunk: Any, metadata: dict[str, Any]) -> list[NewEvent]:
        """A ``messages`` part: buffer its text; return a delta event when it is time to flush."""
        task = _task_of(metadata)
        if not isinstance(chunk, AIMessageChunk) or task is None or not chunk.text:
            return []
        message_id = assistant_message_id(self.thread_id, task)
        buffer = self._buffers.setdefault(message_id, _Buffer())
        buffer.text += chunk.text
        now = self.clock()
        if len(buffer.text) < FLUSH_CHARS and now - buffer.flushed_at < FLUSH_SECONDS:
            return []
        buffer.flushed_at = now
        return self._flush(message_id)

    def pending(self) -> list[NewEvent]:
        """Delta events for text still buffered (a cancelled run keeps what it streamed)."""
        return [e for message_id in list(self._buffers) for e in self._flush(message_id)]

    def _flush(self, message_id: str) -> list[NewEvent]:
        buffer = self._buffers.get(message_id)
        if buffer is None or not buffer.text:
            return []
        data = {"messageId": message_id, "index": buffer.index, "delta": buffer.text}
        delta = self._event(EventType.ASSISTANT_TEXT_STREAMED, data, message_id, buffer.index)
        buffer.index += 1
        buffer.text = ""
        return [delta]

    def from_update(self, task: str, update: dict[str, Any]) -> list[NewEvent]:
        """Events for a finished task's state update (replies, assets, images, theme)."""
        events: list[NewEvent] = []
        messages = _messages(update)
        replies = [m for m in messages if isinstance(m, AIMessage)]
        for n, reply in enumerate(replies):
            message_id = assistant_message_id(self.thread_id, task if n == 0 else f"{task}:{n}")
            events.extend(self._flush(message_id))
            self._buffers.pop(message_id, None)
            data = {
                "messageId": message_id,
                "text": reply.text,
                "toolCalls": [
                    {"id": c.get("id"), "name": c["name"], "args": c["args"]}
                    for c in reply.tool_calls
                ],
                "offline": bool(reply.response_metadata.get("offline")),
            }
            events.append(self._event(EventType.ASSISTANT_MESSAGE_COMPLETED, data, message_id))
        calls = {m.name: m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
        for assets in writes(update, "assets"):
            for asset_id, asset in (assets or {}).items():
                events.append(
                    self._event(EventType.ASSET_SAVED, {"asset": asset}, task, "asset", asset_id)
                )
        for requests in writes(update, "image_requests"):
            for request in requests or []:
                data = {
                    "requestId": request["id"],
                    "prompt": request["prompt"],
                    "size": request["size"],
                    "assetId": request.get("assetId"),
                    "status": request.get("status", "queued"),
                }
                events.append(self._event(EventType.IMAGE_REQUESTED, data, task, request["id"]))
        for theme in writes(update, "theme"):
            if theme:
                data = {"theme": theme, "toolCallId": calls.get("switch_theme")}
                events.append(self._event(EventType.THEME_SWITCHED, data, task, theme))
        return events
