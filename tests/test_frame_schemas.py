"""Every frame a session emits matches ``server.protocols.adforge.frame_schemas.ChatFrame``, and /docs shows it.

Three in-process sessions (product "1", offline model) cover all of ``MESSAGE_TYPES``: the guide's
video scenario (persona → angle → script → video), an image session whose first render fails
(``error`` from a failed job, ``mediaError`` on the script choice, then ``static_ad_result``), and a
session whose first generation fails (``error`` from a failed run, ``messageId`` null). Each frame
of the full ``/events`` replay must validate AND dump back to exactly the dict that was sent, so a
field added to, renamed in or dropped from ``to_frame`` without the schema fails here.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter, ValidationError

import graph.steps as graph_steps
from graph.structured import CreativeGenerationError
from server.app import create_app
from server.protocols.adforge.frame_schemas import ChatFrame, MessagesPublic
from server.protocols.adforge.frames import MESSAGE_TYPES
from server.settings import Settings
from tests.sse_client import read_until
from tools.creative.models import CreativeBrief
from tools.image_providers import GeneratedImage, ImageRequest, OfflineImageProvider
from tools.media import MediaRenderError

FRAMES: TypeAdapter[Any] = TypeAdapter(ChatFrame)
MESSAGES = TypeAdapter(MessagesPublic)
SESSION = "/api/chat/sessions"
STREAMING = {
    ("post", "/api/chat/sessions/{session_id}/messages"),
    ("get", "/api/chat/sessions/{session_id}/stream"),
    ("get", "/api/chat/sessions/{session_id}/events"),
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(ADFORGE_DATA_DIR=str(tmp_path / "data"), ADFORGE_VIDEO_FPS=12)
    with TestClient(create_app(settings)) as opened:
        yield opened


def check_frame(frame: dict[str, Any]) -> str:
    """Validate one frame against ChatFrame; it must dump back unchanged. Returns its type."""
    model = FRAMES.validate_python(frame)
    dumped = FRAMES.dump_python(model, mode="json", by_alias=True, exclude_unset=True)
    assert dumped == frame, f"{frame['type']} frame differs from its schema:\n{frame}\n{dumped}"
    return str(frame["type"])


def check_reply(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Validate a JSON-mode ``POST .../messages`` answer; return its frames."""
    MESSAGES.validate_python(body)
    assert set(body) == {"sessionId", "runId", "messages"}
    for frame in body["messages"]:
        check_frame(frame)
    frames: list[dict[str, Any]] = body["messages"]
    return frames


def replay(client: TestClient, sid: str, last_type: str) -> set[str]:
    """Read the session's whole stream up to ``last_type``; check every frame; return the types."""
    with client.stream("GET", f"{SESSION}/{sid}/events") as response:
        frames = read_until(response, last_type)
    assert all(f.id and f.id.isdigit() for f in frames)
    return {check_frame(f.data) for f in frames}


def wait_for_choice(client: TestClient, sid: str, kind: str) -> dict[str, Any]:
    """Wait until no run is active and the session waits for ``kind``; return that choice."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        session = client.get(f"{SESSION}/{sid}").json()
        pending = session["pendingChoice"]
        if session["activeRunId"] is None and pending and pending["kind"] == kind:
            return dict(pending)
        time.sleep(0.05)
    raise AssertionError(f"session {sid} never came to wait for {kind}")


def send(client: TestClient, sid: str, message: str, **body: Any) -> list[dict[str, Any]]:
    response = client.post(f"{SESSION}/{sid}/messages", json={"message": message, **body})
    assert response.status_code == 200, response.text
    return check_reply(response.json())


def first(frames: list[dict[str, Any]], type_: str) -> dict[str, Any]:
    return next(f["data"] for f in frames if f["type"] == type_)


def to_scripts(client: TestClient, media_type: str) -> tuple[str, list[dict[str, Any]]]:
    """A new session through persona and angle choices; its id and the script concepts."""
    created = client.post(SESSION, json={"productId": "1", "mediaType": media_type})
    sid = created.json()["sessionId"]
    params = {"message": "Generate ads", "step": "persona_selection"}
    with client.stream("GET", f"{SESSION}/{sid}/stream", params=params) as response:
        turn = [f.data for f in read_until(response, "ai_response_complete")]
    persona = first(turn, "audience_group")["audiences"][0]
    wait_for_choice(client, sid, "persona_selection")
    context = {"selectedPersona": {"id": persona["id"], "name": persona["name"]}}
    turn = send(client, sid, f"Selected persona: {persona['name']}", context=context)
    angle = first(turn, "marketing_angle")["angles"][0]
    wait_for_choice(client, sid, "angle_selection")
    context = {"selectedAngle": {"id": angle["id"], "title": angle["title"]}}
    turn = send(client, sid, f"Selected angle: {angle['title']}", context=context)
    wait_for_choice(client, sid, "script_selection")
    return sid, first(turn, "psychology_selection")["concepts"]


def render(client: TestClient, sid: str, script_id: str) -> None:
    response = client.post(f"{SESSION}/{sid}/video", json={"scriptId": script_id})
    assert response.status_code == 202, response.text


@pytest.mark.slow
def test_every_frame_of_every_message_type_matches_the_schema(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The guide's video scenario.
    sid, concepts = to_scripts(client, "video")
    theme = send(client, sid, "Switch to dark mode please")  # any step; the choice stays open
    assert first(theme, "switch_theme") == {"theme": "dark", "content": "Switched to dark mode."}
    wait_for_choice(client, sid, "script_selection")
    render(client, sid, concepts[0]["id"])
    video_types = replay(client, sid, "video_result")
    assert video_types == set(MESSAGE_TYPES) - {"error", "static_ad_result"}

    # An image session whose first render fails, then succeeds with another script.
    original = OfflineImageProvider.generate
    failed: list[str] = []

    async def fail_once(
        provider: OfflineImageProvider, request: ImageRequest, dest: Path
    ) -> GeneratedImage:
        if not failed:
            failed.append(request.idempotency_key)
            raise MediaRenderError("renderer crashed")
        return await original(provider, request, dest)

    monkeypatch.setattr(OfflineImageProvider, "generate", fail_once)
    sid, concepts = to_scripts(client, "image")
    render(client, sid, concepts[0]["id"])
    choice = wait_for_choice(client, sid, "script_selection")
    assert choice["mediaError"]["jobId"] == failed[0]
    render(client, sid, concepts[1]["id"])
    image_types = replay(client, sid, "static_ad_result")
    assert {"error", "static_ad_result"} <= image_types and "video_result" not in image_types

    # A session whose first generation fails: the run's error frame has no messageId.
    async def failing(model: object, schema: type[BaseModel], brief: CreativeBrief) -> BaseModel:
        raise CreativeGenerationError(brief.task, 3, ["personas: too few"])

    monkeypatch.setattr(graph_steps, "generate_structured", failing)
    sid = client.post(SESSION, json={"productId": "1"}).json()["sessionId"]
    turn = send(client, sid, "Generate ads")
    errors = [f for f in turn if f["type"] == "error"]
    assert [e["messageId"] for e in errors] == [None] and errors[0]["retryable"] is True
    assert replay(client, sid, "error") >= {"user_message", "ai_response_start", "error"}

    assert video_types | image_types == set(MESSAGE_TYPES)


def test_a_drifted_frame_fails_the_check() -> None:
    text = {"type": "text", "messageId": "msg-1", "data": {"content": "Hi"}}
    assert check_frame(text) == "text"
    with pytest.raises(AssertionError, match="differs from its schema"):
        check_frame({**text, "data": {"content": "Hi", "extra": 1}})
    for broken in (
        {**text, "type": "txt"},
        {"type": "text", "messageId": "msg-1", "data": {"text": "Hi"}},
        {"type": "error", "messageId": None, "message": "x", "code": "y"},
    ):
        with pytest.raises(ValidationError):
            check_frame(broken)


def _resolve(document: dict[str, Any], ref: str) -> dict[str, Any]:
    assert ref.startswith("#/components/schemas/"), ref
    schemas: dict[str, Any] = document["components"]["schemas"]
    name = ref.rsplit("/", 1)[1]
    assert name in schemas, f"dangling $ref {ref}"
    resolved: dict[str, Any] = schemas[name]
    return resolved


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_openapi_documents_every_frame_type_under_the_streaming_routes(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()
    for method, path in STREAMING:
        ok = document["paths"][path][method]["responses"]["200"]
        schema = ok["content"]["text/event-stream"]["schema"]
        assert "ChatFrame" in ok["description"] and schema["title"] == "ChatFrame"
        mapping = schema["discriminator"]["mapping"]
        assert set(mapping) == set(MESSAGE_TYPES), (method, path)
        assert {r["$ref"] for r in schema["oneOf"]} == set(mapping.values())
        for type_, ref in mapping.items():
            component = _resolve(document, ref)
            assert component["properties"]["type"]["const"] == type_
            assert "messageId" in component["required"]
    messages = document["paths"]["/api/chat/sessions/{session_id}/messages"]["post"]
    reply = messages["responses"]["200"]["content"]["application/json"]["schema"]
    assert reply["$ref"].endswith("/MessagesPublic")
    for ref in _refs(document):  # every frame model and what it nests is a component
        _resolve(document, ref)
