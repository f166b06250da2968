"""The conversation's domain events: names in the past tense, JSON payloads, deterministic ids.

Every event a session shows is one of these types. Ids derive from what the event is about (the
thread, the LangGraph task that produced it, the run), so re-running a node after a crash or a
resume produces the same ids and the store's UNIQUE constraint drops the repeats. Each type's
payload has a model in ``server.core.event_types``; ``event`` validates against it.
"""

from __future__ import annotations

from typing import Any, Final

from server.core.event_types import validate_payload
from server.core.eventlog import NewEvent
from tools.ids import stable_id

__all__ = ["EventType", "event", "event_id"]


class EventType:
    """Stable type names (stored in the log; never rename, add new ones instead)."""

    SESSION_STARTED: Final = "SessionStarted"
    USER_MESSAGE_SENT: Final = "UserMessageSent"
    RUN_STARTED: Final = "RunStarted"
    RUN_COMPLETED: Final = "RunCompleted"
    RUN_FAILED: Final = "RunFailed"
    RUN_CANCELLED: Final = "RunCancelled"
    RESPONSE_STARTED: Final = "ResponseStarted"
    RESPONSE_COMPLETED: Final = "ResponseCompleted"
    STATUS_REPORTED: Final = "StatusReported"
    REASONING_SHARED: Final = "ReasoningShared"
    PERSONAS_PROPOSED: Final = "PersonasProposed"
    PERSONA_IMPACT_EXPLAINED: Final = "PersonaImpactExplained"
    ANGLES_PROPOSED: Final = "AnglesProposed"
    CONCEPTS_PROPOSED: Final = "ConceptsProposed"
    SELECTION_MADE: Final = "SelectionMade"
    CHOICE_REQUESTED: Final = "ChoiceRequested"
    MEDIA_JOB_REQUESTED: Final = "MediaJobRequested"
    MEDIA_JOB_PROGRESSED: Final = "MediaJobProgressed"
    MEDIA_JOB_COMPLETED: Final = "MediaJobCompleted"
    MEDIA_JOB_FAILED: Final = "MediaJobFailed"
    VIDEO_DELIVERED: Final = "VideoDelivered"
    STATIC_AD_DELIVERED: Final = "StaticAdDelivered"
    ASSET_SAVED: Final = "AssetSaved"
    # ad_assistant runs and ChatKit threads (server/chatkit):
    CHAT_THREAD_STARTED: Final = "ChatThreadStarted"
    THREAD_RENAMED: Final = "ThreadRenamed"
    THREAD_DELETED: Final = "ThreadDeleted"
    THREAD_ITEM_REMOVED: Final = "ThreadItemRemoved"
    CLIENT_TOOL_CALL_COMPLETED: Final = "ClientToolCallCompleted"
    FEEDBACK_GIVEN: Final = "FeedbackGiven"
    ASSISTANT_TEXT_STREAMED: Final = "AssistantTextStreamed"
    ASSISTANT_MESSAGE_COMPLETED: Final = "AssistantMessageCompleted"
    IMAGE_REQUESTED: Final = "ImageRequested"
    IMAGE_GENERATED: Final = "ImageGenerated"
    IMAGE_FAILED: Final = "ImageFailed"
    THEME_SWITCHED: Final = "ThemeSwitched"
    CLARIFICATION_ASKED: Final = "ClarificationAsked"
    """A reply that picked no option and gave no usable hint: the choice stays open."""


def event_id(thread_id: str, *parts: object) -> str:
    """The deterministic id of an event about ``parts`` in ``thread_id``."""
    return stable_id("evt", thread_id, *parts, length=24)


def event(
    thread_id: str, type_: str, data: dict[str, Any], *key: object, run_id: str | None = None
) -> NewEvent:
    """A new event whose id is derived from its thread, type and ``key``.

    The payload is validated against its type's model first: a malformed event is a producer's
    bug, raised here (``ValidationError``, ``UnknownEventTypeError``) before anything is written.
    It is stored as given, at the model's ``schema_version``.
    """
    payload = validate_payload(type_, data)
    return NewEvent(
        event_id=event_id(thread_id, type_, *key),
        type=type_,
        data=data,
        run_id=run_id,
        schema_version=payload.schema_version,
    )
