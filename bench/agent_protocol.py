"""Time to the persona interrupt over the official ``langgraph_sdk``: AdForge vs ``langgraph dev``.

Both servers run ``ad_workflow`` offline on this machine in the same run. One sample: create a
thread, ``runs.stream`` the workflow's input, stop at the ``values`` frame carrying
``__interrupt__`` (the persona choice). ``--concurrency 1,10`` workers play ``--rounds`` samples
each at once; the table shows p50/p99 in milliseconds and AdForge's p50 as a ratio of dev's.

    .venv/bin/python bench/agent_protocol.py [--concurrency 1,10] [--rounds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from langgraph_sdk import get_client

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._load_server import ROOT, _free_port, running_server
from bench._load_stats import percentile

START = {"product_id": "1", "media_type": "video"}
DEV_ENV = {
    "LANGGRAPH_CLI_NO_ANALYTICS": "1",
    "LANGGRAPH_NO_VERSION_CHECK": "true",
    "LANGSMITH_TRACING": "false",
}


@contextmanager
def running_dev(workdir: Path) -> Iterator[str]:
    """``langgraph dev`` on a free port (in-memory runtime, the repository's langgraph.json)."""
    cli = Path(sys.executable).with_name("langgraph")
    port = _free_port()
    args = [str(cli if cli.exists() else shutil.which("langgraph")), "dev", "--no-browser"]
    args += ["--no-reload", "--port", str(port), "--config", "langgraph.json"]
    with (workdir / "dev.log").open("wb") as sink:
        process = subprocess.Popen(
            args, cwd=ROOT, env={**os.environ, **DEV_ENV}, stdout=sink, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/ok", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.3)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=20)


async def _sample(base_url: str) -> float:
    client = get_client(url=base_url, timeout=120)
    try:
        began = time.perf_counter()
        tid = (await client.threads.create())["thread_id"]
        async for part in client.runs.stream(tid, "ad_workflow", input=START):
            if part.event == "values" and "__interrupt__" in part.data:
                return time.perf_counter() - began
        raise RuntimeError("the stream ended without the persona interrupt")
    finally:
        await client.http.client.aclose()


async def _load(base_url: str, concurrency: int, rounds: int) -> list[float]:
    async def worker() -> list[float]:
        return [await _sample(base_url) for _ in range(rounds)]

    await _sample(base_url)  # warm-up: imports, first connections
    return [s for samples in await asyncio.gather(*[worker()] * concurrency) for s in samples]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", default="1,10")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    levels = [int(n) for n in args.concurrency.split(",")]
    results: dict[tuple[str, int], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with running_server(work, {}) as server:
            for n in levels:
                results["adforge", n] = asyncio.run(_load(server.base_url, n, args.rounds))
        with running_dev(work) as dev:
            for n in levels:
                results["dev", n] = asyncio.run(_load(dev, n, args.rounds))
    print("time to the persona interrupt over langgraph_sdk (ms)")
    print(f"{'conc':>4} {'side':>8} {'n':>4} {'p50':>8} {'p99':>8} {'p50 vs dev':>11}")
    for n in levels:
        dev_p50 = percentile(results["dev", n], 50)
        for side in ("adforge", "dev"):
            samples = results[side, n]
            p50, p99 = percentile(samples, 50), percentile(samples, 99)
            print(
                f"{n:>4} {side:>8} {len(samples):>4} {p50 * 1000:>8.1f} {p99 * 1000:>8.1f}"
                f" {p50 / dev_p50:>10.2f}x"
            )


if __name__ == "__main__":
    main()
