"""The server's own projections (sessions, transcript, jobs) rebuilt from position 0 equal the
views it kept incrementally while a real conversation ran.

A fold that depends on anything but the events (a clock, a dict's order, a mutated input) would
drift here; so would a projection that skips events it should see after a restart.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from server.app import create_app
from server.core.eventlog import rebuild
from server.core.services import Services
from server.settings import Settings


def _turn(client: TestClient, sid: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    answer = client.post(f"/api/chat/sessions/{sid}/messages", json=body)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["messages"])


def _data(frames: list[dict[str, Any]], type_: str) -> dict[str, Any]:
    return dict(next(f["data"] for f in frames if f["type"] == type_))


def _image_session(client: TestClient) -> str:
    """Personas → free text at the angle step → angle by name → script → a static ad."""
    created = client.post("/api/chat/sessions", json={"productId": "1", "mediaType": "image"})
    sid = str(created.json()["sessionId"])
    persona = _data(_turn(client, sid, {"message": "Generate ads"}), "audience_group")["audiences"][
        0
    ]
    _turn(client, sid, {"message": "x", "context": {"selectedPersona": {"id": persona["id"]}}})
    angles = _data(_turn(client, sid, {"message": "make them more playful"}), "marketing_angle")
    title = angles["angles"][1]["title"]
    scripts = _data(
        _turn(client, sid, {"message": f"Selected angle: {title}"}), "psychology_selection"
    )
    job = client.post(
        f"/api/chat/sessions/{sid}/video", json={"scriptId": scripts["concepts"][0]["id"]}
    )
    assert job.status_code == 202, job.text
    deadline = time.monotonic() + 120
    # The job's row completes first; the run that records the saved asset resumes after it.
    while client.get(f"/api/chat/sessions/{sid}").json()["currentStep"] != "completed":
        assert time.monotonic() < deadline, "the static ad never completed"
        time.sleep(0.2)
    return sid


def test_every_server_projection_rebuilds_to_its_incremental_view(tmp_path: Path) -> None:
    app = create_app(Settings(ADFORGE_DATA_DIR=tmp_path / "data"))
    with TestClient(app) as client:
        sids = [_image_session(client), _image_session(client)]
        refused = client.post(f"/api/chat/sessions/{sids[0]}/messages", json={"message": "more"})
        assert refused.status_code == 409  # a refused message records nothing
        services: Services = app.state.services
        head = client.portal.call(services.store.head_position)
        client.portal.call(services.projections.wait_for, head)

        names = set(services.projections.projections)
        assert names == {"sessions", "assets", "chatkit"}
        for name, projection in services.projections.projections.items():
            rebuilt = client.portal.call(rebuild, services.store, projection)
            assert rebuilt == services.projections.view(name), name

        sessions = services.projections.view("sessions")
        assert set(sids) <= set(sessions)
        assert all(sessions[s]["selections"].keys() >= {"selectedPersona"} for s in sids)
        images = [a for a in services.projections.view("assets").assets.values() if a["images"]]
        assert {a["sourceSession"] for a in images} == set(sids)  # both static ads rendered
        for sid in sids:  # the transcript is mapped from the log, with the session's names
            history = client.get(f"/api/chat/sessions/{sid}/context").json()["history"]
            assert len(history) > 10
            cards = [m for m in history if m["type"] == "audience_group"]
            assert cards and all(m["data"]["productName"] for m in cards)
