"""The ChatKit threads projection: every thread's ``ThreadView``, folded from the whole log.

Ad Forge sessions (``SessionStarted``) and ChatKit threads (``ChatThreadStarted``) are folded
alike, so a session started on the Ad Forge API is a ChatKit thread with the same id. Like the
other projections it is a pure fold rebuilt from position 0 at start-up (design invariant 5).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from server.core.eventlog import RecordedEvent
from server.protocols.chatkit.fold import apply
from server.protocols.chatkit.view import ThreadView

__all__ = ["PROJECTION_NAME", "ChatKitProjection", "ChatKitView"]

PROJECTION_NAME = "chatkit"


@dataclass(frozen=True, slots=True)
class ChatKitView:
    """Thread views by id (deleted threads stay, flagged, so a rebuild gives the same view)."""

    threads: dict[str, ThreadView] = field(default_factory=dict)

    def owned(self, thread_id: str, user_id: str) -> ThreadView | None:
        """The thread if it exists, is not deleted and belongs to ``user_id`` (else a 404)."""
        view = self.threads.get(thread_id)
        if view is None or view.deleted or view.user_id != user_id:
            return None
        return view

    def of_user(self, user_id: str) -> list[ThreadView]:
        """The user's live threads, oldest first."""
        mine = [t for t in self.threads.values() if t.user_id == user_id and not t.deleted]
        return sorted(mine, key=lambda t: (t.created_at, t.id))


class ChatKitProjection:
    """Keeps ``ChatKitView`` current; ``name`` is its key in the projection runner."""

    name = PROJECTION_NAME

    def initial(self) -> ChatKitView:
        """No threads yet."""
        return ChatKitView()

    def apply(self, view: ChatKitView, event: RecordedEvent) -> ChatKitView:
        """Fold one event into its thread's view."""
        current = view.threads.get(event.thread_id)
        updated, _ = apply(current, event)
        if updated is None or updated is current:
            return view
        threads: dict[str, Any] = {**view.threads, event.thread_id: updated}
        return ChatKitView(threads)
