"""The command API over real HTTP: refused commands leave no trace, retries record nothing new.

One server process (``python -m server``) per test module; every test makes its own sessions.
What is checked is what a client relies on: of fifty concurrent messages exactly one is recorded
and run and the others get 409; a retried POST with the same ``Idempotency-Key`` (or the same
client ``messageId``) gets the same answer and the log gains nothing; the same key with another
body is a 422; a turn's start, card and end share one messageId; a cancelled turn ends with data
frames an ``EventSource`` client sees.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests._processes import AdForgeServer, adforge_server
from tests.sse_client import frames, read_until

pytestmark = pytest.mark.integration
SSE = {"Accept": "text/event-stream"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AdForgeServer, Path]]:
    tmp = tmp_path_factory.mktemp("commands")
    with adforge_server(tmp / "data", tmp / "server.log", ADFORGE_OFFLINE_LATENCY_MS="150") as s:
        yield s, tmp / "data" / "adforge.sqlite"


@pytest.fixture
def api(server: tuple[AdForgeServer, Path]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[0].base_url, timeout=60) as client:
        yield client


def _count(database: Path, sid: str, type_: str) -> int:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        [(n,)] = db.execute(
            "SELECT COUNT(*) FROM events WHERE thread_id = ? AND type = ?", (sid, type_)
        ).fetchall()
    return int(n)


def _session(api: httpx.Client, **body: Any) -> str:
    created = api.post("/api/chat/sessions", json={"productId": "1", **body})
    assert created.status_code == 201, created.text
    return str(created.json()["sessionId"])


def _turn(api: httpx.Client, sid: str, message: str) -> list[dict[str, Any]]:
    reply = api.post(f"/api/chat/sessions/{sid}/messages", json={"message": message})
    assert reply.status_code == 200, reply.text
    return list(reply.json()["messages"])


async def _storm(base_url: str, requests: list[tuple[str, dict[str, Any]]]) -> list[int]:
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
        replies = await asyncio.gather(*(client.post(url, json=body) for url, body in requests))
    return [r.status_code for r in replies]


def test_fifty_concurrent_messages_record_and_run_exactly_one(
    server: tuple[AdForgeServer, Path], api: httpx.Client
) -> None:
    base, database = server
    sid = _session(api)
    url = f"/api/chat/sessions/{sid}/messages"
    statuses = asyncio.run(
        _storm(base.base_url, [(url, {"message": f"Generate {i}"}) for i in range(50)])
    )
    assert sorted(statuses) == [200] + [409] * 49
    assert _count(database, sid, "UserMessageSent") == 1
    assert _count(database, sid, "RunStarted") == 1
    history = api.get(f"/api/chat/sessions/{sid}/context").json()["history"]
    assert [m["type"] for m in history].count("text") == 1  # one user message in the transcript


def test_fifty_concurrent_renders_record_one_selection_and_one_job(
    server: tuple[AdForgeServer, Path], api: httpx.Client
) -> None:
    base, database = server
    sid = _session(api, mediaType="image")
    for message in ("Generate ads", "the first one", "the first one"):
        _turn(api, sid, message)
    script = api.get(f"/api/chat/sessions/{sid}").json()["pendingChoice"]["options"][0]["id"]
    before = _count(database, sid, "UserMessageSent")
    url = f"/api/chat/sessions/{sid}/video"
    statuses = asyncio.run(_storm(base.base_url, [(url, {"scriptId": script})] * 50))
    assert sorted(statuses) == [202] + [409] * 49
    assert _count(database, sid, "UserMessageSent") == before + 1
    assert _count(database, sid, "MediaJobRequested") <= 1


def test_a_retried_post_with_the_same_key_records_nothing_and_answers_the_same(
    server: tuple[AdForgeServer, Path], api: httpx.Client
) -> None:
    _, database = server
    key = {"Idempotency-Key": "create-7f1e"}
    first = api.post("/api/chat/sessions", json={"productId": "1"}, headers=key)
    again = api.post("/api/chat/sessions", json={"productId": "1"}, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    sid = first.json()["sessionId"]
    assert _count(database, sid, "SessionStarted") == 1
    other = api.post("/api/chat/sessions", json={"productId": "2"}, headers=key)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"

    url = f"/api/chat/sessions/{sid}/messages"
    turn_key = {"Idempotency-Key": "turn-1-abc"}
    answered = api.post(url, json={"message": "Generate ads"}, headers=turn_key)
    events_after_first = (
        _count(database, sid, "UserMessageSent"),
        _count(database, sid, "RunStarted"),
    )
    retried = api.post(url, json={"message": "Generate ads"}, headers=turn_key)
    assert answered.status_code == retried.status_code == 200
    assert retried.json() == answered.json()  # the same turn, the same frames
    assert (_count(database, sid, "UserMessageSent"), _count(database, sid, "RunStarted")) == (
        events_after_first
    )
    with api.stream(
        "POST", url, json={"message": "Generate ads"}, headers={**turn_key, **SSE}
    ) as r:
        replayed = [f.data for f in read_until(r, "ai_response_complete")]
    assert [f for f in replayed if f["type"] != "user_message"] == answered.json()["messages"]
    changed = api.post(url, json={"message": "Generate other ads"}, headers=turn_key)
    assert changed.status_code == 422 and changed.json()["code"] == "idempotency_key_reused"

    by_id = {"message": "the first one", "messageId": "client-msg-42"}
    picked = api.post(url, json=by_id)
    assert api.post(url, json=by_id).json() == picked.json()  # the client's messageId is a key
    assert _count(database, sid, "SelectionMade") == 1


def test_a_turns_start_card_and_end_share_one_message_id(api: httpx.Client) -> None:
    sid = _session(api)
    first = _turn(api, sid, "Generate ads")
    ids = {m["type"]: m["messageId"] for m in first if m["type"] != "status_update"}
    assert ids["ai_response_start"] == ids["audience_group"] == ids["ai_response_complete"]
    second = _turn(api, sid, "the first one")
    ids = {m["type"]: m.get("messageId") for m in second}
    assert ids["ai_response_start"] == ids["marketing_angle"] == ids["ai_response_complete"]
    assert ids["text"] != ids["ai_response_start"]  # the persona's impact is its own message


def test_bad_choices_are_refused_or_questioned_and_the_choice_stays_answerable(
    api: httpx.Client,
) -> None:
    sid = _session(api)
    _turn(api, sid, "Generate ads")
    url = f"/api/chat/sessions/{sid}/messages"
    nobody = {
        "message": "Selected persona: Nobody Real",
        "context": {"selectedPersona": {"id": "aud-99"}},
    }
    refused = api.post(url, json=nobody)
    assert refused.status_code == 422 and refused.json()["code"] == "unknown_option"
    assert "aud-1" in refused.json()["message"]
    for vague in ("yes", "pick", "option 7"):
        said = _turn(api, sid, vague)
        texts = [m["data"]["content"] for m in said if m["type"] == "text"]
        assert texts and "1." in texts[0], said  # a question listing the options
        assert not any(m["type"] == "audience_group" for m in said)
        pending = api.get(f"/api/chat/sessions/{sid}").json()["pendingChoice"]
        assert pending["kind"] == "persona_selection"
        assert all(o["label"].casefold() not in ("yes", "pick") for o in pending["options"])
    chosen = _turn(api, sid, "the second persona")
    summary = next(
        m for m in chosen if m["type"] == "user_message" or m["type"] == "marketing_angle"
    )
    assert summary is not None and any(m["type"] == "marketing_angle" for m in chosen)


def test_formats_media_types_and_avatars_off_the_catalog_are_refused(api: httpx.Client) -> None:
    banana = api.post("/api/chat/sessions", json={"productId": "1", "format": "Banana Format"})
    assert banana.status_code == 422 and banana.json()["code"] == "invalid_format"
    assert "Hybrid Format" in banana.json()["message"]
    sid = _session(api)
    for message in ("Generate ads", "the first one", "the first one"):
        _turn(api, sid, message)
    script = api.get(f"/api/chat/sessions/{sid}").json()["pendingChoice"]["options"][0]["id"]
    nope = api.post(
        f"/api/chat/sessions/{sid}/video", json={"scriptId": script, "avatar": "avatar-nope"}
    )
    assert nope.status_code == 422 and nope.json()["code"] == "invalid_avatar"
    assert (
        api.get(f"/api/chat/sessions/{sid}").json()["pendingChoice"]["kind"] == "script_selection"
    )


def test_a_cancelled_turn_ends_with_frames_an_event_source_sees(
    server: tuple[AdForgeServer, Path],
) -> None:
    base, _ = server
    with httpx.Client(base_url=base.base_url, timeout=60) as api:
        sid = _session(api)
        url = f"/api/chat/sessions/{sid}/messages"
        with api.stream("POST", url, json={"message": "Generate ads"}, headers=SSE) as r:
            stream = frames(r)
            start = next(f.data for f in stream if f.data.get("type") == "ai_response_start")
            run_id = api.get(f"/api/chat/sessions/{sid}").json()["activeRunId"]
            cancelled = api.post(f"/api/chat/sessions/{sid}/runs/{run_id}/cancel")
            assert cancelled.status_code == 200, cancelled.text
            rest = []
            for frame in stream:
                rest.append(frame.data)
                if frame.data.get("type") == "ai_response_complete":
                    break
    ending = [
        f for f in rest if f["type"] == "status_update" and f["data"]["status"] == "cancelled"
    ]
    assert ending and ending[0]["messageId"] == start["messageId"]
    assert rest[-1] == {"type": "ai_response_complete", "messageId": start["messageId"]}
