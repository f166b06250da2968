"""Typed payloads of the conversation's events: one pydantic model per ``EventType``.

``server.core.events.event`` validates every new event's payload here before it exists; readers
(projections, protocol adapters) get the model with ``payload_of`` instead of indexing dicts.
The stored JSON is exactly what producers gave (models validate strictly and refuse unknown
keys), so typing changed no row; a payload shape that changes gets a new ``schema_version`` and
an upcaster (style.md guideline 6), never a rewrite.

Modules by area: ``conversation`` (session, messages, proposals, choices), ``runs``, ``media``
(jobs, images, assets), ``threads`` (thread bookkeeping, assistant replies); ``registry`` maps
type names to models and wires them with the log's upcasters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, overload

from server.core.event_types import conversation, media, runs, threads
from server.core.event_types.base import ErrorInfo, EventPayload, OwnedPayload, Shape
from server.core.event_types.conversation import (
    AnglesProposed,
    ChoiceOption,
    ChoiceRequested,
    ClarificationAsked,
    ConceptsProposed,
    PersonaImpactExplained,
    PersonasProposed,
    Proposal,
    ReasoningShared,
    ResponseCompleted,
    ResponseStarted,
    Selection,
    SelectionMade,
    SessionStarted,
    StatusReported,
    TextSaid,
    ThemeSwitched,
    UserMessageSent,
)
from server.core.event_types.media import (
    AssetSaved,
    ImageFailed,
    ImageGenerated,
    ImageRequested,
    MediaFailure,
    MediaJobCompleted,
    MediaJobFailed,
    MediaJobProgressed,
    MediaJobRequested,
    StaticAdDelivered,
    VideoDelivered,
)
from server.core.event_types.registry import EventTypeRegistry, UnknownEventTypeError
from server.core.event_types.runs import (
    RunCancelled,
    RunCompleted,
    RunFailed,
    RunStarted,
)
from server.core.event_types.threads import (
    AssistantMessageCompleted,
    AssistantTextStreamed,
    ChatThreadStarted,
    ClientToolCallCompleted,
    FeedbackGiven,
    ThreadDeleted,
    ThreadItemRemoved,
    ThreadRenamed,
    ToolCall,
)
from server.core.eventlog import RecordedEvent, default_upcasters

__all__ = [
    "AnglesProposed",
    "AssetSaved",
    "AssistantMessageCompleted",
    "AssistantTextStreamed",
    "ChatThreadStarted",
    "ChoiceOption",
    "ChoiceRequested",
    "ClarificationAsked",
    "ClientToolCallCompleted",
    "ConceptsProposed",
    "EVENT_TYPES",
    "ErrorInfo",
    "EventPayload",
    "EventTypeRegistry",
    "FeedbackGiven",
    "ImageFailed",
    "ImageGenerated",
    "ImageRequested",
    "MediaFailure",
    "MediaJobCompleted",
    "MediaJobFailed",
    "MediaJobProgressed",
    "MediaJobRequested",
    "OwnedPayload",
    "PersonaImpactExplained",
    "PersonasProposed",
    "Proposal",
    "ReasoningShared",
    "ResponseCompleted",
    "ResponseStarted",
    "RunCancelled",
    "RunCompleted",
    "RunFailed",
    "RunStarted",
    "Selection",
    "SelectionMade",
    "SessionStarted",
    "Shape",
    "StaticAdDelivered",
    "StatusReported",
    "TextSaid",
    "ThemeSwitched",
    "ThreadDeleted",
    "ThreadItemRemoved",
    "ThreadRenamed",
    "ToolCall",
    "UnknownEventTypeError",
    "UserMessageSent",
    "VideoDelivered",
    "payload_of",
    "validate_payload",
]

P = TypeVar("P", bound=EventPayload)


def _models() -> list[type[EventPayload]]:
    found: list[type[EventPayload]] = []
    for module in (conversation, runs, media, threads):
        for name in module.__all__:
            value = getattr(module, name)
            concrete = isinstance(value, type) and hasattr(value, "type_name")
            if concrete and issubclass(value, EventPayload):  # not the bases (Proposal)
                found.append(value)
    return found


EVENT_TYPES = EventTypeRegistry(default_upcasters, _models())
"""Every event type's model, wired with ``default_upcasters`` (the registry the store uses)."""


def validate_payload(type_: str, data: Mapping[str, Any]) -> EventPayload:
    """``data`` as a new event of ``type_``; raises ``ValidationError`` when it is malformed."""
    return EVENT_TYPES.validate(type_, data)


@overload
def payload_of(event: RecordedEvent) -> EventPayload: ...
@overload
def payload_of(event: RecordedEvent, model: type[P]) -> P: ...
def payload_of(event: RecordedEvent, model: type[P] | None = None) -> EventPayload:
    """The typed payload of a recorded event, parsed once and shared by every reader.

    With ``model``, the caller states the type it expects (it dispatched on ``event.type``):
    an event of another type is a ``TypeError``, which keeps the readers' typing honest.
    """
    payload: EventPayload | None = event.typed
    if payload is None:
        payload = EVENT_TYPES.parse(event.type, event.schema_version, event.data)
        object.__setattr__(event, "typed", payload)  # a cache on a frozen record: same value
    if model is not None and not isinstance(payload, model):
        raise TypeError(f"{event.type} event {event.event_id} is not a {model.__name__}")
    return payload
