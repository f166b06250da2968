"""Resumable session streams over real HTTP: a client that keeps cutting its connection and
reconnecting with ``Last-Event-ID`` (or ``?lastEventId=``) sees exactly what an uncut client sees.

Both readers follow ``GET /api/chat/sessions/{id}/events`` of the SAME session while the guide's
video scenario runs (product "1", "Hybrid Format", video), so ids, message ids and timestamps are
identical by construction and the comparison is exact. The offline model is slowed down a little
so that frames trickle in and cuts land while runs are in flight. Cut points come from a seeded
``random.Random``; the seed is in every assertion message (rerun with ``ADFORGE_TEST_SEED=<seed>``).
"""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests._processes import adforge_server
from tests.sse_client import LogFrame, alog_frames

SSE = {"Accept": "text/event-stream"}
DEADLINE_S = 180.0


@dataclass(frozen=True)
class Server:
    base: str
    database: Path


@dataclass
class Reader:
    """What one reader of ``/events`` received, and how it got there."""

    frames: list[LogFrame] = field(default_factory=list)
    cursors: list[int] = field(default_factory=list)  # the cursor of every reconnect
    by_query: int = 0  # reconnects that passed ?lastEventId= instead of the header
    live_cuts: int = 0  # cuts made while a run was executing on the session

    @property
    def last(self) -> int:
        return int(self.frames[-1].id) if self.frames else 0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("reconnect")
    env = {"ADFORGE_VIDEO_FPS": "12", "ADFORGE_OFFLINE_LATENCY_MS": "150"}
    with adforge_server(tmp / "data", tmp / "server.log", **env) as running_server:
        yield Server(running_server.base_url, tmp / "data" / "adforge.sqlite")


def _seed() -> int:
    return int(os.environ.get("ADFORGE_TEST_SEED") or random.randrange(2**32))


def _head(database: Path, sid: str) -> int:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return int(
            db.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM events WHERE thread_id = ?", (sid,)
            ).fetchone()[0]
        )


async def _until(response: httpx.Response, last_type: str) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    async for frame in alog_frames(response):
        if frame.data is not None:
            seen.append(frame.data)
            if frame.data["type"] == last_type:
                return seen
    raise AssertionError(f"stream ended before {last_type}: {[d['type'] for d in seen]}")


def _first(turn: list[dict[str, Any]], type_: str) -> dict[str, Any]:
    return next(d["data"] for d in turn if d["type"] == type_)


async def _uncut(client: httpx.AsyncClient, sid: str, reader: Reader) -> None:
    async with client.stream("GET", f"/api/chat/sessions/{sid}/events") as r:
        assert r.status_code == 200, r.read()
        async for frame in alog_frames(r):
            reader.frames.append(frame)


async def _cutting(
    client: httpx.AsyncClient, sid: str, rng: random.Random, reader: Reader, seed: int
) -> None:
    """Read k frames, drop the (k+1)-th as if lost in transit, hang up, resume; forever."""
    url = f"/api/chat/sessions/{sid}/events"
    while True:
        keep = rng.randint(0, 5)
        headers: dict[str, str] = {}
        params: dict[str, str] = {}
        if reader.cursors:  # the first connection starts from the beginning, like a page load
            if len(reader.cursors) == 2 or rng.random() < 0.25:
                params["lastEventId"] = str(reader.last)
                reader.by_query += 1
            else:
                headers["Last-Event-ID"] = str(reader.last)
        reader.cursors.append(reader.last)
        async with client.stream("GET", url, headers=headers, params=params) as r:
            assert r.status_code == 200, f"seed={seed} cursor={reader.last}: {(await r.aread())!r}"
            received = 0
            async for frame in alog_frames(r):
                if received == keep:
                    break
                reader.frames.append(frame)
                received += 1
        session = (await client.get(f"/api/chat/sessions/{sid}")).json()
        reader.live_cuts += session["activeRunId"] is not None


async def _drive_the_guides_scenario(client: httpx.AsyncClient, sid: str) -> str:
    """The integration guide's video scenario; returns the media job id."""
    url = f"/api/chat/sessions/{sid}"
    first = {"message": "Generate ads", "step": "persona_selection"}
    async with client.stream("GET", f"{url}/stream", params=first) as r:
        persona = _first(await _until(r, "ai_response_complete"), "audience_group")["audiences"][0]
    pick: dict[str, Any] = {
        "message": f"Selected persona: {persona['name']}",
        "currentStep": "angle_selection",
        "context": {"selectedPersona": {"id": persona["id"], "name": persona["name"]}},
    }
    async with client.stream("POST", f"{url}/messages", json=pick, headers=SSE) as r:
        angle = _first(await _until(r, "ai_response_complete"), "marketing_angle")["angles"][0]
    pick = {
        "message": f"Selected angle: {angle['title']}",
        "currentStep": "script_generation",
        "context": {
            "selectedPersona": persona["name"],
            "selectedAngle": {"id": angle["id"], "title": angle["title"]},
        },
    }
    async with client.stream("POST", f"{url}/messages", json=pick, headers=SSE) as r:
        turn = await _until(r, "ai_response_complete")
    concept = _first(turn, "psychology_selection")["concepts"][0]
    job = await client.post(f"{url}/video", json={"scriptId": concept["id"], "avatar": None})
    assert job.status_code == 202, job.text
    return str(job.json()["jobId"])


async def _quiescent(client: httpx.AsyncClient, sid: str, uncut: Reader) -> None:
    """Until the uncut reader has the video and no run executes on the session any more."""
    while True:
        shown = {f.data["type"] for f in uncut.frames if f.data is not None}
        assert "error" not in shown, uncut.frames
        session = (await client.get(f"/api/chat/sessions/{sid}")).json()
        if "video_result" in shown and session["activeRunId"] is None:
            return
        await asyncio.sleep(0.1)


async def _read_through(readers: list[Reader], tasks: list[asyncio.Task[None]], head: int) -> None:
    """Wait until every reader has the head (or its task died), then hang them up."""
    try:
        while any(r.last < head for r in readers):
            for task in tasks:
                if task.done():
                    task.result()  # a reader's assertion surfaces here
            await asyncio.sleep(0.05)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _create_session(client: httpx.AsyncClient) -> str:
    body = {"userId": "user-123", "productId": "1", "format": "Hybrid Format", "mediaType": "video"}
    created = await client.post("/api/chat/sessions", json=body)
    assert created.status_code == 201, created.text
    return str(created.json()["sessionId"])


@pytest.mark.integration
async def test_a_cutting_client_sees_exactly_what_an_uncut_client_sees(server: Server) -> None:
    seed = _seed()
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=server.base, timeout=60) as client:
        sid = await _create_session(client)
        uncut, cutting = Reader(), Reader()
        tasks = [
            asyncio.create_task(_uncut(client, sid, uncut)),
            asyncio.create_task(_cutting(client, sid, rng, cutting, seed)),
        ]
        try:
            async with asyncio.timeout(DEADLINE_S):
                job_id = await _drive_the_guides_scenario(client, sid)
                await _quiescent(client, sid, uncut)
                assert (await client.get(f"/api/jobs/{job_id}")).json()["status"] == "completed"
                head = _head(server.database, sid)
                await _read_through([uncut, cutting], tasks, head)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        # Then a late tab replays the finished log, cutting as well.
        replayed = Reader()
        task = asyncio.create_task(_cutting(client, sid, random.Random(seed + 1), replayed, seed))
        async with asyncio.timeout(DEADLINE_S):
            await _read_through([replayed], [task], head)

    where = f"seed={seed} (rerun with ADFORGE_TEST_SEED={seed})"
    ids = [int(f.id) for f in uncut.frames]
    assert ids == list(range(1, head + 1)), f"the uncut reader missed or repeated ids: {ids}"
    types = {f.data["type"] for f in uncut.frames if f.data is not None}
    assert {"audience_group", "marketing_angle", "psychology_selection", "video_result"} <= types
    assert len(cutting.cursors) >= 5 and cutting.by_query >= 1, where
    assert cutting.live_cuts >= 1, f"no cut landed while a run was executing; {where}"
    for name, got in (("live", cutting), ("replay", replayed)):
        where = f"{name} reader, seed={seed} (rerun with ADFORGE_TEST_SEED={seed})"
        where += f", reconnect cursors {got.cursors}"
        seen = [int(f.id) for f in got.frames]
        duplicated = sorted({i for i in seen if seen.count(i) > 1})
        missing = sorted(set(ids) - set(seen))
        assert not duplicated and not missing, f"duplicated={duplicated} missing={missing}; {where}"
        assert got.frames == uncut.frames, f"a resumed frame differs from the uncut one; {where}"


@pytest.mark.integration
async def test_cursors_the_log_cannot_honour_get_a_clear_error(server: Server) -> None:
    async with (
        httpx.AsyncClient(base_url=server.base, timeout=60) as client,
        asyncio.timeout(DEADLINE_S),
    ):
        sid = await _create_session(client)
        first = {"message": "Generate ads", "step": "persona_selection"}
        async with client.stream("GET", f"/api/chat/sessions/{sid}/stream", params=first) as r:
            await _until(r, "ai_response_complete")
        while (await client.get(f"/api/chat/sessions/{sid}")).json()["activeRunId"]:
            await asyncio.sleep(0.05)  # the run's id-only closing events follow the last frame
        head = _head(server.database, sid)
        url = f"/api/chat/sessions/{sid}/events"

        async def answer(cursor: str, *, query: bool = False) -> httpx.Response:
            if query:
                return await client.get(url, params={"lastEventId": cursor})
            return await client.get(url, headers={"Last-Event-ID": cursor})

        for query in (False, True):
            ahead = await answer(str(head + 1), query=query)
            assert ahead.status_code == 409, ahead.text
            assert ahead.json() == {
                "type": "error",
                "code": "cursor_ahead",
                "message": f"cursor {head + 1} is beyond the session's last event {head}",
                "retryable": False,
            }
        invalid = await answer("abc")
        assert invalid.status_code == 400 and invalid.json()["code"] == "invalid_cursor"

        # Retention is an explicit operation with no HTTP route yet: declare it in the database.
        floor = 4
        with closing(sqlite3.connect(server.database)) as db, db:
            db.execute("INSERT INTO retention (thread_id, min_seq) VALUES (?, ?)", (sid, floor))
        for query in (False, True):
            expired = await answer(str(floor - 2), query=query)
            assert expired.status_code == 410, expired.text
            body = expired.json()
            assert body["type"] == "error" and body["code"] == "cursor_expired"
            assert f"events before {floor} are no longer kept" in body["message"]
        async with client.stream("GET", url, headers={"Last-Event-ID": str(floor - 1)}) as r:
            assert r.status_code == 200
            first_kept = await anext(alog_frames(r))
        assert int(first_kept.id) == floor
        async with client.stream("GET", url) as r:  # a reload without a cursor: what is kept
            assert r.status_code == 200
            first_of_reload = await anext(alog_frames(r))
        assert int(first_of_reload.id) == floor
