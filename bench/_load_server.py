"""The server side of ``bench/load.py``: a real uvicorn process and HTTP/SSE clients of it.

The server runs as ``python -m server`` in its own process (as a deployment would), so the figures
include HTTP parsing, the event log, projections and SSE encoding. The clients share the machine
with it, which is one more reason the benchmark reports ratios against a baseline of the same run.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

__all__ = [
    "Frame",
    "ServerProcess",
    "create_session",
    "replay_seconds",
    "running_server",
    "server_scenario",
]

ROOT = Path(__file__).resolve().parents[1]
SSE = {"Accept": "text/event-stream"}
SESSION = {"userId": "bench", "productId": "1", "format": "Hybrid Format", "mediaType": "video"}
Frame = tuple[int, dict[str, Any]]
"""One SSE data frame: its ``id`` (the event's seq) and its decoded JSON body."""


class ServerProcess:
    """A started ``python -m server`` and where it keeps its data."""

    def __init__(self, process: subprocess.Popen[bytes], base_url: str, data_dir: Path) -> None:
        self.process = process
        self.base_url = base_url
        self.data_dir = data_dir

    @property
    def database(self) -> Path:
        """The SQLite file the server writes checkpoints and events to."""
        return self.data_dir / "adforge.sqlite"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_ready(server: ServerProcess, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"server exited with {server.process.returncode}:\n{tail}")
        try:
            if httpx.get(f"{server.base_url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server not ready after {timeout}s; see {log}")


@contextmanager
def running_server(workdir: Path, env: Mapping[str, str]) -> Iterator[ServerProcess]:
    """Start the server on a free port with its data in ``workdir``; stop it when the block ends."""
    port = _free_port()
    data_dir = workdir / "server-data"
    log = workdir / "server.log"
    settings = {"PORT": str(port), "ADFORGE_DATA_DIR": str(data_dir), **env}
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "server"],
            cwd=ROOT,
            env={**os.environ, **settings},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        server = ServerProcess(process, f"http://127.0.0.1:{port}", data_dir)
        try:
            _wait_ready(server, log)
            yield server
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


async def _frames(response: httpx.Response) -> AsyncIterator[Frame]:
    """Data frames of an SSE response as a browser dispatches them (comments skipped)."""
    seq = 0
    data: list[str] = []
    async for line in response.aiter_lines():
        if line == "":
            if data:
                yield seq, json.loads("\n".join(data))
            data = []
        elif line.startswith("id:"):
            seq = int(line[3:])
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())


async def _read_turn(
    response: httpx.Response, last_type: str, started: float | None, firsts: list[float]
) -> tuple[dict[str, dict[str, Any]], int]:
    """Frames up to ``last_type`` by type (the last of each), and the last seq seen."""
    if response.status_code != 200:
        await response.aread()
        raise RuntimeError(f"{response.request.url}: {response.status_code} {response.text}")
    seen: dict[str, dict[str, Any]] = {}
    async for seq, frame in _frames(response):
        if started is not None and not seen:
            firsts.append(time.perf_counter() - started)
        seen[frame["type"]] = frame
        if frame["type"] == "error":
            raise RuntimeError(f"the server answered an error frame: {frame}")
        if frame["type"] == last_type:
            return seen, seq
    raise RuntimeError(f"stream ended before {last_type}: {sorted(seen)}")


async def _turn(
    client: httpx.AsyncClient, sid: str, body: dict[str, Any], firsts: list[float]
) -> tuple[dict[str, dict[str, Any]], int]:
    started = time.perf_counter()
    url = f"/api/chat/sessions/{sid}/messages"
    async with client.stream("POST", url, json=body, headers=SSE) as response:
        return await _read_turn(response, "ai_response_complete", started, firsts)


async def create_session(client: httpx.AsyncClient) -> str:
    """A new session for the demo product, as the guide's frontend creates it."""
    created = await client.post("/api/chat/sessions", json=SESSION)
    created.raise_for_status()
    return str(created.json()["sessionId"])


async def server_scenario(client: httpx.AsyncClient, *, render: bool) -> tuple[list[float], str]:
    """The guide's scenario over HTTP; returns the time-to-first-frame of each turn and the session.

    Session → "Generate ads" (personas) → first persona (angles) → first angle (scripts), each turn
    a POST with ``Accept: text/event-stream`` read to ``ai_response_complete``. With ``render``, the
    first script is also rendered (POST /video, then the session stream up to ``video_result``).
    """
    firsts: list[float] = []
    sid = await create_session(client)
    turn, _ = await _turn(
        client, sid, {"message": "Generate ads", "currentStep": "persona_selection"}, firsts
    )
    persona = turn["audience_group"]["data"]["audiences"][0]
    pick = {"id": persona["id"], "name": persona["name"]}
    body = {
        "message": f"Selected persona: {persona['name']}",
        "currentStep": "angle_selection",
        "context": {"selectedPersona": pick},
    }
    turn, _ = await _turn(client, sid, body, firsts)
    angle = turn["marketing_angle"]["data"]["angles"][0]
    body = {
        "message": f"Selected angle: {angle['title']}",
        "currentStep": "script_generation",
        "context": {"selectedAngle": {"id": angle["id"], "title": angle["title"]}},
    }
    turn, last_seq = await _turn(client, sid, body, firsts)
    concept = turn["psychology_selection"]["data"]["concepts"][0]
    if render:
        job = await client.post(f"/api/chat/sessions/{sid}/video", json={"scriptId": concept["id"]})
        job.raise_for_status()
        headers = {"Last-Event-ID": str(last_seq)}
        async with client.stream("GET", f"/api/chat/sessions/{sid}/events", headers=headers) as r:
            await _read_turn(r, "video_result", None, firsts)
    return firsts, sid


async def replay_seconds(client: httpx.AsyncClient, sid: str, head: int) -> float:
    """Seconds to read every frame of ``sid`` from seq 0 to ``head`` over GET /events.

    The endpoint replays and then follows the live tail forever, so the read stops at the frame
    whose id is ``head``. Frames are counted by their ``id:`` line (comment-only frames of internal
    events carry one too) without decoding JSON, to keep the client's share of the CPU small.
    """
    started = time.perf_counter()
    async with client.stream("GET", f"/api/chat/sessions/{sid}/events") as response:
        response.raise_for_status()
        count = 0
        async for line in response.aiter_lines():
            if line.startswith("id:"):
                count += 1
                if int(line[3:]) >= head:
                    elapsed = time.perf_counter() - started
                    if count != head:
                        raise RuntimeError(f"replay yielded {count} frames, expected {head}")
                    return elapsed
    raise RuntimeError(f"replay of {sid} ended after {count} of {head} frames")
