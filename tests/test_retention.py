"""Session expiry (``ADFORGE_SESSION_TTL_H``): an idle session refuses new messages with 410
``session_expired`` and leaves no trace, while its history stays readable.

The integration test runs a real server with a TTL of a few seconds and waits for the session to
go idle (a wait for a state, not a speed assertion).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from server.core.retention import is_expired
from tests._processes import adforge_server
from tests.http_flows import wait_until_expired
from tests.sse_client import read_until

TTL_H = "0.002"  # 7.2 seconds


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    tmp = tmp_path_factory.mktemp("retention")
    with (
        adforge_server(tmp / "data", tmp / "server.log", ADFORGE_SESSION_TTL_H=TTL_H) as server,
        httpx.Client(base_url=server.base_url, timeout=60) as client,
    ):
        yield client


def test_idle_time_counts_from_the_last_event() -> None:
    now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    stamp = (now - timedelta(hours=25)).isoformat().replace("+00:00", "Z")
    assert is_expired({"updatedAt": stamp}, 24, now=now)
    assert not is_expired({"updatedAt": stamp}, 26, now=now)
    assert not is_expired({"updatedAt": stamp}, 0, now=now)  # 0: sessions never expire
    assert not is_expired({}, 24, now=now)


@pytest.mark.integration
def test_an_idle_session_refuses_new_messages_and_keeps_its_history(
    api: httpx.Client, tmp_path: Path
) -> None:
    sid = api.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"]
    first = api.post(f"/api/chat/sessions/{sid}/messages", json={"message": "Generate ads"})
    assert first.status_code == 200, first.text
    wait_until_expired(api, sid)
    history = api.get(f"/api/chat/sessions/{sid}/context").json()["history"]

    refused = [
        api.post(f"/api/chat/sessions/{sid}/messages", json={"message": "more personas"}),
        api.get(f"/api/chat/sessions/{sid}/stream", params={"message": "more personas"}),
        api.post(f"/api/chat/sessions/{sid}/video", json={"scriptId": "psych-1"}),
    ]
    for answer in refused:
        assert answer.status_code == 410, answer.text
        body = answer.json()
        assert body["type"] == "error" and body["code"] == "session_expired"
        assert body["retryable"] is False

    context = api.get(f"/api/chat/sessions/{sid}/context")
    assert context.status_code == 200 and context.json()["history"] == history  # no trace
    assert any(item["type"] == "audience_group" for item in history)
    with api.stream("GET", f"/api/chat/sessions/{sid}/events") as replay:
        frames = read_until(replay, "ai_response_complete")
    assert any(f.data["type"] == "audience_group" for f in frames)
    fresh = api.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"]
    assert api.get(f"/api/chat/sessions/{fresh}").json()["status"] == "active"
