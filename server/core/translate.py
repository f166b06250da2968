"""Turning a LangGraph run's stream into domain events.

The run streams ``tasks`` (task start/end with the node's update and interrupts) and ``custom``
(status reports). A task's id is derived by LangGraph from the checkpoint it runs from, so events
keyed on it are identical when a crashed or resumed run executes the same task again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from server.core.assistant_translate import AssistantTranslator
from server.core.eventlog import NewEvent
from server.core.events import EventType, event
from tools.ids import stable_id

__all__ = ["RunTranslator", "message_id_for"]

_CHOICE_LABELS = {"persona": "Target", "angle": "Angle", "concept": "Script"}
_MEDIA_EVENTS = (
    ("media_job", EventType.MEDIA_JOB_REQUESTED, "job"),
    ("media_error", EventType.MEDIA_JOB_FAILED, "error"),
    ("media_result", EventType.MEDIA_JOB_COMPLETED, "result"),
)
"""State keys the media nodes write → the event each one is, and the payload field that carries it."""


def message_id_for(thread_id: str, *parts: object) -> str:
    """A chat message id (the guide's ``messageId``) for content produced by ``parts``."""
    return stable_id("msg", thread_id, *parts, length=12)


@dataclass
class RunTranslator:
    """Stateful per run: remembers the running task so status reports get stable ids."""

    thread_id: str
    run_id: str
    response_id: str
    product_name: str = ""
    _task: str = "run"
    _custom_count: dict[str, int] = field(default_factory=dict)
    assistant: AssistantTranslator = field(init=False)
    """Streamed text and tool facts of ``ad_assistant`` runs (``messages`` stream mode)."""

    def __post_init__(self) -> None:
        self.assistant = AssistantTranslator(self.thread_id, self.run_id)

    def _event(self, type_: str, data: dict[str, Any], *key: object) -> NewEvent:
        return event(self.thread_id, type_, data, *key, run_id=self.run_id)

    def translate(self, part: dict[str, Any]) -> list[NewEvent]:
        """Events for one ``astream(..., version="v2")`` part."""
        data = part["data"]
        if part["type"] == "custom":
            return self._custom(data)
        if part["type"] == "messages":
            chunk, metadata = data
            return self.assistant.on_token(chunk, metadata)
        if part["type"] == "tasks":
            if "result" not in data and "error" not in data:
                self._task = data["id"]
                return []
            return self._task_finished(data)
        return []

    def _custom(self, data: dict[str, Any]) -> list[NewEvent]:
        if data.get("type") != "status_update":
            return []
        n = self._custom_count.get(self._task, 0)
        self._custom_count[self._task] = n + 1
        payload = {"messageId": self.response_id, **data["data"]}
        return [self._event(EventType.STATUS_REPORTED, payload, self._task, n)]

    def _task_finished(self, data: dict[str, Any]) -> list[NewEvent]:
        task, node = data["id"], data["name"]
        update = data.get("result") or {}
        events: list[NewEvent] = []
        if isinstance(update, dict) and not data.get("error"):
            events.extend(self._from_update(task, node, update))
            events.extend(self.assistant.from_update(task, update))
        for pending in data.get("interrupts") or []:
            value = pending.get("value") if isinstance(pending, dict) else None
            interrupt_id = pending.get("id") if isinstance(pending, dict) else None
            if isinstance(value, dict) and value.get("kind") != "media_job":
                payload = {**value, "interruptId": interrupt_id}
                events.append(self._event(EventType.CHOICE_REQUESTED, payload, task, interrupt_id))
        return events

    def _from_update(self, task: str, node: str, update: dict[str, Any]) -> list[NewEvent]:
        events: list[NewEvent] = []
        # The turn's cards share the turn's messageId with ai_response_start/complete (the
        # guide's Step 2); a text said inside the turn (the persona's impact) has its own.
        msg = self.response_id
        own = message_id_for(self.thread_id, task)
        reasoning = (update.get("reasoning") or {}).values()
        for lines in reasoning:
            if lines:
                events.append(
                    self._event(
                        EventType.REASONING_SHARED, {"messageId": msg, "reasoning": lines}, task
                    )
                )
        if "personas" in update:
            data = {
                "messageId": msg,
                "audiences": update["personas"],
                "generation": (update.get("generation") or {}).get("personas"),
            }
            events.append(self._event(EventType.PERSONAS_PROPOSED, data, task))
        if update.get("persona_impact"):
            data = {"messageId": own, "content": update["persona_impact"]}
            events.append(self._event(EventType.PERSONA_IMPACT_EXPLAINED, data, task))
        if "angles" in update:
            data = {
                "messageId": msg,
                "angles": update["angles"],
                "generation": (update.get("generation") or {}).get("angles"),
            }
            events.append(self._event(EventType.ANGLES_PROPOSED, data, task))
        if "concepts" in update:
            data = {
                "messageId": msg,
                "concepts": update["concepts"],
                "generation": (update.get("generation") or {}).get("concepts"),
            }
            events.append(self._event(EventType.CONCEPTS_PROPOSED, data, task))
        for key, label in _CHOICE_LABELS.items():
            chosen = update.get(f"selected_{key}")
            if chosen:
                value = chosen.get("name") or chosen.get("title")
                data = {
                    "kind": key,
                    "label": label,
                    "value": value,
                    "option": chosen,
                    "mediaRequest": update.get("media_request"),
                }
                events.append(self._event(EventType.SELECTION_MADE, data, task, key))
        for key, type_, payload_key in _MEDIA_EVENTS:
            if update.get(key):
                data = {
                    payload_key: update[key],
                    "messageId": msg,
                    "productName": self.product_name,
                }
                events.append(self._event(type_, data, task))
        if update.get("asset"):
            events.append(self._event(EventType.ASSET_SAVED, {"asset": update["asset"]}, task))
        return events
