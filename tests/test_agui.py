"""``POST /agui`` in process (the real app, lifespan and SQLite; the offline model).

Every emitted event is validated against the ``ag-ui-protocol`` pydantic models and the frames
against its encoder; every response is checked for AG-UI's ordering rules (``tests.agui_wire``).
Covers the guided flow to the persona interrupt and its resume, bad resumes (``RUN_ERROR``, the
choice still pending, nothing recorded), an ``ad_assistant`` answer with its tool calls, an Ad
Forge session continued over AG-UI and back, retries, owners and API keys. The official
``@ag-ui/client`` against a real server is ``test_agui_node.py``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.core.commands.messages import pending_of
from server.settings import Settings
from tests.agui_wire import events_of, named, run_input, types, user

ALICE = {"Authorization": "Bearer sk-alice"}
BOB = {"Authorization": "Bearer sk-bob"}
BRIEF = [
    "Hi!",
    "Aurora Cold Brew Concentrate",
    "Clean and minimal",
    "Warm and upbeat",
    "Cafe-quality coffee at home in ten seconds",
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(
        ADFORGE_DATA_DIR=str(tmp_path_factory.mktemp("agui")),
        ADFORGE_MODEL="offline:adforge-creative-1",
        ADFORGE_API_KEYS="sk-alice:alice,sk-bob:bob",
    )
    with TestClient(create_app(settings), headers=ALICE) as test_client:
        yield test_client


def run(client: TestClient, path: str, body: dict[str, Any], **kw: Any) -> list[dict[str, Any]]:
    response = client.post(path, json=body, **kw)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    return events_of(response.text)


def log_size(client: TestClient, thread_id: str) -> int:
    services = client.app.state.services  # type: ignore[attr-defined]
    return int(client.portal.call(services.store.head_seq, thread_id))  # type: ignore[union-attr]


def pending_choice(client: TestClient, session_id: str) -> dict[str, Any]:
    """The choice the thread's graph state waits on (the authority every protocol reads)."""
    services = client.app.state.services  # type: ignore[attr-defined]
    interrupts, _ = client.portal.call(pending_of, services, session_id)  # type: ignore[union-attr]
    [interrupt] = interrupts
    return {"interruptId": interrupt.id, **interrupt.value}


def resume(interrupt_id: str, payload: Any, status: str = "resolved") -> list[dict[str, Any]]:
    return [{"interruptId": interrupt_id, "status": status, "payload": payload}]


def to_personas(client: TestClient, thread_id: str) -> list[dict[str, Any]]:
    body = run_input(
        thread_id, "run-1", messages=[user("m1", "Generate ads")], state={"productId": "1"}
    )
    return run(client, "/agui/ad_workflow", body)


def test_the_guided_flow_ends_its_run_at_the_persona_interrupt(client: TestClient) -> None:
    events = to_personas(client, "guided-1")
    assert types(events)[:2] == ["RUN_STARTED", "STATE_SNAPSHOT"]
    assert events[0]["threadId"] == "guided-1" and events[0]["runId"] == "run-1"
    assert events[1]["snapshot"]["product"]["id"] == "1"
    assert events[1]["snapshot"]["step"] == "starting"
    steps = [(e["type"], e["stepName"]) for e in events if e["type"].startswith("STEP_")]
    assert steps == [("STEP_STARTED", "persona_selection"), ("STEP_FINISHED", "persona_selection")]
    [card] = [e for e in named(events, "CUSTOM") if e["name"] == "audience_group"]
    assert len(card["value"]["audiences"]) == 4
    assert types(events)[-4:] == ["STATE_SNAPSHOT", "MESSAGES_SNAPSHOT", "CUSTOM", "RUN_FINISHED"]
    finished = events[-1]
    assert finished["runId"] == "run-1" and finished["outcome"]["type"] == "interrupt"
    [interrupt] = finished["outcome"]["interrupts"]
    choice = pending_choice(client, "guided-1")  # the same thread on the Ad Forge API
    assert interrupt["id"] == choice["interruptId"] and interrupt["reason"] == "input_required"
    ids = [o["id"] for o in choice["options"]]
    assert interrupt["responseSchema"]["properties"]["optionId"]["enum"] == ids
    assert (
        events[-2]["name"] == "on_interrupt"
        and events[-2]["value"]["interruptId"] == choice["interruptId"]
    )
    assert events[-4]["snapshot"]["choice"]["interruptId"] == interrupt["id"]
    assert [m["id"] for m in events[-3]["messages"]] == ["m1"]
    deltas = [op for e in named(events, "STATE_DELTA") for op in e["delta"]]
    assert {"op": "replace", "path": "/step", "value": "persona_selection"} in deltas


def test_resuming_the_persona_choice_runs_to_the_angle_interrupt(client: TestClient) -> None:
    interrupt_id = to_personas(client, "guided-2")[-1]["outcome"]["interrupts"][0]["id"]
    body = run_input("guided-2", "run-2", resume=resume(interrupt_id, {"optionId": "aud-2"}))
    events = run(client, "/agui/ad_workflow", body)
    [summary] = [e for e in named(events, "CUSTOM") if e["name"] == "selection_summary"]
    assert summary["value"]["value"] == "Self-Tan First-Timers"
    explained = "".join(e["delta"] for e in named(events, "TEXT_MESSAGE_CONTENT"))
    assert "Self-Tan First-Timers" in explained
    assert any(e["name"] == "marketing_angle" for e in named(events, "CUSTOM"))
    [interrupt] = events[-1]["outcome"]["interrupts"]
    assert interrupt["metadata"]["adforge"]["kind"] == "angle_selection"
    assert interrupt["id"] != interrupt_id
    deltas = [op for e in named(events, "STATE_DELTA") for op in e["delta"]]
    assert {
        "op": "add",
        "path": "/selections/persona",
        "value": {"id": "aud-2", "label": "Target", "value": "Self-Tan First-Timers"},
    } in deltas

    again = run(client, "/agui/ad_workflow", {**body, "runId": "run-2-retry"})
    assert types(again) == types(events)  # the same answer replays its turn from the log
    assert again[-1]["outcome"]["interrupts"][0]["id"] == interrupt["id"]
    assert pending_choice(client, "guided-2")["interruptId"] == interrupt["id"]


@pytest.mark.parametrize(
    ("entries", "code"),
    [
        (lambda i: resume(i, {"optionId": "aud-99"}), "unknown_option"),
        (lambda i: resume(i, {"colour": "blue"}), "invalid_resume"),
        (lambda i: resume(i, None, status="cancelled"), "invalid_resume"),
        (lambda i: resume("not-the-open-one", {"optionId": "aud-1"}), "interrupt_mismatch"),
        (lambda i: resume(i, {"optionId": "aud-1"}) * 2, "interrupt_mismatch"),
    ],
)
def test_a_bad_resume_is_a_run_error_and_the_choice_stays_pending(
    client: TestClient, entries: Any, code: str
) -> None:
    thread_id = f"guided-bad-{code}-{len(entries('x'))}-{entries('x')[0]['status']}"
    interrupt_id = to_personas(client, thread_id)[-1]["outcome"]["interrupts"][0]["id"]
    before = log_size(client, thread_id)
    body = run_input(thread_id, "run-bad", resume=entries(interrupt_id))
    events = run(client, "/agui/ad_workflow", body)
    assert types(events) == ["RUN_STARTED", "STATE_SNAPSHOT", "RUN_ERROR"]
    assert events[-1]["code"] == code and events[-1]["message"]
    assert log_size(client, thread_id) == before  # refused: nothing recorded
    assert pending_choice(client, thread_id)["interruptId"] == interrupt_id


def test_a_message_while_a_choice_is_pending_is_a_run_error(client: TestClient) -> None:
    to_personas(client, "guided-3")
    before = log_size(client, "guided-3")
    body = run_input(
        "guided-3", "run-3", messages=[user("m1", "Generate ads"), user("m2", "the second one")]
    )
    events = run(client, "/agui/ad_workflow", body)
    assert events[-1]["type"] == "RUN_ERROR" and events[-1]["code"] == "interrupt_pending"
    assert log_size(client, "guided-3") == before


def test_an_assistant_answer_streams_text_and_its_tool_calls(client: TestClient) -> None:
    messages: list[dict[str, str]] = []
    for n, text in enumerate(BRIEF):
        messages.append(user(f"a{n}", text))
        opening = run(client, "/agui", run_input("assistant-1", f"run-a{n}", messages=messages))
        assert opening[-1]["outcome"] == {"type": "success"}
    assert "".join(e["delta"] for e in named(opening, "TEXT_MESSAGE_CONTENT"))
    messages.append(user("a-go", "Yes, go ahead"))
    events = run(client, "/agui", run_input("assistant-1", "run-save", messages=messages))
    [start] = named(events, "TOOL_CALL_START")
    assert start["toolCallName"] == "save_ad_asset"
    assert start["parentMessageId"] == named(events, "TEXT_MESSAGE_START")[0]["messageId"]
    [result] = named(events, "TOOL_CALL_RESULT")
    assert result["toolCallId"] == start["toolCallId"] and '"saved": true' in result["content"]
    streamed = named(events, "TEXT_MESSAGE_CONTENT")
    assert len(streamed) > 2 and "Headline" in "".join(e["delta"] for e in streamed)
    assets = client.get("/assets").json()["assets"]
    saved = [op for e in named(events, "STATE_DELTA") for op in e["delta"]]
    assert {"op": "add", "path": "/assets", "value": [assets[0]["id"]]} in saved

    messages.append(user("a-image", "Please generate an image for it"))
    image = run(client, "/agui", run_input("assistant-1", "run-image", messages=messages))
    [call] = named(image, "TOOL_CALL_START")
    assert call["toolCallName"] == "generate_ad_image"
    assert '"status": "queued"' in named(image, "TOOL_CALL_RESULT")[0]["content"]

    messages.append(user("a-theme", "Switch to dark mode"))
    theme = run(client, "/agui", run_input("assistant-1", "run-theme", messages=messages))
    [call] = named(theme, "TOOL_CALL_START")
    assert call["toolCallName"] == "switch_theme"
    assert named(theme, "TOOL_CALL_ARGS")[0]["delta"] == '{"theme": "dark"}'
    assert {"op": "add", "path": "/theme", "value": "dark"} in named(theme, "STATE_DELTA")[0][
        "delta"
    ]


def test_a_retried_assistant_run_replays_its_turn(client: TestClient) -> None:
    body = run_input("assistant-2", "run-1", messages=[user("b0", "Hi!")])
    first = run(client, "/agui/ad_assistant", body)
    size = log_size(client, "assistant-2")
    again = run(client, "/agui/ad_assistant", {**body, "runId": "run-1-retry"})
    assert log_size(client, "assistant-2") == size
    texts = ["".join(e["delta"] for e in named(r, "TEXT_MESSAGE_CONTENT")) for r in (first, again)]
    assert texts[0] == texts[1] and texts[0]
    reused = run_input("assistant-2", "run-2", messages=[user("b0", "Something else")])
    refused = run(client, "/agui/ad_assistant", reused)
    assert refused[-1]["code"] == "idempotency_key_reused"


def test_an_adforge_session_continues_over_agui_and_back(client: TestClient) -> None:
    created = client.post("/api/chat/sessions", json={"productId": "1"})
    session_id = created.json()["sessionId"]
    reply = client.post(f"/api/chat/sessions/{session_id}/messages", json={"message": "Go"})
    assert reply.status_code == 200
    persona = pending_choice(client, session_id)

    joined = run(client, "/agui", run_input(session_id, "join"))  # nothing new: the state
    assert joined[-1]["outcome"]["interrupts"][0]["id"] == persona["interruptId"]
    body = run_input(session_id, "pick", resume=resume(persona["interruptId"], "the first one"))
    events = run(client, "/agui", body)
    angle = events[-1]["outcome"]["interrupts"][0]
    assert angle["id"] == pending_choice(client, session_id)["interruptId"]

    title = angle["metadata"]["adforge"]["options"][0]["label"]
    back = client.post(
        f"/api/chat/sessions/{session_id}/messages", json={"message": f"Selected angle: {title}"}
    )
    assert back.status_code == 200, back.text
    assert any(m["type"] == "psychology_selection" for m in back.json()["messages"])
    script = pending_choice(client, session_id)
    assert script["kind"] == "script_selection"
    later = run(client, "/agui/ad_workflow", run_input(session_id, "later"))
    assert later[-1]["outcome"]["interrupts"][0]["id"] == script["interruptId"]
    assert later[1]["snapshot"]["selections"]["angle"]["value"] == title


def test_owners_keys_and_bad_bodies_are_4xx_json(client: TestClient) -> None:
    to_personas(client, "guided-owned")
    foreign = client.post(
        "/agui", json=run_input("guided-owned", "r", messages=[user("x", "hi")]), headers=BOB
    )
    assert foreign.status_code == 404 and foreign.json()["code"] == "not_found"
    rejoin = client.get("/agui/threads/guided-owned/events", headers=BOB)
    assert rejoin.status_code == 404
    keyless = client.post(
        "/agui", json=run_input("t", "r", messages=[user("x", "hi")]), headers={"Authorization": ""}
    )
    assert keyless.status_code == 401 and keyless.json()["code"] == "unauthorized"
    malformed = client.post("/agui", json={"threadId": "t"})
    assert malformed.status_code == 422 and malformed.json()["code"] == "invalid_request"
    other_graph = client.post(
        "/agui/ad_assistant", json=run_input("guided-owned", "r", messages=[user("x", "hi")])
    )
    assert other_graph.status_code == 409 and other_graph.json()["code"] == "graph_mismatch"
    bad_id = client.post("/agui", json=run_input("../etc", "r", messages=[user("x", "hi")]))
    assert bad_id.status_code == 422
    unknown_graph = client.post("/agui/ad_other", json=run_input("t2", "r"))
    assert unknown_graph.status_code == 422


def test_a_run_that_asks_for_the_render_streams_until_its_result(client: TestClient) -> None:
    body = run_input(
        "guided-image",
        "run-1",
        messages=[user("m1", "Generate ads")],
        state={"productId": "1", "mediaType": "image"},
    )
    events = run(client, "/agui/ad_workflow", body)
    for n in range(3):  # persona, angle, script: the first option each time
        [interrupt] = events[-1]["outcome"]["interrupts"]
        first = interrupt["responseSchema"]["properties"]["optionId"]["enum"][0]
        answer = run_input(
            "guided-image", f"run-{n}", resume=resume(interrupt["id"], {"optionId": first})
        )
        events = run(client, "/agui/ad_workflow", answer)
    assert events[-1]["outcome"] == {"type": "success"}
    cards = [e["name"] for e in named(events, "CUSTOM")]
    assert cards.index("media_job") < cards.index("static_ad_result")
    [result] = [e["value"] for e in named(events, "CUSTOM") if e["name"] == "static_ad_result"]
    assert result["result"]["url"].startswith("/media/")
    [saved] = named(events, "TOOL_CALL_START")
    assert saved["toolCallName"] == "save_ad_asset"
    assert len(named(events, "RUN_STARTED")) == 1  # the render's resume is part of this run
    state = named(events, "STATE_DELTA")
    assert {"op": "replace", "path": "/step", "value": "completed"} in [
        op for e in state for op in e["delta"]
    ]


def test_a_run_on_a_busy_thread_is_a_run_error_that_records_nothing(client: TestClient) -> None:
    interrupt_id = to_personas(client, "guided-busy")[-1]["outcome"]["interrupts"][0]["id"]
    runs = client.app.state.services.runs  # type: ignore[attr-defined]
    held = runs.hold("guided-busy")  # another command holds the thread, as a running turn does
    try:
        before = log_size(client, "guided-busy")
        body = run_input("guided-busy", "run-2", resume=resume(interrupt_id, {"optionId": "aud-1"}))
        events = run(client, "/agui/ad_workflow", body)
        assert events[-1]["type"] == "RUN_ERROR" and events[-1]["code"] == "run_in_progress"
        assert log_size(client, "guided-busy") == before
    finally:
        runs.release(held)
    answered = run(client, "/agui/ad_workflow", {**body, "runId": "run-3"})
    kind = answered[-1]["outcome"]["interrupts"][0]["metadata"]["adforge"]["kind"]
    assert kind == "angle_selection"


def test_cancelling_a_run_by_id_ends_its_stream_cancelled(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADFORGE_OFFLINE_LATENCY_MS", "400")  # the reply takes seconds
    settings = Settings(
        ADFORGE_DATA_DIR=str(tmp_path_factory.mktemp("agui-cancel")),
        ADFORGE_MODEL="offline:adforge-creative-1",
    )
    with TestClient(create_app(settings)) as slow:
        services = slow.app.state.services  # type: ignore[attr-defined]
        body = run_input("slow-1", "run-1", messages=[user("s0", "Hi!")])
        with ThreadPoolExecutor(1) as pool:
            streamed = pool.submit(slow.post, "/agui/ad_assistant", json=body)
            deadline = time.monotonic() + 30
            while services.runs.active_run("slow-1") is None:
                assert time.monotonic() < deadline, "the run never started"
                time.sleep(0.02)
            run_id = services.runs.active_run("slow-1")
            cancel = slow.post(f"/agui/threads/slow-1/runs/{run_id}/cancel")
            assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
            events = events_of(streamed.result(timeout=60).text)
        assert events[0]["metadata"]["adforge"]["runId"] == run_id
        assert events[-1]["outcome"] == {"type": "cancelled"}
        again = slow.post(f"/agui/threads/slow-1/runs/{run_id}/cancel")
        assert again.status_code == 404
