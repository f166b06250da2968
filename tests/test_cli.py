"""The ``adforge`` command line (``python -m server``) and ``make help``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from tests._processes import ROOT


def _adforge(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ADFORGE_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_help_prints_the_commands_instead_of_serving(tmp_path: Path) -> None:
    shown = _adforge("--help", data_dir=tmp_path / "data")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("usage: adforge") and "serve" in shown.stdout
    assert "export" in shown.stdout
    assert not (tmp_path / "data").exists()  # nothing was started
    serve_help = _adforge("serve", "--help", data_dir=tmp_path / "data")
    assert "--port" in serve_help.stdout and serve_help.returncode == 0
    wrong = _adforge("frobnicate", data_dir=tmp_path / "data")
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr


def test_export_prints_a_sessions_event_log_as_json(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with TestClient(create_app(Settings(ADFORGE_DATA_DIR=str(data)))) as api:
        sid = api.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"]
        turn = api.post(f"/api/chat/sessions/{sid}/messages", json={"message": "Generate ads"})
        assert turn.status_code == 200
        run_id = turn.json()["runId"]
    exported = _adforge("export", sid, data_dir=data)
    assert exported.returncode == 0, exported.stderr
    body = json.loads(exported.stdout)
    assert body["sessionId"] == sid
    events = body["events"]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    types = [e["type"] for e in events]
    assert types[0] == "SessionStarted" and "RunCompleted" in types
    assert {e["runId"] for e in events if e["type"] == "RunCompleted"} == {run_id}
    out = tmp_path / "export.json"
    assert _adforge("export", sid, "-o", str(out), data_dir=data).returncode == 0
    assert json.loads(out.read_text())["events"] == events

    missing = _adforge("export", "sess-nope", data_dir=data)
    assert missing.returncode == 1 and "no session 'sess-nope'" in missing.stderr
    no_db = _adforge("export", sid, data_dir=tmp_path / "empty")
    assert no_db.returncode == 1 and "no database" in no_db.stderr


def test_make_help_prints_the_real_port() -> None:
    shown = subprocess.run(
        ["make", "-s", "help", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert "http://127.0.0.1:8123" in shown.stdout and "$(PORT)" not in shown.stdout
