"""Payloads of a conversation's turns: the session, messages, progress, proposals and choices.

Built by ``server.core.translate`` (from ``ad_workflow`` state updates and interrupts), by
``server.core.runs`` (the response's start and end) and by the protocols recording the user's
message. Proposed personas, angles and concepts are the graph's own dicts and stay untyped here.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from server.core.event_types.base import EventPayload, OwnedPayload, Shape

__all__ = [
    "AnglesProposed",
    "ChoiceOption",
    "ChoiceRequested",
    "ClarificationAsked",
    "ConceptsProposed",
    "PersonaImpactExplained",
    "PersonasProposed",
    "Proposal",
    "ReasoningShared",
    "ResponseCompleted",
    "ResponseStarted",
    "Selection",
    "SelectionMade",
    "SessionStarted",
    "StatusReported",
    "TextSaid",
    "ThemeSwitched",
    "UserMessageSent",
]


class SessionStarted(OwnedPayload):
    """An Ad Forge session (or a guided ChatKit thread) for a product, format and media type."""

    type_name = "SessionStarted"
    session_id: str
    product_id: str | None
    """None for a ChatKit guided thread whose product was described in the message."""
    product: dict[str, Any]
    format: str
    media_type: Literal["video", "image"]
    graph: str
    request_hash: str | None = None
    """The digest of the creating request (an ``Idempotency-Key`` retry must match it)."""
    source: str | None = None
    """The protocol that started it when not the Ad Forge API (``agui``)."""


class Selection(Shape):
    """The guide's ``selection`` of a user message that picked an option."""

    is_selection: bool
    label: str
    value: str


class UserMessageSent(EventPayload):
    """What the user said (over any protocol); ``selection`` when it picked an option."""

    type_name = "UserMessageSent"
    message_id: str
    text: str
    selection: Selection | None
    step: str | None
    source: Literal["chatkit", "agui"] | None = None
    content: list[dict[str, Any]] | None = None
    """ChatKit's input parts as the client sent them."""
    quoted_text: str | None = None
    answers_item: str | None = None
    """The ChatKit structured-input item this message answers."""
    run_id: str | None = None
    """The run the message started or was queued for."""
    request_hash: str | None = None
    """The digest of the request (an ``Idempotency-Key`` retry must match it)."""
    job_id: str | None = None
    """The render a script choice asked for (``POST .../video``)."""
    estimated_seconds: int | None = None


class ResponseStarted(EventPayload):
    """An AI turn opens (the guide's ``ai_response_start``)."""

    type_name = "ResponseStarted"
    message_id: str


class ResponseCompleted(EventPayload):
    """An AI turn closes (the guide's ``ai_response_complete``)."""

    type_name = "ResponseCompleted"
    message_id: str


class StatusReported(EventPayload):
    """A node's progress report (``graph.progress.report_status``)."""

    type_name = "StatusReported"
    message_id: str
    label: str
    status: Literal["loading", "completed", "failed"]
    step: str | None = None
    estimated_time: str | None = None
    progress: int | None = None


class ReasoningShared(EventPayload):
    """Why the model proposed what it did, one line per point."""

    type_name = "ReasoningShared"
    message_id: str
    reasoning: list[str]


class Proposal(EventPayload):
    """Options proposed for the next choice: personas, angles or concepts."""

    message_id: str
    generation: dict[str, Any] | None
    """How the options were made (model, offline, attempts), from the graph's ``generation``."""

    options_field: ClassVar[str]
    """The field holding the options: each kind names its list as the guide does."""

    @property
    def proposed(self) -> list[dict[str, Any]]:
        """The options, whatever the kind."""
        options: list[dict[str, Any]] = getattr(self, self.options_field)
        return options


class PersonasProposed(Proposal):
    """Audience personas to choose from (the guide's ``audience_group``)."""

    type_name = "PersonasProposed"
    options_field = "audiences"
    audiences: list[dict[str, Any]]


class AnglesProposed(Proposal):
    """Marketing angles to choose from (``marketing_angle``)."""

    type_name = "AnglesProposed"
    options_field = "angles"
    angles: list[dict[str, Any]]


class ConceptsProposed(Proposal):
    """Scripts to choose from (``psychology_selection``)."""

    type_name = "ConceptsProposed"
    options_field = "concepts"
    concepts: list[dict[str, Any]]


class TextSaid(EventPayload):
    """A text the workflow says inside a turn (the guide's ``text`` message)."""

    message_id: str
    content: str


class PersonaImpactExplained(TextSaid):
    """How the chosen persona shapes what follows."""

    type_name = "PersonaImpactExplained"


class SelectionMade(EventPayload):
    """The graph recorded the option the user picked."""

    type_name = "SelectionMade"
    kind: Literal["persona", "angle", "concept"]
    label: str
    value: str | None
    option: dict[str, Any]
    media_request: dict[str, Any] | None
    """The render the script choice asked for (action, resolution, avatar), else None."""


class ChoiceOption(Shape):
    """One option of a pending choice."""

    id: str
    label: str


class ChoiceRequested(EventPayload):
    """The workflow waits on a choice (a LangGraph interrupt of ``graph.nodes.choices``)."""

    type_name = "ChoiceRequested"
    interrupt_id: str | None
    kind: str
    step: str
    message: str
    options: list[ChoiceOption]
    allow_free_text: bool
    product: str
    action: Literal["generate_video", "generate_image"] | None = None
    resolutions: list[str] | None = None
    media_error: dict[str, Any] | None = None
    """The previous render's failure, when the script choice is offered again after it."""


class ClarificationAsked(TextSaid):
    """A reply that picked no option and gave no usable hint: a question; the choice stays open."""

    type_name = "ClarificationAsked"


class ThemeSwitched(EventPayload):
    """The chat asked for the light or dark theme (a message or the assistant's tool)."""

    type_name = "ThemeSwitched"
    theme: Literal["light", "dark"]
    message_id: str | None = None
    tool_call_id: str | None = None
