"""The sessions read model folded from the event log: owner, product, step, selections.

Media jobs are durable rows in ``media_jobs`` (``server.jobs``) because a worker must claim them
atomically; the gallery is ``server.core.projections.gallery``. A protocol's own view of a thread
(the ChatKit items) is that protocol's projection, registered by the app; a transcript in a
protocol's shape is mapped from the log by its adapter when asked for.

Each is a pure fold ``apply(view, event) -> view`` over a dict keyed by session id;
``server.core.eventlog.rebuild`` replays one from position 0 and must equal the incremental view.
"""

from __future__ import annotations

from typing import Any

from server.core.event_types import (
    ChoiceRequested,
    RunStarted,
    SelectionMade,
    payload_of,
)
from server.core.eventlog import RecordedEvent
from server.core.events import EventType

__all__ = ["SessionsProjection"]

View = dict[str, dict[str, Any]]
_STEP_OF_CHOICE = {"persona_selection", "angle_selection", "script_selection"}
_SELECTION_KEYS = {
    "persona": "selectedPersona",
    "angle": "selectedAngle",
    "concept": "selectedPsychology",
}


class SessionsProjection:
    """One record per session: who owns it, what it is about, where it stands."""

    name = "sessions"

    def initial(self) -> View:
        """No sessions yet."""
        return {}

    def apply(self, view: View, event: RecordedEvent) -> View:
        """Fold one event into the session it belongs to."""
        sid = event.thread_id
        if event.type == EventType.SESSION_STARTED:
            return {
                **view,
                sid: {
                    # the stored payload as it is, less the command's request hash
                    **{k: v for k, v in event.data.items() if k != "requestHash"},
                    "status": "active",
                    "currentStep": "starting",
                    "selections": {},
                    "pendingChoice": None,
                    "activeRunId": None,
                    "updatedAt": event.created_at,
                    "lastSeq": event.seq,
                },
            }
        if sid not in view:
            return view
        if event.type == EventType.THREAD_DELETED:  # deleted over ChatKit: gone on every protocol
            return {k: v for k, v in view.items() if k != sid}
        session = {**view[sid], "updatedAt": event.created_at, "lastSeq": event.seq}
        if event.type == EventType.RUN_STARTED:
            session["activeRunId"] = payload_of(event, RunStarted).run_id
        elif event.type in (EventType.RUN_COMPLETED, EventType.RUN_FAILED, EventType.RUN_CANCELLED):
            session["activeRunId"] = None
        elif event.type == EventType.CHOICE_REQUESTED:
            choice = payload_of(event, ChoiceRequested)
            session["pendingChoice"] = {
                "interruptId": choice.interrupt_id,
                "kind": choice.kind,
                "options": [o.wire() for o in choice.options],
                "message": choice.message,
            }
            if choice.kind in _STEP_OF_CHOICE:
                session["currentStep"] = choice.kind
        elif event.type == EventType.SELECTION_MADE:
            selection = payload_of(event, SelectionMade)
            session["selections"] = {
                **session["selections"],
                _SELECTION_KEYS[selection.kind]: selection.option,
            }
            session["pendingChoice"] = None
        elif event.type == EventType.MEDIA_JOB_REQUESTED:
            session["currentStep"], session["pendingChoice"] = "media_generation", None
        elif event.type == EventType.ASSET_SAVED:
            session["currentStep"], session["status"] = "completed", "completed"
        return {**view, sid: session}
