"""The server with HEYGEN_API_KEY set, against the strict fake of HeyGen's v3 API (edition
2026-07-21): the avatar marketplace lists HeyGen's presenters, the guide's video job renders
through HeyGen once, and every offered size comes back as a file of exactly that size, spoken by
a voice the server chose, with no request the edition does not document.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests._processes import adforge_server
from tests.fakes.heygen_server import (
    DEFAULT_LOOKS,
    DEFAULT_VOICES,
    FakeHeyGen,
    FakeHeyGenScript,
    VideoPlan,
)
from tests.http_flows import to_scripts
from tests.media_probe import ffprobe, video_stream
from tests.sse_client import read_until
from tools.jobs import VIDEO_RESOLUTIONS, parse_resolution

SCRIPT = {
    "script": {"hook": "Wait—", "body": ["Beat one.", "Beat two."], "cta": "Try it today"},
    "productName": "Sérum autobronzant progressif",
}


@pytest.fixture(scope="module")
def heygen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeHeyGen]:
    with FakeHeyGen(tmp_path_factory.mktemp("heygen-media")) as fake:
        yield fake


@pytest.mark.integration
def test_videos_render_through_heygen_when_its_key_is_set(
    tmp_path: Path, heygen: FakeHeyGen
) -> None:
    env = {
        "HEYGEN_API_KEY": heygen.api_key,
        "HEYGEN_BASE_URL": heygen.url,
        "HEYGEN_POLL_INTERVAL_S": "0.05",
    }
    with (
        adforge_server(tmp_path / "data", tmp_path / "server.log", **env) as server,
        httpx.Client(base_url=server.base_url, timeout=120) as api,
    ):
        avatars = api.get("/api/avatars/marketplace").json()["data"]
        assert {a["provider"] for a in avatars} == {"heygen"}
        assert {a["offline"] for a in avatars} == {False}
        assert len(avatars) == len(DEFAULT_LOOKS)
        assert api.get("/api/avatars/marketplace").json()["data"] == avatars
        assert len(heygen.calls("GET", "/v3/avatars/looks")) == 1  # the list is cached
        presenter = avatars[0]["id"]

        sid, script_id = to_scripts(api)
        job_id = api.post(
            f"/api/chat/sessions/{sid}/video", json={"scriptId": script_id, "avatar": presenter}
        ).json()["jobId"]
        with api.stream("GET", f"/api/chat/sessions/{sid}/events") as response:
            result = read_until(response, "video_result")[-1].data["data"]
        record = api.get(f"/api/jobs/{job_id}").json()
        assert record["status"] == "completed" and record["provider"] == "heygen"
        assert record["result"]["voiceId"] == DEFAULT_LOOKS[0]["default_voice_id"]
        assert record["result"]["voiceSource"] == "avatar_default"
        assert result["offline"] is False

        path = tmp_path / "heygen.mp4"
        path.write_bytes(api.get(result["videoUrl"]).content)
        assert video_stream(ffprobe(path))["codec_name"] == "h264"
        assert api.get(result["thumbnailUrl"]).headers["content-type"] == "image/jpeg"

    assert heygen.submissions == 1
    [submitted] = heygen.calls("POST", "/v3/videos")
    assert submitted.headers["x-api-key"] == heygen.api_key
    assert presenter.encode() in submitted.body


@pytest.mark.integration
def test_a_signed_heygen_webhook_finishes_the_render_without_waiting_for_the_poll(
    tmp_path: Path, heygen: FakeHeyGen
) -> None:
    heygen.reset(FakeHeyGenScript(plan=VideoPlan(statuses=("processing", "completed"))))
    env = {
        "HEYGEN_API_KEY": heygen.api_key,
        "HEYGEN_BASE_URL": heygen.url,
        "HEYGEN_POLL_INTERVAL_S": "600",  # without the webhook the render would wait 10 minutes
        "HEYGEN_WEBHOOK_SECRET": heygen.script.webhook_secret,
    }
    with (
        adforge_server(tmp_path / "data", tmp_path / "server.log", **env) as server,
        httpx.Client(base_url=server.base_url, timeout=120) as api,
    ):
        sid, script_id = to_scripts(api)
        job_id = api.post(f"/api/chat/sessions/{sid}/video", json={"scriptId": script_id}).json()[
            "jobId"
        ]
        deadline = time.monotonic() + 60
        while not heygen.calls("GET", "/v3/videos/"):  # submitted and polled once: processing
            assert time.monotonic() < deadline, "HeyGen was never polled"
            time.sleep(0.05)
        [video_id] = list(heygen.videos)
        hook = f"{server.base_url}/api/webhooks/heygen"

        forged = heygen.send_webhook(hook, video_id, secret="not-the-secret")
        assert forged.status_code == 401 and forged.json()["code"] == "webhook_signature_invalid"
        accepted = heygen.send_webhook(hook, video_id)
        assert accepted.status_code == 200
        assert accepted.json() == {
            "received": True,
            "eventType": "avatar_video.success",
            "jobId": job_id,
            "polledNow": True,
        }
        with api.stream("GET", f"/api/chat/sessions/{sid}/events") as response:
            read_until(response, "video_result")
        assert api.get(f"/api/jobs/{job_id}").json()["status"] == "completed"
    assert len(heygen.calls("GET", "/v3/videos/")) == 2  # the poll the webhook asked for


@pytest.mark.integration
def test_every_offered_size_renders_exactly_with_a_chosen_voice_and_no_refused_request(
    tmp_path: Path, heygen: FakeHeyGen
) -> None:
    heygen.reset()
    env = {
        "HEYGEN_API_KEY": heygen.api_key,
        "HEYGEN_BASE_URL": heygen.url,
        "HEYGEN_POLL_INTERVAL_S": "0.05",
    }
    voiceless = "Daisy_studio_nodefault"  # a look whose default_voice_id is null
    with (
        adforge_server(tmp_path / "data", tmp_path / "server.log", **env) as server,
        httpx.Client(base_url=server.base_url, timeout=120) as api,
    ):
        jobs = {
            size: api.post(
                "/api/videos/generate",
                json={**SCRIPT, "resolution": size, "avatarId": voiceless},
            ).json()["jobId"]
            for size in VIDEO_RESOLUTIONS
        }
        for size, job_id in jobs.items():
            record = _finished(api, job_id)
            assert record["status"] == "completed", record
            result = record["result"]
            assert (result["provider"], result["resolution"]) == ("heygen", size)
            assert result["voiceSource"] == "voice_list" and result["reframedFrom"] is None
            path = tmp_path / f"{size}.mp4"
            path.write_bytes(api.get(result["url"]).content)
            stream = video_stream(ffprobe(path))
            assert (stream["width"], stream["height"]) == parse_resolution(size)

    english_female = next(
        v["voice_id"]
        for v in DEFAULT_VOICES
        if (v["language"], v["gender"]) == ("English", "female")
    )
    assert {_finished_voice(heygen, job) for job in jobs.values()} == {english_female}
    assert heygen.submissions == len(VIDEO_RESOLUTIONS)
    assert heygen.refusals == []
    assert len(heygen.calls("GET", "/v3/voices")) == 1  # the chosen voice is cached


def _finished(api: httpx.Client, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 90
    while True:
        record: dict[str, Any] = api.get(f"/api/jobs/{job_id}").json()
        if record["status"] in ("completed", "failed"):
            return record
        assert time.monotonic() < deadline, f"job {job_id} did not finish: {record}"
        time.sleep(0.1)


def _finished_voice(heygen: FakeHeyGen, job_id: str) -> str:
    """The voice_id the fake received for the render keyed ``job_id``."""
    [video] = [v for v in heygen.videos.values() if v.request["callback_id"] == job_id]
    return str(video.request["voice_id"])
