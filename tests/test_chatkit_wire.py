"""ChatKit wire pieces in isolation: request parsing, the log → ChatKit fold, the assistant
translator; plus the helpers the ChatKit API tests share (stream reading and validation).

Every stream event and JSON answer the tests see is validated with ``chatkit.types`` adapters, so
a shape openai-chatkit 1.6.5 would reject fails here first.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import count
from typing import Any, get_args

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage

import server.protocols.chatkit  # noqa: F401  (first: imports openai-chatkit with its warnings silenced)

# isort: split
from chatkit.types import (
    NonStreamingReq,
    Page,
    StreamingReq,
    SyncCustomActionResponse,
    Thread,
    ThreadItem,
    ThreadStreamEvent,
)
from chatkit.widgets import Card
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from graph.assistant import coherent_history
from server.app import create_app
from server.core.assistant_translate import FLUSH_CHARS, AssistantTranslator
from server.core.eventlog import RecordedEvent
from server.core.events import EventType
from server.http.errors import ApiError
from server.protocols.chatkit import REQUEST_TYPES
from server.protocols.chatkit.fold import apply
from server.protocols.chatkit.parsing import parse
from server.protocols.chatkit.projection import ChatKitProjection
from server.protocols.chatkit.view import ThreadView
from server.protocols.chatkit.widgets import choice_card, image_request_card, media_card
from server.settings import Settings

WIDGET_DEPRECATION = "ignore:Direct usage of named widget classes:DeprecationWarning"
"""chatkit.types validates widgets through deprecated (warning) classes; tests allow that."""
pytestmark = pytest.mark.filterwarnings(WIDGET_DEPRECATION)

STREAM_EVENT: TypeAdapter[Any] = TypeAdapter(ThreadStreamEvent)
THREAD: TypeAdapter[Thread] = TypeAdapter(Thread)
ITEMS: TypeAdapter[Page[ThreadItem]] = TypeAdapter(Page[ThreadItem])
THREADS: TypeAdapter[Page[Thread]] = TypeAdapter(Page[Thread])
SYNC: TypeAdapter[SyncCustomActionResponse] = TypeAdapter(SyncCustomActionResponse)
ERROR_KEYS = {"type", "message", "code", "retryable"}


# --- helpers shared by the ChatKit API tests ---------------------------------------------------


def offline_client(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[TestClient]:
    """The app in-process on its own data dir with the offline model (module fixtures use it)."""
    data = tmp_path_factory.mktemp(name)
    settings = Settings(ADFORGE_DATA_DIR=str(data), ADFORGE_MODEL="offline:adforge-creative-1")
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def user_input(text: str) -> dict[str, Any]:
    """A ``UserMessageInput`` (its ``attachments`` and ``inference_options`` keys are required)."""
    return {
        "content": [{"type": "input_text", "text": text}],
        "attachments": [],
        "inference_options": {},
    }


def stream_events(body: str) -> list[dict[str, Any]]:
    """Every event of a ChatKit SSE body: exactly ``data: <json>`` blocks, each a valid event."""
    assert body.endswith("\n\n"), "every event ends with a blank line"
    events = []
    for block in body[:-2].split("\n\n"):
        assert block.startswith("data: ") and "\n" not in block, f"not ChatKit framing: {block!r}"
        STREAM_EVENT.validate_json(block[6:])
        events.append(json.loads(block[6:]))
    return events


def iter_stream_events(lines: Iterator[str]) -> Iterator[dict[str, Any]]:
    """Events of a live SSE response, validated as they arrive."""
    for line in lines:
        if not line:
            continue
        assert line.startswith("data: "), f"not ChatKit framing: {line!r}"
        STREAM_EVENT.validate_json(line[6:])
        yield json.loads(line[6:])


def summary(events: list[dict[str, Any]]) -> list[str]:
    """``type`` or ``type:item type`` / ``type:effect name`` of each event, deltas left out."""
    out = []
    for e in events:
        if e["type"] == "thread.item.updated":
            continue
        detail = (e.get("item") or {}).get("type") or e.get("name")
        out.append(f"{e['type']}:{detail}" if detail else e["type"])
    return out


def done_items(events: list[dict[str, Any]], item_type: str) -> list[dict[str, Any]]:
    """Items of one type the stream finished."""
    return [
        e["item"]
        for e in events
        if e["type"] == "thread.item.done" and e["item"]["type"] == item_type
    ]


def choice_buttons(widget: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``onClickAction`` of every button in a choice card."""
    found = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Button" and "onClickAction" in node:
                found.append(node["onClickAction"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(widget)
    return found


def assert_error(response: Any, status: int, code: str) -> None:
    """An Ad Forge-shaped JSON error with this status and code."""
    assert response.status_code == status, response.text
    body = response.json()
    assert ERROR_KEYS <= body.keys() and body["type"] == "error" and body["code"] == code, body


# --- request parsing ---------------------------------------------------------------------------


def test_every_request_type_of_the_installed_chatkit_is_known() -> None:
    union = {cls.model_fields["type"].default for cls in get_args(StreamingReq)}
    union |= {cls.model_fields["type"].default for cls in get_args(NonStreamingReq)}
    assert set(REQUEST_TYPES) == union and len(union) == 16
    assert {
        "threads.add_structured_input",
        "threads.sync_custom_action",
        "input.transcribe",
    } <= union


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{", 400, "invalid_json"),
        (b"", 422, "invalid_request"),
        (b"[]", 422, "invalid_request"),
        (b'{"params": {}}', 422, "invalid_request"),
        (b'{"type": "threads.explode", "params": {}}', 400, "unsupported_request"),
        (b'{"type": "threads.get_by_id", "params": {}}', 422, "invalid_request"),
        (
            b'{"type": "threads.create", "params": {"input": {"content": []}}}',
            422,
            "invalid_request",
        ),
    ],
)
def test_malformed_requests_are_4xx(body: bytes, status: int, code: str) -> None:
    with pytest.raises(ApiError) as caught:
        parse(body)
    assert (caught.value.status, caught.value.code) == (status, code)


# --- the fold ----------------------------------------------------------------------------------

_positions = count(1)


def _event(
    type_: str, data: dict[str, Any], seq: int, run_id: str | None = "run-1"
) -> RecordedEvent:
    n = next(_positions)
    return RecordedEvent(
        n, "thr_1", seq, f"evt-{n}", type_, 1, data, run_id, "2026-01-01T00:00:00.000Z"
    )


def _fold(events: list[RecordedEvent]) -> tuple[ThreadView, list[dict[str, Any]]]:
    view: ThreadView | None = None
    changes: list[dict[str, Any]] = []
    for e in events:
        view, made = apply(view, e)
        changes.extend(made)
    assert view is not None
    return view, changes


def _started(switch_theme: str = "effect") -> RecordedEvent:
    data = {
        "threadId": "thr_1",
        "userId": "local",
        "graph": "ad_assistant",
        "options": {"choices": "widget", "switchTheme": switch_theme},
        "title": None,
    }
    return _event(EventType.CHAT_THREAD_STARTED, data, 1, None)


def test_streamed_text_follows_chatkits_minimum_contract() -> None:
    stream = [
        _started(),
        _event(
            EventType.ASSISTANT_TEXT_STREAMED, {"messageId": "m1", "index": 0, "delta": "Hel"}, 2
        ),
        _event(
            EventType.ASSISTANT_TEXT_STREAMED, {"messageId": "m1", "index": 1, "delta": "lo"}, 3
        ),
        _event(
            EventType.ASSISTANT_MESSAGE_COMPLETED,
            {"messageId": "m1", "text": "Hello", "toolCalls": [], "offline": True},
            4,
        ),
    ]
    view, changes = _fold(stream)
    for change in changes:
        STREAM_EVENT.validate_python(change)
    kinds = [c["type"] + ":" + c.get("update", {}).get("type", "") for c in changes]
    assert kinds == [
        "thread.item.added:",
        "thread.item.updated:assistant_message.content_part.added",
        "thread.item.updated:assistant_message.content_part.text_delta",
        "thread.item.updated:assistant_message.content_part.text_delta",
        "thread.item.updated:assistant_message.content_part.done",
        "thread.item.done:",
    ]
    [item] = view.items
    assert item["content"][0]["text"] == "Hello"
    assert item["content"][0]["annotations"][0]["source"]["label"] == "offline"


def test_a_cancelled_run_keeps_the_text_it_streamed() -> None:
    stream = [
        _started(),
        _event(
            EventType.ASSISTANT_TEXT_STREAMED, {"messageId": "m1", "index": 0, "delta": "Half a"}, 2
        ),
        _event(EventType.RUN_CANCELLED, {"runId": "run-1"}, 3),
        _event(EventType.RESPONSE_COMPLETED, {"messageId": "r"}, 4),
    ]
    view, changes = _fold(stream)
    assert [i["content"][0]["text"] for i in view.items] == ["Half a"]
    assert changes[-1]["type"] == "thread.item.done" and not view.streaming


def test_switch_theme_is_an_effect_or_the_turns_last_client_tool_call() -> None:
    theme = {"theme": "dark", "toolCallId": "call_1"}
    reply = {"messageId": "m2", "text": "Switched.", "toolCalls": [], "offline": False}
    _, changes = _fold([_started(), _event(EventType.THEME_SWITCHED, theme, 2)])
    assert changes == [{"type": "client_effect", "name": "switch_theme", "data": {"theme": "dark"}}]

    view, changes = _fold(
        [
            _started("client_tool"),
            _event(EventType.THEME_SWITCHED, theme, 2),
            _event(EventType.ASSISTANT_MESSAGE_COMPLETED, reply, 3),
            _event(EventType.RESPONSE_COMPLETED, {"messageId": "r"}, 4),
        ]
    )
    last = view.items[-1]
    assert last["type"] == "client_tool_call" and last["status"] == "pending"
    assert (last["name"], last["arguments"], last["call_id"]) == (
        "switch_theme",
        {"theme": "dark"},
        "call_1",
    )
    assert changes[-1] == {"type": "thread.item.done", "item": dict(last)}


def _strict(widget: dict[str, Any]) -> None:
    """The dict is exactly what the strict (deprecated) widget classes accept and emit."""
    assert Card.model_validate(widget).model_dump(mode="json") == widget


def test_widgets_conform_to_chatkits_strict_widget_classes() -> None:
    persona = {
        "id": "aud-1",
        "name": "Glow Seekers",
        "category": "Primary",
        "description": "d",
        "age": "25-40",
        "gender": "Female",
        "location": "Paris",
    }
    request = {
        "kind": "persona_selection",
        "message": "Choose",
        "options": [{"id": "aud-1", "label": "Glow Seekers"}],
    }
    for state in ("pending", "chosen", "superseded"):
        _strict(choice_card(request, [persona], interrupt_id="i1", state=state, chosen_id="aud-1"))  # type: ignore[arg-type]
    concept = {"id": "psych-1", "title": "Proof", "description": "d", "fullScript": "Hook. Body."}
    script_request = {
        "kind": "script_selection",
        "message": "Choose",
        "action": "generate_image",
        "options": [{"id": "psych-1", "label": "Proof"}],
    }
    _strict(choice_card(script_request, [concept], interrupt_id="i2", offline=True))
    job = {"jobId": "job-1", "kind": "video", "title": "Proof", "estimatedSeconds": 20}
    video = {
        "kind": "video",
        "url": "/media/t/v.mp4",
        "thumbnailUrl": "/media/t/v.jpg",
        "duration": 21.5,
    }
    _strict(media_card(job))
    _strict(media_card(job, result={**video, "resolution": "1080x1920", "format": "mp4"}))
    _strict(media_card(job, error={"message": "boom"}))
    _strict(image_request_card("A cup of cold brew", "1080x1080"))
    [button] = choice_buttons(choice_card(request, [persona], interrupt_id="i1"))
    assert (button["type"], button["payload"]) == (
        "adforge.choose",
        {"interruptId": "i1", "optionId": "aud-1"},
    )


def test_a_choice_card_is_chosen_or_superseded_in_place() -> None:
    request = {
        "kind": "angle_selection",
        "step": "angle_selection",
        "message": "m",
        "options": [{"id": "ang-1", "label": "A"}],
        "allowFreeText": True,
        "product": "P",
    }
    session = {
        "sessionId": "thr_1",
        "userId": "u",
        "productId": "1",
        "product": {"id": "1", "name": "P"},
        "format": "Hybrid Format",
        "mediaType": "video",
        "graph": "ad_workflow",
    }
    angles = {
        "messageId": "msg-1",
        "angles": [{"id": "ang-1", "title": "A"}],
        "generation": {"offline": True},
    }
    chosen = {
        "kind": "angle",
        "label": "Angle",
        "value": "A",
        "option": {"id": "ang-1"},
        "mediaRequest": None,
    }
    events = [
        _event(EventType.SESSION_STARTED, session, 1),
        _event(EventType.ANGLES_PROPOSED, angles, 2),
        _event(EventType.CHOICE_REQUESTED, {**request, "interruptId": "i1"}, 3),
        _event(EventType.CHOICE_REQUESTED, {**request, "interruptId": "i2"}, 4),
        _event(EventType.SELECTION_MADE, chosen, 5),
    ]
    view, changes = _fold(events)
    assert view.title == "P" and view.choice is None
    assert summary(changes) == [
        "thread.item.done:widget",
        "thread.item.replaced:widget",
        "thread.item.done:widget",
        "thread.item.replaced:widget",
    ]
    first, second = (i["widget"]["status"]["text"] for i in view.items)
    assert first.startswith("Replaced by new options") and second.startswith("Chosen")
    assert second.endswith("offline engine")


def test_the_projection_ignores_unknown_threads_and_replays_identically() -> None:
    projection = ChatKitProjection()
    said = {"selection": None, "step": None}
    stray = _event(EventType.USER_MESSAGE_SENT, {"messageId": "m", "text": "hi", **said}, 1)
    assert projection.apply(projection.initial(), stray).threads == {}
    events = [
        _started(),
        _event(EventType.USER_MESSAGE_SENT, {"messageId": "u1", "text": "Hi", **said}, 2),
        _event(EventType.THREAD_ITEM_REMOVED, {"itemId": "u1", "userId": "local"}, 3),
    ]
    once = projection.initial()
    for e in events:
        once = projection.apply(once, e)
    twice = once
    for e in events:  # redelivered events are no-ops
        twice = projection.apply(twice, e)
    assert once.threads["thr_1"].items == () and twice == once


# --- the assistant translator ------------------------------------------------------------------


def test_tokens_are_coalesced_and_replies_assets_images_and_theme_are_events() -> None:
    now = [0.0]
    translator = AssistantTranslator("thr_1", "run-1", clock=lambda: now[0])
    meta = {"langgraph_checkpoint_ns": "respond:task-1"}
    first = translator.on_token(AIMessageChunk(content="Hi "), meta)
    assert [e.data["delta"] for e in first] == ["Hi "]  # the first token at once
    assert translator.on_token(AIMessageChunk(content="there"), meta) == []
    now[0] = 1.0
    assert [e.data["delta"] for e in translator.on_token(AIMessageChunk(content="!"), meta)] == [
        "there!"
    ]
    assert translator.on_token(AIMessageChunk(content="x" * FLUSH_CHARS), meta)  # size flush
    assert translator.on_token(AIMessageChunk(content="tail"), meta) == []
    reply = AIMessage("Hi there!", response_metadata={"offline": True})
    done = translator.from_update("task-1", {"messages": [reply]})
    assert [e.type for e in done] == [
        EventType.ASSISTANT_TEXT_STREAMED,  # the buffered tail first
        EventType.ASSISTANT_MESSAGE_COMPLETED,
    ]
    assert done[-1].data["offline"] is True

    asset = {"id": "asset-1", "headline": "H"}
    request = {"id": "img-1", "prompt": "p", "size": "1080x1080", "assetId": "asset-1"}
    tools = translator.from_update(
        "task-2",
        {
            "messages": {
                "$writes": [
                    [ToolMessage("{}", tool_call_id="c1", name="save_ad_asset")],
                    [ToolMessage("{}", tool_call_id="c2", name="switch_theme")],
                ]
            },
            "assets": {"asset-1": asset},
            "image_requests": {"$writes": [[request], [{**request, "id": "img-2"}]]},
            "theme": "dark",
        },
    )
    by_type = {e.type: e.data for e in tools}
    assert by_type[EventType.ASSET_SAVED] == {"asset": asset}
    assert [e.data["requestId"] for e in tools if e.type == EventType.IMAGE_REQUESTED] == [
        "img-1",
        "img-2",
    ]
    assert by_type[EventType.THEME_SWITCHED] == {"theme": "dark", "toolCallId": "c2"}
    again = translator.from_update("task-2", {"assets": {"asset-1": asset}})
    assert again[0].event_id == tools[0].event_id  # a re-executed task repeats its ids


def test_the_model_never_sees_a_tool_call_without_its_result_or_the_reverse() -> None:
    answered = AIMessage("", tool_calls=[{"id": "c1", "name": "save_ad_asset", "args": {}}])
    cut = AIMessage("Here it is.", tool_calls=[{"id": "c2", "name": "save_ad_asset", "args": {}}])
    history = [
        ToolMessage("{}", tool_call_id="c0"),  # its call fell out of the window
        HumanMessage("Yes"),
        answered,
        ToolMessage("{}", tool_call_id="c1"),
        cut,  # a stop landed before the tools ran
        HumanMessage("Go on"),
    ]
    kept = coherent_history(history)  # type: ignore[arg-type]
    assert [type(m).__name__ for m in kept] == [
        "HumanMessage",
        "AIMessage",
        "ToolMessage",
        "AIMessage",
        "HumanMessage",
    ]
    assert kept[1].tool_calls and not kept[3].tool_calls and kept[3].text == "Here it is."
