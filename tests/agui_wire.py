"""Reading AG-UI SSE bodies in tests: every event validated, and AG-UI's ordering rules checked."""

from __future__ import annotations

import json
from typing import Any

from ag_ui.core import Event, RunAgentInput
from ag_ui.encoder import EventEncoder
from pydantic import TypeAdapter

EVENT: TypeAdapter[Any] = TypeAdapter(Event)
ENCODER = EventEncoder()


def parse_frames(body: str) -> list[tuple[int | None, dict[str, Any]]]:
    """``(id, event)`` of every data frame; each event validates against ``ag_ui.core.Event``.

    Also checks the frame is exactly what the official encoder writes for that event (camelCase,
    no nulls), after an optional ``id: <seq>`` line; comment frames (pings, events that show
    nothing) are skipped.
    """
    frames: list[tuple[int | None, dict[str, Any]]] = []
    for block in body.split("\n\n"):
        lines = [line for line in block.split("\n") if line and not line.startswith(":")]
        if not lines:
            continue
        seq = None
        if lines[0].startswith("id: "):
            seq = int(lines.pop(0)[4:])
        if not lines:
            continue  # a log event that shows nothing (a comment moving the cursor)
        assert len(lines) == 1 and lines[0].startswith("data: "), f"not an AG-UI frame: {block!r}"
        model = EVENT.validate_json(lines[0][6:])
        assert ENCODER.encode(model) == lines[0] + "\n\n"
        frames.append((seq, json.loads(lines[0][6:])))
    return frames


def events_of(body: str) -> list[dict[str, Any]]:
    """The events of one ``POST /agui`` response: exactly one valid AG-UI run."""
    events = [event for _, event in parse_frames(body)]
    check_runs(events)
    kinds = [e["type"] for e in events]
    assert kinds.count("RUN_STARTED") == 1, "one RUN_STARTED per run"
    assert kinds.count("RUN_FINISHED") + kinds.count("RUN_ERROR") == 1, "one end per run"
    return events


def check_runs(events: list[dict[str, Any]]) -> None:
    """AG-UI's order rules, as ``@ag-ui/client``'s verifier applies them.

    Each run opens with one ``RUN_STARTED`` and closes with one ``RUN_FINISHED`` or ``RUN_ERROR``;
    text messages, tool calls and steps open before their content and close before the run ends;
    nothing but a new ``RUN_STARTED`` follows the end of a run.
    """
    assert events, "no events"
    in_run = False
    texts: set[str] = set()
    calls: set[str] = set()
    steps: set[str] = set()
    for event in events:
        kind = event["type"]
        if kind == "RUN_STARTED":
            assert not in_run, "RUN_STARTED inside a run"
            in_run = True
            continue
        assert in_run, f"{kind} outside a run"
        if kind == "TEXT_MESSAGE_START":
            assert event["messageId"] not in texts
            texts.add(event["messageId"])
        elif kind == "TEXT_MESSAGE_CONTENT":
            assert event["messageId"] in texts and event["delta"]
        elif kind == "TEXT_MESSAGE_END":
            texts.remove(event["messageId"])
        elif kind == "TOOL_CALL_START":
            assert event["toolCallId"] not in calls
            calls.add(event["toolCallId"])
        elif kind == "TOOL_CALL_ARGS":
            assert event["toolCallId"] in calls
            json.loads(event["delta"])  # whole JSON arguments in one delta
        elif kind == "TOOL_CALL_END":
            calls.remove(event["toolCallId"])
        elif kind == "STEP_STARTED":
            assert event["stepName"] not in steps
            steps.add(event["stepName"])
        elif kind == "STEP_FINISHED":
            steps.remove(event["stepName"])
        elif kind in ("RUN_FINISHED", "RUN_ERROR"):
            assert not (texts or calls or steps), f"{kind} with {texts, calls, steps} open"
            in_run = False
    assert not in_run, "the last run did not end"


def run_input(thread_id: str, run_id: str, **fields: Any) -> dict[str, Any]:
    """A ``RunAgentInput`` body (validated with the official model)."""
    body = {"threadId": thread_id, "runId": run_id, "messages": [], **fields}
    RunAgentInput.model_validate(body)
    return body


def user(message_id: str, text: str) -> dict[str, str]:
    """A user message of ``RunAgentInput.messages``."""
    return {"id": message_id, "role": "user", "content": text}


def types(events: list[dict[str, Any]]) -> list[str]:
    """The event types in order."""
    return [e["type"] for e in events]


def named(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """The events of one type."""
    return [e for e in events if e["type"] == kind]
