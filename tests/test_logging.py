"""Structured logs over a real uvicorn process: one JSON object per line, the ids of each turn.

A turn's lines (the access log of its request, the run's start and end, the model's) must carry
the same request id (the client's ``X-Request-ID``, echoed back), session id and user id, and the
run's lines its run id; an API key must never appear, not even the ``?access_token=`` form that
uvicorn's access log would print.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.core.logcontext import bind, unbind
from server.logs import JsonFormatter, TextFormatter, redact
from tests._processes import adforge_server

KEY = "sk-log-secret-1"


def _lines(log: Path) -> list[dict[str, Any]]:
    text = log.read_text()
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.integration
def test_the_json_logs_of_one_turn_carry_its_request_session_and_run_ids(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    env = {"ADFORGE_LOG_FORMAT": "json", "ADFORGE_API_KEYS": f"{KEY}:alice"}
    with (
        adforge_server(tmp_path / "data", log, **env) as server,
        httpx.Client(base_url=server.base_url, timeout=60) as api,
    ):
        auth = {"Authorization": f"Bearer {KEY}"}
        created = api.post("/api/chat/sessions", json={"productId": "1"}, headers=auth)
        assert created.status_code == 201 and created.headers["x-request-id"].startswith("req-")
        sid = created.json()["sessionId"]
        turn = api.post(
            f"/api/chat/sessions/{sid}/messages",
            json={"message": "Generate ads"},
            headers={**auth, "X-Request-ID": "turn-42"},
        )
        assert turn.status_code == 200 and turn.headers["x-request-id"] == "turn-42"
        run_id = turn.json()["runId"]
        forged = api.get(
            f"/api/chat/sessions/{sid}",
            params={"access_token": KEY},
            headers={"X-Request-ID": 'x" injected'},
        )
        assert forged.status_code == 200
        assert forged.headers["x-request-id"].startswith("req-")  # replaced, not echoed
        refused = api.get(f"/api/chat/sessions/{sid}", headers={"X-Request-ID": "no-key"})
        assert refused.status_code == 401

    lines = _lines(log)  # every line is one JSON object
    assert all({"ts", "level", "logger", "message"} <= set(line) for line in lines)
    of_turn = [line for line in lines if line.get("request_id") == "turn-42"]
    loggers = {line["logger"] for line in of_turn}
    assert {"uvicorn.access", "adforge.metrics"} <= loggers, of_turn
    assert {line["session_id"] for line in of_turn} == {sid}
    assert {line["user_id"] for line in of_turn} == {"alice"}
    of_run = [line for line in of_turn if line["logger"] != "uvicorn.access"]
    assert {line.get("run_id") for line in of_run} == {run_id}
    assert any(line["message"].startswith("run completed") for line in of_run)
    access = next(line for line in of_turn if line["logger"] == "uvicorn.access")
    assert f"/api/chat/sessions/{sid}/messages" in access["message"]
    unauthenticated = [line for line in lines if line.get("request_id") == "no-key"]
    assert unauthenticated and all("user_id" not in line for line in unauthenticated)
    text = log.read_text()
    assert KEY not in text and "access_token=***" in text


def _record(message: str) -> logging.LogRecord:
    return logging.LogRecord("adforge.test", logging.INFO, __file__, 1, message, (), None)


def test_text_lines_carry_the_ids_after_the_message_and_both_formats_redact() -> None:
    tokens = bind(request_id="req-7", session_id="sess-1")
    try:
        text = TextFormatter().format(_record("GET /x?access_token=sk-abc&y=1"))
        line = json.loads(JsonFormatter().format(_record("Authorization: Bearer sk-abc")))
    finally:
        unbind(tokens)
    assert text.endswith("GET /x?access_token=***&y=1 [request_id=req-7 session_id=sess-1]")
    assert line["message"] == "Authorization: Bearer ***" and line["session_id"] == "sess-1"
    assert "[" not in TextFormatter().format(_record("no ids bound here"))
    assert redact("nothing secret") == "nothing secret"
