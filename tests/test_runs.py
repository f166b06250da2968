"""Runs over real HTTP: a disconnect never cancels, one run per session (409 or enqueue), cancel
by run id, and a session carries on after a cancelled run.

The offline model is slowed down (ADFORGE_OFFLINE_LATENCY_MS) so a run is still going while the
test acts on it; every wait is a deadline, never a timing assertion.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests._processes import adforge_server
from tests.sse_client import Frame, frames, read_until

SSE = {"Accept": "text/event-stream"}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    tmp = tmp_path_factory.mktemp("runs")
    slow = {"ADFORGE_OFFLINE_LATENCY_MS": "700"}
    with (
        adforge_server(tmp / "data", tmp / "server.log", **slow) as server,
        httpx.Client(base_url=server.base_url, timeout=60) as client,
    ):
        yield client


def _session(api: httpx.Client) -> str:
    return str(api.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"])


def _start_turn(api: httpx.Client, sid: str, message: str = "Generate ads") -> str:
    """Send a message, read only its first frame, disconnect; return the active run id."""
    with api.stream(
        "POST", f"/api/chat/sessions/{sid}/messages", json={"message": message}, headers=SSE
    ) as response:
        assert response.status_code == 200
        first = next(frames(response))
    assert first.data["type"] in {"user_message", "ai_response_start"}
    run_id = api.get(f"/api/chat/sessions/{sid}").json()["activeRunId"]
    assert run_id, "the run should still be going"
    return str(run_id)


def _whole_stream(api: httpx.Client, sid: str, responses: int) -> list[Frame]:
    """Every frame of the session until its ``responses``-th ai_response_complete."""
    seen: list[Frame] = []
    with api.stream("GET", f"/api/chat/sessions/{sid}/events") as response:
        for frame in frames(response):
            seen.append(frame)
            if sum(f.data["type"] == "ai_response_complete" for f in seen) == responses:
                return seen
    raise AssertionError("stream ended early")


def _types(seen: list[Frame]) -> list[str]:
    return [f.data["type"] for f in seen]


@pytest.mark.integration
def test_a_client_disconnect_never_cancels_the_run(api: httpx.Client) -> None:
    sid = _session(api)
    _start_turn(api, sid)
    stream = _whole_stream(api, sid, responses=1)
    assert "audience_group" in _types(stream) and "error" not in _types(stream)
    assert api.get(f"/api/chat/sessions/{sid}").json()["pendingChoice"]["kind"] == (
        "persona_selection"
    )


@pytest.mark.integration
def test_a_second_message_is_refused_or_queued_and_read_at_its_turn(api: httpx.Client) -> None:
    sid = _session(api)
    _start_turn(api, sid)
    refused = api.post(f"/api/chat/sessions/{sid}/messages", json={"message": "again"})
    assert refused.status_code == 409
    assert refused.json() == {
        "type": "error",
        "message": refused.json()["message"],
        "code": "run_in_progress",
        "retryable": False,
    }
    # queued while the personas are still being written: read at the persona step, as a hint
    queued = {"message": "Younger, outdoorsy people", "multitask": "enqueue"}
    with api.stream(
        "POST", f"/api/chat/sessions/{sid}/messages", json=queued, headers=SSE
    ) as response:
        assert response.status_code == 200
        turn = read_until(response, "ai_response_complete")
    assert _types(turn).count("audience_group") == 1 and "error" not in _types(turn)

    stream = _whole_stream(api, sid, responses=2)
    kinds = _types(stream)
    assert kinds.count("user_message") == 2  # the refused message left no trace
    assert kinds.count("audience_group") == 2  # the queued hint regenerated the personas
    first_done = kinds.index("ai_response_complete")
    assert kinds.index("ai_response_start", first_done) > first_done  # strictly one after another


@pytest.mark.integration
def test_cancel_by_run_id_keeps_what_was_done_and_the_session_goes_on(api: httpx.Client) -> None:
    sid = _session(api)
    run_id = _start_turn(api, sid)
    assert api.post(f"/api/chat/sessions/{sid}/runs/run-unknown/cancel").status_code == 404
    cancelled = api.post(f"/api/chat/sessions/{sid}/runs/{run_id}/cancel")
    assert cancelled.status_code == 200 and cancelled.json() == {
        "runId": run_id,
        "status": "cancelled",
    }
    session: dict[str, Any] = api.get(f"/api/chat/sessions/{sid}").json()
    assert session["activeRunId"] is None and session["pendingChoice"] is None
    again = api.post(f"/api/chat/sessions/{sid}/runs/{run_id}/cancel")
    assert again.status_code == 404  # a finished run cannot be cancelled twice

    # any message continues the workflow from its last completed step
    with api.stream(
        "POST", f"/api/chat/sessions/{sid}/messages", json={"message": "go on"}, headers=SSE
    ) as response:
        turn = read_until(response, "ai_response_complete")
    assert "audience_group" in _types(turn) or "selection_required" in _types(turn)
    assert api.get(f"/api/chat/sessions/{sid}").json()["pendingChoice"]["kind"] == (
        "persona_selection"
    )
