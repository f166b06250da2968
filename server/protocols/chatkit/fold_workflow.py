"""Fold steps for ``ad_workflow`` events: progress, reasoning, proposals, choices, renders.

A ``ChoiceRequested`` becomes a choice card widget (or a ``structured_input`` item, per thread
option) detailed with the proposal that preceded it; ``SelectionMade`` marks it chosen and a new
``ChoiceRequested`` (the marketer asked for other options) supersedes it, both in place
(``thread.item.replaced``). A media job is a card that the render's outcome replaces.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

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
    EventType.PERSONAS_PROPOSED: ("persona_selection", "audiences"),
    EventType.ANGLES_PROPOSED: ("angle_selection", "angles"),
    EventType.CONCEPTS_PROPOSED: ("script_selection", "concepts"),
}


def _status(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    label = event.data.get("label")
    return view, [
        {"type": "progress_update", "text": str(label), "icon": "sparkle"}
    ] if label else []


def _reasoning(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    lines = [str(line) for line in event.data.get("reasoning") or []]
    if not lines:
        return view, []
    item_id = item_id_for(event, "wf")
    return add_item(view, items.reasoning(view.id, item_id, event.created_at, lines))


def _proposed(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    kind, key = _PROPOSALS[event.type]
    offline = bool((event.data.get("generation") or {}).get("offline"))
    proposals = {**view.proposals, kind: (tuple(event.data.get(key) or ()), offline)}
    return replace(view, proposals=proposals), []


def _impact(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    text = str(event.data.get("content") or "")
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
    d = event.data
    interrupt_id = str(d.get("interruptId"))
    if view.choice is not None and view.choice.interrupt_id == interrupt_id:
        return view, []
    view, changes = _close_choice(view, "superseded")
    kind = "si" if view.choices == "structured_input" else "wdg"
    choice = PendingChoice(
        interrupt_id=interrupt_id,
        item_id=stable_id(kind, view.id, interrupt_id, length=16),
        request=dict(d),
        created_at=event.created_at,
    )
    view = replace(view, choice=choice)
    view, added = add_item(view, choice_item(view, choice, "pending", None))
    return view, changes + added


def _selection_made(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    option = event.data.get("option") or {}
    return _close_choice(view, "chosen", str(option.get("id")))


def _media_requested(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    job = event.data.get("job") or {}
    item_id = stable_id("media", view.id, job.get("jobId"), length=16)
    card = items.widget(view.id, item_id, event.created_at, media_card(job))
    view, changes = add_item(replace(view, media=(str(job.get("jobId")), item_id, job)), card)
    return view, changes


def _media_progressed(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    d = event.data
    what = "video" if d.get("kind") == "video" else "static ad"
    text = f"Generating your {what}… {d.get('progress', 0)}%"
    return view, [{"type": "progress_update", "text": text, "icon": "play"}]


def _media_finished(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    d = event.data
    outcome = d.get("result") if event.type == EventType.MEDIA_JOB_COMPLETED else d.get("error")
    job_id = str((outcome or {}).get("jobId"))
    if view.media is None or view.media[0] != job_id:
        return view, []
    _, item_id, job = view.media
    old = view.item(item_id) or {}
    if event.type == EventType.MEDIA_JOB_COMPLETED:
        card = media_card(dict(job), result=outcome)
    else:
        card = media_card(dict(job), error=outcome)
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
