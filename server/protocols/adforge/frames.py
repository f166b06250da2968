"""The Ad Forge chat protocol: log events → the integration guide's SSE messages.

A thin mapping (design.md invariant 8): every frame is ``{"type", "messageId", "data"}`` with field
names exactly as in the guide's examples; errors are ``{"type": "error", "message", "code",
"retryable"}``. Internal events (run bookkeeping, assets) map to no frame.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from server.core.event_types import (
    AnglesProposed,
    ChoiceRequested,
    ConceptsProposed,
    ErrorInfo,
    MediaFailure,
    MediaJobCompleted,
    MediaJobFailed,
    MediaJobProgressed,
    MediaJobRequested,
    PersonasProposed,
    ReasoningShared,
    ResponseCompleted,
    ResponseStarted,
    RunCancelled,
    RunFailed,
    SelectionMade,
    StatusReported,
    TextSaid,
    ThemeSwitched,
    UserMessageSent,
    payload_of,
)
from server.core.eventlog import RecordedEvent
from server.core.events import EventType
from server.core.translate import message_id_for

__all__ = ["MESSAGE_TYPES", "to_frame", "transcript"]

MESSAGE_TYPES = (
    "ai_response_start",
    "status_update",
    "reasoning",
    "audience_group",
    "marketing_angle",
    "psychology_selection",
    "video_result",
    "static_ad_result",
    "selection_summary",
    "text",
    "error",
    "ai_response_complete",
    "user_message",
    "selection_required",
    "switch_theme",
)
"""The guide's message types, plus ``user_message`` and ``selection_required`` for full replays
and ``switch_theme`` (the chat asked for the light or dark theme)."""

_SHOWN = frozenset(
    {
        EventType.RESPONSE_STARTED,
        EventType.RESPONSE_COMPLETED,
        EventType.STATUS_REPORTED,
        EventType.REASONING_SHARED,
        EventType.PERSONAS_PROPOSED,
        EventType.PERSONA_IMPACT_EXPLAINED,
        EventType.ANGLES_PROPOSED,
        EventType.CONCEPTS_PROPOSED,
        EventType.SELECTION_MADE,
        EventType.CHOICE_REQUESTED,
        EventType.USER_MESSAGE_SENT,
        EventType.MEDIA_JOB_REQUESTED,
        EventType.THEME_SWITCHED,
        EventType.MEDIA_JOB_PROGRESSED,
        EventType.MEDIA_JOB_COMPLETED,
        EventType.CLARIFICATION_ASKED,
        EventType.RUN_CANCELLED,
        EventType.RUN_FAILED,
        EventType.MEDIA_JOB_FAILED,
    }
)
"""Event types that have a frame (others are not parsed at all)."""


def _frame(
    type_: str, message_id: str | None, data: dict[str, Any] | None = None
) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": type_, "messageId": message_id}
    if data is not None:
        frame["data"] = data
    return frame


def _status(status: StatusReported) -> dict[str, Any]:
    step = {
        k: v
        for k, v in (
            ("label", status.label),
            ("status", status.status),
            ("estimatedTime", status.estimated_time),
            ("progress", status.progress),
        )
        if v is not None
    }
    return {**step, "step": status.step, "steps": [step]}


def _media_result(done: MediaJobCompleted) -> dict[str, Any]:
    result = done.result
    if result.kind == "video":
        duration = result.duration or 0
        return _frame(
            "video_result",
            done.message_id,
            {
                "productName": done.product_name,
                "extraInfo": f"{round(duration)}s",
                "videoUrl": result.url,
                "thumbnailUrl": result.thumbnail_url,
                "duration": duration,
                "format": result.format,
                "resolution": result.resolution,
                "offline": result.offline,
            },
        )
    return _frame(
        "static_ad_result",
        done.message_id,
        {
            "productName": done.product_name,
            "imageUrl": result.url,
            "format": result.format,
            "resolution": result.resolution,
            "offline": result.offline,
        },
    )


def _media_label(kind: str) -> str:
    return "Generating your AI Video..." if kind == "video" else "Generating your static ad..."


def _error(message_id: str | None, error: ErrorInfo | MediaFailure) -> dict[str, Any]:
    return {
        "type": "error",
        "messageId": message_id,
        "message": error.message,
        "code": error.code,
        "retryable": error.retryable,
    }


def to_frame(
    event: RecordedEvent, *, product_name: str = "", format_name: str = ""
) -> dict[str, Any] | None:
    """The guide's message for one log event, or None when the event is not shown in chat."""
    t = event.type
    if t not in _SHOWN:
        return None
    p = payload_of(event)
    if isinstance(p, ResponseStarted):
        return _frame("ai_response_start", p.message_id)
    if isinstance(p, ResponseCompleted):
        return _frame("ai_response_complete", p.message_id)
    if isinstance(p, StatusReported):
        return _frame("status_update", p.message_id, _status(p))
    if isinstance(p, ReasoningShared):
        return _frame("reasoning", p.message_id, {"reasoning": p.reasoning})
    if isinstance(p, PersonasProposed):
        data: dict[str, Any] = {
            "productName": product_name,
            "audiences": p.audiences,
            "generation": p.generation,
        }
        return _frame("audience_group", p.message_id, data)
    if isinstance(p, TextSaid):  # a persona's impact, or a clarifying question
        return _frame("text", p.message_id, {"content": p.content})
    if isinstance(p, AnglesProposed):
        return _frame("marketing_angle", p.message_id, {"angles": p.angles})
    if isinstance(p, ConceptsProposed):
        data = {"productName": product_name, "formatName": format_name, "concepts": p.concepts}
        return _frame("psychology_selection", p.message_id, data)
    if isinstance(p, SelectionMade):
        data = {
            "isSelection": True,
            "label": p.label,
            "value": p.value,
            "optionId": p.option.get("id"),
        }
        return _frame("selection_summary", f"sel-{event.seq}", data)
    if isinstance(p, ChoiceRequested):
        return _frame("selection_required", p.interrupt_id, dict(event.data))  # as stored
    if isinstance(p, UserMessageSent):
        selection = p.selection.wire() if p.selection else {}
        return _frame("user_message", p.message_id, {"content": p.text, **selection})
    if isinstance(p, MediaJobRequested):
        job = p.job
        data = {
            "label": _media_label(job.kind),
            "status": "loading",
            "estimatedTime": f"{job.estimated_seconds}s",
            "jobId": job.job_id,
        }
        return _frame("status_update", p.message_id, {**data, "steps": [data]})
    if isinstance(p, ThemeSwitched):
        data = {"theme": p.theme, "content": f"Switched to {p.theme} mode."}
        return _frame("switch_theme", p.message_id or f"theme-{event.seq}", data)
    if isinstance(p, MediaJobProgressed):
        status = "completed" if p.progress >= 100 else "loading"
        data = {
            "label": _media_label(p.kind),
            "status": status,
            "progress": p.progress,
            "jobId": p.job_id,
        }
        return _frame("status_update", f"progress-{p.job_id}", {**data, "steps": [data]})
    if isinstance(p, MediaJobCompleted):
        return _media_result(p)
    if isinstance(p, RunCancelled):  # a data frame, so EventSource clients see the turn end
        step = {"label": "Cancelled", "status": "cancelled"}
        response = message_id_for(event.thread_id, p.run_id, "response")
        return _frame("status_update", response, {**step, "steps": [step]})
    if isinstance(p, RunFailed):
        return _error(None, p.error)
    if isinstance(p, MediaJobFailed):
        return _error(p.message_id, p.error)
    return None


_NOT_IN_TRANSCRIPT = frozenset({"ai_response_start", "ai_response_complete", "selection_required"})


def transcript(
    events: Iterable[RecordedEvent], *, product_name: str = "", format_name: str = ""
) -> list[dict[str, Any]]:
    """The guide's chat history of a session (``GET .../context``), mapped from its log events."""
    history: list[dict[str, Any]] = []
    for event in events:
        frame = to_frame(event, product_name=product_name, format_name=format_name)
        if frame is None or frame["type"] in _NOT_IN_TRANSCRIPT:
            continue
        sender = "user" if frame["type"] == "user_message" else "ai"
        message = {
            "id": frame.get("messageId"),
            "sender": sender,
            "type": "text" if sender == "user" else frame["type"],
            "data": frame.get("data"),
            "timestamp": event.created_at,
            "seq": event.seq,
        }
        if frame["type"] == "error":
            message["content"] = frame["message"]
        history.append(message)
    return history
