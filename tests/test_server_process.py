"""``python -m server`` (what ``make run`` starts): health, the data dir, a clean Ctrl-C."""

from __future__ import annotations

import signal
import sqlite3
import sys
from pathlib import Path

import httpx
import pytest

from tests._processes import free_port, running


@pytest.mark.integration
def test_server_starts_reports_health_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    port, data = free_port(), tmp_path / "data"
    env = {"PORT": str(port), "ADFORGE_DATA_DIR": str(data)}
    url = f"http://127.0.0.1:{port}"
    with running(
        [sys.executable, "-m", "server"],
        ready_url=f"{url}/health",
        env=env,
        log=tmp_path / "server.log",
    ) as server:
        health = httpx.get(f"{url}/health").json()
        assert health["status"] == "ok"
        assert health["model"] == "offline:adforge-creative-1" and health["offline"] is True
        assert health["database"] == {
            "ok": True,
            "path": str(data / "adforge.sqlite"),
            "journal_mode": "wal",
            "error": None,
        }
        assert health["version"]
        docs = httpx.get(f"{url}/openapi.json").json()
        assert "/health" in docs["paths"]
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=20) == 0
    log = (tmp_path / "server.log").read_text()
    assert "offline deterministic engine" in log
    assert "database closed" in log and "Traceback" not in log
    with sqlite3.connect(data / "adforge.sqlite") as db:  # the saver created its tables
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"checkpoints", "writes"} <= tables


@pytest.mark.integration
def test_an_openai_key_switches_the_default_model(tmp_path: Path) -> None:
    port = free_port()
    env = {
        "PORT": str(port),
        "ADFORGE_DATA_DIR": str(tmp_path),
        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
    }
    with running(
        [sys.executable, "-m", "server"],
        ready_url=f"http://127.0.0.1:{port}/health",
        env=env,
        log=tmp_path / "s.log",
    ):
        health = httpx.get(f"http://127.0.0.1:{port}/health").json()
    assert health["model"] == "openai:gpt-4.1" and health["offline"] is False
