"""Starting real server processes on free ports for integration tests, and stopping them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_ready(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    """Poll ``url`` until it answers 200, failing early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"process exited with {process.returncode} before {url} was up")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} not ready after {timeout}s")


def process_env(env: Mapping[str, str], cwd: Path = ROOT) -> dict[str, str]:
    """This environment plus ``env``; outside the checkout, the checkout first on the path.

    A process started in another directory (to read that directory's ``.env``) must still import
    this worktree's code, which ``python -m`` finds through the working directory otherwise.
    """
    merged = {**os.environ, **env}
    if cwd != ROOT:
        merged["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), merged.get("PYTHONPATH")]))
    return merged


@contextmanager
def running(
    args: list[str],
    *,
    ready_url: str,
    env: Mapping[str, str],
    log: Path,
    timeout: float = 60,
    cwd: Path = ROOT,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``args`` in ``cwd`` until the block ends; its output goes to ``log`` for post-mortems."""
    with log.open("wb") as sink:
        process = subprocess.Popen(
            args, cwd=cwd, env=process_env(env, cwd), stdout=sink, stderr=subprocess.STDOUT
        )
        try:
            wait_until_ready(ready_url, process, timeout)
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@dataclass(frozen=True)
class AdForgeServer:
    """A running ``python -m server`` (what ``make run`` starts)."""

    process: subprocess.Popen[bytes]
    port: int

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def adforge_server(
    data_dir: Path, log: Path, *, port: int | None = None, cwd: Path = ROOT, **env: str
) -> Iterator[AdForgeServer]:
    """The AdForge server on ``port`` (a free one by default) with its data in ``data_dir``.

    ``cwd`` is where it runs, and so which ``.env`` it reads.
    """
    port = port or free_port()
    settings = {"PORT": str(port), "ADFORGE_DATA_DIR": str(data_dir), **env}
    with running(
        [sys.executable, "-m", "server"],
        ready_url=f"http://127.0.0.1:{port}/health",
        env=settings,
        log=log,
        cwd=cwd,
    ) as process:
        yield AdForgeServer(process, port)
