"""The Ad Forge chat protocol: log events → the integration guide's SSE messages.

A thin mapping (design.md invariant 8): every frame is ``{"type", "messageId", "data"}`` with field
names exactly as in the guide's examples; errors are ``{"type": "error", "message", "code",
"retryable"}``. Internal events (run bookkeeping, assets) map to no frame.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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


def _frame(
    type_: str, message_id: str | None, data: dict[str, Any] | None = None
) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": type_, "messageId": message_id}
    if data is not None:
        frame["data"] = data
    return frame


def _status(d: dict[str, Any]) -> dict[str, Any]:
    step = {
        k: d[k] for k in ("label", "status", "estimatedTime", "progress") if d.get(k) is not None
    }
    return {**step, "step": d.get("step"), "steps": [step]}


def _media_result(d: dict[str, Any]) -> dict[str, Any]:
    result = d["result"]
    if result["kind"] == "video":
        duration = result.get("duration") or 0
        return _frame(
            "video_result",
            d["messageId"],
            {
                "productName": d.get("productName", ""),
                "extraInfo": f"{round(duration)}s",
                "videoUrl": result["url"],
                "thumbnailUrl": result.get("thumbnailUrl"),
                "duration": duration,
                "format": result.get("format", "mp4"),
                "resolution": result.get("resolution"),
                "offline": result.get("offline", True),
            },
        )
    return _frame(
        "static_ad_result",
        d["messageId"],
        {
            "productName": d.get("productName", ""),
            "imageUrl": result["url"],
            "format": result.get("format", "png"),
            "resolution": result.get("resolution"),
            "offline": result.get("offline", True),
        },
    )


def to_frame(
    event: RecordedEvent, *, product_name: str = "", format_name: str = ""
) -> dict[str, Any] | None:
    """The guide's message for one log event, or None when the event is not shown in chat."""
    d, t = event.data, event.type
    msg = d.get("messageId")
    if t == EventType.RESPONSE_STARTED:
        return _frame("ai_response_start", msg)
    if t == EventType.RESPONSE_COMPLETED:
        return _frame("ai_response_complete", msg)
    if t == EventType.STATUS_REPORTED:
        return _frame("status_update", msg, _status(d))
    if t == EventType.REASONING_SHARED:
        return _frame("reasoning", msg, {"reasoning": d["reasoning"]})
    if t == EventType.PERSONAS_PROPOSED:
        data = {
            "productName": product_name,
            "audiences": d["audiences"],
            "generation": d.get("generation"),
        }
        return _frame("audience_group", msg, data)
    if t == EventType.PERSONA_IMPACT_EXPLAINED:
        return _frame("text", msg, {"content": d["content"]})
    if t == EventType.ANGLES_PROPOSED:
        return _frame("marketing_angle", msg, {"angles": d["angles"]})
    if t == EventType.CONCEPTS_PROPOSED:
        data = {"productName": product_name, "formatName": format_name, "concepts": d["concepts"]}
        return _frame("psychology_selection", msg, data)
    if t == EventType.SELECTION_MADE:
        data = {
            "isSelection": True,
            "label": d["label"],
            "value": d["value"],
            "optionId": d["option"].get("id"),
        }
        return _frame("selection_summary", f"sel-{event.seq}", data)
    if t == EventType.CHOICE_REQUESTED:
        return _frame("selection_required", d.get("interruptId"), d)
    if t == EventType.USER_MESSAGE_SENT:
        return _frame(
            "user_message", d["messageId"], {"content": d["text"], **(d.get("selection") or {})}
        )
    if t == EventType.MEDIA_JOB_REQUESTED:
        job = d["job"]
        label = (
            "Generating your AI Video..."
            if job["kind"] == "video"
            else "Generating your static ad..."
        )
        data = {
            "label": label,
            "status": "loading",
            "estimatedTime": f"{job['estimatedSeconds']}s",
            "jobId": job["jobId"],
        }
        return _frame("status_update", d.get("messageId"), {**data, "steps": [data]})
    if t == EventType.THEME_SWITCHED:
        theme = str(d["theme"])
        data = {"theme": theme, "content": f"Switched to {theme} mode."}
        return _frame("switch_theme", d.get("messageId") or f"theme-{event.seq}", data)
    if t == EventType.MEDIA_JOB_PROGRESSED:
        label = (
            "Generating your AI Video..."
            if d["kind"] == "video"
            else "Generating your static ad..."
        )
        status = "completed" if d["progress"] >= 100 else "loading"
        data = {"label": label, "status": status, "progress": d["progress"], "jobId": d["jobId"]}
        return _frame("status_update", f"progress-{d['jobId']}", {**data, "steps": [data]})
    if t == EventType.MEDIA_JOB_COMPLETED:
        return _media_result(d)
    if t == EventType.CLARIFICATION_ASKED:
        return _frame("text", msg, {"content": d["content"]})
    if t == EventType.RUN_CANCELLED:  # a data frame, so EventSource clients see the turn end
        step = {"label": "Cancelled", "status": "cancelled"}
        response = message_id_for(event.thread_id, d["runId"], "response")
        return _frame("status_update", response, {**step, "steps": [step]})
    if t in (EventType.RUN_FAILED, EventType.MEDIA_JOB_FAILED):
        error = d.get("error") or d
        return {
            "type": "error",
            "messageId": msg,
            "message": error.get("message", "Something went wrong."),
            "code": error.get("code", "internal_error"),
            "retryable": bool(error.get("retryable", True)),
        }
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
