"""Log events → AG-UI events: the single mapping behind ``POST /agui`` and the rejoin stream.

A thin mapping (design invariant 8) that reads only the log, never the run, so a stream opened
later shows what a live one showed. The unit is a *turn*: a user message (or a run nobody's
message started, such as a render's resume) up to its run's ``ResponseCompleted``. A turn whose
run ended waiting for a render stays open until the render's run ends, so an AG-UI client sees
the video or image arrive in the run that asked for it. Each turn is one AG-UI run:

* ``RUN_STARTED`` then ``STATE_SNAPSHOT`` of the conversation state (``conversation.py``); every
  later change of that state is a ``STATE_DELTA`` (RFC 6902, ``jsonpatch``);
* ``StatusReported`` steps → ``STEP_STARTED``/``STEP_FINISHED`` (each opened step is closed);
* streamed assistant text → ``TEXT_MESSAGE_START``/``CONTENT``/``END``; the workflow's
  explanations and clarifying questions are text messages too;
* the assistant's tool calls (``save_ad_asset``, ``generate_ad_image``, ``switch_theme``) →
  ``TOOL_CALL_START``/``ARGS``/``END`` when the model's reply lists them, ``TOOL_CALL_RESULT`` when
  the fact the tool records (``AssetSaved``, ``ImageRequested``, ``ThemeSwitched``) is logged;
* cards (personas, angles, concepts, selections, reasoning, render progress and results) →
  ``CUSTOM`` events named like the Ad Forge frames (``audience_group``, ``marketing_angle`` …);
* the end: ``RUN_ERROR`` for a failed run, ``RUN_FINISHED`` with outcome ``cancelled``, or — at a
  pending choice — ``STATE_SNAPSHOT``, ``MESSAGES_SNAPSHOT``, ``CUSTOM on_interrupt`` (older
  CopilotKit clients) and ``RUN_FINISHED`` with outcome ``interrupt``, as AG-UI asks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import jsonpatch
from ag_ui.core import (
    BaseEvent,
    CustomEvent,
    Message,
    MessagesSnapshotEvent,
    RunErrorEvent,
    RunFinishedEvent,
    RunStartedEvent,
    StateDeltaEvent,
    StateSnapshotEvent,
    StepFinishedEvent,
    StepStartedEvent,
    TextMessageContentEvent,
    TextMessageEndEvent,
    TextMessageStartEvent,
    ToolCallArgsEvent,
    ToolCallEndEvent,
    ToolCallResultEvent,
    ToolCallStartEvent,
)
from pydantic import TypeAdapter

from server.core.eventlog import RecordedEvent
from server.core.events import EventType
from server.protocols.agui.conversation import Conversation
from server.protocols.agui.interrupts import interrupt_of

__all__ = ["Translator"]

_MESSAGES: TypeAdapter[list[Message]] = TypeAdapter(list[Message])
_CARDS = {
    EventType.REASONING_SHARED: "reasoning",
    EventType.PERSONAS_PROPOSED: "audience_group",
    EventType.ANGLES_PROPOSED: "marketing_angle",
    EventType.CONCEPTS_PROPOSED: "psychology_selection",
    EventType.SELECTION_MADE: "selection_summary",
    EventType.MEDIA_JOB_REQUESTED: "media_job",
    EventType.MEDIA_JOB_PROGRESSED: "media_progress",
    EventType.MEDIA_JOB_FAILED: "media_error",
    EventType.IMAGE_GENERATED: "image_result",
    EventType.IMAGE_FAILED: "image_result",
}
"""Log events shown as ``CUSTOM`` cards, by the card's name (the Ad Forge frame type)."""
_TERMINAL = (EventType.RUN_COMPLETED, EventType.RUN_FAILED, EventType.RUN_CANCELLED)
_SAID = (EventType.PERSONA_IMPACT_EXPLAINED, EventType.CLARIFICATION_ASKED)


def _ms(created_at: str) -> int:
    """An event's time in milliseconds since the epoch (what AG-UI SDKs put in ``timestamp``)."""
    return int(datetime.fromisoformat(created_at.replace("Z", "+00:00")).timestamp() * 1000)


@dataclass
class _Turn:
    """One AG-UI run in progress: what it opened and has to close."""

    agui_run_id: str
    run_id: str | None
    texts: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    waiting_media: bool = False
    terminal: RecordedEvent | None = None


class Translator:
    """Per stream: feeds log events through the conversation fold and answers AG-UI events."""

    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation
        self.turn: _Turn | None = None
        self.finished = False
        """Set when the last event fed ended a turn."""

    # --- turns ----------------------------------------------------------------------------------

    def begin(
        self,
        agui_run_id: str,
        run_id: str | None,
        ts: int | None = None,
        state: dict[str, Any] | None = None,
    ) -> list[BaseEvent]:
        """Open a turn: ``RUN_STARTED`` and the state it starts from (default: the state now)."""
        self.turn = _Turn(agui_run_id, run_id)
        self.finished = False
        thread_id = self.conversation.thread_id
        started = RunStartedEvent(
            thread_id=thread_id,
            run_id=agui_run_id,
            timestamp=ts,
            metadata={"adforge": {"runId": run_id}} if run_id else None,
        )
        snapshot = self.conversation.snapshot() if state is None else state
        return [started, StateSnapshotEvent(snapshot=snapshot, timestamp=ts)]

    def fail(self, code: str, message: str) -> list[BaseEvent]:
        """End the open turn with ``RUN_ERROR`` (a refused command: nothing was recorded)."""
        out = self._close(None)
        out.append(RunErrorEvent(message=message, code=code))
        self.turn, self.finished = None, True
        return out

    def finish_empty(self) -> list[BaseEvent]:
        """End the open turn as nothing ran in it: success, or the choice still pending."""
        assert self.turn is not None
        out = self._finish(self.turn, None)
        self.turn, self.finished = None, True
        return out

    def prime(self, events: Iterable[RecordedEvent]) -> None:
        """Fold events a stream does not show (those before its cursor)."""
        for event in events:
            self.feed(event)

    # --- mapping --------------------------------------------------------------------------------

    def feed(self, event: RecordedEvent) -> list[BaseEvent]:
        """The AG-UI events one log event makes (none outside a turn but the turn's start)."""
        before = self.conversation.snapshot()
        self.conversation.apply(event)
        self.finished = False
        ts = _ms(event.created_at)
        out: list[BaseEvent] = []
        turn = self.turn
        if turn is None:
            if event.type not in (EventType.USER_MESSAGE_SENT, EventType.RUN_STARTED):
                return out
            run_id = event.run_id or event.data.get("runId")
            out.extend(self.begin(str(run_id), run_id, ts, state=before))
            turn = self.turn
            assert turn is not None
        out.extend(self._map(turn, event, ts))
        after = self.conversation.state
        if after != before:
            patch = jsonpatch.make_patch(before, after).patch
            out.append(StateDeltaEvent(delta=patch, timestamp=ts))
        if self._ends(turn, event):
            out.extend(self._finish(turn, ts))
            self.turn, self.finished = None, True
        return out

    def _map(self, turn: _Turn, event: RecordedEvent, ts: int) -> list[BaseEvent]:
        d, t = event.data, event.type
        out: list[BaseEvent] = []
        if t == EventType.RUN_STARTED and (turn.run_id is None or turn.waiting_media):
            # a render's resume continues the turn that asked for it
            turn.run_id, turn.terminal = event.run_id, None
        elif t == EventType.STATUS_REPORTED and d.get("step"):
            out.extend(self._step(turn, str(d["step"]), str(d.get("status")), ts))
        elif t in _CARDS:
            out.append(CustomEvent(name=_CARDS[t], value=_card(event), timestamp=ts))
        elif t == EventType.MEDIA_JOB_COMPLETED:
            result = d.get("result") or {}
            name = "video_result" if result.get("kind") == "video" else "static_ad_result"
            out.append(CustomEvent(name=name, value=_card(event), timestamp=ts))
        elif t in _SAID:
            out.extend(self._text(turn, str(d["messageId"]), str(d.get("content") or ""), ts))
            out.append(TextMessageEndEvent(message_id=str(d["messageId"]), timestamp=ts))
            turn.texts.remove(str(d["messageId"]))
        elif t == EventType.ASSISTANT_TEXT_STREAMED:
            out.extend(self._text(turn, str(d["messageId"]), str(d.get("delta") or ""), ts))
        elif t == EventType.ASSISTANT_MESSAGE_COMPLETED:
            out.extend(self._completed(turn, d, ts))
        if t == EventType.MEDIA_JOB_REQUESTED:
            turn.waiting_media = True
        elif t in (EventType.MEDIA_JOB_COMPLETED, EventType.MEDIA_JOB_FAILED):
            turn.waiting_media = False
        elif t in _TERMINAL and event.run_id == turn.run_id:
            turn.terminal = event
        if (answered := self.conversation.answered) is not None:
            call = answered.call
            if answered.implicit:
                out.extend(_call(call.call_id, call.name, answered.args, None, ts))
            out.append(
                ToolCallResultEvent(
                    message_id=answered.result_id,
                    tool_call_id=call.call_id,
                    content=answered.content,
                    role="tool",
                    timestamp=ts,
                )
            )
        return out

    def _step(self, turn: _Turn, step: str, status: str, ts: int) -> list[BaseEvent]:
        out: list[BaseEvent] = []
        if step not in turn.steps:
            turn.steps.append(step)
            out.append(StepStartedEvent(step_name=step, timestamp=ts))
        if status == "completed":
            turn.steps.remove(step)
            out.append(StepFinishedEvent(step_name=step, timestamp=ts))
        return out

    def _text(self, turn: _Turn, message_id: str, delta: str, ts: int) -> list[BaseEvent]:
        out: list[BaseEvent] = []
        if message_id not in turn.texts:
            turn.texts.append(message_id)
            out.append(TextMessageStartEvent(message_id=message_id, role="assistant", timestamp=ts))
        if delta:
            out.append(TextMessageContentEvent(message_id=message_id, delta=delta, timestamp=ts))
        return out

    def _completed(self, turn: _Turn, d: dict[str, Any], ts: int) -> list[BaseEvent]:
        message_id, text = str(d["messageId"]), str(d.get("text") or "")
        out: list[BaseEvent] = []
        if message_id not in turn.texts and text:
            out.extend(self._text(turn, message_id, text, ts))
        if message_id in turn.texts:
            turn.texts.remove(message_id)
            out.append(TextMessageEndEvent(message_id=message_id, timestamp=ts))
        for call in d.get("toolCalls") or []:
            if call.get("id"):
                parent = message_id if text else None
                out.extend(_call(str(call["id"]), str(call["name"]), call.get("args"), parent, ts))
        return out

    def _ends(self, turn: _Turn, event: RecordedEvent) -> bool:
        """The turn's run has ended, and it does not wait for a render that resumes it."""
        if event.type != EventType.RESPONSE_COMPLETED or event.run_id != turn.run_id:
            return False
        completed = turn.terminal is None or turn.terminal.type == EventType.RUN_COMPLETED
        return not (completed and turn.waiting_media)

    def _close(self, ts: int | None) -> list[BaseEvent]:
        """End what the turn left open (a stopped reply keeps the text it streamed)."""
        turn = self.turn
        if turn is None:
            return []
        out: list[BaseEvent] = [TextMessageEndEvent(message_id=m, timestamp=ts) for m in turn.texts]
        out.extend(StepFinishedEvent(step_name=s, timestamp=ts) for s in turn.steps)
        turn.texts, turn.steps = [], []
        return out

    def _finish(self, turn: _Turn, ts: int | None) -> list[BaseEvent]:
        out = self._close(ts)
        thread_id, run_id = self.conversation.thread_id, turn.agui_run_id
        terminal = turn.terminal
        if terminal is not None and terminal.type == EventType.RUN_FAILED:
            error = terminal.data.get("error") or {}
            message = str(error.get("message") or "The run failed.")
            out.append(RunErrorEvent(message=message, code=error.get("code"), timestamp=ts))
            return out
        if terminal is not None and terminal.type == EventType.RUN_CANCELLED:
            outcome: dict[str, Any] = {"type": "cancelled"}
            return [*out, RunFinishedEvent(thread_id=thread_id, run_id=run_id, outcome=outcome)]
        choice = self.conversation.choice
        if choice is None:
            finished = RunFinishedEvent(
                thread_id=thread_id, run_id=run_id, outcome={"type": "success"}, timestamp=ts
            )
            return [*out, finished]
        interrupt = interrupt_of(choice)
        messages = _MESSAGES.validate_python(self.conversation.messages)
        out.append(StateSnapshotEvent(snapshot=self.conversation.snapshot(), timestamp=ts))
        out.append(MessagesSnapshotEvent(messages=messages, timestamp=ts))
        out.append(CustomEvent(name="on_interrupt", value=choice, timestamp=ts))
        outcome = {"type": "interrupt", "interrupts": [interrupt]}
        out.append(
            RunFinishedEvent(thread_id=thread_id, run_id=run_id, outcome=outcome, timestamp=ts)
        )
        return out


def _card(event: RecordedEvent) -> dict[str, Any]:
    """A card's value: the event's payload, with a ``messageId`` a client can key it by."""
    return {"messageId": event.data.get("messageId") or f"card-{event.event_id}", **event.data}


def _call(call_id: str, name: str, args: Any, parent: str | None, ts: int) -> list[BaseEvent]:
    return [
        ToolCallStartEvent(
            tool_call_id=call_id, tool_call_name=name, parent_message_id=parent, timestamp=ts
        ),
        ToolCallArgsEvent(
            tool_call_id=call_id, delta=json.dumps(args or {}, ensure_ascii=False), timestamp=ts
        ),
        ToolCallEndEvent(tool_call_id=call_id, timestamp=ts),
    ]
