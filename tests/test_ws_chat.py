"""``WS /ws/chat/{sessionId}`` against a uvicorn process: the same chat as SSE, both directions.

The WebSocket must be a second window onto one conversation: its frames are the SSE frames (same
seq, same JSON), a message sent over it is read exactly like a POSTed one, bad frames answer an
error frame without closing the socket, and a reconnect with ``?lastEventId=`` resumes with no gap.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests._processes import adforge_server
from tests.sse_client import frames as frames_of

KEY = "sk-ws-test"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("ws")
    keys = f"{KEY}:alice,sk-other:bob"
    with adforge_server(tmp / "data", tmp / "server.log", ADFORGE_API_KEYS=keys) as server:
        yield f"127.0.0.1:{server.port}"


def _api(base: str, key: str = KEY) -> httpx.Client:
    return httpx.Client(
        base_url=f"http://{base}", timeout=60, headers={"Authorization": f"Bearer {key}"}
    )


def _new_session(base: str) -> str:
    with _api(base) as api:
        created = api.post("/api/chat/sessions", json={"productId": "1", "format": "Hybrid Format"})
        assert created.status_code == 201, created.text
        return str(created.json()["sessionId"])


def _socket(base: str, sid: str, query: str = "") -> ClientConnection:
    return connect(f"ws://{base}/ws/chat/{sid}?access_token={KEY}{query}", open_timeout=10)


def _until(ws: ClientConnection, last_type: str) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    while True:
        frame = json.loads(ws.recv(timeout=60))
        seen.append(frame)
        if frame["type"] == last_type:
            return seen


def _chat_frames(frames: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in frames if "seq" in f]


@pytest.mark.integration
def test_a_conversation_over_the_socket_matches_the_sse_stream(base: str) -> None:
    sid = _new_session(base)
    with _socket(base, sid) as ws:
        ws.send(json.dumps({"message": "Generate ads", "currentStep": "persona_selection"}))
        turn = _until(ws, "ai_response_complete")
        accepted = next(f for f in turn if f["type"] == "accepted")
        assert accepted["runId"].startswith("run-")
        frames = _chat_frames(turn)
        assert frames[0]["type"] == "user_message" and frames[0]["seq"] == accepted["messageSeq"]
        group = next(f for f in frames if f["type"] == "audience_group")
        persona = group["data"]["audiences"][1]

        ws.send(
            json.dumps(
                {
                    "message": f"Selected persona: {persona['name']}",
                    "context": {"selectedPersona": {"id": persona["id"]}},
                }
            )
        )
        frames += _chat_frames(_until(ws, "ai_response_complete"))
        assert any(f["type"] == "marketing_angle" for f in frames)
        summary = next(f for f in frames if f["type"] == "selection_summary")
        assert persona["name"] in json.dumps(summary, ensure_ascii=False)

    with (
        _api(base) as api,
        api.stream("GET", f"/api/chat/sessions/{sid}/events") as response,
    ):
        sse = []
        for frame in frames_of(response):
            sse.append(frame)
            if sum(f.data["type"] == "ai_response_complete" for f in sse) == 2:
                break
    assert [(int(f.id or 0), f.data) for f in sse] == [
        (f["seq"], {k: v for k, v in f.items() if k != "seq"}) for f in frames
    ]


@pytest.mark.integration
def test_bad_frames_answer_errors_and_keep_the_socket_open(base: str) -> None:
    sid = _new_session(base)
    with _socket(base, sid) as ws:
        ws.send("not json")
        assert json.loads(ws.recv(timeout=10)) == {
            "type": "error",
            "message": "each WebSocket frame must be a JSON object",
            "code": "invalid_request",
            "retryable": False,
        }
        ws.send(json.dumps({"message": ""}))
        empty = json.loads(ws.recv(timeout=10))
        assert empty["code"] == "invalid_request" and "message" in empty["message"]
        ws.send(json.dumps({"type": "cancel", "runId": "run-nope"}))
        assert json.loads(ws.recv(timeout=10))["code"] == "not_found"

        ws.send(json.dumps({"message": "Generate ads"}))
        ws.send(json.dumps({"message": "and again, right now"}))
        frames = _until(ws, "ai_response_complete")
        busy = next(f for f in frames if f["type"] == "error")
        assert busy["code"] == "run_in_progress" and busy["retryable"] is False
        assert sum(f["type"] == "accepted" for f in frames) == 1
        ws.send(json.dumps({"type": "ping"}))
        assert json.loads(ws.recv(timeout=10)) == {"type": "pong"}


@pytest.mark.integration
def test_reconnect_with_last_event_id_resumes_without_gap(base: str) -> None:
    sid = _new_session(base)
    with _socket(base, sid) as ws:
        ws.send(json.dumps({"message": "Generate ads"}))
        whole = _chat_frames(_until(ws, "ai_response_complete"))
    cut = whole[len(whole) // 2]["seq"]
    with _socket(base, sid, f"&lastEventId={cut}") as ws:
        resumed = [json.loads(ws.recv(timeout=10)) for _ in whole if _["seq"] > cut]
    assert resumed == [f for f in whole if f["seq"] > cut]


@pytest.mark.integration
def test_unknown_or_foreign_sessions_and_bad_keys_close_with_a_reason(base: str) -> None:
    sid = _new_session(base)
    cases = [
        (f"ws://{base}/ws/chat/{sid}?access_token=sk-other", 4404, "not_found"),
        (f"ws://{base}/ws/chat/sess-missing?access_token={KEY}", 4404, "not_found"),
        (f"ws://{base}/ws/chat/{sid}", 4401, "unauthorized"),
        (f"ws://{base}/ws/chat/{sid}?access_token={KEY}&lastEventId=99999", 4409, "cursor_ahead"),
    ]
    for url, close_code, error_code in cases:
        with connect(url, open_timeout=10) as ws:
            assert json.loads(ws.recv(timeout=10))["code"] == error_code
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=10)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == close_code
