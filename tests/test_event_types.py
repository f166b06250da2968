"""Typed events: every event type has a payload model, and what real sessions record fits it.

Given full offline conversations over the app (an Ad Forge video session and an image session
through the guide's flow, a ChatKit assistant thread and a guided thread), every recorded event
validates against its type's model at the version it was written with, and the model gives back
the stored JSON unchanged. A malformed payload is refused when the event is built, so nothing is
written; an old payload version is upcast on read, then validated.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from server.app import create_app
from server.core.event_types import (
    EVENT_TYPES,
    EventPayload,
    EventTypeRegistry,
    ImageFailed,
    RunStarted,
    UnknownEventTypeError,
    UserMessageSent,
    payload_of,
)
from server.core.eventlog import (
    EventStore,
    NewEvent,
    RecordedEvent,
    UpcasterError,
    UpcasterRegistry,
)
from server.core.events import EventType, event
from server.jobs.payloads import job_error
from server.settings import Settings
from tests.http_flows import to_scripts
from tests.test_chatkit_wire import WIDGET_DEPRECATION, stream_events, user_input
from tests.test_projections_rebuild import _image_session
from tools.image_providers import ImageProviderError

pytestmark = pytest.mark.filterwarnings(WIDGET_DEPRECATION)

_TYPES = {value for name, value in vars(EventType).items() if name.isupper()}


# --- the registry ----------------------------------------------------------------------------


def test_every_event_type_has_exactly_one_model_at_its_version() -> None:
    # Protocols may register their own types (the Agent Protocol's thread records) beside these.
    assert _TYPES <= EVENT_TYPES.types
    for type_ in _TYPES:
        model = EVENT_TYPES.model_for(type_)
        assert model.type_name == type_
        assert EVENT_TYPES.latest_version(type_) == model.schema_version >= 1
    with pytest.raises(UnknownEventTypeError):
        EVENT_TYPES.model_for("SomethingNobodyRecords")


# --- real conversations ----------------------------------------------------------------------


def _chatkit(client: TestClient, type_: str, params: dict[str, Any], **meta: Any) -> list[Any]:
    body: dict[str, Any] = {"type": type_, "params": params}
    if meta:
        body["metadata"] = meta
    response = client.post("/chatkit", json=body)
    assert response.status_code == 200, response.text
    if response.headers["content-type"].startswith("text/event-stream"):
        return stream_events(response.text)
    return [response.json()]


def _history(client: TestClient, sid: str) -> list[dict[str, Any]]:
    return list(client.get(f"/api/chat/sessions/{sid}/context").json()["history"])


def _video_session(client: TestClient) -> str:
    sid, script_id = to_scripts(client)  # type: ignore[arg-type]  # TestClient is an httpx.Client
    unclear = client.post(f"/api/chat/sessions/{sid}/messages", json={"message": "yes"})
    assert unclear.status_code == 200, unclear.text  # a clarifying question; the choice stays
    job = client.post(f"/api/chat/sessions/{sid}/video", json={"scriptId": script_id})
    assert job.status_code == 202, job.text
    deadline = time.monotonic() + 180
    while not any(m["type"] == "video_result" for m in _history(client, sid)):
        assert time.monotonic() < deadline, "the video never reached the chat"
        time.sleep(0.2)
    return sid


def _assistant_thread(client: TestClient) -> str:
    """The seed flow: an asset saved, an image queued and rendered, the theme switched."""
    [created, *_] = _chatkit(client, "threads.create", {"input": user_input("Hi!")})
    thread_id = str(created["thread"]["id"])
    for text in [
        "Aurora Cold Brew Concentrate",
        "Clean and minimal",
        "Warm and upbeat",
        "Cafe-quality coffee at home in ten seconds",
        "Yes, go ahead",
        "Please generate an image for it",
        "Switch to dark mode",
    ]:
        params = {"thread_id": thread_id, "input": user_input(text)}
        _chatkit(client, "threads.add_user_message", params)
    _chatkit(client, "threads.update", {"thread_id": thread_id, "title": "Cold brew"})
    return thread_id


def _retried_thread(client: TestClient) -> None:
    """A retry from the last user message hides the items after it."""
    [created, *_] = _chatkit(client, "threads.create", {"input": user_input("Hi!")})
    thread_id = str(created["thread"]["id"])
    params = {"thread_id": thread_id, "input": user_input("Aurora Cold Brew Concentrate")}
    _chatkit(client, "threads.add_user_message", params)
    [listed] = _chatkit(client, "items.list", {"thread_id": thread_id, "limit": 100})
    last = next(i["id"] for i in listed["data"] if i["type"] == "user_message")
    _chatkit(client, "threads.retry_after_item", {"thread_id": thread_id, "item_id": last})


def _guided_thread(client: TestClient) -> str:
    """A guided thread: a choice answered by its button, feedback, a client tool, a deletion."""
    events = _chatkit(client, "threads.create", {"input": user_input("/guided 1")})
    thread_id = str(events[0]["thread"]["id"])
    widget = next(
        e["item"]
        for e in events
        if e["type"] == "thread.item.done" and e["item"]["type"] == "widget"
    )
    _chatkit(
        client,
        "items.feedback",
        {"thread_id": thread_id, "item_ids": [widget["id"]], "kind": "positive"},
    )
    tool = _chatkit(
        client,
        "threads.create",
        {"input": user_input("Switch to dark mode")},
        switchTheme="client_tool",
    )
    tool_thread = str(tool[0]["thread"]["id"])
    output = {"thread_id": tool_thread, "result": {"success": True}}
    _chatkit(client, "threads.add_client_tool_output", output)
    _chatkit(client, "threads.delete", {"thread_id": thread_id})
    return thread_id


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[RecordedEvent]]:
    """Every event the four conversations recorded, read back from the SQLite log."""
    data = tmp_path_factory.mktemp("typed-events")
    settings = Settings(
        ADFORGE_DATA_DIR=str(data), ADFORGE_MODEL="offline:adforge-creative-1", ADFORGE_VIDEO_FPS=12
    )
    app = create_app(settings)
    with TestClient(app) as client:
        _video_session(client)
        _image_session(client)
        _assistant_thread(client)
        _guided_thread(client)
        _retried_thread(client)
        portal, store = client.portal, app.state.services.store
        assert portal is not None
        deadline = time.monotonic() + 120
        while not _settled(portal.call(store.read_all)):
            assert time.monotonic() < deadline, "runs or the assistant's image never finished"
            time.sleep(0.2)
        yield list(portal.call(store.read_all))


def _settled(events: list[RecordedEvent]) -> bool:
    """The assistant's image is rendered and every run started has ended."""
    types = [e.type for e in events]
    ended = sum(types.count(t) for t in (EventType.RUN_COMPLETED, EventType.RUN_FAILED))
    ended += types.count(EventType.RUN_CANCELLED)
    return EventType.IMAGE_GENERATED in types and types.count(EventType.RUN_STARTED) == ended


def test_the_conversations_record_most_event_types(recorded: list[RecordedEvent]) -> None:
    seen = {e.type for e in recorded}
    never_recorded = {EventType.VIDEO_DELIVERED, EventType.STATIC_AD_DELIVERED}
    not_in_these_flows = {
        EventType.RUN_FAILED,
        EventType.RUN_CANCELLED,
        EventType.MEDIA_JOB_FAILED,
        EventType.IMAGE_FAILED,
    }
    assert seen == _TYPES - never_recorded - not_in_these_flows


def test_every_recorded_event_validates_against_its_model(recorded: list[RecordedEvent]) -> None:
    for stored in recorded:
        model = EVENT_TYPES.model_for(stored.type)
        assert stored.schema_version == model.schema_version, stored.type
        payload = payload_of(stored, model)
        assert payload is payload_of(stored), "parsed once, then shared by every reader"


def test_typing_leaves_the_stored_json_unchanged(recorded: list[RecordedEvent]) -> None:
    for stored in recorded:
        wire = EVENT_TYPES.validate(stored.type, stored.data).wire()
        assert json.dumps(wire, sort_keys=True) == json.dumps(stored.data, sort_keys=True), (
            stored.type
        )


def test_readers_see_the_envelope_fields_typed(recorded: list[RecordedEvent]) -> None:
    started = [payload_of(e, RunStarted) for e in recorded if e.type == EventType.RUN_STARTED]
    assert {s.graph for s in started} == {"ad_workflow", "ad_assistant"}
    assert all(s.run_id.startswith("run") and s.user_id for s in started)
    said = [
        payload_of(e, UserMessageSent) for e in recorded if e.type == EventType.USER_MESSAGE_SENT
    ]
    assert any(m.selection is not None and m.selection.is_selection for m in said)
    other = next(e for e in recorded if e.type == EventType.RESPONSE_STARTED)
    with pytest.raises(TypeError):
        payload_of(other, RunStarted)


def test_a_failed_image_is_recorded_in_the_workers_shape() -> None:
    """The worker's ``ImageFailed`` payload (not reached offline): request plus ``job_error``."""
    refused = ImageProviderError("image_prompt_rejected", "rejected", retryable=False)
    base = {"requestId": "img-1", "assetId": None, "prompt": "a cup", "size": "1080x1080"}
    data = {**base, "error": job_error(refused)}
    built = event("thr-1", EventType.IMAGE_FAILED, data, "img-1")
    failed = EVENT_TYPES.validate(built.type, built.data)
    assert isinstance(failed, ImageFailed) and failed.error.code == "image_prompt_rejected"
    assert failed.wire() == data


# --- refused at construction -----------------------------------------------------------------


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[EventStore]:
    async with EventStore.open(tmp_path / "events.sqlite") as opened:
        yield opened


_MESSAGE = {"messageId": "msg-1", "text": "Hi", "selection": None, "step": None}


@pytest.mark.parametrize(
    ("type_", "data"),
    [
        (EventType.USER_MESSAGE_SENT, {**_MESSAGE, "messageId": 7}),  # a number for an id
        (EventType.USER_MESSAGE_SENT, {k: v for k, v in _MESSAGE.items() if k != "text"}),
        (EventType.USER_MESSAGE_SENT, {**_MESSAGE, "mesage": "typo"}),  # an unknown key
        (EventType.RESPONSE_STARTED, {"message_id": "msg-1"}),  # snake_case is not the stored key
        (EventType.MEDIA_JOB_PROGRESSED, {"jobId": "job-1", "kind": "video", "progress": "50"}),
        (EventType.THEME_SWITCHED, {"theme": "sepia"}),
        (EventType.RUN_FAILED, {"runId": "run-1", "error": {"code": "x"}}),
    ],
)
async def test_a_malformed_payload_is_refused_before_anything_is_written(
    store: EventStore, type_: str, data: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError):
        await store.append("thr-1", [event("thr-1", type_, data, "key")])
    assert await store.read_all() == []


async def test_an_unknown_type_is_refused_and_a_valid_event_is_stored_as_given(
    store: EventStore,
) -> None:
    with pytest.raises(UnknownEventTypeError):
        event("thr-1", "MessageSentt", _MESSAGE)
    built = event("thr-1", EventType.USER_MESSAGE_SENT, _MESSAGE, "msg-1")
    assert built.schema_version == UserMessageSent.schema_version
    [stored] = await store.append("thr-1", [built])
    assert stored.data == _MESSAGE and await store.read_all() == [stored]


# --- versions: upcast on read, then validated ------------------------------------------------


class NoteAddedV1(EventPayload):
    """Version 1 of a test type: a note's text."""

    type_name: ClassVar[str] = "NoteAdded"
    text: str


class NoteAdded(EventPayload):
    """Version 2: the text was renamed ``body`` and a ``pinned`` flag added."""

    type_name: ClassVar[str] = "NoteAdded"
    schema_version: ClassVar[int] = 2
    body: str
    pinned: bool


def _to_v2(data: dict[str, Any]) -> dict[str, Any]:
    return {"body": data["text"], "pinned": False}


async def test_an_old_payload_is_upcast_on_read_then_validated(tmp_path: Path) -> None:
    upcasters = UpcasterRegistry()
    upcasters.register("NoteAdded", 1, _to_v2)
    registry = EventTypeRegistry(upcasters, [NoteAdded])
    async with EventStore.open(tmp_path / "events.sqlite", upcasters=upcasters) as store:
        # A row written by an older release, at version 1 (valid for the model of then).
        old = NoteAddedV1.model_validate({"text": "remember"}).wire()
        await store.append("thr-1", [NewEvent("evt-1", "NoteAdded", old, schema_version=1)])
        [row] = await store.read_all()
    assert (row.schema_version, row.data) == (2, {"body": "remember", "pinned": False})
    assert registry.parse("NoteAdded", 2, row.data) == NoteAdded.model_validate(row.data)
    parsed = registry.parse("NoteAdded", 1, old)  # upcast by the registry itself
    assert isinstance(parsed, NoteAdded) and (parsed.body, parsed.pinned) == ("remember", False)
    with pytest.raises(ValidationError):  # the upcast result must still fit the newest model
        registry.parse("NoteAdded", 2, {"text": "remember"})


def test_a_model_and_its_upcasters_must_agree_on_the_newest_version() -> None:
    with pytest.raises(UpcasterError):
        EventTypeRegistry(UpcasterRegistry(), [NoteAdded])  # v2 with no step from v1
    upcasters = UpcasterRegistry()
    upcasters.register("NoteAdded", 1, _to_v2)
    with pytest.raises(UpcasterError):
        EventTypeRegistry(upcasters, [NoteAddedV1])  # v1 while the log's rows reach v2
    registry = EventTypeRegistry(upcasters, [NoteAdded])
    with pytest.raises(ValueError, match="already"):
        registry.register(NoteAdded)
