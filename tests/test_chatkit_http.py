"""``POST /chatkit`` over real HTTP against uvicorn processes.

Two servers: one offline (API keys for two users), one whose model is the real ``ChatOpenAI``
pointed at the local fake OpenAI server (``OPENAI_BASE_URL`` + ``ADFORGE_MODEL``). On them: the
ChatKit marketing seed's flow (brief → concept → save → image on request → theme switch), a
session started on the Ad Forge API continued over ChatKit and back, owners, and the stop button
(an aborted stream cancels its run and keeps what was done).
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from tests._processes import free_port, running
from tests.fakes import (
    FakeOpenAI,
    FakeScript,
    FakeText,
    FakeToolCall,
    FakeToolCalls,
    running_fake_openai,
    scripted,
)
from tests.test_chatkit_wire import (
    ITEMS,
    THREAD,
    THREADS,
    WIDGET_DEPRECATION,
    assert_error,
    choice_buttons,
    done_items,
    iter_stream_events,
    stream_events,
    summary,
    user_input,
)

pytestmark = [pytest.mark.integration, pytest.mark.filterwarnings(WIDGET_DEPRECATION)]

ALICE = {"Authorization": "Bearer sk-alice"}
BOB = {"Authorization": "Bearer sk-bob"}
BRIEF = [
    "Aurora Cold Brew Concentrate",
    "Clean and minimal",
    "Warm and upbeat",
    "Cafe-quality coffee at home in ten seconds",
]


def _server(tmp: Path, env: dict[str, str]) -> Any:
    port = free_port()
    env = {"PORT": str(port), "ADFORGE_DATA_DIR": str(tmp / "data"), **env}
    base = f"http://127.0.0.1:{port}"
    return base, running(
        [sys.executable, "-m", "server"],
        ready_url=f"{base}/health",
        env=env,
        log=tmp / "server.log",
    )


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    tmp = tmp_path_factory.mktemp("chatkit-offline")
    base, process = _server(
        tmp,
        {
            "ADFORGE_MODEL": "offline:adforge-creative-1",
            "ADFORGE_API_KEYS": "sk-alice:alice,sk-bob:bob",
            "ADFORGE_VIDEO_FPS": "12",
        },
    )
    with process, httpx.Client(base_url=base, timeout=120, headers=ALICE) as client:
        yield client


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with running_fake_openai() as server:
        yield server


@pytest.fixture(scope="module")
def openai(tmp_path_factory: pytest.TempPathFactory, fake: FakeOpenAI) -> Iterator[httpx.Client]:
    tmp = tmp_path_factory.mktemp("chatkit-openai")
    base, process = _server(
        tmp,
        {
            "OPENAI_BASE_URL": fake.base_url,
            "OPENAI_API_KEY": "sk-local-test",
            "ADFORGE_MODEL": "openai:gpt-4.1",
            "ADFORGE_MODEL_MAX_RETRIES": "0",
            "ADFORGE_MODEL_TIMEOUT_S": "20",
        },
    )
    with process, httpx.Client(base_url=base, timeout=120) as client:
        yield client


def request(type_: str, params: dict[str, Any], **metadata: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"type": type_, "params": params}
    if metadata:
        body["metadata"] = metadata
    return body


def turn(
    client: httpx.Client, type_: str, params: dict[str, Any], **meta: Any
) -> list[dict[str, Any]]:
    """A streaming request read to its end; framing and every event validated."""
    with client.stream("POST", "/chatkit", json=request(type_, params, **meta)) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        return stream_events(response.read().decode())


def create(client: httpx.Client, text: str, **meta: Any) -> tuple[str, list[dict[str, Any]]]:
    events = turn(client, "threads.create", {"input": user_input(text)}, **meta)
    return str(events[0]["thread"]["id"]), events


def say(client: httpx.Client, thread_id: str, text: str) -> list[dict[str, Any]]:
    return turn(
        client, "threads.add_user_message", {"thread_id": thread_id, "input": user_input(text)}
    )


def get_thread(client: httpx.Client, thread_id: str) -> dict[str, Any]:
    response = client.post("/chatkit", json=request("threads.get_by_id", {"thread_id": thread_id}))
    assert response.status_code == 200, response.text
    THREAD.validate_json(response.text)
    return dict(response.json())


def act(
    client: httpx.Client, thread_id: str, card: dict[str, Any], n: int = 0
) -> list[dict[str, Any]]:
    action = choice_buttons(card["widget"])[n]
    return turn(
        client,
        "threads.custom_action",
        {"thread_id": thread_id, "item_id": card["id"], "action": action},
    )


def rendered_image(client: httpx.Client, thread_id: str, card_id: str) -> Image.Image:
    """Wait until the job worker has rendered a queued image; the picture the card shows."""
    deadline = time.monotonic() + 60
    while True:
        card = next(i for i in get_thread(client, thread_id)["items"]["data"] if i["id"] == card_id)
        if card["widget"]["status"]["text"].startswith("Ready"):
            break
        assert time.monotonic() < deadline, f"the image never rendered: {card['widget']}"
        time.sleep(0.1)
    src = next(c["src"] for c in card["widget"]["children"] if c["type"] == "Image")
    served = client.get(src)
    assert served.headers["content-type"] == "image/png"
    picture = Image.open(io.BytesIO(served.content))
    picture.load()
    return picture


def texts(events: list[dict[str, Any]]) -> list[str]:
    return [i["content"][0]["text"] for i in done_items(events, "assistant_message")]


def test_the_seed_flow_over_http_offline(offline: httpx.Client) -> None:
    thread_id, opening = create(offline, "Hi!")
    assert "product" in texts(opening)[0].lower()
    assert any(e["update"]["type"].endswith("text_delta") for e in opening if "update" in e)
    for answer in BRIEF:
        reply = say(offline, thread_id, answer)
        assert texts(reply) and "client_effect:record_ad_asset" not in summary(reply)
    assert "aurora" in texts(reply)[-1].lower()  # the brief, summarised for confirmation

    concept = say(offline, thread_id, "Yes, go ahead")
    presented, confirmed = texts(concept)
    assert "Headline" in presented and "gallery" in confirmed.lower()
    asset = next(e for e in concept if e.get("name") == "record_ad_asset")["data"]["asset"]
    gallery = offline.get("/assets").json()["assets"]
    assert [a["headline"] for a in gallery if a["id"] == asset["id"]] == [asset["headline"]]

    image = say(offline, thread_id, "Please generate an image for it")
    queued = done_items(image, "widget")[0]
    assert queued["widget"]["status"]["text"] == "Image queued"
    picture = rendered_image(offline, thread_id, queued["id"])
    assert picture.format == "PNG" and picture.size == (1080, 1080)
    [saved] = [a for a in offline.get("/assets").json()["assets"] if a["id"] == asset["id"]]
    assert saved["kind"] == "image" and len(saved["images"]) == 1
    image_path = saved["images"][0].split("?")[0]  # served under a signed query (issue 13)
    assert image_path.startswith("/media/") and image_path.endswith(".png")

    theme = say(offline, thread_id, "Switch to dark mode")
    assert {"type": "client_effect", "name": "switch_theme", "data": {"theme": "dark"}} in theme

    thread = get_thread(offline, thread_id)
    assert thread["title"] == "Hi!" and len(thread["items"]["data"]) == 18
    every = offline.post(
        "/chatkit",
        json=request("items.list", {"thread_id": thread_id, "limit": 100, "order": "asc"}),
    )
    kinds = [i.type for i in ITEMS.validate_json(every.text).data]
    assert kinds.count("user_message") == 8 and kinds.count("widget") == 1


def test_an_ad_forge_session_continues_over_chatkit_and_back(offline: httpx.Client) -> None:
    created = offline.post("/api/chat/sessions", json={"productId": "1", "mediaType": "image"})
    session_id = created.json()["sessionId"]
    started = offline.post(
        f"/api/chat/sessions/{session_id}/messages", json={"message": "Generate ads"}
    )
    assert started.status_code == 200

    thread = get_thread(offline, session_id)  # reloaded at a pending choice, from the log
    assert thread["title"] == "Sérum autobronzant progressif"
    persona_card = thread["items"]["data"][-1]
    assert persona_card["type"] == "widget" and len(choice_buttons(persona_card["widget"])) == 4
    angles = act(offline, session_id, persona_card, 1)
    angle_card = done_items(angles, "widget")[-1]
    assert "marketing angle" in str(angle_card["widget"]).lower()

    session = offline.get(f"/api/chat/sessions/{session_id}").json()
    pending = session["pendingChoice"]
    assert pending["kind"] == "angle_selection"
    assert session["selections"]["selectedPersona"]["id"] == "aud-2"
    angle = pending["options"][0]
    back = offline.post(
        f"/api/chat/sessions/{session_id}/messages",
        json={"message": f"Selected angle: {angle['label']}", "context": {"selectedAngle": angle}},
    )
    assert "psychology_selection" in [m["type"] for m in back.json()["messages"]]

    thread = get_thread(offline, session_id)
    kinds = [i["type"] for i in thread["items"]["data"]]
    assert kinds[-2:] == ["workflow", "widget"] and "user_message" in kinds
    script_card = thread["items"]["data"][-1]
    assert not choice_buttons(
        next(i for i in thread["items"]["data"] if i["id"] == angle_card["id"])["widget"]
    )
    render = act(offline, session_id, script_card)
    final = [e["item"] for e in render if e["type"] == "thread.item.replaced"][-1]
    image_url = next(c["src"] for c in final["widget"]["children"] if c["type"] == "Image")
    assert image_url.startswith(str(offline.base_url).rstrip("/") + "/media/")
    assert offline.get(image_url).headers["content-type"] == "image/png"

    context = offline.get(f"/api/chat/sessions/{session_id}/context").json()
    assert context["currentStep"] == "completed"
    said = [m["data"]["content"] for m in context["history"] if m["sender"] == "user"]
    assert said[0] == "Generate ads" and said[1].startswith("Selected persona:")


def test_a_guided_chatkit_thread_is_an_ad_forge_session(offline: httpx.Client) -> None:
    thread_id, events = create(offline, "/guided 1", mediaType="image")
    card = done_items(events, "widget")[-1]
    session = offline.get(f"/api/chat/sessions/{thread_id}").json()
    assert session["pendingChoice"]["kind"] == "persona_selection"
    offered = [b["payload"]["optionId"] for b in choice_buttons(card["widget"])]
    assert offered == [o["id"] for o in session["pendingChoice"]["options"]]
    persona = session["pendingChoice"]["options"][0]
    answered = offline.post(
        f"/api/chat/sessions/{thread_id}/messages",
        json={"message": f"Selected persona: {persona['label']}"},
    )
    assert "marketing_angle" in [m["type"] for m in answered.json()["messages"]]
    items = get_thread(offline, thread_id)["items"]["data"]
    old = next(i for i in items if i["id"] == card["id"])
    assert not choice_buttons(old["widget"]) and choice_buttons(items[-1]["widget"])


def test_another_users_threads_answer_404(offline: httpx.Client) -> None:
    thread_id, _ = create(offline, "Hi!")
    for type_, params in [
        ("threads.get_by_id", {"thread_id": thread_id}),
        ("items.list", {"thread_id": thread_id}),
        ("threads.update", {"thread_id": thread_id, "title": "mine"}),
        ("threads.delete", {"thread_id": thread_id}),
        ("items.feedback", {"thread_id": thread_id, "item_ids": [], "kind": "negative"}),
        ("threads.add_user_message", {"thread_id": thread_id, "input": user_input("hi")}),
        ("threads.retry_after_item", {"thread_id": thread_id, "item_id": "x"}),
    ]:
        assert_error(
            offline.post("/chatkit", json=request(type_, params), headers=BOB), 404, "not_found"
        )
    bobs = THREADS.validate_json(
        offline.post("/chatkit", json=request("threads.list", {}), headers=BOB).text
    )
    assert thread_id not in {t.id for t in bobs.data}
    url = str(offline.base_url).rstrip("/") + "/chatkit"
    anonymous = httpx.post(url, json=request("threads.list", {}))
    assert_error(anonymous, 401, "unauthorized")
    assert get_thread(offline, thread_id)["id"] == thread_id  # still alice's


def _concept_call() -> FakeToolCall:
    return FakeToolCall(
        "save_ad_asset",
        {
            "product": "Aurora Cold Brew Concentrate",
            "style": "Clean Minimal",
            "tone": "Warm",
            "pitch": "Cafe Coffee In Ten Seconds",
            "headline": "Cafe Coffee In Ten Seconds",
            "primary_text": " ".join(["Pour, stir and sip a smooth cold brew at home."] * 6),
            "call_to_action": "Shop Aurora",
            "image_prompts": ["A glass of cold brew", "A sunny kitchen", "A commuter with a flask"],
        },
        id="call_save_1",
    )


def test_the_seed_flow_against_the_fake_openai_server(
    openai: httpx.Client, fake: FakeOpenAI
) -> None:
    replies = [
        FakeText("What product, service or idea would you like to promote?"),
        FakeText("Great. What style and tone should the ad have?"),
        FakeText("Here is the brief: Aurora Cold Brew, clean and warm. Shall I write it?"),
        FakeToolCalls(
            (_concept_call(),), content="Here is your ad. Headline: Cafe Coffee In Ten Seconds"
        ),
        FakeText("Saved to your gallery. Want an image?"),
        FakeToolCalls.single(
            "generate_ad_image", {"prompt": "A glass of cold brew", "size": "square"}
        ),
        FakeText("Your image is queued."),
        FakeToolCalls.single("switch_theme", {"theme": "dark"}),
        FakeText("Switched to dark mode."),
    ]
    script = scripted(replies)
    fake.reset(FakeScript(chat=script))
    thread_id, opening = create(openai, "Hi!")
    assert texts(opening) == ["What product, service or idea would you like to promote?"]
    deltas = [e for e in opening if e.get("update", {}).get("type", "").endswith("text_delta")]
    assert len(deltas) >= 1
    say(openai, thread_id, "Aurora Cold Brew Concentrate")
    say(openai, thread_id, "Clean and minimal, warm")
    concept = say(openai, thread_id, "Yes, go ahead")
    assert texts(concept) == [
        "Here is your ad. Headline: Cafe Coffee In Ten Seconds",
        "Saved to your gallery. Want an image?",
    ]
    asset = next(e for e in concept if e.get("name") == "record_ad_asset")["data"]["asset"]
    assert asset["headline"] == "Cafe Coffee In Ten Seconds" and asset["offline"] is False
    image = say(openai, thread_id, "Generate an image please")
    queued = done_items(image, "widget")[0]
    assert "A glass of cold brew" in str(queued["widget"])
    assert rendered_image(openai, thread_id, queued["id"]).size == (1080, 1080)
    [generation] = fake.bodies("/v1/images/generations")
    assert generation["prompt"] == "A glass of cold brew"
    theme = say(openai, thread_id, "Dark mode please")
    assert {"type": "client_effect", "name": "switch_theme", "data": {"theme": "dark"}} in theme
    assert texts(theme) == ["Switched to dark mode."] and script.remaining == 0

    bodies = fake.bodies()
    assert all(b["stream"] is True and b["model"] == "gpt-4.1" for b in bodies)
    assert {t["function"]["name"] for t in bodies[0]["tools"]} == {
        "save_ad_asset",
        "generate_ad_image",
        "switch_theme",
    }
    after_save = bodies[4]["messages"]
    tool_result = next(m for m in after_save if m["role"] == "tool")
    assert tool_result["tool_call_id"] == "call_save_1" and '"saved"' in tool_result["content"]
    assert after_save[0]["role"] == "system" and "marketing" in after_save[0]["content"].lower()


def test_stop_cancels_the_run_and_keeps_what_was_done(
    openai: httpx.Client, fake: FakeOpenAI
) -> None:
    def reply(body: dict[str, Any]) -> FakeText | FakeToolCalls:
        """By the conversation's last message, so the answer does not depend on timing."""
        last = body["messages"][-1]
        if last["role"] == "tool":  # after the save: slow, and cut short by the stop
            return FakeText("Saved! This reply never arrives.", delay=4.0)
        return {
            "Hi!": FakeText("Which product?"),
            "Yes": FakeToolCalls((_concept_call(),), content="Here is your ad."),
        }.get(last["content"], FakeText("Still here."))

    fake.reset(FakeScript(chat=reply))
    thread_id, _ = create(openai, "Hi!")
    body = request("threads.add_user_message", {"thread_id": thread_id, "input": user_input("Yes")})
    seen: list[dict[str, Any]] = []
    hello = request(
        "threads.add_user_message", {"thread_id": thread_id, "input": user_input("Hello?")}
    )
    with openai.stream("POST", "/chatkit", json=body) as response:
        for stream_event in iter_stream_events(response.iter_lines()):
            seen.append(stream_event)
            if stream_event.get("name") == "record_ad_asset":  # saved; the next call is slow
                assert_error(openai.post("/chatkit", json=hello), 409, "run_in_progress")
                # Stop while the slow reply is being written: once the model has been asked
                # for it, the step that saved the asset is checkpointed (durability "sync").
                deadline = time.monotonic() + 10
                while not any(b["messages"][-1]["role"] == "tool" for b in fake.bodies()):
                    assert time.monotonic() < deadline, "the model was never asked again"
                    time.sleep(0.02)
                break  # leaving the stream closes the connection: ChatKit's stop button
    stopped = time.monotonic()

    while True:  # the run ends long before the slow reply would have come
        again = openai.post(
            "/chatkit",
            json=request(
                "threads.add_user_message", {"thread_id": thread_id, "input": user_input("Go on")}
            ),
        )
        if again.status_code != 409:
            break
        assert time.monotonic() - stopped < 3, "the run was not cancelled"
        time.sleep(0.1)
    assert again.status_code == 200 and texts(stream_events(again.text)) == ["Still here."]
    time.sleep(max(0.0, 4.5 - (time.monotonic() - stopped)))
    shown = [
        i["content"][0]["text"]
        for i in get_thread(openai, thread_id)["items"]["data"]
        if i["type"] == "assistant_message"
    ]
    assert shown == ["Which product?", "Here is your ad.", "Still here."]
    asset_id = next(e for e in seen if e.get("name") == "record_ad_asset")["data"]["asset"]["id"]
    assert asset_id in {a["id"] for a in openai.get("/assets").json()["assets"]}
    last = fake.bodies()[-1]["messages"]  # the cancelled turn's tool call kept its result
    assert [m["role"] for m in last[-3:]] == ["assistant", "tool", "user"]
    assert last[-1]["content"] == "Go on"
