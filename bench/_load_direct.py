"""The baselines of ``bench/load.py``: the same work without the server.

``direct_scenario`` drives ``ad_workflow`` in-process exactly as the server's run manager does
(``astream`` with ``tasks`` + ``custom`` modes, durability ``"sync"``, an ``AsyncSqliteSaver`` on a
WAL file), answering each interrupt with its first option. ``build_replay_log`` and
``read_thread_seconds`` give the replay benchmark its session and its raw-store baseline.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from graph.context import Context
from graph.models import OFFLINE_MODEL_SPEC
from server.core.eventlog import EventStore, NewEvent
from server.jobs.payloads import video_result
from tools.jobs import MediaJobRequest
from tools.video_providers import VideoProvider, VideoRenderRequest

__all__ = ["build_replay_log", "direct_scenario", "read_thread_seconds"]

START = {"product_id": "1", "format": "Hybrid Format", "media_type": "video"}
_BATCH = 500  # events per append while building the replay log


async def _stream(
    graph: CompiledStateGraph[Any, Any, Any, Any],
    payload: Any,
    config: RunnableConfig,
    firsts: list[float] | None,
) -> tuple[Any, ...]:
    """Run one turn; record the time to its first streamed part; return the pending interrupts."""
    started = time.perf_counter()
    async for _ in graph.astream(
        payload,
        config,
        context=Context(model=OFFLINE_MODEL_SPEC, user_id="bench"),
        stream_mode=["tasks", "custom"],
        durability="sync",
        version="v2",
    ):
        if firsts is not None:
            firsts.append(time.perf_counter() - started)
            firsts = None
    # The server reads the pending choice from state the same way (server.core.commands.messages.pending_of).
    snapshot = await graph.aget_state(config)
    return tuple(snapshot.interrupts)


async def direct_scenario(
    graph: CompiledStateGraph[Any, Any, Any, Any],
    thread_id: str,
    *,
    render_to: tuple[VideoProvider, Path] | None = None,
) -> list[float]:
    """The server's scenario without the server; returns each turn's time to its first part.

    With ``render_to`` (a provider and a folder), the first script is rendered too, by the same video provider the server's
    job worker uses, into ``media_dir``, so both sides do the same work.
    """
    config: RunnableConfig = {"configurable": {"thread_id": thread_id}}
    firsts: list[float] = []
    payload: Any = dict(START)
    for _ in range(3):  # personas, angles, scripts: each turn ends at the next choice
        [pending] = await _stream(graph, payload, config, firsts)
        payload = Command(resume={"optionId": pending.value["options"][0]["id"]})
    if pending.value["kind"] != "script_selection":
        raise RuntimeError(f"expected the script choice, got {pending.value['kind']}")
    if render_to is not None:
        media, media_dir = render_to
        answer = {**payload.resume, "action": "generate_video", "resolution": "1080x1920"}
        await _stream(graph, Command(resume=answer), config, None)
        snapshot = await graph.aget_state(config)
        job = MediaJobRequest.model_validate(snapshot.values["media_job"])
        video = await media.render(VideoRenderRequest.from_job(job), media_dir / thread_id)
        result = video_result(job, video)
        outcome = {"jobId": job.job_id, "status": "completed", "result": result}
        if await _stream(graph, Command(resume=outcome), config, None):
            raise RuntimeError("the workflow did not finish after the render")
    return firsts


def _copies(template: list[Any], count: int) -> list[NewEvent]:
    """``count`` events cycling through ``template`` with fresh ids (the store skips repeats)."""
    events: list[NewEvent] = []
    copy = 0
    while len(events) < count:
        copy += 1
        for recorded in template[: count - len(events)]:
            run_id = f"{recorded.run_id}-copy{copy}" if recorded.run_id else None
            events.append(
                NewEvent(
                    event_id=f"{recorded.event_id}-copy{copy}",
                    type=recorded.type,
                    data=recorded.data,
                    run_id=run_id,
                    schema_version=recorded.schema_version,
                )
            )
    return events


async def build_replay_log(
    database: Path, template_thread: str, target_thread: str, total: int
) -> tuple[int, float]:
    """Fill ``target_thread`` up to ``total`` events by repeating a real scenario's events.

    Appends through the public ``EventStore`` API on the server's own SQLite file (WAL: the server
    keeps running), so payload sizes and the frame mix are those of real sessions. Returns the
    thread's head seq and the mean payload size in bytes.
    """
    async with EventStore.open(database) as store:
        template = [
            e for e in await store.read_thread(template_thread) if e.type != "SessionStarted"
        ]
        head = await store.head_seq(target_thread)
        events = _copies(template, total - head)
        for start in range(0, len(events), _BATCH):
            await store.append(target_thread, events[start : start + _BATCH])
        stored = await store.read_thread(target_thread)
    mean_bytes = sum(len(_json(e.data)) for e in stored) / len(stored)
    return stored[-1].seq, mean_bytes


async def read_thread_seconds(database: Path, thread_id: str, repeat: int) -> list[float]:
    """Seconds for ``EventStore.read_thread`` to return the whole thread, ``repeat`` times."""
    times: list[float] = []
    async with EventStore.open(database) as store:
        for _ in range(repeat):
            started = time.perf_counter()
            await store.read_thread(thread_id)
            times.append(time.perf_counter() - started)
    return times


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
