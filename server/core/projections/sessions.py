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
        d, sid = event.data, event.thread_id
        if event.type == EventType.SESSION_STARTED:
            return {
                **view,
                sid: {
                    **{k: v for k, v in d.items() if k != "requestHash"},  # a command's detail
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
            session["activeRunId"] = d["runId"]
        elif event.type in (EventType.RUN_COMPLETED, EventType.RUN_FAILED, EventType.RUN_CANCELLED):
            session["activeRunId"] = None
        elif event.type == EventType.CHOICE_REQUESTED:
            session["pendingChoice"] = {
                k: d.get(k) for k in ("interruptId", "kind", "options", "message")
            }
            session["currentStep"] = (
                d["kind"] if d["kind"] in _STEP_OF_CHOICE else session["currentStep"]
            )
        elif event.type == EventType.SELECTION_MADE:
            session["selections"] = {
                **session["selections"],
                _SELECTION_KEYS[d["kind"]]: d["option"],
            }
            session["pendingChoice"] = None
        elif event.type == EventType.MEDIA_JOB_REQUESTED:
            session["currentStep"], session["pendingChoice"] = "media_generation", None
        elif event.type == EventType.ASSET_SAVED:
            session["currentStep"], session["status"] = "completed", "completed"
        return {**view, sid: session}
