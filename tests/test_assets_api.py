"""The gallery (issue 4): the ``assets`` fold, then ``GET /assets`` over finished sessions.

Given alice finishes an image session and a video session (API keys for alice and bob), when
anyone lists or fetches assets, then alice sees both with the ChatKit sample's fields and media
URLs the app serves, pages and filters work, bob sees none of it, and the view rebuilt from
position 0 equals the one the server kept incrementally.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.app import create_app
from server.core.eventlog import RecordedEvent, rebuild
from server.core.events import EventType
from server.core.projections.gallery import AssetsProjection, Gallery, find_asset, list_assets
from server.core.services import Services
from server.settings import Settings

ALICE = {"Authorization": "Bearer sk-a"}
BOB = {"Authorization": "Bearer sk-b"}
SEED_FIELDS = {
    "id",
    "product",
    "style",
    "tone",
    "pitch",
    "headline",
    "primaryText",
    "callToAction",
    "imagePrompts",
    "images",
    "createdAt",
}
_CONTENT_ENV = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "ADFORGE_MODEL",
    "ADFORGE_IMAGE_PROVIDER",
    "HEYGEN_API_KEY",
    "ADFORGE_OFFLINE_LATENCY_MS",
    "ADFORGE_API_KEYS",
)
"""Read from the environment by the model and providers: unset so the run is offline."""

# --- the fold ----------------------------------------------------------------------------------


def _event(position: int, thread: str, type_: str, data: dict[str, Any]) -> RecordedEvent:
    return RecordedEvent(
        position=position,
        thread_id=thread,
        seq=position,
        event_id=f"evt-{position}",
        type=type_,
        schema_version=1,
        data=data,
        run_id=None,
        created_at=f"2026-01-01T00:00:{position:02d}.000Z",
    )


def _started(position: int, thread: str, user: str) -> RecordedEvent:
    data = {
        "sessionId": thread,
        "userId": user,
        "productId": "1",
        "product": {"id": "1", "name": "Serum"},
        "format": "Hybrid Format",
        "mediaType": "image",
        "graph": "ad_workflow",
    }
    return _event(position, thread, EventType.SESSION_STARTED, data)


def _saved(position: int, thread: str, **fields: Any) -> RecordedEvent:
    asset = {
        "id": "asset-1",
        "product": "Serum",
        "style": "Hybrid Format",
        "tone": "Warm",
        "pitch": "Glow",
        "headline": "First headline",
        "primaryText": "Body copy.",
        "callToAction": "Shop now",
        "imagePrompts": ["a bottle"],
        **fields,
    }
    return _event(position, thread, EventType.ASSET_SAVED, {"asset": asset})


def _fold(*events: RecordedEvent) -> Gallery:
    projection, view = AssetsProjection(), AssetsProjection().initial()
    for e in events:
        view = projection.apply(view, e)
    return view


def test_a_later_save_replaces_the_copy_and_merges_media_without_duplicates() -> None:
    video = {"url": "/media/t1/v.mp4", "thumbnailUrl": "/media/t1/v.jpg", "duration": 20.5}
    first = _fold(
        _started(1, "t1", "alice"),
        _saved(2, "t1", images=["/media/t1/a.png", "data:image/png;base64,AAAA"]),
    )
    view = AssetsProjection().apply(
        first,
        _saved(
            3,
            "t1",
            headline="Second headline",
            images=["/media/t1/b.png", "/media/t1/a.png"],
            videos=[{**video, "provider": "offline"}, video],
        ),
    )

    asset = view.assets["asset-1"]
    assert asset["headline"] == "Second headline"
    assert asset["images"] == ["/media/t1/a.png", "/media/t1/b.png"]  # merged, no base64
    assert asset["videos"] == [video]  # trimmed to the wire fields, once
    assert asset["kind"] == "video"  # the media say what it is, whatever the save said
    assert asset["createdAt"] == "2026-01-01T00:00:02.000Z"
    assert asset["updatedAt"] == "2026-01-01T00:00:03.000Z"
    assert (asset["sourceSession"], asset["userId"]) == ("t1", "alice")
    assert first.assets["asset-1"]["headline"] == "First headline"  # the input view is untouched
    assert list(view.assets) == ["asset-1"]


def test_a_queued_image_joins_its_asset_once_generated_whichever_event_comes_first() -> None:
    url = "/media/t1/img-1.png"
    image = {
        "requestId": "img-1",
        "assetId": None,
        "prompt": "a bottle",
        "size": "1080x1080",
        "kind": "image",
        "url": url,
        "format": "png",
        "resolution": "1080x1080",
        "jobId": "img-1",
        "provider": "offline",
        "offline": True,
    }
    generated = _event(9, "t1", EventType.IMAGE_GENERATED, image)
    # saved while the image is still queued: the request id is no URL, so it is not listed yet
    pending = _fold(_started(1, "t1", "alice"), _saved(2, "t1", images=["img-1"]))
    assert (
        pending.assets["asset-1"]["images"] == [] and pending.assets["asset-1"]["kind"] == "concept"
    )
    after = AssetsProjection().apply(pending, generated)
    assert after.assets["asset-1"]["images"] == [url] and after.assets["asset-1"]["kind"] == "image"
    # generated first, saved after: the save's request id is mapped to the URL
    early = _fold(_started(1, "t1", "alice"), generated, _saved(10, "t1", images=["img-1"]))
    assert early.assets["asset-1"]["images"] == [url]


def test_owners_come_from_the_first_user_id_and_guard_the_asset_id() -> None:
    thread_of_bob = {
        "threadId": "chatkit-1",
        "userId": "bob",
        "graph": "ad_assistant",
        "options": {},
        "title": None,
    }
    run_of_bob = {
        "runId": "run-1",
        "kind": "start",
        "payload": None,
        "userId": "bob",
        "interruptId": None,
        "productName": "Serum",
        "graph": "ad_workflow",
        "checkpointId": None,
    }
    before = _fold(
        _started(1, "t1", "alice"),
        _saved(2, "t1", images=["/media/t1/a.png"]),
        _event(3, "chatkit-1", EventType.CHAT_THREAD_STARTED, thread_of_bob),
        _event(4, "t1", EventType.RUN_STARTED, run_of_bob),  # names bob: cannot take t1 over
    )
    snapshot = copy.deepcopy(before)
    view = before
    for later in (
        _saved(5, "chatkit-1", headline="Hijacked", images=["/media/x.png"]),
        _saved(6, "chatkit-1", id="asset-2", kind="concept"),
        _event(7, "t1", EventType.ASSET_SAVED, {"asset": {"id": "bad"}}),  # invalid: skipped
        _event(8, "t1", "SomethingNew", {}),
    ):
        view = AssetsProjection().apply(view, later)

    assert before == snapshot
    assert view.owners == {"t1": "alice", "chatkit-1": "bob"}
    assert view.assets["asset-1"]["headline"] == "First headline"
    assert view.assets["asset-1"]["images"] == ["/media/t1/a.png"]
    assert [a["id"] for a in list_assets(view, "alice")] == ["asset-1"]
    assert [a["id"] for a in list_assets(view, "bob")] == ["asset-2"]
    assert list_assets(view, "bob", kind="image") == []
    assert list_assets(view, "alice", session_id="chatkit-1") == []
    assert find_asset(view, "bob", "asset-1") is None
    assert find_asset(view, "alice", "asset-1") is view.assets["asset-1"]


# --- the API -------------------------------------------------------------------------------------


@dataclass
class Finished:
    """Alice's two finished sessions on a running app."""

    client: TestClient
    app: FastAPI
    image_session: str
    video_session: str


def _data(client: TestClient, sid: str, body: dict[str, Any], type_: str) -> dict[str, Any]:
    answer = client.post(f"/api/chat/sessions/{sid}/messages", json=body, headers=ALICE)
    assert answer.status_code == 200, answer.text
    return dict(next(f["data"] for f in answer.json()["messages"] if f["type"] == type_))


def _finish_session(client: TestClient, media_type: str) -> str:
    """Persona → angle → script → render, then wait until the session's asset is listed."""
    created = client.post(
        "/api/chat/sessions", json={"productId": "1", "mediaType": media_type}, headers=ALICE
    )
    sid = str(created.json()["sessionId"])
    persona = _data(client, sid, {"message": "Generate ads"}, "audience_group")["audiences"][0]
    pick = {"message": "x", "context": {"selectedPersona": {"id": persona["id"]}}}
    angle = _data(client, sid, pick, "marketing_angle")["angles"][0]
    pick = {"message": f"Selected angle: {angle['title']}"}
    script = _data(client, sid, pick, "psychology_selection")["concepts"][0]
    job = client.post(
        f"/api/chat/sessions/{sid}/video", json={"scriptId": script["id"]}, headers=ALICE
    )
    assert job.status_code == 202, job.text
    deadline = time.monotonic() + 180
    while client.get("/assets", params={"sessionId": sid}, headers=ALICE).json()["count"] == 0:
        assert time.monotonic() < deadline, f"the {media_type} asset never appeared"
        time.sleep(0.2)
    return sid


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Finished]:
    settings = Settings(
        ADFORGE_DATA_DIR=tmp_path_factory.mktemp("assets") / "data",
        ADFORGE_VIDEO_FPS=12,
        ADFORGE_API_KEYS="sk-a:alice,sk-b:bob",
    )
    with pytest.MonkeyPatch.context() as env:  # module scope: conftest's isolation is per test
        for name in _CONTENT_ENV:
            env.delenv(name, raising=False)
        app = create_app(settings)
        with TestClient(app) as client:
            image_sid = _finish_session(client, "image")
            video_sid = _finish_session(client, "video")
            yield Finished(client, app, image_sid, video_sid)


@pytest.mark.slow
def test_alice_lists_both_assets_with_the_seed_fields_and_served_media(finished: Finished) -> None:
    client = finished.client
    listed = client.get("/assets", headers=ALICE).json()
    assert listed["count"] == 2
    video, image = listed["assets"]  # newest first
    assert all(SEED_FIELDS <= a.keys() for a in (video, image))
    assert (video["kind"], video["sourceSession"]) == ("video", finished.video_session)
    assert (image["kind"], image["sourceSession"]) == ("image", finished.image_session)
    assert video["createdAt"] >= image["createdAt"] and image["offline"] is True

    [png] = image["images"]
    assert png.startswith(f"/media/{finished.image_session}/") and image["videos"] == []
    answer = client.get(png)
    assert answer.status_code == 200 and answer.headers["content-type"] in (
        "image/png",
        "image/jpeg",
    )

    [clip] = video["videos"]
    assert set(clip) == {"url", "thumbnailUrl", "duration", "resolution", "format"}
    assert clip["url"].startswith("/media/") and clip["resolution"] == "1080x1920"
    answer = client.get(clip["url"])
    assert answer.status_code == 200 and answer.headers["content-type"] == "video/mp4"
    assert client.get(clip["thumbnailUrl"]).headers["content-type"] == "image/jpeg"

    one = client.get(f"/assets/{image['id']}", headers=ALICE)
    assert one.status_code == 200 and one.json() == image


@pytest.mark.slow
def test_pages_and_filters(finished: Finished) -> None:
    client = finished.client

    def ids(**params: Any) -> tuple[list[str], int]:
        body = client.get("/assets", params=params, headers=ALICE).json()
        return [a["kind"] for a in body["assets"]], body["count"]

    assert ids(limit=1) == (["video"], 2)
    assert ids(limit=1, offset=1) == (["image"], 2)
    assert ids(offset=2) == ([], 2)
    assert ids(kind="image") == (["image"], 1)
    assert ids(kind="video") == (["video"], 1)
    assert ids(kind="concept") == ([], 0)
    assert ids(sessionId=finished.video_session) == (["video"], 1)
    assert ids(sessionId="sess-unknown") == ([], 0)
    for bad in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"kind": "gif"}):
        answer = client.get("/assets", params=bad, headers=ALICE)
        assert answer.status_code == 422, bad
        assert answer.json()["type"] == "error" and answer.json()["code"] == "invalid_request"


@pytest.mark.slow
def test_another_user_sees_nothing_of_alices(finished: Finished) -> None:
    client = finished.client
    assert client.get("/assets", headers=BOB).json() == {"assets": [], "count": 0}
    scoped = client.get("/assets", params={"sessionId": finished.image_session}, headers=BOB)
    assert scoped.json()["count"] == 0
    alices = client.get("/assets", headers=ALICE).json()["assets"][0]["id"]
    for headers in (BOB, ALICE):
        missing = client.get(
            f"/assets/{alices if headers is BOB else 'asset-nope'}", headers=headers
        )
        assert missing.status_code == 404
        assert missing.json() == {
            "type": "error",
            "code": "not_found",
            "message": missing.json()["message"],
            "retryable": False,
        }
    assert client.get("/assets").status_code == 401


@pytest.mark.slow
def test_the_rebuilt_view_equals_the_incremental_one_and_docs_list_the_routes(
    finished: Finished,
) -> None:
    client = finished.client
    services: Services = finished.app.state.services
    assert client.portal is not None
    head = client.portal.call(services.store.head_position)
    client.portal.call(services.projections.wait_for, head)
    rebuilt = client.portal.call(rebuild, services.store, AssetsProjection())
    assert rebuilt == services.projections.view("assets")
    assert len(rebuilt.assets) == 2

    spec = client.get("/openapi.json").json()
    assert spec["paths"]["/assets"]["get"]["tags"] == ["assets"]
    assert "/assets/{asset_id}" in spec["paths"]
    assert {"AssetsPublic", "AssetPublic", "VideoPublic"} <= spec["components"]["schemas"].keys()
