"""Load benchmark: the server under 1, 10 and 50 concurrent sessions, and a 10,000-event replay.

What a chat frontend feels is the time from sending a message to the first frame of the answer,
and what an operator sizes for is how many complete scenarios one machine serves per second; both
depend on how much the server (HTTP, event log, projections, SSE) adds to the graph's own work. So
every server figure sits next to the same work done by calling ``ad_workflow`` directly in the same
run (an in-process ``AsyncSqliteSaver``, the same concurrency through ``asyncio.gather``), and the
table reports ``server / direct`` ratios: on a small, shared machine absolute times drift from run
to run, ratios much less. The replay figure compares GET /events over HTTP with the raw
``EventStore.read_thread`` on the same session, since no graph call replays a log.

The server is a real ``python -m server`` uvicorn process with the offline model and its data in a
temporary directory (log level ``warning``, so access logs do not dominate). A scenario is: create
a session → first turn to personas → choose a persona → choose an angle → scripts shown. Video
rendering is CPU-heavy and would swamp every other cost, so it is off unless ``--render`` (then the
first script is rendered at ``--fps`` on both sides, and runs take minutes).

Run: ``.venv/bin/python bench/load.py [--sessions 1,10,50] [--replay-events 10000] [--quick]
[--render] [--json results.json]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from bench._load_direct import build_replay_log, direct_scenario, read_thread_seconds
from bench._load_server import ServerProcess, create_session, replay_seconds, running_server
from bench._load_server import server_scenario as play_over_http
from bench._load_stats import LoadResult, ratio, run_load
from graph.models import OFFLINE_MODEL_SPEC
from graph.workflow import build_workflow
from server.core.persistence import open_checkpointer
from tools.video_providers import OfflineVideoProvider, VideoProvider

SCENARIO = "create session → personas → choose persona → choose angle → scripts"


@dataclass(frozen=True, slots=True)
class Options:
    """What to measure; ``--quick`` shrinks every size for a smoke test."""

    sessions: tuple[int, ...]
    min_scenarios: int
    replay_events: int
    replay_repeat: int
    render: bool
    fps: int
    json_path: Path | None


@dataclass(frozen=True, slots=True)
class Replay:
    """One session of ``events`` events read back whole, over HTTP and from the store."""

    events: int
    mean_payload_bytes: float
    http_s: tuple[float, ...]
    raw_s: tuple[float, ...]

    @property
    def http_events_per_s(self) -> float:
        """Events per second over GET /events (median of the reads)."""
        return self.events / statistics.median(self.http_s)

    @property
    def raw_events_per_s(self) -> float:
        """Events per second of ``EventStore.read_thread`` (median of the reads)."""
        return self.events / statistics.median(self.raw_s)


def parse_options(argv: list[str] | None = None) -> Options:
    """Command-line options; explicit sizes win over ``--quick``'s."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sessions", help="concurrency levels, comma-separated (default 1,10,50)")
    parser.add_argument(
        "--scenarios",
        type=int,
        help="minimum scenarios per level; each session plays ceil(S/N) in a row (default 100)",
    )
    parser.add_argument("--replay-events", type=int, help="events in the replayed session")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke test")
    parser.add_argument("--render", action="store_true", help="also render the video (slow)")
    parser.add_argument("--fps", type=int, default=6, help="frame rate of --render videos")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    quick = bool(args.quick)
    sessions = args.sessions or ("1,2" if quick else "1,10,50")
    return Options(
        sessions=tuple(int(n) for n in sessions.split(",") if n.strip()),
        min_scenarios=args.scenarios or (2 if quick else 100),
        replay_events=args.replay_events or (200 if quick else 10_000),
        replay_repeat=2 if quick else 5,
        render=bool(args.render),
        fps=args.fps,
        json_path=args.json,
    )


async def measure_level(
    options: Options,
    client: httpx.AsyncClient,
    graph: Any,
    render_to: tuple[VideoProvider, Path] | None,
    sessions: int,
) -> tuple[LoadResult, LoadResult]:
    """Server then direct, ``sessions`` at a time, the same number of scenarios on each side."""
    rounds = max(1, math.ceil(options.min_scenarios / sessions))

    async def over_http(_: int) -> list[float]:
        firsts, _sid = await play_over_http(client, render=options.render)
        return firsts

    async def direct(n: int) -> list[float]:
        return await direct_scenario(graph, f"direct-{sessions}-{n}", render_to=render_to)

    server = await run_load("server", sessions, rounds, over_http)
    baseline = await run_load("direct", sessions, rounds, direct)
    return server, baseline


async def measure_replay(
    options: Options, server: ServerProcess, client: httpx.AsyncClient, template: str
) -> Replay:
    """Build a session of ``replay_events`` events from a real one, then read it back whole."""
    sid = await create_session(client)
    head, mean_bytes = await build_replay_log(server.database, template, sid, options.replay_events)
    http = [await replay_seconds(client, sid, head) for _ in range(options.replay_repeat)]
    raw = await read_thread_seconds(server.database, sid, options.replay_repeat)
    return Replay(head, mean_bytes, tuple(http), tuple(raw))


async def run(options: Options) -> tuple[list[tuple[LoadResult, LoadResult]], Replay]:
    """Start the server, warm both sides up, then measure every level and the replay."""
    env = {
        "ADFORGE_MODEL": OFFLINE_MODEL_SPEC,
        "ADFORGE_LOG_LEVEL": "warning",
        "ADFORGE_VIDEO_FPS": str(options.fps),
        "ADFORGE_API_KEYS": "",  # empty is ignored: a single-user server, no keys needed
        # One local user plays every scenario: the per-user budgets (10 messages a minute by
        # default) would stop the load after the first few turns.
        "ADFORGE_RATE_LIMIT_MESSAGES": "1000000/minute",
        "ADFORGE_RATE_LIMIT_RENDERS": "1000000/hour",
    }
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    with tempfile.TemporaryDirectory(prefix="adforge-load-") as tmp:
        work = Path(tmp)
        with running_server(work, env) as server:
            async with (
                httpx.AsyncClient(base_url=server.base_url, timeout=600, limits=limits) as client,
                open_checkpointer(work / "direct.sqlite") as saver,
            ):
                graph = build_workflow().compile(checkpointer=saver, name="ad_workflow")
                render_to: tuple[VideoProvider, Path] | None = (
                    (OfflineVideoProvider(fps=options.fps), work / "direct-media")
                    if options.render
                    else None
                )
                # One unmeasured scenario per side: imports, first model use, SQLite page cache.
                # The server's warm-up session is also the replay's template of real events.
                _, template = await play_over_http(client, render=options.render)
                await direct_scenario(graph, "direct-warm-up", render_to=render_to)
                levels = [
                    await measure_level(options, client, graph, render_to, n)
                    for n in options.sessions
                ]
                replay = await measure_replay(options, server, client, template)
    return levels, replay


def _row(values: tuple[float, float], fmt: str) -> str:
    server, direct = values
    return f"{server:>8{fmt}} {direct:>8{fmt}} {ratio(server, direct):>7.2f}"


def report(options: Options, levels: list[tuple[LoadResult, LoadResult]], replay: Replay) -> str:
    """The plain-text table."""
    stop = f"then the video, rendered at {options.fps} fps" if options.render else "no video render"
    lines = [
        f"AdForge load benchmark — offline model ({OFFLINE_MODEL_SPEC}), {os.cpu_count()} CPUs",
        f"scenario: {SCENARIO} ({stop})",
        "server = `python -m server` (uvicorn subprocess) over HTTP/SSE, httpx.AsyncClient",
        "direct = ad_workflow.astream in-process, AsyncSqliteSaver (WAL, durability sync),"
        " same concurrency via asyncio.gather",
        "first event: server = POST message → first SSE data frame (ai_response_start);"
        " direct = astream() call → first streamed part; every turn of every scenario counts",
        "ratio = server / direct",
        "",
        f"{'':>18} | {'first event p50 (ms)':^25} | {'first event p99 (ms)':^25} |"
        f" {'complete scenarios/s':^25}",
        f"{'sessions':>8} {'scenarios':>9}" + f" | {'server':>8} {'direct':>8} {'ratio':>7}" * 3,
    ]
    for server, direct in levels:
        p50 = (server.first_event_ms(50), direct.first_event_ms(50))
        p99 = (server.first_event_ms(99), direct.first_event_ms(99))
        rate = (server.scenarios_per_s, direct.scenarios_per_s)
        lines.append(
            f"{server.sessions:>8} {server.scenarios:>9} | {_row(p50, '.1f')} | {_row(p99, '.1f')}"
            f" | {_row(rate, '.2f')}"
        )
    reads = f"median of {len(replay.http_s)} reads from seq 0"
    lines += [
        "",
        f"replay of one {replay.events:,}-event session (events repeated from a real scenario,"
        f" mean payload {replay.mean_payload_bytes:,.0f} B; {reads})",
        f"  server  GET /api/chat/sessions/{{id}}/events  {replay.http_events_per_s:>10,.0f}"
        f" events/s  ({statistics.median(replay.http_s):.3f} s)",
        f"  raw     EventStore.read_thread (in-process)   {replay.raw_events_per_s:>10,.0f}"
        f" events/s  ({statistics.median(replay.raw_s):.3f} s)",
        f"  ratio   server / raw                          {replay.http_events_per_s / replay.raw_events_per_s:>10.2f}",
    ]
    return "\n".join(lines)


def as_json(
    options: Options, levels: list[tuple[LoadResult, LoadResult]], replay: Replay, seconds: float
) -> dict[str, Any]:
    """The same figures, machine-readable, with the raw samples."""
    return {
        "benchmark": "load",
        "model": OFFLINE_MODEL_SPEC,
        "cpus": os.cpu_count(),
        "scenario": SCENARIO,
        "render": options.render,
        "render_fps": options.fps if options.render else None,
        "total_seconds": round(seconds, 2),
        "load": [
            {
                "sessions": server.sessions,
                "server": server.as_json(),
                "direct": direct.as_json(),
                "ratio": {
                    "first_event_p50": ratio(server.first_event_ms(50), direct.first_event_ms(50)),
                    "first_event_p99": ratio(server.first_event_ms(99), direct.first_event_ms(99)),
                    "scenarios_per_s": ratio(server.scenarios_per_s, direct.scenarios_per_s),
                },
            }
            for server, direct in levels
        ],
        "replay": {
            "events": replay.events,
            "mean_payload_bytes": round(replay.mean_payload_bytes, 1),
            "server_events_per_s": round(replay.http_events_per_s, 1),
            "server_seconds": [round(s, 4) for s in replay.http_s],
            "raw_read_thread_events_per_s": round(replay.raw_events_per_s, 1),
            "raw_read_thread_seconds": [round(s, 4) for s in replay.raw_s],
            "ratio": replay.http_events_per_s / replay.raw_events_per_s,
        },
    }


def main(argv: list[str] | None = None) -> None:
    """Measure, print the table, optionally write JSON."""
    options = parse_options(argv)
    started = time.perf_counter()
    levels, replay = asyncio.run(run(options))
    seconds = time.perf_counter() - started
    print(report(options, levels, replay))
    print(f"\ntotal {seconds:.0f} s")
    if options.json_path is not None:
        results = as_json(options, levels, replay, seconds)
        options.json_path.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
