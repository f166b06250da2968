"""A workflow process killed with SIGKILL mid-step resumes from SQLite in a new process.

Completed steps are not re-run (durability "sync" put them on disk); only the step that was
running when the process died runs again, and the workflow reaches the next choice.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _worker(db: Path, phase: str, log: Path, latency_ms: int) -> subprocess.Popen[str]:
    env = {**os.environ, "ADFORGE_OFFLINE_LATENCY_MS": str(latency_ms)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.crash_worker", str(db), "crash-thread", phase, str(log)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_line(log: Path, line: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and line in log.read_text().splitlines():
            return
        time.sleep(0.05)
    raise AssertionError(
        f"{line!r} never appeared in {log}: {log.read_text() if log.exists() else ''}"
    )


@pytest.mark.integration
def test_sigkill_mid_step_resumes_without_rerunning_completed_steps(tmp_path: Path) -> None:
    db, log = tmp_path / "crash.sqlite", tmp_path / "nodes.log"
    first = _worker(db, "start", log, latency_ms=1500)
    try:
        _wait_for_line(log, "start propose_angles")
        time.sleep(0.3)  # well inside the 1.5 s model call of propose_angles
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == -signal.SIGKILL
    before = log.read_text().splitlines()
    assert "end explain_persona_impact" in before and "end propose_angles" not in before

    second = _worker(db, "resume", log, latency_ms=0)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary == {"next": ["choose_angle"], "angles": 3} or (
        summary["next"] == ["choose_angle"] and 2 <= summary["angles"] <= 3
    )
    lines = log.read_text().splitlines()
    starts = [line.removeprefix("start ") for line in lines if line.startswith("start ")]
    for completed in ("resolve_product", "propose_personas", "explain_persona_impact"):
        assert starts.count(completed) == 1, f"{completed} ran again after the crash: {lines}"
    assert starts.count("propose_angles") == 2  # the interrupted step, and only it, ran again
    assert "end propose_angles" in lines[len(before) :]  # and it completed this time
