"""The ChatKit view of one thread, and the small steps every fold handler shares.

A ``ThreadView`` holds the thread's metadata, its items as ChatKit wire dicts, and the in-flight
state the fold needs (replies still streaming, the pending choice, the render waited for). Views
are frozen and never mutated: each step returns a new one (``server.protocols.chatkit.fold``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from server.core.eventlog import RecordedEvent
from tools.ids import stable_id

__all__ = [
    "Change",
    "PendingChoice",
    "Step",
    "ThreadView",
    "add_item",
    "item_id_for",
    "replace_item",
]

Change = dict[str, Any]
"""A ChatKit ``ThreadStreamEvent`` payload (``server.protocols.chatkit.stream`` makes the model)."""


def item_id_for(event: RecordedEvent, kind: str) -> str:
    """A deterministic item id for the item an event adds."""
    return stable_id(kind, event.thread_id, event.event_id, length=16)


@dataclass(frozen=True, slots=True)
class PendingChoice:
    """The workflow choice the thread waits on, and the item that shows it."""

    interrupt_id: str
    item_id: str
    request: Mapping[str, Any]
    created_at: str
    answer: str | None = None
    """What a ``structured_input`` answer submitted (shown once the choice is closed)."""


@dataclass(frozen=True, slots=True)
class ThreadView:
    """One ChatKit thread: metadata, items in order, and what in-flight state the fold needs."""

    id: str
    user_id: str
    graph: str
    created_at: str
    title: str | None = None
    choices: str = "widget"
    """How workflow choices render: ``widget`` or ``structured_input``."""
    switch_theme: str = "effect"
    """How ``switch_theme`` reaches the browser: ``effect`` or ``client_tool``."""
    deleted: bool = False
    completed: bool = False
    items: tuple[Mapping[str, Any], ...] = ()
    streaming: Mapping[str, tuple[str, str, bool]] = field(default_factory=dict)
    """Replies still streaming: message id → (created_at, text so far, offline)."""
    choice: PendingChoice | None = None
    proposals: Mapping[str, tuple[tuple[Mapping[str, Any], ...], bool]] = field(
        default_factory=dict
    )
    """Latest proposals per choice kind, and whether the offline engine wrote them."""
    deferred: Mapping[str, Any] | None = None
    """A client tool call to add when the run's response ends."""
    media: tuple[str, str, Mapping[str, Any]] | None = None
    """The render the thread waits for: (job id, card item id, job request)."""
    last_seq: int = 0

    def item(self, item_id: str) -> Mapping[str, Any] | None:
        """The item with this id, if the thread shows it."""
        return next((i for i in self.items if i["id"] == item_id), None)


def _done(item: Mapping[str, Any]) -> Change:
    return {"type": "thread.item.done", "item": dict(item)}


def add_item(view: ThreadView, item: Mapping[str, Any]) -> tuple[ThreadView, list[Change]]:
    """Append an item (``thread.item.done``); an id already shown is a no-op."""
    if view.item(str(item["id"])) is not None:
        return view, []
    return replace(view, items=(*view.items, item)), [_done(item)]


def replace_item(view: ThreadView, item: Mapping[str, Any]) -> tuple[ThreadView, list[Change]]:
    """Replace an item in place (``thread.item.replaced``); an unknown id is a no-op."""
    if view.item(str(item["id"])) is None:
        return view, []
    updated = tuple(item if i["id"] == item["id"] else i for i in view.items)
    return replace(view, items=updated), [{"type": "thread.item.replaced", "item": dict(item)}]


Step = Callable[[ThreadView, RecordedEvent], tuple[ThreadView, list[Change]]]
"""A fold handler: the view after one event, and the changes a live stream sends."""
