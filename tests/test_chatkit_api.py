"""``POST /chatkit`` in process (the real app, lifespan and SQLite; the offline model).

Covers every request type of openai-chatkit 1.6.5: the streaming ones end to end (assistant and
guided threads, widget actions, structured input, client tool output, retry), the JSON ones
validated with ``chatkit.types`` adapters, and every refusal as a 4xx JSON error.
The seed flow, cancellation and the Ad Forge round trip over real HTTP are in
``test_chatkit_http.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from server.core.eventlog import rebuild
from server.core.events import EventType
from server.protocols.chatkit import PROJECTION_NAME, ChatKitProjection
from tests.test_chatkit_wire import (
    ITEMS,
    THREAD,
    THREADS,
    WIDGET_DEPRECATION,
    assert_error,
    choice_buttons,
    done_items,
    offline_client,
    stream_events,
    summary,
    user_input,
)

pytestmark = pytest.mark.filterwarnings(WIDGET_DEPRECATION)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from offline_client(tmp_path_factory, "chatkit-api")


def post(client: TestClient, type_: str, params: dict[str, Any], **metadata: Any) -> httpx.Response:
    body: dict[str, Any] = {"type": type_, "params": params}
    if metadata:
        body["metadata"] = metadata
    return client.post("/chatkit", json=body)


def turn(
    client: TestClient, type_: str, params: dict[str, Any], **meta: Any
) -> list[dict[str, Any]]:
    response = post(client, type_, params, **meta)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    return stream_events(response.text)


def create(client: TestClient, text: str, **meta: Any) -> tuple[str, list[dict[str, Any]]]:
    events = turn(client, "threads.create", {"input": user_input(text)}, **meta)
    assert events[0]["type"] == "thread.created"
    return str(events[0]["thread"]["id"]), events


def say(client: TestClient, thread_id: str, text: str) -> list[dict[str, Any]]:
    params = {"thread_id": thread_id, "input": user_input(text)}
    return turn(client, "threads.add_user_message", params)


def items(client: TestClient, thread_id: str) -> list[dict[str, Any]]:
    response = post(client, "items.list", {"thread_id": thread_id, "limit": 100, "order": "asc"})
    assert response.status_code == 200
    ITEMS.validate_json(response.text)
    return list(response.json()["data"])


def thread_events(client: TestClient, thread_id: str) -> list[Any]:
    services = client.app.state.services  # type: ignore[attr-defined]
    return list(client.portal.call(services.store.read_thread, thread_id))  # type: ignore[union-attr]


def pending_card(thread_items: list[dict[str, Any]]) -> dict[str, Any]:
    return next(
        i for i in reversed(thread_items) if i["type"] == "widget" and choice_buttons(i["widget"])
    )


def test_an_assistant_thread_streams_tokens_and_reads_back_as_json(client: TestClient) -> None:
    thread_id, events = create(client, "Hi!")
    assert summary(events)[:3] == [
        "thread.created",
        "thread.item.done:user_message",
        "stream_options",
    ]
    updates = [e["update"]["type"] for e in events if e["type"] == "thread.item.updated"]
    assert updates[0] == "assistant_message.content_part.added"
    assert "assistant_message.content_part.text_delta" in updates
    assert updates[-1] == "assistant_message.content_part.done"
    [reply] = done_items(events, "assistant_message")
    deltas = "".join(
        e["update"]["delta"]
        for e in events
        if e["type"] == "thread.item.updated" and e["update"]["type"].endswith("text_delta")
    )
    assert deltas == reply["content"][0]["text"] and "product" in deltas.lower()
    renamed = next(e for e in events if e["type"] == "thread.updated")
    assert renamed["thread"]["title"] == "Hi!"

    say(client, thread_id, "Aurora Cold Brew Concentrate")
    got = post(client, "threads.get_by_id", {"thread_id": thread_id})
    thread = THREAD.validate_json(got.text)
    assert thread.title == "Hi!" and [i.type for i in thread.items.data] == [
        "user_message",
        "assistant_message",
        "user_message",
        "assistant_message",
    ]
    assert thread.items.data[1].id == reply["id"]  # the streamed id is the stored id

    first = post(client, "items.list", {"thread_id": thread_id, "limit": 3, "order": "desc"})
    page = ITEMS.validate_json(first.text)
    assert page.has_more and page.after == page.data[-1].id and len(page.data) == 3
    rest = ITEMS.validate_json(
        post(
            client,
            "items.list",
            {"thread_id": thread_id, "limit": 3, "order": "desc", "after": page.after},
        ).text
    )
    assert not rest.has_more and [i.id for i in rest.data] == [thread.items.data[0].id]

    other, _ = create(client, "What's the weather tomorrow?")
    listed = THREADS.validate_json(post(client, "threads.list", {"limit": 1}).text)
    assert listed.has_more and [t.id for t in listed.data] == [other]  # newest first
    older = THREADS.validate_json(
        post(client, "threads.list", {"limit": 1, "after": listed.after}).text
    )
    assert older.data[0].id != other and older.data[0].items.data == []


def test_the_seed_flow_saves_an_asset_queues_an_image_and_switches_theme(
    client: TestClient,
) -> None:
    thread_id, _ = create(client, "Hi!")
    for text in [
        "Aurora Cold Brew Concentrate",
        "Clean and minimal",
        "Warm and upbeat",
        "Cafe-quality coffee at home in ten seconds",
    ]:
        assert "client_effect:record_ad_asset" not in summary(say(client, thread_id, text))
    concept = say(client, thread_id, "Yes, go ahead")
    saved = next(e for e in concept if e.get("name") == "record_ad_asset")["data"]["asset"]
    assert len(saved["headline"]) <= 40 and 45 <= len(saved["primaryText"].split()) <= 80
    assert any(e.get("text") == "Saving the ad to your gallery" for e in concept)
    logged = [e for e in thread_events(client, thread_id) if e.type == EventType.ASSET_SAVED]
    assert [e.data for e in logged] == [{"asset": saved}]
    gallery = client.get("/assets").json()
    assert saved["id"] in {a["id"] for a in gallery["assets"]}

    image = say(client, thread_id, "Please generate an image for it")
    [card] = done_items(image, "widget")
    assert card["widget"]["status"]["text"] == "Image queued"
    [requested] = [
        e for e in thread_events(client, thread_id) if e.type == EventType.IMAGE_REQUESTED
    ]
    assert requested.data["assetId"] == saved["id"] and requested.data["prompt"]
    assert {"requestId", "prompt", "size"} <= requested.data.keys()
    graph = client.app.state.runtime.graphs["ad_assistant"]  # type: ignore[attr-defined]
    state = client.portal.call(graph.aget_state, {"configurable": {"thread_id": thread_id}})  # type: ignore[union-attr]
    assert [r["id"] for r in state.values["image_requests"]] == [requested.data["requestId"]]

    theme = say(client, thread_id, "Switch to dark mode")
    effect = next(e for e in theme if e["type"] == "client_effect")
    assert effect == {"type": "client_effect", "name": "switch_theme", "data": {"theme": "dark"}}
    assert "dark" in done_items(theme, "assistant_message")[-1]["content"][0]["text"].lower()


def test_switch_theme_as_a_client_tool_call_round_trip(client: TestClient) -> None:
    thread_id, events = create(client, "Switch to dark mode", switchTheme="client_tool")
    assert events[-1]["type"] == "thread.item.done"
    call = events[-1]["item"]
    assert (call["type"], call["status"], call["name"], call["arguments"]) == (
        "client_tool_call",
        "pending",
        "switch_theme",
        {"theme": "dark"},
    )
    answered = turn(
        client,
        "threads.add_client_tool_output",
        {"thread_id": thread_id, "result": {"success": True}},
    )
    assert summary(answered) == ["stream_options"]  # nothing more to say, as in the sample
    stored = next(i for i in items(client, thread_id) if i["id"] == call["id"])
    assert stored["status"] == "completed" and stored["output"] == {"success": True}
    again = post(client, "threads.add_client_tool_output", {"thread_id": thread_id, "result": {}})
    assert_error(again, 409, "no_pending_client_tool_call")


def test_retry_after_item_rewinds_the_graph_to_that_message(client: TestClient) -> None:
    thread_id, _ = create(client, "Hi!")
    say(client, thread_id, "Aurora Cold Brew Concentrate")
    say(client, thread_id, "Clean and minimal")
    before = items(client, thread_id)
    message_id = before[2]["id"]
    assert before[2]["type"] == "user_message" and len(before) == 6

    retried = turn(
        client, "threads.retry_after_item", {"thread_id": thread_id, "item_id": message_id}
    )
    assert summary(retried) == [
        "stream_options",
        "thread.item.added:assistant_message",
        "thread.item.done:assistant_message",
    ]
    after = items(client, thread_id)
    assert [i["id"] for i in after[:3]] == [i["id"] for i in before[:3]] and len(after) == 4
    assert after[3]["id"] != before[3]["id"]  # a new reply, not the old one
    graph = client.app.state.runtime.graphs["ad_assistant"]  # type: ignore[attr-defined]
    config = {"configurable": {"thread_id": thread_id}}
    state = client.portal.call(graph.aget_state, config)  # type: ignore[union-attr]
    texts = [m.text for m in state.values["messages"]]
    assert "Clean and minimal" not in texts and texts[2] == "Aurora Cold Brew Concentrate"
    say(client, thread_id, "Bold and playful")  # the next turn continues the fork
    state = client.portal.call(graph.aget_state, config)  # type: ignore[union-attr]
    assert [m.text for m in state.values["messages"]].count("Clean and minimal") == 0
    assert len(state.values["messages"]) == 6

    not_a_message = post(
        client, "threads.retry_after_item", {"thread_id": thread_id, "item_id": after[1]["id"]}
    )
    assert_error(not_a_message, 422, "invalid_request")


def test_update_feedback_and_delete(client: TestClient) -> None:
    thread_id, events = create(client, "/guided 1")
    updated = post(client, "threads.update", {"thread_id": thread_id, "title": "Spring launch"})
    assert THREAD.validate_json(updated.text).title == "Spring launch"
    assert (
        THREAD.validate_json(post(client, "threads.get_by_id", {"thread_id": thread_id}).text).title
        == "Spring launch"
    )
    reply = done_items(events, "widget")[-1]["id"]
    feedback = post(
        client, "items.feedback", {"thread_id": thread_id, "item_ids": [reply], "kind": "positive"}
    )
    assert feedback.status_code == 200 and feedback.json() == {}
    [given] = [e for e in thread_events(client, thread_id) if e.type == EventType.FEEDBACK_GIVEN]
    assert given.data["itemIds"] == [reply] and given.data["kind"] == "positive"

    deleted = post(client, "threads.delete", {"thread_id": thread_id})
    assert deleted.status_code == 200 and deleted.json() == {}
    assert_error(post(client, "threads.get_by_id", {"thread_id": thread_id}), 404, "not_found")
    listed = THREADS.validate_json(post(client, "threads.list", {"limit": 100}).text)
    assert thread_id not in {t.id for t in listed.data}
    assert client.get(f"/api/chat/sessions/{thread_id}").status_code == 404  # every protocol


def test_refusals_are_4xx_json_and_never_500(client: TestClient) -> None:
    assistant, _ = create(client, "Hi!")
    cases = [
        (post(client, "threads.get_by_id", {"thread_id": "thr_nope"}), 404, "not_found"),
        (post(client, "items.list", {"thread_id": "thr_nope"}), 404, "not_found"),
        (post(client, "items.list", {"thread_id": assistant, "limit": 0}), 422, "invalid_request"),
        (post(client, "threads.list", {"limit": 1000}), 422, "invalid_request"),
        (
            post(client, "threads.update", {"thread_id": assistant, "title": "x" * 201}),
            422,
            "invalid_request",
        ),
        (
            post(
                client, "attachments.create", {"name": "a.png", "size": 3, "mime_type": "image/png"}
            ),
            400,
            "not_supported",
        ),
        (post(client, "attachments.delete", {"attachment_id": "atc_1"}), 400, "not_supported"),
        (
            post(client, "input.transcribe", {"audio_base64": "AAAA", "mime_type": "audio/webm"}),
            400,
            "not_supported",
        ),
        (
            post(
                client,
                "threads.add_user_message",
                {"thread_id": assistant, "input": {**user_input("hi"), "attachments": ["atc_1"]}},
            ),
            400,
            "not_supported",
        ),
        (
            post(
                client,
                "threads.add_user_message",
                {"thread_id": assistant, "input": user_input(" ")},
            ),
            422,
            "invalid_request",
        ),
        (
            post(
                client,
                "threads.custom_action",
                {
                    "thread_id": assistant,
                    "action": {
                        "type": "adforge.choose",
                        "payload": {"interruptId": "i", "optionId": "o"},
                    },
                },
            ),
            422,
            "invalid_request",
        ),
        (
            post(client, "threads.create", {"input": user_input("/guided")}),
            422,
            "invalid_request",
        ),
        (
            post(client, "threads.create", {"input": user_input("hi")}, choices="cards"),
            422,
            "invalid_request",
        ),
        (
            post(
                client,
                "threads.create",
                {"input": user_input("hi")},
                flow="guided",
                productId="nope",
            ),
            404,
            "not_found",
        ),
        (
            post(
                client,
                "threads.add_structured_input",
                {"thread_id": assistant, "item_id": "x", "input": {}},
            ),
            404,
            "not_found",
        ),
        (
            post(client, "threads.add_client_tool_output", {"thread_id": assistant, "result": 1}),
            409,
            "no_pending_client_tool_call",
        ),
        (
            post(client, "threads.retry_after_item", {"thread_id": assistant, "item_id": "nope"}),
            404,
            "not_found",
        ),
        (client.post("/chatkit", content=b"not json"), 400, "invalid_json"),
        (
            client.post("/chatkit", json={"type": "threads.fly", "params": {}}),
            400,
            "unsupported_request",
        ),
    ]
    for response, status, code in cases:
        assert_error(response, status, code)
    assert [i["type"] for i in items(client, assistant)] == ["user_message", "assistant_message"]


def assert_rebuilds(client: TestClient) -> None:
    """The live ChatKit view equals a fold of the whole log from position 0 (invariant 5)."""
    services = client.app.state.services  # type: ignore[attr-defined]
    portal = client.portal
    assert portal is not None
    portal.call(services.projections.wait_for, portal.call(services.store.head_position))
    rebuilt = portal.call(rebuild, services.store, ChatKitProjection())
    live = services.projections.view(PROJECTION_NAME)
    assert len(live.threads) >= 3 and rebuilt == live


def test_the_chatkit_view_is_a_fold_that_rebuilds_identically(client: TestClient) -> None:
    """Last in this module: every thread the tests above made, rebuilt from position 0."""
    assert_rebuilds(client)
