"""A server SIGKILLed mid-run finishes the run after a restart, without recording anything twice.

Over real HTTP (``python -m server``): the offline model is slowed down so a run is surely in
flight, the server is killed once during the first turn (while personas are being proposed) and
once during the second (after the persona impact was recorded, while angles are proposed), and
restarted each time on the same data directory. ``RunManager.recover`` finishes each run under its
own run id; the log must then be gapless, hold every event once, and hold exactly the events an
uninterrupted session of the same scenario records.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests._processes import adforge_server
from tests.sse_client import LogFrame, log_frames

SSE = {"Accept": "text/event-stream"}
SLOW_MS = 2000  # per model call: the window in which the server gets killed
DEADLINE_S = 240  # per server process: a watchdog kills it, so a hung stream fails the test
Row = tuple[int, str, str, str | None]  # seq, event_id, type, run_id


@contextmanager
def _server(
    tmp: Path, name: str, latency_ms: int
) -> Iterator[tuple[subprocess.Popen[bytes], httpx.Client]]:
    slow = {"ADFORGE_OFFLINE_LATENCY_MS": str(latency_ms)}
    with (
        adforge_server(tmp / "data", tmp / f"{name}.log", **slow) as server,
        httpx.Client(base_url=server.base_url, timeout=60) as client,
    ):
        process = server.process
        watchdog = threading.Timer(DEADLINE_S, process.kill)
        watchdog.start()
        try:
            yield process, client
        finally:
            watchdog.cancel()


def _rows(database: Path, sid: str) -> list[Row]:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return db.execute(
            "SELECT seq, event_id, type, run_id FROM events WHERE thread_id = ? ORDER BY seq",
            (sid,),
        ).fetchall()


def _read_until(response: httpx.Response, last_type: str) -> list[LogFrame]:
    seen: list[LogFrame] = []
    for frame in log_frames(response):
        seen.append(frame)
        if frame.data is not None and frame.data["type"] == last_type:
            return seen
    raise AssertionError(f"stream ended before {last_type}: {seen}")


def _data(seen: list[LogFrame], type_: str) -> list[dict[str, Any]]:
    return [f.data for f in seen if f.data is not None and f.data["type"] == type_]


def _kill_once_seen(
    process: subprocess.Popen[bytes], response: httpx.Response, type_: str
) -> list[LogFrame]:
    """Read the turn's stream until a frame of ``type_``, then SIGKILL the server."""
    seen = _read_until(response, type_)
    process.kill()
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    return seen


def _idle(client: httpx.Client, sid: str) -> dict[str, Any]:
    """The session once no run executes on it (deadline only; never a timed assertion)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        session: dict[str, Any] = client.get(f"/api/chat/sessions/{sid}").json()
        if session["activeRunId"] is None:
            return session
        time.sleep(0.05)
    raise AssertionError(f"session {sid} still running after 120 s")


def _cut_mid_run(database: Path, sid: str, run_id: str, recorded: str, pending: str) -> None:
    """Precondition: the killed run recorded ``recorded`` but neither ``pending`` nor its end."""
    types = [type_ for _, _, type_, run in _rows(database, sid) if run == run_id]
    assert "RunStarted" in types and recorded in types, types
    assert pending not in types and "ResponseCompleted" not in types, (
        f"the run was not in flight when the server was killed: {types}"
    )


def _resumed_tail(client: httpx.Client, database: Path, sid: str, after: str) -> list[LogFrame]:
    """Once the recovered run is over, what the session stream shows after ``after``."""
    _idle(client, sid)
    head = _rows(database, sid)[-1][0]
    url = f"/api/chat/sessions/{sid}/events"
    tail: list[LogFrame] = []
    with client.stream("GET", url, headers={"Last-Event-ID": after}) as r:
        assert r.status_code == 200
        for frame in log_frames(r):
            tail.append(frame)
            if int(frame.id) == head:
                return tail
    raise AssertionError(f"the stream ended before seq {head}: {tail}")


def _persona_pick(persona: dict[str, Any]) -> dict[str, Any]:
    return {
        "message": f"Selected persona: {persona['name']}",
        "currentStep": "angle_selection",
        "context": {"selectedPersona": {"id": persona["id"], "name": persona["name"]}},
    }


def _new_session(client: httpx.Client) -> str:
    body = {"userId": "user-123", "productId": "1", "format": "Hybrid Format", "mediaType": "video"}
    created = client.post("/api/chat/sessions", json=body)
    assert created.status_code == 201, created.text
    return str(created.json()["sessionId"])


@pytest.mark.integration
def test_a_killed_server_finishes_its_runs_after_restart_without_duplicates(
    tmp_path: Path,
) -> None:
    database = tmp_path / "data" / "adforge.sqlite"
    first_turn = {"message": "Generate ads", "step": "persona_selection"}

    # 1. Killed during the first turn, after its first status report, while personas are proposed.
    with _server(tmp_path, "server-1", SLOW_MS) as (process, client):
        sid = _new_session(client)
        url = f"/api/chat/sessions/{sid}"
        with client.stream("GET", f"{url}/stream", params=first_turn) as r:
            before = _kill_once_seen(process, r, "status_update")
    [run_1] = {run for _, _, type_, run in _rows(database, sid) if type_ == "RunStarted"}
    assert run_1 is not None
    _cut_mid_run(database, sid, run_1, "StatusReported", "PersonasProposed")

    # 2. Restarted: the run completes at the persona choice; then killed again in the second turn.
    with _server(tmp_path, "server-2", SLOW_MS) as (process, client):
        tail = _resumed_tail(client, database, sid, before[-1].id)
        [start] = _data(before, "ai_response_start")
        assert tail[-1].data == {"type": "ai_response_complete", "messageId": start["messageId"]}
        [group] = _data(tail, "audience_group")
        assert _idle(client, sid)["pendingChoice"]["kind"] == "persona_selection"
        pick = _persona_pick(group["data"]["audiences"][0])
        with client.stream("POST", f"{url}/messages", json=pick, headers=SSE) as r:
            assert r.status_code == 200
            before = _kill_once_seen(process, r, "text")
    assert f"recovering run {run_1}" in (tmp_path / "server-2.log").read_text()
    runs = {run for _, _, type_, run in _rows(database, sid) if type_ == "RunStarted"}
    [run_2] = runs - {run_1}
    assert run_2 is not None
    _cut_mid_run(database, sid, run_2, "PersonaImpactExplained", "AnglesProposed")

    # 3. Restarted again: the second run completes at the angle choice. A control session runs
    #    the same two turns with no crash, on the same server.
    with _server(tmp_path, "server-3", 0) as (process, client):
        tail = _resumed_tail(client, database, sid, before[-1].id)
        [start] = _data(before, "ai_response_start")
        assert tail[-1].data == {"type": "ai_response_complete", "messageId": start["messageId"]}
        assert len(_data(tail, "marketing_angle")) == 1
        assert _idle(client, sid)["pendingChoice"]["kind"] == "angle_selection"

        control = _new_session(client)
        with client.stream("GET", f"/api/chat/sessions/{control}/stream", params=first_turn) as r:
            [group] = _data(_read_until(r, "ai_response_complete"), "audience_group")
        _idle(client, control)
        pick = _persona_pick(group["data"]["audiences"][0])
        messages = f"/api/chat/sessions/{control}/messages"
        with client.stream("POST", messages, json=pick, headers=SSE) as r:
            _read_until(r, "ai_response_complete")
        _idle(client, control)

        rows, control_rows = _rows(database, sid), _rows(database, control)
        with client.stream("GET", f"/api/chat/sessions/{sid}/events") as r:
            replay: list[LogFrame] = []
            for frame in log_frames(r):
                replay.append(frame)
                if int(frame.id) == len(rows):
                    break
    assert "recovering run" in (tmp_path / "server-3.log").read_text()

    # The log: gapless seqs, unique ids, every run exactly once, and the same events as no crash.
    assert [seq for seq, *_ in rows] == list(range(1, len(rows) + 1))
    assert len({event_id for _, event_id, _, _ in rows}) == len(rows)
    assert [int(f.id) for f in replay] == [seq for seq, *_ in rows]
    assert {run for *_, run in rows} == {None, run_1, run_2}
    for run in (run_1, run_2):
        per_run = Counter(type_ for _, _, type_, r in rows if r == run)
        for once in ("RunStarted", "ResponseStarted", "RunCompleted", "ResponseCompleted"):
            assert per_run[once] == 1, f"{once} x{per_run[once]} in {run}: {rows}"
        assert per_run["RunFailed"] == per_run["RunCancelled"] == 0, rows
    totals = Counter(type_ for _, _, type_, _ in rows)
    for once in ("PersonasProposed", "PersonaImpactExplained", "AnglesProposed", "SelectionMade"):
        assert totals[once] == 1, f"{once} x{totals[once]}: {rows}"
    assert totals["ChoiceRequested"] == 2, rows
    assert [type_ for _, _, type_, _ in rows] == [type_ for _, _, type_, _ in control_rows]
    shown = Counter(f.data["type"] for f in replay if f.data is not None)
    assert shown["audience_group"] == shown["marketing_angle"] == shown["text"] == 1, shown
