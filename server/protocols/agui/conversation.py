"""The AG-UI view of a thread, folded from its log: the shared state and the message list.

AG-UI clients keep two things per thread: a JSON ``state`` (sent as ``STATE_SNAPSHOT`` and
changed by ``STATE_DELTA`` JSON Patches) and the ``messages`` (``MESSAGES_SNAPSHOT``). Both are
folds over the log, so a stream that starts anywhere — a new run, a rejoin — can rebuild them from
the events before its cursor and keep them current from the events it follows.

The state holds what a CopilotKit app renders beside the chat: the graph, the product, format and
media type, the current ``step``, the ``selections`` made so far (persona, angle, concept), the
open ``choice`` (its interrupt id and options), the theme, the assets saved and the last media
result. The messages are the user's and assistant's texts (the guided flow's explanations and
clarifying questions included) plus assistant tool calls and their results.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from server.core.eventlog import RecordedEvent
from server.core.events import EventType

__all__ = ["Conversation", "ToolCall", "ToolResult"]

_STARTS = (EventType.SESSION_STARTED, EventType.CHAT_THREAD_STARTED)
_TOOL_FACTS = {
    EventType.ASSET_SAVED: "save_ad_asset",
    EventType.IMAGE_REQUESTED: "generate_ad_image",
    EventType.THEME_SWITCHED: "switch_theme",
}
"""The facts that are the result of an assistant tool, and the tool."""


@dataclass
class ToolCall:
    """An assistant tool call the log showed, waiting for the fact that is its result."""

    call_id: str
    name: str
    message_id: str


@dataclass(frozen=True, slots=True)
class ToolResult:
    """A tool fact read as the result of a call; ``implicit`` when no model call preceded it.

    The guided flow switches the theme on a chat message ("dark mode, please") without a model
    tool call; AG-UI clients run ``switch_theme`` as a frontend tool, so it is shown as a call.
    """

    call: ToolCall
    result_id: str
    content: str
    args: dict[str, Any]
    implicit: bool


@dataclass
class Conversation:
    """State and messages of one thread after the events applied so far."""

    thread_id: str
    state: dict[str, Any] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)
    owner: str | None = None
    graph: str | None = None
    open_calls: list[ToolCall] = field(default_factory=list)
    last_seq: int = 0
    deleted: bool = False
    """Deleted over ChatKit: gone on every protocol."""
    answered: ToolResult | None = None
    """The tool result the last applied event was, if it was one."""

    @property
    def choice(self) -> dict[str, Any] | None:
        """The workflow choice waiting for an answer (the ``ChoiceRequested`` payload), if any."""
        pending: dict[str, Any] | None = self.state.get("choice")
        return pending

    def snapshot(self) -> dict[str, Any]:
        """A deep copy of the state (a snapshot must not change when the fold moves on)."""
        return copy.deepcopy(self.state)

    def apply(self, event: RecordedEvent) -> None:
        """Fold one event into the state and the messages (events already folded are ignored)."""
        if event.seq <= self.last_seq:
            return
        self.last_seq = event.seq
        self.answered = None
        d, t = event.data, event.type
        if t in _TOOL_FACTS:
            self.answered = self._tool_fact(event)
        if t in _STARTS:
            self._started(event)
        elif t == EventType.THREAD_DELETED:
            self.deleted = True
        elif t == EventType.USER_MESSAGE_SENT:
            self._message("user", str(d["messageId"]), str(d.get("text") or ""))
        elif t == EventType.RUN_STARTED and d.get("interruptId"):
            if self.choice is not None and self.choice.get("interruptId") == d["interruptId"]:
                if d.get("kind") == "resume":
                    self.state["choice"] = None
        elif t == EventType.STATUS_REPORTED and d.get("step"):
            self.state["step"] = d["step"]
        elif t == EventType.CHOICE_REQUESTED:
            self.state["step"] = d.get("step") or d.get("kind")
            self.state["choice"] = {
                k: d.get(k) for k in ("interruptId", "kind", "message", "options")
            }
        elif t == EventType.SELECTION_MADE:
            option = d.get("option") or {}
            self.state.setdefault("selections", {})[str(d.get("kind"))] = {
                "id": option.get("id"),
                "label": d.get("label"),
                "value": d.get("value"),
            }
        elif t in (EventType.PERSONA_IMPACT_EXPLAINED, EventType.CLARIFICATION_ASKED):
            self._message("assistant", str(d["messageId"]), str(d.get("content") or ""))
        elif t == EventType.ASSISTANT_MESSAGE_COMPLETED:
            self._assistant(d)
        elif t == EventType.MEDIA_JOB_REQUESTED:
            self.state["step"] = "media"
        elif t == EventType.MEDIA_JOB_COMPLETED:
            self.state["media"] = d.get("result")
            self.state["step"] = "completed"

    def _started(self, event: RecordedEvent) -> None:
        d = event.data
        self.owner = str(d.get("userId") or "local")
        self.graph = str(d.get("graph") or "ad_workflow")
        self.state.setdefault("threadId", event.thread_id)
        self.state["graph"] = self.graph
        if event.type == EventType.SESSION_STARTED:
            product = d.get("product") or {}
            self.state.update(
                product={"id": d.get("productId"), "name": product.get("name")},
                format=d.get("format"),
                mediaType=d.get("mediaType"),
                step="starting",
                selections={},
                choice=None,
            )

    def _message(self, role: str, message_id: str, text: str) -> dict[str, Any]:
        message = {"id": message_id, "role": role, "content": text}
        self.messages.append(message)
        return message

    def _assistant(self, d: dict[str, Any]) -> None:
        message_id = str(d["messageId"])
        calls = [c for c in d.get("toolCalls") or [] if c.get("id")]
        if not d.get("text") and not calls:
            return
        message = self._message("assistant", message_id, str(d.get("text") or ""))
        if calls:
            message["toolCalls"] = [
                {"id": c["id"], "type": "function", "function": _function(c)} for c in calls
            ]
            self.open_calls.extend(
                ToolCall(str(c["id"]), str(c["name"]), message_id) for c in calls
            )

    def _take_call(self, name: str, call_id: str | None) -> ToolCall | None:
        """The open call a fact answers: by id when the fact names one, else the oldest."""
        for call in self.open_calls:
            if call.call_id == call_id or (call_id is None and call.name == name):
                self.open_calls.remove(call)
                return call
        return None

    def _tool_fact(self, event: RecordedEvent) -> ToolResult:
        d, name = event.data, _TOOL_FACTS[event.type]
        if name == "save_ad_asset":
            asset = d.get("asset") or {}
            self.state.setdefault("assets", []).append(asset.get("id"))
            args: dict[str, Any] = {"headline": asset.get("headline")}
            result: dict[str, Any] = {"saved": True, "asset": asset}
        elif name == "generate_ad_image":
            args = {"prompt": d.get("prompt"), "size": d.get("size")}
            result = {k: d.get(k) for k in ("requestId", "assetId", "status", "size")}
        else:
            self.state["theme"] = d.get("theme")
            args = result = {"theme": d.get("theme")}
        found = self._take_call(name, d.get("toolCallId"))
        call = found or ToolCall(f"call-{event.event_id}", name, f"msg-{event.event_id}")
        if found is None:
            function = {"name": name, "arguments": json.dumps(args, ensure_ascii=False)}
            self.messages.append(
                {
                    "id": call.message_id,
                    "role": "assistant",
                    "toolCalls": [{"id": call.call_id, "type": "function", "function": function}],
                }
            )
        result_id = f"result-{call.call_id}"
        content = json.dumps(result, ensure_ascii=False)
        self.messages.append(
            {"id": result_id, "role": "tool", "toolCallId": call.call_id, "content": content}
        )
        return ToolResult(call, result_id, content, args, implicit=found is None)


def _function(call: dict[str, Any]) -> dict[str, str]:
    return {"name": str(call["name"]), "arguments": json.dumps(call.get("args") or {})}
