"""Nothing lost, nothing twice: a real server SIGKILLed at each boundary of the record.

``ADFORGE_CRASH_AT`` (server.core.faults) makes the server kill itself exactly at a boundary
between two durable writes, which no outside timing can hit reliably:

* ``after_writes_commit:propose_personas`` — the personas are in the graph's writes, their
  events not yet in the log (the gap recovery must fill from the writes);
* ``mid_append:PersonasProposed`` — inside the event transaction (it must roll back whole);
* ``after_events_commit:PersonasProposed`` — the events are durable, the step's checkpoint not;
* ``after_checkpoint_commit:3`` — right after the checkpoint that follows ``propose_personas``;
* ``mid_job_completion`` — a static ad's job row is completed, the workflow not yet resumed.

After each kill the server restarts on the same data directory; once idle, the log must show
exactly what the graph state holds: one personas card whose options are the pending choice's,
one choice request, the run started and ended once, seqs gapless — and the conversation goes on.
"""

from __future__ import annotations

import signal
import sqlite3
import time
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests._processes import adforge_server

pytestmark = [pytest.mark.integration, pytest.mark.slow]

Row = tuple[int, str, str | None, str]  # seq, type, run_id, data


def _rows(data_dir: Path, sid: str) -> list[Row]:
    database = data_dir / "adforge.sqlite"
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return db.execute(
            "SELECT seq, type, run_id, data FROM events WHERE thread_id = ? ORDER BY seq", (sid,)
        ).fetchall()


def _types(rows: list[Row]) -> Counter[str]:
    return Counter(type_ for _, type_, _, _ in rows)


def _idle(api: httpx.Client, sid: str, *, step: str | None = None) -> dict[str, Any]:
    """The session once no run executes on it (and, if given, at ``step``); deadline only."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        session: dict[str, Any] = api.get(f"/api/chat/sessions/{sid}").json()
        if session["activeRunId"] is None and step in (None, session["currentStep"]):
            return session
        time.sleep(0.05)
    raise AssertionError(f"session {sid} not idle at {step} after 120 s")


def _post_until_killed(server: Any, api: httpx.Client, url: str, body: dict[str, Any]) -> None:
    """Send a request the server dies in; the process must end by SIGKILL, not otherwise."""
    try:
        with api.stream("POST", url, json=body, headers={"Accept": "text/event-stream"}) as r:
            for _ in r.iter_lines():
                pass
    except httpx.TransportError:
        pass
    assert server.process.wait(timeout=60) == -signal.SIGKILL


def _check_turn_recorded_once(data_dir: Path, api: httpx.Client, sid: str) -> None:
    """The first turn: log and graph agree, every run started and ended exactly once."""
    session = _idle(api, sid, step="persona_selection")
    rows = _rows(data_dir, sid)
    assert [seq for seq, _, _, _ in rows] == list(range(1, len(rows) + 1))  # gapless
    types = _types(rows)
    assert types["PersonasProposed"] == 1 and types["ChoiceRequested"] == 1, types
    assert types["RunStarted"] == types["RunCompleted"] == types["ResponseCompleted"] == 1
    assert types["RunCancelled"] == types["RunFailed"] == 0
    import json

    [proposed] = [json.loads(d) for _, t, _, d in rows if t == "PersonasProposed"]
    offered = [o["id"] for o in session["pendingChoice"]["options"]]
    assert [a["id"] for a in proposed["audiences"]] == offered  # the log shows the graph's
    labels = [o["label"] for o in session["pendingChoice"]["options"]]
    assert [a["name"] for a in proposed["audiences"]] == labels


@pytest.mark.parametrize(
    "crash_at",
    [
        "after_writes_commit:propose_personas",
        "mid_append:PersonasProposed",
        "after_events_commit:PersonasProposed",
        "after_checkpoint_commit:3",
    ],
)
def test_a_kill_at_each_boundary_of_a_turn_loses_nothing_and_records_nothing_twice(
    tmp_path: Path, crash_at: str
) -> None:
    data = tmp_path / "data"
    with adforge_server(data, tmp_path / "crash.log", ADFORGE_CRASH_AT=crash_at) as server:
        with httpx.Client(base_url=server.base_url, timeout=60) as api:
            body = {"productId": "1", "mediaType": "image"}
            sid = api.post("/api/chat/sessions", json=body).json()["sessionId"]
            url = f"/api/chat/sessions/{sid}/messages"
            _post_until_killed(server, api, url, {"message": "Generate ads"})
    cut = _types(_rows(data, sid))
    assert cut["RunStarted"] == 1 and cut["RunCompleted"] == 0, cut  # killed mid-run

    with adforge_server(data, tmp_path / "restart.log") as server:
        with httpx.Client(base_url=server.base_url, timeout=60) as api:
            _check_turn_recorded_once(data, api, sid)
            reply = api.post(
                f"/api/chat/sessions/{sid}/messages", json={"message": "the first one"}
            )
            assert reply.status_code == 200, reply.text
            assert [m["type"] for m in reply.json()["messages"]].count("marketing_angle") == 1


def test_a_kill_while_a_job_completes_ends_with_one_result_and_one_asset(tmp_path: Path) -> None:
    data = tmp_path / "data"
    crash = {"ADFORGE_CRASH_AT": "mid_job_completion"}
    with adforge_server(data, tmp_path / "crash.log", **crash) as server:
        with httpx.Client(base_url=server.base_url, timeout=60) as api:
            body = {"productId": "1", "mediaType": "image"}
            sid = api.post("/api/chat/sessions", json=body).json()["sessionId"]
            url = f"/api/chat/sessions/{sid}/messages"
            for message in ("Generate ads", "the first one", "the first one"):
                assert api.post(url, json={"message": message}).status_code == 200
            pending = api.get(f"/api/chat/sessions/{sid}").json()["pendingChoice"]
            assert pending["kind"] == "script_selection"
            script = pending["options"][0]["id"]
            queued = api.post(f"/api/chat/sessions/{sid}/video", json={"scriptId": script})
            assert queued.status_code == 202, queued.text
            job_id = queued.json()["jobId"]
            assert server.process.wait(timeout=120) == -signal.SIGKILL

    with adforge_server(data, tmp_path / "restart.log") as server:
        with httpx.Client(base_url=server.base_url, timeout=60) as api:
            _idle(api, sid, step="completed")
            job = api.get(f"/api/jobs/{job_id}").json()
            assert job["status"] == "completed"
            types = _types(_rows(data, sid))
            assert types["MediaJobCompleted"] == 1 and types["AssetSaved"] == 1, types
            assert types["RunStarted"] == types["RunCompleted"], types
            assets = api.get("/assets", params={"sessionId": sid}).json()["assets"]
            assert len(assets) == 1 and assets[0]["images"]


def test_a_graceful_stop_mid_turn_is_finished_once_after_the_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    slow = {"ADFORGE_OFFLINE_LATENCY_MS": "1500"}
    with adforge_server(data, tmp_path / "stop.log", **slow) as server:
        with httpx.Client(base_url=server.base_url, timeout=60) as api:
            sid = api.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"]
            url = f"/api/chat/sessions/{sid}/messages"
            body = {"message": "Generate ads"}
            with api.stream("POST", url, json=body, headers={"Accept": "text/event-stream"}) as r:
                for line in r.iter_lines():
                    if "status_update" in line:  # the run is in flight
                        break
                server.process.send_signal(signal.SIGTERM)
                # uvicorn re-raises the signal once its shutdown is complete
                assert server.process.wait(timeout=60) in (0, -signal.SIGTERM)
    assert "database closed" in (tmp_path / "stop.log").read_text()  # the lifespan ran to its end
    stopped = _types(_rows(data, sid))
    assert stopped["RunStarted"] == 1 and stopped["PersonasProposed"] == 0, stopped
    assert stopped["RunCancelled"] == stopped["RunCompleted"] == 0  # unfinished, not cancelled

    with adforge_server(data, tmp_path / "restart.log") as server:
        with httpx.Client(base_url=server.base_url, timeout=60) as api:
            _check_turn_recorded_once(data, api, sid)
            history = api.get(f"/api/chat/sessions/{sid}/context").json()["history"]
            assert [m["type"] for m in history].count("audience_group") == 1
