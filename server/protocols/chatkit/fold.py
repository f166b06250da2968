"""The ChatKit view of one thread, folded from the event log: items plus what changed.

``apply(view, event) -> (view, changes)`` is the single mapping from log events to ChatKit. The
projection keeps the views (and drops the changes); a live stream starts from the projection's
view of its thread and applies the events it follows, sending the changes. Both run the same
code, so what a stream shows and what ``threads.get_by_id`` returns after it cannot disagree.

Changes are ``ThreadStreamEvent`` payloads as dicts (``thread.item.done``, ``...replaced``,
``client_effect``, ``progress_update``...); ``server.protocols.chatkit.stream`` turns them into models. Views
are never mutated: every step returns a new ``ThreadView`` (a pure fold, design invariant 5).

Mapping notes:

* Assistant text: ``AssistantTextStreamed`` opens the item (``thread.item.added`` + content part)
  and appends deltas; ``AssistantMessageCompleted`` finishes it. A cancelled or failed run
  finishes a reply that was still streaming with the text it had (a stop keeps what was shown).
* Workflow events (choices, renders): ``server.protocols.chatkit.fold_workflow``.
* ``switch_theme``: a ``client_effect`` by default; with the thread option ``client_tool`` a
  pending ``client_tool_call`` sent when the run's response ends, because ChatKit reads only the
  newest item when the browser posts the tool's output.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from server.core.event_types import (
    AssetSaved,
    AssistantMessageCompleted,
    AssistantTextStreamed,
    ChatThreadStarted,
    ClientToolCallCompleted,
    ImageFailed,
    ImageGenerated,
    ImageRequested,
    RunFailed,
    SessionStarted,
    ThemeSwitched,
    ThreadItemRemoved,
    ThreadRenamed,
    UserMessageSent,
    payload_of,
)
from server.core.eventlog import RecordedEvent
from server.core.events import EventType
from server.protocols.chatkit import items
from server.protocols.chatkit.fold_workflow import WORKFLOW_STEPS
from server.protocols.chatkit.view import (
    Change,
    PendingChoice,
    Step,
    ThreadView,
    add_item,
    item_id_for,
    replace_item,
)
from server.protocols.chatkit.widgets import image_request_card
from tools.ids import stable_id

__all__ = ["PendingChoice", "ThreadView", "apply"]

_TOOL_PROGRESS = {
    "save_ad_asset": ("Saving the ad to your gallery", "write"),
    "generate_ad_image": ("Queuing your image", "images"),
    "switch_theme": ("Switching the theme", "settings-slider"),
}


def _started(view: ThreadView | None, event: RecordedEvent) -> ThreadView:
    started: SessionStarted | ChatThreadStarted = (
        payload_of(event, SessionStarted)
        if event.type == EventType.SESSION_STARTED
        else payload_of(event, ChatThreadStarted)
    )
    base = view or ThreadView(
        id=event.thread_id,
        user_id=started.user_id or "local",
        graph=started.graph or "ad_workflow",
        created_at=event.created_at,
    )
    if isinstance(started, SessionStarted):
        return replace(base, title=started.product.get("name"), last_seq=event.seq)
    options = started.options
    return replace(
        base,
        graph=started.graph or base.graph,
        title=started.title or base.title,
        choices=options.get("choices") or "widget",
        switch_theme=options.get("switchTheme") or "effect",
        last_seq=event.seq,
    )


# --- conversation ------------------------------------------------------------------------------


def _user_message(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    message = payload_of(event, UserMessageSent)
    choice = view.choice
    if choice is not None and message.answers_item == choice.item_id:
        return replace(view, choice=replace(choice, answer=message.text)), []
    item = items.user_message(
        view.id,
        message.message_id,
        event.created_at,
        message.text,
        content=message.content,
        quoted_text=message.quoted_text,
    )
    return add_item(view, item)


def _text_streamed(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    streamed = payload_of(event, AssistantTextStreamed)
    message_id, delta = streamed.message_id, streamed.delta
    changes: list[Change] = []
    created_at, text, offline = view.streaming.get(message_id, (event.created_at, "", False))
    if message_id not in view.streaming:
        if view.item(message_id) is not None:
            return view, []  # already finished (a late duplicate)
        empty = items.assistant_message(view.id, message_id, created_at, "")
        empty["content"] = []
        changes.append({"type": "thread.item.added", "item": empty})
        part = {"type": "output_text", "text": "", "annotations": []}
        changes.append(_update(message_id, "content_part.added", content=part))
    changes.append(_update(message_id, "content_part.text_delta", delta=delta))
    streaming = {**view.streaming, message_id: (created_at, text + delta, offline)}
    return replace(view, streaming=streaming), changes


def _update(item_id: str, kind: str, **fields: Any) -> Change:
    update = {"type": f"assistant_message.{kind}", "content_index": 0, **fields}
    return {"type": "thread.item.updated", "item_id": item_id, "update": update}


def _finish_reply(
    view: ThreadView, message_id: str, text: str, created_at: str, offline: bool
) -> tuple[ThreadView, list[Change]]:
    streamed = message_id in view.streaming
    if streamed:
        view = replace(view, streaming={k: v for k, v in view.streaming.items() if k != message_id})
    if not text:
        return view, []
    item = items.assistant_message(view.id, message_id, created_at, text, offline=offline)
    view, changes = add_item(view, item)
    if streamed and changes:
        changes.insert(0, _update(message_id, "content_part.done", content=item["content"][0]))
    return view, changes


def _message_completed(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    reply = payload_of(event, AssistantMessageCompleted)
    message_id = reply.message_id
    created_at = view.streaming.get(message_id, (event.created_at, "", False))[0]
    view, changes = _finish_reply(view, message_id, reply.text, created_at, reply.offline)
    for call in reply.tool_calls:
        text, icon = _TOOL_PROGRESS.get(call.name, ("Working", "bolt"))
        changes.append({"type": "progress_update", "text": text, "icon": icon})
    return view, changes


def _finish_streaming(view: ThreadView) -> tuple[ThreadView, list[Change]]:
    changes: list[Change] = []
    for message_id, (created_at, text, offline) in list(view.streaming.items()):
        view, done = _finish_reply(view, message_id, text, created_at, offline)
        changes.extend(done)
    return view, changes


def _run_ended(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    view, changes = _finish_streaming(view)
    if event.type == EventType.RUN_FAILED:
        error = payload_of(event, RunFailed).error
        changes.append(
            {
                "type": "error",
                "code": "custom",
                "message": error.message or "The response failed.",
                "allow_retry": error.retryable,
            }
        )
    return view, changes


def _response_completed(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    view, changes = _finish_streaming(view)
    if view.deferred is not None:
        call = {**view.deferred, "created_at": event.created_at}
        view, done = add_item(replace(view, deferred=None), call)
        changes.extend(done)
    return view, changes


# --- assistant tools and thread bookkeeping ----------------------------------------------------


def _asset_saved(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    asset = payload_of(event, AssetSaved).asset
    if view.graph == "ad_workflow":
        view = replace(view, completed=True)
    effect = {"type": "client_effect", "name": "record_ad_asset", "data": {"asset": asset}}
    return view, [effect]


def _image_requested(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    image = payload_of(event, ImageRequested)
    item_id = stable_id("img", view.id, image.request_id, length=16)
    card = image_request_card(image.prompt, image.size)
    return add_item(view, items.widget(view.id, item_id, event.created_at, card))


def _image_finished(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    """The job worker rendered (or failed) a queued image: the queued card shows the outcome."""
    image: ImageGenerated | ImageFailed = (
        payload_of(event, ImageGenerated)
        if event.type == EventType.IMAGE_GENERATED
        else payload_of(event, ImageFailed)
    )
    item_id = stable_id("img", view.id, image.request_id, length=16)
    current = view.item(item_id)
    if current is None:
        return view, []
    card = image_request_card(
        image.prompt,
        image.size,
        result=event.data if isinstance(image, ImageGenerated) else None,  # as stored
        error=image.error.wire() if isinstance(image, ImageFailed) else None,
    )
    return replace_item(view, {**current, "widget": card})


def _theme_switched(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    switched = payload_of(event, ThemeSwitched)
    theme = switched.theme
    if view.switch_theme != "client_tool":
        return view, [{"type": "client_effect", "name": "switch_theme", "data": {"theme": theme}}]
    call = items.client_tool_call(
        view.id,
        item_id_for(event, "tc"),
        event.created_at,
        call_id=switched.tool_call_id or item_id_for(event, "call"),
        name="switch_theme",
        arguments={"theme": theme},
    )
    return replace(view, deferred=call), []


def _tool_output(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    done = payload_of(event, ClientToolCallCompleted)
    current = view.item(done.item_id)
    if current is None or current.get("type") != "client_tool_call":
        return view, []
    return replace_item(view, {**current, "status": "completed", "output": done.output})


def _item_removed(view: ThreadView, event: RecordedEvent) -> tuple[ThreadView, list[Change]]:
    item_id = payload_of(event, ThreadItemRemoved).item_id
    if view.item(item_id) is None:
        return view, []
    kept = tuple(i for i in view.items if i["id"] != item_id)
    choice = view.choice if view.choice is None or view.choice.item_id != item_id else None
    return replace(view, items=kept, choice=choice), [
        {"type": "thread.item.removed", "item_id": item_id}
    ]


_HANDLERS: dict[str, Step] = {
    **WORKFLOW_STEPS,
    EventType.THREAD_RENAMED: lambda v, e: (
        replace(v, title=payload_of(e, ThreadRenamed).title),
        [],
    ),
    EventType.THREAD_DELETED: lambda v, e: (replace(v, deleted=True), []),
    EventType.USER_MESSAGE_SENT: _user_message,
    EventType.ASSISTANT_TEXT_STREAMED: _text_streamed,
    EventType.ASSISTANT_MESSAGE_COMPLETED: _message_completed,
    EventType.RUN_FAILED: _run_ended,
    EventType.RUN_CANCELLED: _run_ended,
    EventType.RESPONSE_COMPLETED: _response_completed,
    EventType.ASSET_SAVED: _asset_saved,
    EventType.IMAGE_REQUESTED: _image_requested,
    EventType.IMAGE_GENERATED: _image_finished,
    EventType.IMAGE_FAILED: _image_finished,
    EventType.THEME_SWITCHED: _theme_switched,
    EventType.CLIENT_TOOL_CALL_COMPLETED: _tool_output,
    EventType.THREAD_ITEM_REMOVED: _item_removed,
}
_STARTS = (EventType.SESSION_STARTED, EventType.CHAT_THREAD_STARTED)


def apply(view: ThreadView | None, event: RecordedEvent) -> tuple[ThreadView | None, list[Change]]:
    """The thread's view after ``event`` and the ChatKit stream changes it makes.

    Events of threads that never started (no ``SessionStarted``/``ChatThreadStarted``) are
    ignored, as are types this view does not show.
    """
    if event.type in _STARTS:
        return _started(view, event), []
    handler = _HANDLERS.get(event.type)
    if view is None or handler is None or event.seq <= view.last_seq:
        return view, []  # unchanged, so the projection copies nothing for events it ignores
    return handler(replace(view, last_seq=event.seq), event)
