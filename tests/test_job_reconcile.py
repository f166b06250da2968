"""A job that finished while nothing resumed its workflow (a crash in between) is picked up at
start-up: the waiting session gets its result, and only waiting sessions are looked at.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.core.services import Services
from server.jobs import JobStore, open_job_store
from server.settings import Settings
from tests.http_flows import to_scripts
from tests.sse_client import read_until
from tools.video_providers import OfflineVideoProvider


def test_a_finished_job_whose_resume_was_lost_is_resumed_at_start_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(ADFORGE_DATA_DIR=tmp_path / "data")

    async def never(*args: Any, **kwargs: Any) -> Any:  # the render hangs until shutdown
        await asyncio.Event().wait()

    monkeypatch.setattr(OfflineVideoProvider, "render", never)
    with TestClient(create_app(settings)) as client:
        sid, script_id = to_scripts(client)
        job_id = client.post(
            f"/api/chat/sessions/{sid}/video", json={"scriptId": script_id}
        ).json()["jobId"]
        deadline = time.monotonic() + 30
        while client.get(f"/api/jobs/{job_id}").json()["status"] != "in_progress":
            assert time.monotonic() < deadline, "the render never started"
            time.sleep(0.05)
        other_sid, _ = to_scripts(client)  # a session that waits for nothing
        services: Services = client.app.state.services  # type: ignore[attr-defined]
        assert services.projections.view("sessions")[sid]["currentStep"] == "media_generation"

    # Between the render's end and the workflow's resume the process died: the row says
    # completed, the workflow still waits.
    result = {
        "kind": "video",
        "url": f"/media/{sid}/{job_id}.mp4",
        "thumbnailUrl": f"/media/{sid}/{job_id}.jpg",
        "duration": 21.5,
        "format": "mp4",
        "resolution": "1080x1920",
        "jobId": job_id,
        "provider": "offline",
        "offline": True,
    }

    async def finish() -> None:
        async with open_job_store(settings.database_path) as jobs:
            await jobs.finish(job_id, result=result)

    asyncio.run(finish())
    looked_at: list[list[str]] = []
    original = JobStore.finished

    async def spy(self: JobStore, session_ids: list[str]) -> Any:
        looked_at.append(list(session_ids))
        return await original(self, session_ids)

    monkeypatch.setattr(JobStore, "finished", spy)
    with TestClient(create_app(settings)) as client:
        deadline = time.monotonic() + 30
        while client.get(f"/api/chat/sessions/{sid}").json()["currentStep"] != "completed":
            assert time.monotonic() < deadline, "the waiting session was never resumed"
            time.sleep(0.05)
        with client.stream("GET", f"/api/chat/sessions/{sid}/events") as response:
            video = read_until(response, "video_result")[-1].data["data"]
    # The frame carries the URL signed for the caller (issue 13); the path is the recorded one.
    assert video["videoUrl"].split("?")[0] == result["url"] and video["duration"] == 21.5
    assert looked_at == [[sid]] and other_sid not in looked_at[0]
