"""Guided ChatKit threads (``ad_workflow``) in process: choices as widget cards answered by
``threads.custom_action`` / ``threads.sync_custom_action``, or as ``structured_input`` items
answered by ``threads.add_structured_input``; a retried choice reruns from its interrupt.

The thread is an Ad Forge session too: the tests read its state through the Ad Forge API.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from server.core.events import EventType
from tests.test_chatkit_api import (
    assert_rebuilds,
    create,
    items,
    pending_card,
    post,
    thread_events,
    turn,
)
from tests.test_chatkit_wire import (
    SYNC,
    THREAD,
    WIDGET_DEPRECATION,
    assert_error,
    choice_buttons,
    done_items,
    offline_client,
    summary,
)

pytestmark = pytest.mark.filterwarnings(WIDGET_DEPRECATION)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from offline_client(tmp_path_factory, "chatkit-guided")


def test_a_guided_thread_answers_choices_with_widget_actions(client: TestClient) -> None:
    thread_id, events = create(client, "/guided 1", mediaType="image")
    assert events[1]["item"]["type"] == "user_message"
    persona_card = done_items(events, "widget")[-1]
    [first, *_] = choice_buttons(persona_card["widget"])
    assert any(e["type"] == "progress_update" for e in events)
    assert done_items(events, "workflow")[0]["workflow"]["type"] == "reasoning"

    wrong = dict(first, payload={**first["payload"], "optionId": "aud-99"})
    refused = post(
        client,
        "threads.custom_action",
        {"thread_id": thread_id, "item_id": persona_card["id"], "action": wrong},
    )
    assert_error(refused, 422, "unknown_option")  # the ids on offer are named
    assert "aud-1" in refused.json()["message"]
    unknown = post(
        client,
        "threads.custom_action",
        {"thread_id": thread_id, "item_id": persona_card["id"], "action": {"type": "x.y"}},
    )
    assert_error(unknown, 422, "invalid_request")

    chosen = turn(
        client,
        "threads.custom_action",
        {"thread_id": thread_id, "item_id": persona_card["id"], "action": first},
    )
    assert summary(chosen)[:3] == [
        "stream_options",
        "thread.item.done:user_message",
        "thread.item.replaced:widget",
    ]
    replaced = next(e["item"] for e in chosen if e["type"] == "thread.item.replaced")
    assert replaced["id"] == persona_card["id"] and not choice_buttons(replaced["widget"])
    assert done_items(chosen, "user_message")[0]["content"][0]["text"].startswith(
        "Selected persona:"
    )
    angle_card = done_items(chosen, "widget")[-1]
    stale = post(
        client,
        "threads.custom_action",
        {"thread_id": thread_id, "item_id": persona_card["id"], "action": first},
    )
    assert_error(stale, 409, "choice_not_pending")

    angle = choice_buttons(angle_card["widget"])[0]
    synced = post(
        client,
        "threads.sync_custom_action",
        {"thread_id": thread_id, "item_id": angle_card["id"], "action": angle},
    )
    assert synced.status_code == 200 and synced.headers["content-type"] == "application/json"
    SYNC.validate_json(synced.text)
    assert synced.json()["updated_item"]["widget"]["status"]["text"].startswith("Chosen")
    client.portal.call(  # type: ignore[union-attr]
        client.app.state.services.runs.wait,  # type: ignore[attr-defined]
        _last_run(client, thread_id),
        60,
    )
    script_card = pending_card(items(client, thread_id))
    assert "Script" in str(script_card["widget"])

    render = turn(
        client,
        "threads.custom_action",
        {
            "thread_id": thread_id,
            "item_id": script_card["id"],
            "action": choice_buttons(script_card["widget"])[0],
        },
    )
    media = [e["item"] for e in render if e["type"] in ("thread.item.done", "thread.item.replaced")]
    assert media[-1]["widget"]["status"]["text"].startswith("Ready")
    assert "http://testserver/media/" in str(media[-1]["widget"])  # absolute for the iframe
    assert any(e.get("name") == "record_ad_asset" for e in render)
    thread = THREAD.validate_json(post(client, "threads.get_by_id", {"thread_id": thread_id}).text)
    assert thread.status.type == "closed"
    assert (
        client.get(f"/api/chat/sessions/{thread_id}/context").json()["currentStep"] == "completed"
    )


def _last_run(client: TestClient, thread_id: str) -> str:
    """The run of the thread's last user message (recorded with it, before the run starts)."""
    said = [e for e in thread_events(client, thread_id) if e.type == EventType.USER_MESSAGE_SENT]
    return str(said[-1].data["runId"])


def test_a_guided_thread_with_structured_input(client: TestClient) -> None:
    thread_id, events = create(
        client, "Aurora Cold Brew: a coffee concentrate", flow="guided", choices="structured_input"
    )
    [question] = done_items(events, "structured_input")
    [field] = question["inputs"]
    assert question["status"] == "pending" and field["type"] == "multiple_choice"
    labels = [o["value"] for o in field["options"]]

    skipped = post(
        client,
        "threads.add_structured_input",
        {"thread_id": thread_id, "item_id": question["id"], "input": {"status": "skipped"}},
    )
    assert_error(skipped, 422, "invalid_request")
    free = {"answers": {field["id"]: {"values": ["busy parents who commute"]}}}
    regenerated = turn(
        client,
        "threads.add_structured_input",
        {"thread_id": thread_id, "item_id": question["id"], "input": free},
    )
    assert regenerated[1]["type"] == "thread.item.replaced"  # ChatKit marks it answered first
    [again] = done_items(regenerated, "structured_input")
    assert again["id"] != question["id"] and again["status"] == "pending"
    old = next(i for i in items(client, thread_id) if i["id"] == question["id"])
    assert old["status"] == "answered"
    assert old["inputs"][0]["answer"]["values"] == ["busy parents who commute"]
    answered_twice = post(
        client,
        "threads.add_structured_input",
        {"thread_id": thread_id, "item_id": question["id"], "input": free},
    )
    assert_error(answered_twice, 409, "choice_not_pending")

    label = again["inputs"][0]["options"][0]["value"]
    pick = {"answers": {again["inputs"][0]["id"]: {"values": [label]}}}
    chosen = turn(
        client,
        "threads.add_structured_input",
        {"thread_id": thread_id, "item_id": again["id"], "input": pick},
    )
    assert done_items(chosen, "structured_input")[0]["inputs"][0]["question"].startswith("Choose")
    assert labels  # the first proposal offered options too
    session = client.get(f"/api/chat/sessions/{thread_id}").json()
    assert session["selections"]["selectedPersona"]["name"] == label


def test_retry_of_a_guided_choice_reruns_from_its_interrupt(client: TestClient) -> None:
    thread_id, events = create(client, "/guided 1", mediaType="image")
    card = done_items(events, "widget")[-1]
    chosen = turn(
        client,
        "threads.custom_action",
        {
            "thread_id": thread_id,
            "item_id": card["id"],
            "action": choice_buttons(card["widget"])[0],
        },
    )
    message = done_items(chosen, "user_message")[0]
    old_angles = done_items(chosen, "widget")[-1]
    retried = turn(
        client, "threads.retry_after_item", {"thread_id": thread_id, "item_id": message["id"]}
    )
    new_angles = done_items(retried, "widget")[-1]
    assert new_angles["id"] != old_angles["id"]
    ids = [i["id"] for i in items(client, thread_id)]
    assert old_angles["id"] not in ids and new_angles["id"] in ids and message["id"] in ids
    session = client.get(f"/api/chat/sessions/{thread_id}").json()
    assert session["pendingChoice"]["kind"] == "angle_selection"
    assert choice_buttons(new_angles["widget"])[0]["payload"]["interruptId"] == next(
        e.data["interruptId"]
        for e in reversed(thread_events(client, thread_id))
        if e.type == EventType.CHOICE_REQUESTED
    )


def test_guided_threads_rebuild_identically(client: TestClient) -> None:
    """Last in this module: cards chosen, superseded, removed by retry, rebuilt from the log."""
    assert_rebuilds(client)
