"""Smoke test of ``bench/load.py``: a ``--quick`` run produces every figure (no timing checks).

The benchmark starts its own uvicorn process and drives it over HTTP, so this is an integration
test; the figures themselves vary with the machine and are never asserted on.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _figure(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and value > 0


@pytest.mark.integration
def test_quick_load_run_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    done = subprocess.run(
        [sys.executable, "bench/load.py", "--quick", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr

    table = done.stdout
    for heading in (
        "first event p50 (ms)",
        "first event p99 (ms)",
        "complete scenarios/s",
        "GET /api/chat/sessions/{id}/events",
        "EventStore.read_thread",
        "server / raw",
        "no video render",
    ):
        assert heading in table, table

    results = json.loads(out.read_text())
    assert results["model"].startswith("offline:") and results["render"] is False
    levels = {level["sessions"]: level for level in results["load"]}
    assert sorted(levels) == [1, 2]
    for level in levels.values():
        for side in ("server", "direct"):
            figures = level[side]
            assert figures["scenarios"] >= 1
            for key in ("first_event_p50_ms", "first_event_p99_ms", "scenarios_per_s"):
                assert _figure(figures[key]), (side, key, figures)
            # three turns per scenario, each with its time to the first event
            assert len(figures["first_event_samples_ms"]) == 3 * figures["scenarios"]
        for key in ("first_event_p50", "first_event_p99", "scenarios_per_s"):
            assert _figure(level["ratio"][key]), (key, level["ratio"])

    replay = results["replay"]
    assert replay["events"] == 200
    for key in (
        "mean_payload_bytes",
        "server_events_per_s",
        "raw_read_thread_events_per_s",
        "ratio",
    ):
        assert _figure(replay[key]), (key, replay)
