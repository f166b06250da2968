"""Video jobs end to end over real HTTP: progress to the chat, a playable MP4, a signed webhook,
seeking by range requests, and a SIGKILL during the render ending with exactly one result.
"""

from __future__ import annotations

import io
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from server.jobs import verify_signature
from tests._processes import adforge_server, free_port
from tests.fakes.webhook_receiver import WebhookReceiver
from tests.http_flows import to_scripts
from tests.media_probe import ffprobe, video_stream
from tests.sse_client import Frame, read_until

SECRET = "whsec-test"


def _server(tmp: Path, port: int, **extra: str) -> Any:
    log = tmp / f"server-{time.monotonic_ns()}.log"
    # The webhook receiver listens on 127.0.0.1, which the SSRF guard refuses unless allowed.
    env = {"ADFORGE_WEBHOOK_SECRET": SECRET, "ADFORGE_ALLOW_PRIVATE_CALLBACKS": "1", **extra}
    return adforge_server(tmp / "data", log, port=port, **env)


@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver(statuses=[500]) as hook:  # the first delivery fails: it must be retried
        yield hook


@pytest.mark.integration
def test_a_video_job_reports_progress_delivers_a_webhook_and_a_seekable_mp4(
    tmp_path: Path, receiver: WebhookReceiver
) -> None:
    port = free_port()
    with (
        _server(tmp_path, port, ADFORGE_VIDEO_FPS="12"),
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as api,
    ):
        sid, script_id = to_scripts(api)
        queued = api.post(
            f"/api/chat/sessions/{sid}/video",
            json={"scriptId": script_id, "avatar": "avatar-female-45", "callbackUrl": receiver.url},
        ).json()
        job = api.get(f"/api/jobs/{queued['jobId']}")
        assert job.status_code == 200 and job.json()["status"] in {"queued", "in_progress"}

        with api.stream("GET", f"/api/chat/sessions/{sid}/events") as response:
            frames = read_until(response, "video_result")
        progress = [
            f.data["data"]["progress"]
            for f in frames
            if f.data["type"] == "status_update" and "progress" in f.data["data"]
        ]
        assert progress == sorted(set(progress)) and progress[-1] == 100 and len(progress) >= 5
        result = frames[-1].data["data"]

        record = api.get(f"/api/jobs/{queued['jobId']}").json()
        assert record["status"] == "completed" and record["progress"] == 100
        assert record["result"]["url"] == result["videoUrl"] and record["provider"] == "offline"

        video = api.get(result["videoUrl"])
        assert (
            video.headers["content-type"] == "video/mp4"
            and "max-age" in video.headers["cache-control"]
        )
        path = tmp_path / "ad.mp4"
        path.write_bytes(video.content)
        info = ffprobe(path)
        stream = video_stream(info)
        assert (stream["codec_name"], stream["width"], stream["height"]) == ("h264", 1080, 1920)
        assert 15 <= float(info["format"]["duration"]) <= 30
        thumbnail = Image.open(io.BytesIO(api.get(result["thumbnailUrl"]).content))
        assert thumbnail.format == "JPEG" and thumbnail.size == (1080, 1920)

        part = api.get(result["videoUrl"], headers={"Range": "bytes=1000-1999"})
        assert part.status_code == 206 and len(part.content) == 1000
        assert part.content == video.content[1000:2000]
        assert part.headers["content-range"] == f"bytes 1000-1999/{len(video.content)}"

        assert receiver.arrived.wait(30), "the webhook never arrived"
        delivered = receiver.deliveries[-1]
        assert len(receiver.deliveries) == 2  # one 500, then the retry
        assert verify_signature(delivered.body, delivered.headers, SECRET)
        assert (
            b'"status":"completed"' in delivered.body and queued["jobId"].encode() in delivered.body
        )


def _video_results(frames: list[Frame]) -> int:
    return sum(f.data["type"] == "video_result" for f in frames)


@pytest.mark.integration
def test_a_sigkill_during_the_render_ends_with_one_job_one_result(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with (
        _server(tmp_path, port, ADFORGE_VIDEO_FPS="24") as server,
        httpx.Client(base_url=base, timeout=120) as api,
    ):
        sid, script_id = to_scripts(api)
        job_id = api.post(f"/api/chat/sessions/{sid}/video", json={"scriptId": script_id}).json()[
            "jobId"
        ]
        deadline = time.monotonic() + 120
        while api.get(f"/api/jobs/{job_id}").json()["progress"] < 10:
            assert time.monotonic() < deadline, "the render never started"
            time.sleep(0.1)
        server.process.kill()  # SIGKILL mid-render: no shutdown, no cleanup
        server.process.wait()

    with (
        _server(tmp_path, port, ADFORGE_VIDEO_FPS="24"),
        httpx.Client(base_url=base, timeout=120) as api,
    ):
        with api.stream("GET", f"/api/chat/sessions/{sid}/events") as response:
            frames = read_until(response, "video_result")
        record = api.get(f"/api/jobs/{job_id}").json()
        assert record["status"] == "completed" and record["attempts"] == 2
        time.sleep(1)  # anything a duplicate resume would append, it would append by now
        with api.stream("GET", f"/api/chat/sessions/{sid}/events") as response:
            replay = read_until(response, "video_result")
        assert _video_results(frames) == _video_results(replay) == 1

    with sqlite3.connect(tmp_path / "data" / "adforge.sqlite") as db:
        rows = db.execute("SELECT status FROM media_jobs WHERE session_id = ?", (sid,)).fetchall()
        kinds = dict(
            db.execute(
                "SELECT type, COUNT(*) FROM events WHERE thread_id = ? GROUP BY type", (sid,)
            ).fetchall()
        )
    assert rows == [("completed",)]
    assert kinds["MediaJobCompleted"] == 1 and kinds["MediaJobRequested"] == 1
    assert kinds.get("MediaJobFailed", 0) == 0
