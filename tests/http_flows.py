"""Common walks through the Ad Forge API for integration tests that start further along."""

from __future__ import annotations

import time
from typing import Any

import httpx


def to_scripts(api: httpx.Client, media_type: str = "video") -> tuple[str, str]:
    """A session of product 1 up to the script choice; returns (session id, script id)."""
    created = api.post("/api/chat/sessions", json={"productId": "1", "mediaType": media_type})
    sid = created.json()["sessionId"]

    def turn(body: dict[str, Any], frame_type: str) -> dict[str, Any]:
        reply = api.post(f"/api/chat/sessions/{sid}/messages", json=body)
        assert reply.status_code == 200, reply.text
        return dict(next(m["data"] for m in reply.json()["messages"] if m["type"] == frame_type))

    persona = turn({"message": "Generate ads"}, "audience_group")["audiences"][0]
    angle = turn({"message": f"Selected persona: {persona['name']}"}, "marketing_angle")
    scripts = turn(
        {"message": f"Selected angle: {angle['angles'][0]['title']}"}, "psychology_selection"
    )
    return str(sid), str(scripts["concepts"][0]["id"])


def wait_until_expired(api: httpx.Client, sid: str, timeout: float = 60) -> None:
    """Poll the session until it shows ``expired`` (its server runs with a TTL of seconds)."""
    deadline = time.monotonic() + timeout
    while api.get(f"/api/chat/sessions/{sid}").json()["status"] != "expired":
        assert time.monotonic() < deadline, f"{sid} never expired"
        time.sleep(0.5)


def rendered_job(api: httpx.Client, media_type: str = "image") -> tuple[str, dict[str, Any]]:
    """A session rendered to the end (a static ad by default); returns (session id, job)."""
    sid, script_id = to_scripts(api, media_type)
    queued = api.post(f"/api/chat/sessions/{sid}/video", json={"scriptId": script_id})
    assert queued.status_code == 202, queued.text
    job_id = queued.json()["jobId"]
    deadline = time.monotonic() + 180
    while (job := api.get(f"/api/jobs/{job_id}").json())["status"] != "completed":
        assert job["status"] != "failed" and time.monotonic() < deadline, job
        time.sleep(0.3)
    return sid, dict(job)


def chatkit_create(text: str) -> dict[str, Any]:
    """A ChatKit ``threads.create`` request with one text message."""
    return {
        "type": "threads.create",
        "params": {
            "input": {
                "content": [{"type": "input_text", "text": text}],
                "attachments": [],
                "inference_options": {},
            }
        },
    }
