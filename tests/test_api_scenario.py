"""The integration guide's complete scenario over real HTTP against a uvicorn process.

Product "1", "Hybrid Format", video: session → stream → persona → angle → scripts → video job →
video_result, checking every message type and the guide's field names; then a full replay of the
session stream from the start, and the error answers.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests._processes import free_port, running
from tests.sse_client import read_until

SSE = {"Accept": "text/event-stream"}
PERSONA_FIELDS = {
    "id",
    "name",
    "avatar",
    "label",
    "labelColor",
    "age",
    "gender",
    "location",
    "description",
    "traits",
    "painPoints",
    "features",
}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    tmp = tmp_path_factory.mktemp("scenario")
    port = free_port()
    env = {"PORT": str(port), "ADFORGE_DATA_DIR": str(tmp / "data"), "ADFORGE_VIDEO_FPS": "12"}
    base = f"http://127.0.0.1:{port}"
    with (
        running(
            [sys.executable, "-m", "server"],
            ready_url=f"{base}/health",
            env=env,
            log=tmp / "server.log",
        ),
        httpx.Client(base_url=base, timeout=120) as client,
    ):
        yield client


def _types(seen: list[object]) -> list[str]:
    return [f.data["type"] for f in seen]  # type: ignore[attr-defined]


@pytest.mark.integration
def test_the_guides_video_scenario_over_http(api: httpx.Client, tmp_path: Path) -> None:
    created = api.post(
        "/api/chat/sessions",
        json={
            "userId": "user-123",
            "productId": "1",
            "format": "Hybrid Format",
            "mediaType": "video",
        },
    )
    assert created.status_code == 201
    session = created.json()
    assert (
        session["status"] == "active"
        and session["sessionId"].startswith("sess-")
        and session["createdAt"].endswith("Z")
    )
    sid = session["sessionId"]

    with api.stream(
        "GET",
        f"/api/chat/sessions/{sid}/stream",
        params={"message": "Generate ads", "step": "persona_selection"},
    ) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["x-accel-buffering"] == "no"
        turn = read_until(r, "ai_response_complete")
    types = _types(turn)
    assert types[0] == "ai_response_start" and "status_update" in types and "reasoning" in types
    group = next(f.data for f in turn if f.data["type"] == "audience_group")
    assert group["messageId"] and group["data"]["productName"] == "Sérum autobronzant progressif"
    audiences = group["data"]["audiences"]
    assert len(audiences) == 4 and all(PERSONA_FIELDS <= a.keys() for a in audiences)
    assert all(f.id and f.id.isdigit() for f in turn)
    status = next(f.data for f in turn if f.data["type"] == "status_update")
    assert {"label", "status"} <= status["data"].keys()

    persona = audiences[0]
    pick = {
        "message": f"Selected persona: {persona['name']}",
        "currentStep": "angle_selection",
        "context": {"selectedPersona": {"id": persona["id"], "name": persona["name"]}},
    }
    with api.stream("POST", f"/api/chat/sessions/{sid}/messages", json=pick, headers=SSE) as r:
        turn = read_until(r, "ai_response_complete")
    angles = next(f.data for f in turn if f.data["type"] == "marketing_angle")["data"]["angles"]
    assert 2 <= len(angles) <= 3
    assert set(angles[0]) >= {"id", "title", "score", "description", "metrics", "reason"}
    assert set(angles[0]["metrics"]) == {"emotion", "proof", "differentiation"}
    assert "text" in _types(turn) and "selection_summary" in _types(turn)

    pick = {
        "message": f"Selected angle: {angles[0]['title']}",
        "currentStep": "script_generation",
        "context": {
            "selectedPersona": persona["name"],
            "selectedAngle": {"id": angles[0]["id"], "title": angles[0]["title"]},
        },
    }
    with api.stream("POST", f"/api/chat/sessions/{sid}/messages", json=pick, headers=SSE) as r:
        turn = read_until(r, "ai_response_complete")
    psychology = next(f.data for f in turn if f.data["type"] == "psychology_selection")["data"]
    assert (
        psychology["productName"] == "Sérum autobronzant progressif"
        and psychology["formatName"] == "Hybrid Format"
    )
    concept = psychology["concepts"][0]
    assert set(concept) >= {
        "id",
        "title",
        "score",
        "description",
        "hook",
        "metrics",
        "fullScript",
        "callToAction",
        "visualDirection",
    }
    assert concept["score"].endswith("/10")
    last_seq = int(turn[-1].id or 0)

    job = api.post(
        f"/api/chat/sessions/{sid}/video",
        json={
            "scriptId": concept["id"],
            "context": {"product": "Sérum autobronzant progressif"},
            "avatar": None,
        },
    )
    assert job.status_code == 202
    queued = job.json()
    assert (
        queued["status"] == "queued"
        and queued["jobId"].startswith("job-")
        and queued["estimatedTime"].endswith("s")
    )

    with api.stream(
        "GET", f"/api/chat/sessions/{sid}/events", headers={"Last-Event-ID": str(last_seq)}
    ) as r:
        tail = read_until(r, "video_result")
    assert [int(f.id or 0) for f in tail] == sorted(int(f.id or 0) for f in tail) and int(
        tail[0].id or 0
    ) > last_seq
    generating = next(f.data for f in tail if f.data["type"] == "status_update")["data"]
    assert (
        generating["label"] == "Generating your AI Video..." and generating["status"] == "loading"
    )
    result = tail[-1].data["data"]
    assert set(result) >= {
        "productName",
        "extraInfo",
        "videoUrl",
        "thumbnailUrl",
        "duration",
        "format",
        "resolution",
    }
    assert (
        result["format"] == "mp4"
        and result["resolution"] == "1080x1920"
        and 15 <= result["duration"] <= 30
    )
    video = api.get(result["videoUrl"])
    assert (
        video.status_code == 200
        and video.headers["content-type"] == "video/mp4"
        and len(video.content) > 50_000
    )
    assert api.get(result["thumbnailUrl"]).headers["content-type"] == "image/jpeg"
    assert api.get(f"/api/jobs/{queued['jobId']}").json()["status"] == "completed"

    with api.stream("GET", f"/api/chat/sessions/{sid}/events") as r:  # a reload: the whole session
        replay = read_until(r, "video_result")
    ids = [int(f.id or 0) for f in replay]
    assert ids == sorted(set(ids)) and {f.data["type"] for f in replay} >= {
        "audience_group",
        "marketing_angle",
        "psychology_selection",
        "video_result",
        "user_message",
    }
    # The video_result frame is the job's; the run it resumes records the saved asset after it.
    deadline = time.monotonic() + 60
    while (context := api.get(f"/api/chat/sessions/{sid}/context").json())[
        "currentStep"
    ] != "completed" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert (
        context["currentStep"] == "completed"
        and context["selections"]["selectedPersona"]["id"] == persona["id"]
    )
    assert context["history"][-1]["type"] == "video_result"


@pytest.mark.integration
def test_errors_are_json_and_never_500(api: httpx.Client) -> None:
    missing = api.get("/api/chat/sessions/sess-nope")
    assert (
        missing.status_code == 404
        and missing.json()["type"] == "error"
        and missing.json()["code"] == "not_found"
    )
    bad = api.post("/api/chat/sessions", json={"productId": 7})
    assert bad.status_code == 422 and bad.json()["retryable"] is False
    unknown_product = api.post("/api/chat/sessions", json={"productId": "nope"})
    assert unknown_product.status_code == 404
    sid = api.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"]
    early_video = api.post(f"/api/chat/sessions/{sid}/video", json={"scriptId": "psych-1"})
    assert (
        early_video.status_code == 409 and early_video.json()["code"] == "not_at_script_selection"
    )
    bad_cursor = api.get(f"/api/chat/sessions/{sid}/events", headers={"Last-Event-ID": "99999"})
    assert bad_cursor.status_code == 409 and bad_cursor.json()["code"] == "cursor_ahead"
