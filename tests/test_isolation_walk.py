"""Two users, every route of every protocol: bob's requests with alice's ids are all 404.

Design invariant 11 over a real server with two API keys. Alice owns a finished image session
(with its job, asset and media file), a custom product and a ChatKit thread. Bob then walks the
Ad Forge REST routes, the SSE streams (with ``Last-Event-ID``), the WebSocket, ChatKit, the job
and asset routes and the media URLs with her ids: every answer is a 404 (or a close with 4404),
none names her data, and afterwards everything of hers reads exactly as before.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests._processes import AdForgeServer, adforge_server
from tests.http_flows import chatkit_create, rendered_job

pytestmark = pytest.mark.integration

ALICE = {"Authorization": "Bearer sk-a"}
BOB = {"Authorization": "Bearer sk-b"}


@dataclass(frozen=True)
class Owned:
    """Alice's ids, and what her routes answered before bob's walk."""

    server: AdForgeServer
    session_id: str
    run_id: str
    job_id: str
    asset_id: str
    product_id: str
    thread_id: str
    media_url: str
    before: dict[str, Any]


def _chatkit(type_: str, params: dict[str, Any]) -> dict[str, Any]:
    return {"type": type_, "params": params}


def _user_input(text: str) -> dict[str, Any]:
    return dict(chatkit_create(text)["params"]["input"])


def _snapshot(api: httpx.Client, owned: dict[str, str]) -> dict[str, Any]:
    """Everything alice can read of her own data."""
    thread = api.post(
        "/chatkit", json=_chatkit("threads.get_by_id", {"thread_id": owned["thread_id"]})
    ).json()
    session = api.get(f"/api/chat/sessions/{owned['session_id']}").json()
    session.pop("updatedAt", None)
    return {
        "session": session,
        "context": api.get(f"/api/chat/sessions/{owned['session_id']}/context").json(),
        "job": api.get(f"/api/jobs/{owned['job_id']}").json(),
        "asset": api.get(f"/assets/{owned['asset_id']}").json(),
        "product": api.get(f"/api/products/{owned['product_id']}").json(),
        "thread": {"title": thread.get("title"), "items": len(thread["items"]["data"])},
    }


@pytest.fixture(scope="module")
def owned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Owned]:
    tmp: Path = tmp_path_factory.mktemp("isolation")
    with (
        adforge_server(
            tmp / "data", tmp / "server.log", ADFORGE_API_KEYS="sk-a:alice,sk-b:bob"
        ) as server,
        httpx.Client(base_url=server.base_url, headers=ALICE, timeout=60) as api,
    ):
        sid, job = rendered_job(api)
        job_id = job["jobId"]
        [asset] = api.get("/assets", params={"sessionId": sid}).json()["assets"]
        product = api.post("/api/products", json={"name": "Alice's secret serum"}).json()
        created = api.post(
            "/chatkit", json=_chatkit("threads.create", {"input": _user_input("Hi")})
        )
        thread_id = json.loads(created.text.split("data: ", 2)[1].split("\n", 1)[0])["thread"]["id"]
        run_id = (
            api.get(f"/api/chat/sessions/{sid}/context").json()["history"][-1].get("runId", "run-x")
        )
        ids = {
            "session_id": sid,
            "job_id": job_id,
            "asset_id": asset["id"],
            "product_id": product["id"],
            "thread_id": thread_id,
        }
        yield Owned(
            server,
            sid,
            str(run_id),
            job_id,
            asset["id"],
            product["id"],
            thread_id,
            str(job["result"]["url"]),
            _snapshot(api, ids),
        )


def _bob_requests(o: Owned) -> list[tuple[str, str, dict[str, Any]]]:
    sid = o.session_id
    return [
        ("GET", f"/api/chat/sessions/{sid}", {}),
        ("GET", f"/api/chat/sessions/{sid}/context", {}),
        ("POST", f"/api/chat/sessions/{sid}/messages", {"json": {"message": "Generate ads"}}),
        (
            "POST",
            f"/api/chat/sessions/{sid}/messages",
            {"json": {"message": "hi"}, "headers": {"Accept": "text/event-stream"}},
        ),
        ("GET", f"/api/chat/sessions/{sid}/stream", {"params": {"message": "hi"}}),
        ("GET", f"/api/chat/sessions/{sid}/stream", {"headers": {"Last-Event-ID": "1"}}),
        ("GET", f"/api/chat/sessions/{sid}/events", {"headers": {"Last-Event-ID": "0"}}),
        ("GET", f"/api/chat/sessions/{sid}/events", {"params": {"lastEventId": "0"}}),
        ("POST", f"/api/chat/sessions/{sid}/runs/{o.run_id}/cancel", {}),
        ("POST", f"/api/chat/sessions/{sid}/video", {"json": {"scriptId": "concept-1"}}),
        ("GET", f"/api/jobs/{o.job_id}", {}),
        ("GET", f"/assets/{o.asset_id}", {}),
        ("GET", f"/api/products/{o.product_id}", {}),
        ("GET", o.media_url, {}),  # alice's signed URL, fetched by an API client that is bob
    ]


def _chatkit_requests(o: Owned) -> list[dict[str, Any]]:
    t = o.thread_id
    return [
        _chatkit("threads.get_by_id", {"thread_id": t}),
        _chatkit("items.list", {"thread_id": t}),
        _chatkit("threads.update", {"thread_id": t, "title": "bob's now"}),
        _chatkit("threads.delete", {"thread_id": t}),
        _chatkit("items.feedback", {"thread_id": t, "item_ids": [], "kind": "negative"}),
        _chatkit("threads.add_user_message", {"thread_id": t, "input": _user_input("hi")}),
        _chatkit("threads.retry_after_item", {"thread_id": t, "item_id": "x"}),
        _chatkit(
            "threads.custom_action",
            {"thread_id": t, "item_id": None, "action": {"type": "choose", "payload": {}}},
        ),
        # An Ad Forge session is a ChatKit thread too (same id, same log).
        _chatkit("threads.get_by_id", {"thread_id": o.session_id}),
        _chatkit("items.list", {"thread_id": o.session_id}),
    ]


def _leaks(text: str, o: Owned) -> bool:
    """Whether an answer to bob shows alice's data (the ids he sent may be echoed back)."""
    history = json.dumps(o.before["context"]["history"])
    return any(s in text for s in ("Alice's secret serum", "/media/", history[:200], "sig="))


def test_every_route_of_every_protocol_answers_404_to_another_user(owned: Owned) -> None:
    with httpx.Client(base_url=owned.server.base_url, headers=BOB, timeout=60) as bob:
        for method, url, options in _bob_requests(owned):
            answer = bob.request(method, url, **options)
            assert answer.status_code == 404, (method, url, answer.status_code, answer.text)
            echo_removed = answer.text.replace(urlsplit(url).path, "")  # bob's own request
            assert answer.json()["code"] == "not_found" and not _leaks(echo_removed, owned), url
        for body in _chatkit_requests(owned):
            answer = bob.post("/chatkit", json=body)
            assert answer.status_code == 404, (body["type"], answer.text)
            assert not _leaks(answer.text, owned)
        # Lists hold nothing of hers.
        for url in ("/api/chat/sessions", "/assets", "/api/products"):
            assert not _leaks(bob.get(url).text, owned), url
        assert bob.get("/assets", params={"sessionId": owned.session_id}).json()["count"] == 0
        threads = bob.post("/chatkit", json=_chatkit("threads.list", {})).json()["data"]
        assert {t["id"] for t in threads}.isdisjoint({owned.thread_id, owned.session_id})


def test_the_websocket_closes_404_on_another_users_session(owned: Owned) -> None:
    base = owned.server.base_url.replace("http://", "ws://")
    for query in ("", "&lastEventId=0"):
        url = f"{base}/ws/chat/{owned.session_id}?access_token=sk-b{query}"
        with connect(url, open_timeout=10) as ws:
            error = json.loads(ws.recv(timeout=10))
            assert error["code"] == "not_found" and not _leaks(json.dumps(error), owned)
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=10)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4404


def test_a_bare_media_path_is_404_for_everyone(owned: Owned) -> None:
    bare = urlsplit(owned.media_url).path
    for headers in ({}, BOB, ALICE):
        answer = httpx.get(owned.server.base_url + bare, headers=headers)
        assert answer.status_code == 404


def test_nothing_of_alices_changed_after_bobs_walk(owned: Owned) -> None:
    test_every_route_of_every_protocol_answers_404_to_another_user(owned)
    with httpx.Client(base_url=owned.server.base_url, headers=ALICE, timeout=60) as alice:
        ids = {
            "session_id": owned.session_id,
            "job_id": owned.job_id,
            "asset_id": owned.asset_id,
            "product_id": owned.product_id,
            "thread_id": owned.thread_id,
        }
        after = _snapshot(alice, ids)
        media = alice.get(owned.media_url)
    strip = _unsigned  # media signatures may roll to the next window between the two reads
    assert strip(after) == strip(owned.before)
    assert media.status_code == 200


def _unsigned(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _unsigned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unsigned(v) for v in value]
    if isinstance(value, str) and "/media/" in value and "?" in value:
        return value.split("?", 1)[0]
    return value
