"""``/metrics`` over a real uvicorn process during the guide's video scenario, and its setting.

The scrape is parsed with prometheus-client's own parser: the counters and histograms a dashboard
would graph must move with the scenario (runs, first frames, turn durations, HTTP requests by
route template, media jobs, event-log appends) and the live-connection gauges must see an open SSE
stream and an open WebSocket.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from websockets.sync.client import connect

from server.app import create_app
from server.settings import Settings
from tests._processes import AdForgeServer, adforge_server
from tests.http_flows import to_scripts

TOKEN = "mt-scrape-secret"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(api: httpx.Client) -> Samples:
    answer = api.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(answer.text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def requests(samples: Samples, method: str, route: str, status: str) -> float:
    return value(samples, "adforge_http_requests_total", method=method, route=route, status=status)


def wait_for(check: object, api: httpx.Client, timeout: float = 30) -> Samples:
    """Scrape until ``check(samples)`` holds (a disconnect or a job ends asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        samples = scrape(api)
        if check(samples) or time.monotonic() > deadline:  # type: ignore[operator]
            return samples
        time.sleep(0.2)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdForgeServer]:
    tmp = tmp_path_factory.mktemp("metrics")
    env = {"ADFORGE_METRICS_TOKEN": TOKEN, "ADFORGE_VIDEO_FPS": "12"}
    with adforge_server(tmp / "data", tmp / "server.log", **env) as running:
        yield running


@pytest.mark.integration
def test_metrics_move_during_the_guides_video_scenario(server: AdForgeServer) -> None:
    with httpx.Client(base_url=server.base_url, timeout=120) as api:
        refused = api.get("/metrics")
        assert refused.status_code == 401 and refused.json()["code"] == "unauthorized"
        assert api.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        before = scrape(api)
        assert value(before, "adforge_runs_started_total", graph="ad_workflow") == 0

        sid, script_id = to_scripts(api)  # three turns: personas, angles, scripts
        after = scrape(api)
        started = value(after, "adforge_runs_started_total", graph="ad_workflow")
        assert started == 3
        done = ("adforge_runs_finished_total", {"graph": "ad_workflow", "outcome": "completed"})
        assert value(after, done[0], **done[1]) == 3
        assert value(after, "adforge_runs_active") == 0
        assert value(after, "adforge_run_first_frame_seconds_count", graph="ad_workflow") == 3
        turn = {"graph": "ad_workflow", "outcome": "completed"}
        assert value(after, "adforge_run_duration_seconds_count", **turn) == 3
        assert value(after, "adforge_run_duration_seconds_sum", **turn) > 0
        messages = "/api/chat/sessions/{session_id}/messages"
        assert requests(after, "POST", messages, "200") == 3
        durations = "adforge_http_request_duration_seconds_count"
        assert value(after, durations, method="POST", route=messages) == 3
        appended = value(after, "adforge_events_appended_total")
        assert appended > 10
        assert value(after, "adforge_event_append_seconds_count") > 0

        job = api.post(f"/api/chat/sessions/{sid}/video", json={"scriptId": script_id})
        assert job.status_code == 202, job.text
        finished = ("adforge_media_jobs_finished_total", {"kind": "video", "state": "completed"})
        rendered = wait_for(lambda s: value(s, finished[0], **finished[1]) == 1, api, 120)
        assert value(rendered, finished[0], **finished[1]) == 1
        assert value(rendered, "adforge_media_jobs", state="completed") == 1
        assert value(rendered, "adforge_media_jobs", state="queued") == 0
        video = {"kind": "video", "state": "completed"}
        assert value(rendered, "adforge_media_job_duration_seconds_count", **video) == 1
        assert value(rendered, "adforge_events_appended_total") > appended
        # the script choice was a fourth run; the job's end resumed the session in a fifth
        resumed = wait_for(lambda s: value(s, done[0], **done[1]) == 5, api)
        assert value(resumed, done[0], **done[1]) == 5
        assert value(resumed, "adforge_runs_started_total", graph="ad_workflow") == 5

        assert value(resumed, "adforge_live_connections", protocol="sse") == 0
        with api.stream("GET", f"/api/chat/sessions/{sid}/events") as stream:
            lines = stream.iter_lines()  # kept referenced: closing it would close the stream
            assert any('"video_result"' in line for line in lines)
            live = scrape(api)
            assert value(live, "adforge_live_connections", protocol="sse") == 1
        closed = wait_for(lambda s: value(s, "adforge_live_connections", protocol="sse") == 0, api)
        assert value(closed, "adforge_live_connections", protocol="sse") == 0
        events = "/api/chat/sessions/{session_id}/events"
        assert requests(closed, "GET", events, "200") == 1

        with connect(f"ws://127.0.0.1:{server.port}/ws/chat/{sid}", open_timeout=10) as ws:
            ws.recv(timeout=30)  # the replay has begun: the socket is accepted
            live = scrape(api)
            assert value(live, "adforge_live_connections", protocol="websocket") == 1
        gone = wait_for(
            lambda s: value(s, "adforge_live_connections", protocol="websocket") == 0, api
        )
        assert value(gone, "adforge_live_connections", protocol="websocket") == 0

        assert api.get("/api/chat/sessions/sess-nope").status_code == 404
        assert api.get("/no/such/route").status_code == 404
        misses = scrape(api)
        assert requests(misses, "GET", "/api/chat/sessions/{session_id}", "404") == 1
        assert requests(misses, "GET", "unmatched", "404") == 1
        assert not any("sess-nope" in dict(labels).get("route", "") for _, labels in misses)


def _client(tmp_path: Path, **env: str) -> TestClient:
    return TestClient(create_app(Settings(ADFORGE_DATA_DIR=str(tmp_path), **env)))  # type: ignore[arg-type]


def test_metrics_are_off_unless_a_setting_turns_them_on(tmp_path: Path) -> None:
    with _client(tmp_path / "off") as off:
        answer = off.get("/metrics")
        assert answer.status_code == 404 and answer.json()["type"] == "error"
    with _client(tmp_path / "on", ADFORGE_METRICS="on") as on:
        answer = on.get("/metrics")
        assert answer.status_code == 200 and "adforge_http_requests_total" in answer.text
    with _client(tmp_path / "token", ADFORGE_METRICS_TOKEN=TOKEN) as guarded:
        assert guarded.get("/metrics").status_code == 401
        ok = guarded.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200 and "# TYPE adforge_runs_started_total counter" in ok.text
    assert "/metrics" not in TestClient(create_app(Settings())).app.openapi()["paths"]  # type: ignore[attr-defined]
