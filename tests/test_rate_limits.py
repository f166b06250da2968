"""Per-user rate limits (issue 13): messages per minute and renders per hour, 429 + Retry-After.

A real server with two API keys and small budgets: alice spends hers on every protocol's message
routes (Ad Forge POST, the EventSource GET, ChatKit, WebSocket frames), gets a 429 in the JSON error shape with
``retryable: true`` and a ``Retry-After``, and the refused message is not recorded; bob's budget
is his own. ``GET /api/usage`` shows what is left.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from server.http.rate_limits import RateLimiter
from tests._processes import AdForgeServer, adforge_server
from tests.http_flows import chatkit_create

pytestmark = pytest.mark.integration

ALICE = {"Authorization": "Bearer sk-a"}
BOB = {"Authorization": "Bearer sk-b"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdForgeServer]:
    tmp: Path = tmp_path_factory.mktemp("rates")
    env = {
        "ADFORGE_API_KEYS": "sk-a:alice,sk-b:bob,sk-c:carol",
        "ADFORGE_RATE_LIMIT_MESSAGES": "3/minute",
        "ADFORGE_RATE_LIMIT_RENDERS": "1/hour",
    }
    with adforge_server(tmp / "data", tmp / "server.log", **env) as running:
        yield running


def _assert_429(answer: httpx.Response, window_s: int = 60) -> None:
    assert answer.status_code == 429, answer.text
    body = answer.json()
    assert body["type"] == "error" and body["code"] == "rate_limited" and body["retryable"] is True
    assert 1 <= int(answer.headers["retry-after"]) <= window_s


def test_messages_over_the_per_minute_limit_are_429_on_every_protocol(
    server: AdForgeServer,
) -> None:
    with httpx.Client(base_url=server.base_url, headers=ALICE, timeout=60) as api:
        sid = api.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"]
        first = api.post(f"/api/chat/sessions/{sid}/messages", json={"message": "Generate ads"})
        assert first.status_code == 200
        history = api.get(f"/api/chat/sessions/{sid}/context").json()["history"]
        for _ in range(2):  # the rest of the budget, answered 409 or 200: counted either way
            api.post(f"/api/chat/sessions/{sid}/messages", json={"message": "hello"})
        usage = api.get("/api/usage").json()["limits"]["messages"]
        assert usage["remaining"] == 0 and usage["limit"] == "3 per 1 minute"
        after = api.get(f"/api/chat/sessions/{sid}/context").json()["history"]

        _assert_429(api.post(f"/api/chat/sessions/{sid}/messages", json={"message": "more"}))
        _assert_429(api.get(f"/api/chat/sessions/{sid}/stream", params={"message": "more"}))
        _assert_429(api.post("/chatkit", json=chatkit_create("Hi")))
        assert len(api.get(f"/api/chat/sessions/{sid}/context").json()["history"]) == len(after)
        assert len(after) >= len(history)
        # Reading is not limited.
        assert api.get(f"/api/chat/sessions/{sid}").status_code == 200
        assert api.post("/chatkit", json={"type": "threads.list", "params": {}}).status_code == 200


def test_websocket_messages_share_the_budget(server: AdForgeServer) -> None:
    headers = {"Authorization": "Bearer sk-c"}
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as api:
        sid = api.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"]
    url = f"ws://127.0.0.1:{server.port}/ws/chat/{sid}?access_token=sk-c"
    answers: list[dict[str, Any]] = []
    with connect(url, open_timeout=10) as ws:
        for text in ("Generate ads", "hi", "hi", "one too many"):
            ws.send(json.dumps({"type": "message", "message": text}))
            while (answer := json.loads(ws.recv(timeout=30)))["type"] not in ("accepted", "error"):
                pass
            answers.append(answer)
    assert answers[0]["type"] == "accepted"
    assert answers[-1]["code"] == "rate_limited" and answers[-1]["retryable"] is True


def test_one_users_limit_is_not_anothers(server: AdForgeServer) -> None:
    with httpx.Client(base_url=server.base_url, headers=BOB, timeout=60) as api:
        assert api.get("/api/usage").json()["limits"]["messages"]["remaining"] == 3
        sid = api.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"]
        answer = api.post(f"/api/chat/sessions/{sid}/messages", json={"message": "Generate ads"})
        assert answer.status_code == 200


def test_renders_over_the_hourly_limit_are_429(server: AdForgeServer) -> None:
    with httpx.Client(base_url=server.base_url, headers=BOB, timeout=60) as api:
        # bob's only render of the hour (a 404 for an unknown session counts: attempts are counted)
        api.post("/api/chat/sessions/sess-none/video", json={"scriptId": "x"})
        answer = api.post("/api/chat/sessions/sess-none/video", json={"scriptId": "x"})
        _assert_429(answer, window_s=3600)
        assert api.get("/api/usage").json()["limits"]["renders"]["remaining"] == 0


def test_an_unauthenticated_request_is_401_not_counted(server: AdForgeServer) -> None:
    with httpx.Client(base_url=server.base_url, timeout=60) as api:
        for _ in range(5):
            answer = api.post("/api/chat/sessions/s/messages", json={"message": "hi"})
            assert answer.status_code == 401


async def test_the_limiter_reports_the_budget_and_the_wait() -> None:
    limiter = RateLimiter("2/minute", "1/hour")
    await limiter.hit("messages", "u")
    await limiter.hit("messages", "u")
    with pytest.raises(Exception) as refused:
        await limiter.hit("messages", "u")
    assert getattr(refused.value, "status", None) == 429
    assert 1 <= int(getattr(refused.value, "headers", {})["Retry-After"]) <= 60
    assert (await limiter.usage("u"))["messages"].remaining == 0
    assert (await limiter.usage("other"))["messages"].remaining == 2
