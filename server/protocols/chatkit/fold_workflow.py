"""Fold steps for ``ad_workflow`` events: progress, reasoning, proposals, choices, renders.

A ``ChoiceRequested`` becomes a choice card widget (or a ``structured_input`` item, per thread
option) detailed with the proposal that preceded it; ``SelectionMade`` marks it chosen and a new
``ChoiceRequested`` (the marketer asked for other options) supersedes it, both in place
(``thread.item.replaced``). A media job is a card that the render's outcome replaces.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from server.core.event_types import (
    ChoiceRequested,
    MediaJobCompleted,
    MediaJobFailed,
    MediaJobProgressed,
    MediaJobRequested,
    Proposal,
    ReasoningShared,
    SelectionMade,
    StatusReported,
    TextSaid,
    payload_of,
)
from server.core.eventlog import RecordedEvent
from server.core.events import EventType
from server.protocols.chatkit import items
from server.protocols.chatkit.view import (
    Change,
    PendingChoice,
    Step,
    ThreadView,
    add_item,
    item_id_for,
    replace_item,
)
from server.protocols.chatkit.widgets import ChoiceState, choice_card, media_card
from tools.ids import stable_id

__all__ = ["WORKFLOW_STEPS", "choice_item"]

_PROPOSALS = {
    EventType.PERSONAS_PROPOSED: "persona_selection",
    EventType.ANGLES_PROPOSED: "angle_selection",
    EventType.CONCEPTS_PROPOSED: "script_selection",
}


def _status(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    label = payload_of(event, StatusReported).label
    return view, [
        {"type": "progress_update", "text": str(label), "icon": "sparkle"}
    ] if label else []


def _reasoning(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    lines = payload_of(event, ReasoningShared).reasoning
    if not lines:
        return view, []
    item_id = item_id_for(event, "wf")
    return add_item(view, items.reasoning(view.id, item_id, event.created_at, lines))


def _proposed(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    proposal = payload_of(event, Proposal)
    offline = bool((proposal.generation or {}).get("offline"))
    proposals = {**view.proposals, _PROPOSALS[event.type]: (tuple(proposal.proposed), offline)}
    return replace(view, proposals=proposals), []


def _impact(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    text = payload_of(event, TextSaid).content  # a persona's impact, or a clarifying question
    item_id = item_id_for(event, "msg")
    return add_item(view, items.assistant_message(view.id, item_id, event.created_at, text))


def choice_item(
    view: ThreadView, choice: PendingChoice, state: ChoiceState, chosen: str | None
) -> dict[str, Any]:
    """The thread item of a workflow choice (a Card widget, or structured input) in ``state``."""
    request = dict(choice.request)
    if view.choices == "structured_input":
        label = next(
            (str(o.get("label")) for o in request.get("options", []) if o["id"] == chosen), None
        )
        return items.structured_choice(
            view.id,
            choice.item_id,
            choice.created_at,
            request,
            interrupt_id=choice.interrupt_id,
            answer=label or choice.answer,
            skipped=state != "pending" and not (label or choice.answer),
        )
    proposals, offline = view.proposals.get(str(request.get("kind")), ((), False))
    card = choice_card(
        request,
        [dict(p) for p in proposals],
        interrupt_id=choice.interrupt_id,
        state=state,
        chosen_id=chosen,
        offline=offline,
    )
    return items.widget(view.id, choice.item_id, choice.created_at, card)


def _close_choice(
    view: ThreadView, state: ChoiceState, chosen: str | None = None
) -> tuple[ThreadView, list[Change]]:
    choice = view.choice
    if choice is None:
        return view, []
    return replace_item(replace(view, choice=None), choice_item(view, choice, state, chosen))


def _choice_requested(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    interrupt_id = str(payload_of(event, ChoiceRequested).interrupt_id)
    if view.choice is not None and view.choice.interrupt_id == interrupt_id:
        return view, []
    view, changes = _close_choice(view, "superseded")
    kind = "si" if view.choices == "structured_input" else "wdg"
    choice = PendingChoice(
        interrupt_id=interrupt_id,
        item_id=stable_id(kind, view.id, interrupt_id, length=16),
        request=dict(event.data),  # the request as stored, for the cards
        created_at=event.created_at,
    )
    view = replace(view, choice=choice)
    view, added = add_item(view, choice_item(view, choice, "pending", None))
    return view, changes + added


def _selection_made(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    option = payload_of(event, SelectionMade).option
    return _close_choice(view, "chosen", str(option.get("id")))


def _media_requested(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    requested = payload_of(event, MediaJobRequested).job
    job = requested.model_dump(mode="json", by_alias=True)
    item_id = stable_id("media", view.id, requested.job_id, length=16)
    card = items.widget(view.id, item_id, event.created_at, media_card(job))
    view, changes = add_item(replace(view, media=(requested.job_id, item_id, job)), card)
    return view, changes


def _media_progressed(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    progressed = payload_of(event, MediaJobProgressed)
    what = "video" if progressed.kind == "video" else "static ad"
    text = f"Generating your {what}… {progressed.progress}%"
    return view, [{"type": "progress_update", "text": text, "icon": "play"}]


def _media_finished(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    finished: MediaJobCompleted | MediaJobFailed = (
        payload_of(event, MediaJobCompleted)
        if event.type == EventType.MEDIA_JOB_COMPLETED
        else payload_of(event, MediaJobFailed)
    )
    outcome = finished.result if isinstance(finished, MediaJobCompleted) else finished.error
    if view.media is None or view.media[0] != str(outcome.job_id):
        return view, []
    _, item_id, job = view.media
    old = view.item(item_id) or {}
    shown = outcome.model_dump(mode="json", by_alias=True)
    if isinstance(finished, MediaJobCompleted):
        card = media_card(dict(job), result=shown)
    else:
        card = media_card(dict(job), error=shown)
    created_at = str(old.get("created_at") or event.created_at)
    return replace_item(replace(view, media=None), items.widget(view.id, item_id, created_at, card))


WORKFLOW_STEPS: dict[str, Step] = {
    EventType.STATUS_REPORTED: _status,
    EventType.REASONING_SHARED: _reasoning,
    EventType.PERSONAS_PROPOSED: _proposed,
    EventType.ANGLES_PROPOSED: _proposed,
    EventType.CONCEPTS_PROPOSED: _proposed,
    EventType.PERSONA_IMPACT_EXPLAINED: _impact,
    EventType.CLARIFICATION_ASKED: _impact,
    EventType.CHOICE_REQUESTED: _choice_requested,
    EventType.SELECTION_MADE: _selection_made,
    EventType.MEDIA_JOB_REQUESTED: _media_requested,
    EventType.MEDIA_JOB_PROGRESSED: _media_progressed,
    EventType.MEDIA_JOB_COMPLETED: _media_finished,
    EventType.MEDIA_JOB_FAILED: _media_finished,
}
