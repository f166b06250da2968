"""``/openapi.json`` against the server: every error the chat routes document is provoked and
compared with what the server sends, and the documented 200 shapes are checked on real answers.

One uvicorn process with API keys (so 401s exist); each documented status of each chat operation
has a request below that must produce it, and an operation documenting a status no request here
provokes fails the test, so the docs can promise nothing the server does not do.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.http.schemas import ErrorPublic
from server.protocols.adforge.session_schemas import JobPublic, SessionPublic
from tests._processes import AdForgeServer, adforge_server
from tests.http_flows import to_scripts, wait_until_expired

pytestmark = pytest.mark.integration

KEY = "sk-docs-1"
ERROR_REF = "#/components/schemas/ErrorPublic"
Call = Callable[[httpx.Client], httpx.Response]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("openapi") / "data"


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[AdForgeServer]:
    env = {"ADFORGE_API_KEYS": f"{KEY}:alice", "ADFORGE_VIDEO_FPS": "12"}
    with adforge_server(data_dir, data_dir.parent / "server.log", **env) as running:
        yield running


@pytest.fixture(scope="module")
def api(server: AdForgeServer) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {KEY}"}
    with httpx.Client(base_url=server.base_url, timeout=120, headers=headers) as client:
        yield client


@pytest.fixture(scope="module")
def expired(data_dir: Path) -> Iterator[tuple[httpx.Client, str]]:
    """A second server whose sessions expire after 7.2 s, and one of its expired sessions."""
    env = {"ADFORGE_SESSION_TTL_H": "0.002"}
    tmp = data_dir.parent
    with (
        adforge_server(tmp / "expiring", tmp / "expiring.log", **env) as running,
        httpx.Client(base_url=running.base_url, timeout=60) as client,
    ):
        sid = client.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"]
        wait_until_expired(client, sid)
        yield client, sid


def _documented(spec: dict[str, Any]) -> dict[tuple[str, str], set[int]]:
    return {
        (method.upper(), path): {int(s) for s in op["responses"] if int(s) >= 400}
        for path, item in spec["paths"].items()
        for method, op in item.items()
    }


def test_every_documented_error_is_the_error_shape(api: httpx.Client) -> None:
    spec = api.get("/openapi.json").json()
    text = str(spec)
    assert "HTTPValidationError" not in text and "'detail'" not in text
    for path, item in spec["paths"].items():
        for method, op in item.items():
            for status, response in op["responses"].items():
                if int(status) >= 400:
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": ERROR_REF}, (method, path, status)
    error = spec["components"]["schemas"]["ErrorPublic"]
    assert set(error["required"]) == {"message", "code", "retryable"}
    assert error["properties"]["type"]["const"] == "error"
    context = spec["components"]["schemas"]["MessageCreate"]["properties"]["context"]
    for key in ("selectedPersona", "selectedAngle", "selectedPsychology", "avatar"):
        assert key in context["description"], key
    fmt = spec["components"]["schemas"]["SessionCreate"]["properties"]["format"]
    assert "Hybrid Format" in fmt["enum"] and len(fmt["enum"]) == 5


def _when_rendered(api: httpx.Client, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = api.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("completed", "failed"):
            return dict(job)
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not finish")


def test_the_chat_routes_send_every_error_they_document(
    api: httpx.Client, data_dir: Path, expired: tuple[httpx.Client, str]
) -> None:
    spec = api.get("/openapi.json").json()
    fresh = api.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"]
    sid, script_id = to_scripts(api)
    job = api.post(f"/api/chat/sessions/{sid}/video", json={"scriptId": script_id})
    assert job.status_code == 202, job.text
    job_id = job.json()["jobId"]
    # A retention floor above the start: an old cursor is gone (410), no cursor still replays.
    with sqlite3.connect(data_dir / "adforge.sqlite", timeout=30) as db:
        db.execute("INSERT INTO retention (thread_id, min_seq) VALUES (?, 3)", (sid,))

    anonymous = {"Authorization": ""}
    idle_api, idle = expired
    gone = f"/api/chat/sessions/{idle}"
    s, f = f"/api/chat/sessions/{sid}", f"/api/chat/sessions/{fresh}"
    cases: dict[tuple[str, str], dict[int, Call]] = {
        ("POST", "/api/chat/sessions"): {
            401: lambda c: c.post("/api/chat/sessions", json={"productId": "1"}, headers=anonymous),
            404: lambda c: c.post("/api/chat/sessions", json={"productId": "nope"}),
            422: lambda c: c.post("/api/chat/sessions", json={"productId": "1", "format": "Nope"}),
        },
        ("GET", "/api/chat/sessions"): {
            401: lambda c: c.get("/api/chat/sessions", headers=anonymous),
            422: lambda c: c.get("/api/chat/sessions", params={"limit": 0}),
        },
        ("GET", "/api/chat/sessions/{session_id}"): {
            401: lambda c: c.get(s, headers=anonymous),
            404: lambda c: c.get("/api/chat/sessions/sess-nope"),
        },
        ("GET", "/api/chat/sessions/{session_id}/context"): {
            401: lambda c: c.get(f"{s}/context", headers=anonymous),
            404: lambda c: c.get("/api/chat/sessions/sess-nope/context"),
        },
        ("POST", "/api/chat/sessions/{session_id}/messages"): {
            401: lambda c: c.post(f"{s}/messages", json={"message": "hi"}, headers=anonymous),
            404: lambda c: c.post("/api/chat/sessions/sess-nope/messages", json={"message": "x"}),
            409: lambda c: c.post(f"{s}/messages", json={"message": "one more idea"}),
            410: lambda c: idle_api.post(f"{gone}/messages", json={"message": "hi"}),
            422: lambda c: c.post(f"{s}/messages", json={"message": ""}),
        },
        ("GET", "/api/chat/sessions/{session_id}/stream"): {
            400: lambda c: c.get(f"{s}/stream", headers={"Last-Event-ID": "abc"}),
            401: lambda c: c.get(f"{s}/stream", params={"message": "x"}, headers=anonymous),
            404: lambda c: c.get("/api/chat/sessions/sess-nope/stream", params={"message": "x"}),
            409: lambda c: c.get(f"{s}/stream", headers={"Last-Event-ID": "99999"}),
            410: lambda c: c.get(f"{s}/stream", headers={"Last-Event-ID": "0"}),
            422: lambda c: c.get(f"{f}/stream"),
        },
        ("GET", "/api/chat/sessions/{session_id}/events"): {
            400: lambda c: c.get(f"{s}/events", headers={"Last-Event-ID": "abc"}),
            401: lambda c: c.get(f"{s}/events", headers=anonymous),
            404: lambda c: c.get("/api/chat/sessions/sess-nope/events"),
            409: lambda c: c.get(f"{s}/events", headers={"Last-Event-ID": "99999"}),
            410: lambda c: c.get(f"{s}/events", headers={"Last-Event-ID": "0"}),
        },
        ("POST", "/api/chat/sessions/{session_id}/runs/{run_id}/cancel"): {
            401: lambda c: c.post(f"{s}/runs/run-nope/cancel", headers=anonymous),
            404: lambda c: c.post(f"{s}/runs/run-nope/cancel"),
        },
        ("POST", "/api/chat/sessions/{session_id}/video"): {
            401: lambda c: c.post(f"{f}/video", json={"scriptId": "x"}, headers=anonymous),
            404: lambda c: c.post("/api/chat/sessions/sess-nope/video", json={"scriptId": "x"}),
            409: lambda c: c.post(f"{f}/video", json={"scriptId": "psych-1"}),
            410: lambda c: idle_api.post(f"{gone}/video", json={"scriptId": "psych-1"}),
            422: lambda c: c.post(f"{f}/video", json={}),
        },
        ("GET", "/api/jobs/{job_id}"): {
            401: lambda c: c.get(f"/api/jobs/{job_id}", headers=anonymous),
            404: lambda c: c.get("/api/jobs/job-nope"),
        },
    }
    documented = _documented(spec)
    for operation, provocations in cases.items():
        assert documented[operation] == set(provocations), operation
        for status, call in provocations.items():
            answer = call(api)
            assert answer.status_code == status, (operation, status, answer.text)
            body = ErrorPublic.model_validate(answer.json())
            assert body.type == "error" and body.code and body.message, (operation, status)
    chat = {op for op in documented if op[1].startswith(("/api/chat", "/api/jobs"))}
    assert chat == set(cases)  # every chat operation is covered

    session = api.get(s).json()
    assert set(session) == set(SessionPublic.model_fields)
    SessionPublic.model_validate(session)
    JobPublic.model_validate(_when_rendered(api, job_id))
    spec_session = spec["paths"]["/api/chat/sessions/{session_id}"]["get"]["responses"]["200"]
    assert spec_session["content"]["application/json"]["schema"]["$ref"].endswith("SessionPublic")
    lower = api.post("/api/chat/sessions", json={"productId": "1", "format": "ugc testimonial"})
    assert lower.status_code == 201
    assert api.get(f"/api/chat/sessions/{lower.json()['sessionId']}").json()["format"] == (
        "UGC Testimonial"
    )
