"""A strict local fake of HeyGen's v3 HTTP API (edition 2026-07-21), served by real uvicorn.

Why a real server: the provider's retries, timeouts, streamed downloads, header handling
(``X-Api-Key`` on API calls, *no* key on presigned file links) and error mapping are what breaks
in production; serving HeyGen's wire format on 127.0.0.1 exercises all of it unchanged.

Why strict: every request is checked against the schema of one dated edition of HeyGen's
published OpenAPI spec (:mod:`tests.fakes._heygen_schema` cites it: heygen-com/heygen-cli
``gen/video.go`` at 3905c9a, 2026-07-21), and anything that edition does not document is
refused with its error envelope and recorded in :attr:`FakeHeyGen.refusals`, so a test can
assert that the real client never sent a refused request.

Endpoints:
- ``POST /v3/videos`` — the avatar variant, validated field by field; honours
  ``Idempotency-Key`` (a repeat replays the first answer, as HeyGen does for 24 h); answers
  ``{"data": {"video_id", "status"}}``. The video's frame follows ``aspect_ratio`` and
  ``resolution`` (1080p 9:16 → 1080×1920), and the "CDN" serves a real MP4 of that size.
- ``GET /v3/videos/{id}`` — each poll advances the video one step through ``plan.statuses``
  (default pending → processing → completed).
- ``GET /v3/avatars/looks`` (paginated), ``GET /v3/avatars/looks/{look_id}``, ``GET /v3/voices``
  (filters ``type``, ``engine``, ``language``, ``gender``; paginated).
- ``GET /files/{name}`` — the "CDN": no API key needed.
- ``POST /_sink/webhook`` — not HeyGen: records deliveries so tests can receive webhooks.

Usage::

    with FakeHeyGen(media_dir) as fake:
        fake.script.faults["create"] = [Fault(429), Fault(500)]
        provider = HeyGenProvider(fake.api_key, base_url=fake.url, poll_interval_s=0.01)
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from tests.fakes._heygen_data import (
    DEFAULT_LOOKS,
    DEFAULT_VOICES,
    FakeMedia,
    Fault,
    MediaMaker,
    VideoPlan,
    fault_response,
    make_fake_media,
    page,
)
from tests.fakes._heygen_schema import (
    LOOKS_QUERY,
    VOICES_QUERY,
    Refusal,
    check_body,
    check_idempotency_key,
    check_query,
    frame_for,
)
from tests.fakes._serving import ServedFake
from tools.video_providers.heygen_webhook import SIGNATURE_HEADER, sign_webhook

__all__ = [
    "DEFAULT_LOOKS",
    "DEFAULT_VOICES",
    "FakeHeyGen",
    "FakeHeyGenScript",
    "FakeMedia",
    "Fault",
    "RecordedRequest",
    "VideoPlan",
    "make_fake_media",
]


@dataclass
class FakeHeyGenScript:
    """How the fake behaves; edit fields between (or during) tests."""

    api_key: str = "hg-test-key"
    looks: tuple[dict[str, Any], ...] = DEFAULT_LOOKS
    voices: tuple[dict[str, Any], ...] = DEFAULT_VOICES
    plan: VideoPlan = field(default_factory=VideoPlan)
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    """Route name (``create``, ``status``, ``looks``, ``voices``, ``file``) → errors, FIFO."""
    webhook_secret: str = "whsec_fake_secret"
    media: FakeMedia | None = None
    """Serve these bytes for every video instead of media of the rendered frame size."""


@dataclass(frozen=True)
class RecordedRequest:
    """One request as received; header names are lower-case."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    query: dict[str, str] = field(default_factory=dict)


@dataclass
class _Video:
    video_id: str
    request: dict[str, Any]
    plan: VideoPlan
    frame: tuple[int, int]
    polls: int = 0
    created_at: int = field(default_factory=lambda: int(time.time()))

    @property
    def status(self) -> str:
        return self.plan.statuses[min(max(self.polls - 1, 0), len(self.plan.statuses) - 1)]


class FakeHeyGen(ServedFake):
    """The fake server: ``start()``/``stop()`` or a context manager."""

    server_name = "fake-heygen"

    def __init__(self, media_dir: Path, script: FakeHeyGenScript | None = None) -> None:
        self.make_media = MediaMaker(media_dir)
        self.script = script or FakeHeyGenScript()
        self.host = "127.0.0.1"
        self.port: int | None = None
        self.videos: dict[str, _Video] = {}
        self.deliveries: list[RecordedRequest] = []
        """Webhook deliveries received on ``/_sink/webhook``."""
        self.refusals: list[tuple[RecordedRequest, Refusal]] = []
        """Every request refused as not matching the edition's schema, with the answer."""
        self._replays: dict[str, tuple[int, dict[str, Any]]] = {}
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()

    @property
    def api_key(self) -> str:
        """The key the fake accepts."""
        return self.script.api_key

    @property
    def url(self) -> str:
        """The server root, to pass as the provider's ``base_url``."""
        if self.port is None:
            raise RuntimeError("FakeHeyGen is not running")
        return f"http://{self.host}:{self.port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def submissions(self) -> int:
        """Videos actually created (idempotent replays not counted)."""
        return len(self.videos)

    def reset(self, script: FakeHeyGenScript | None = None) -> None:
        """Forget videos, requests, refusals and deliveries; install a fresh script."""
        with self._lock:
            self.videos.clear()
            self._replays.clear()
            self._requests.clear()
            self.deliveries.clear()
            self.refusals.clear()
        self.script = script or FakeHeyGenScript()

    def calls(self, method: str, prefix: str) -> list[RecordedRequest]:
        """Recorded requests with this method whose path starts with ``prefix``."""
        return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

    def media_for(self, video: _Video) -> FakeMedia:
        """What the "CDN" serves for ``video``: its frame size, unless the script overrides."""
        return self.script.media or self.make_media(*video.frame)

    def send_webhook(self, url: str, video_id: str, *, secret: str | None = None) -> httpx.Response:
        """POST the signed event HeyGen would send for ``video_id``'s current state to ``url``."""
        body = self.webhook_body(video_id)
        signature = sign_webhook(body, secret or self.script.webhook_secret)
        headers = {"content-type": "application/json", SIGNATURE_HEADER: signature}
        return httpx.post(url, content=body, headers=headers, timeout=10)

    def webhook_body(self, video_id: str) -> bytes:
        """The JSON body of the success/fail event for ``video_id`` (as HeyGen serialises it)."""
        video = self.videos[video_id]
        callback_id = video.request.get("callback_id")
        if video.status == "failed":
            event_type = "avatar_video.fail"
            data = {"video_id": video_id, "msg": video.plan.failure_message}
        else:
            event_type = "avatar_video.success"
            data = {"video_id": video_id, "url": self._file_url(video_id, "mp4")}
        payload = {
            "event_id": f"evt_{uuid.uuid4().hex[:16]}",
            "event_type": event_type,
            "event_data": {**data, "callback_id": callback_id},
        }
        return json.dumps(payload, separators=(",", ":")).encode()

    def asgi_app(self) -> FastAPI:
        """The fake's HTTP API (served by ``ServedFake.start``)."""
        return _create_app(self)

    def _record(self, request: Request, body: bytes) -> RecordedRequest:
        recorded = RecordedRequest(
            request.method,
            request.url.path,
            dict(request.headers.items()),
            body,
            dict(request.query_params.items()),
        )
        with self._lock:
            self._requests.append(recorded)
        return recorded

    def _refuse(self, recorded: RecordedRequest, refusal: Refusal) -> JSONResponse:
        with self._lock:
            self.refusals.append((recorded, refusal))
        return JSONResponse(refusal.body(), status_code=refusal.status)

    def _fault(self, route: str) -> Fault | None:
        with self._lock:
            queue = self.script.faults.get(route)
            return queue.pop(0) if queue else None

    def _file_url(self, video_id: str, ext: str) -> str:
        expires = int(time.time()) + 7 * 86400
        return f"{self.url}/files/{video_id}.{ext}?Expires={expires}&Signature=fake"

    def _video_body(self, video: _Video) -> dict[str, Any]:
        status = video.status
        done = status == "completed"
        return {
            "id": video.video_id,
            "status": status,
            "title": video.request.get("title"),
            "created_at": video.created_at,
            "completed_at": video.created_at + 60 if done else None,
            "video_url": self._file_url(video.video_id, "mp4") if done else None,
            "thumbnail_url": (
                self._file_url(video.video_id, "jpg") if done and video.plan.thumbnail else None
            ),
            "duration": self.media_for(video).duration_s if done else None,
            "failure_code": video.plan.failure_code if status == "failed" else None,
            "failure_message": video.plan.failure_message if status == "failed" else None,
            "video_page_url": f"https://app.heygen.com/videos/{video.video_id}",
        }


def _create_app(fake: FakeHeyGen) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    async def receive(
        request: Request, query: dict[str, Any] | None = None, route: str | None = None
    ) -> tuple[RecordedRequest, Response | None]:
        """Record; check the key and the query string (``query`` is its schema); then answer
        a scripted fault for ``route`` if one is queued."""
        recorded = fake._record(request, await request.body())
        if request.headers.get("x-api-key") != fake.script.api_key:
            return recorded, fake._refuse(
                recorded, Refusal(401, "unauthorized", "Invalid API key or OAuth token")
            )
        refusal = check_query(recorded.query, query or {})
        if refusal is not None:
            return recorded, fake._refuse(recorded, refusal)
        fault = fake._fault(route) if route else None
        return recorded, fault_response(fault) if fault is not None else None

    @app.post("/v3/videos")
    async def create_video(request: Request) -> Response:
        recorded, rejection = await receive(request)
        if rejection is not None:
            return rejection
        fault = fake._fault("create")
        if fault is not None and not fault.after_effect:
            return fault_response(fault)
        key = request.headers.get("idempotency-key")
        if key is not None and key in fake._replays:
            status, body = fake._replays[key]
            response: Response = JSONResponse(body, status_code=status)
        else:
            response = _create(fake, recorded, key)
        return fault_response(fault) if fault is not None else response

    @app.get("/v3/videos/{video_id}")
    async def get_video(video_id: str, request: Request) -> Response:
        _, rejection = await receive(request, route="status")
        if rejection is not None:
            return rejection
        video = fake.videos.get(video_id)
        if video is None:
            return JSONResponse(Refusal(404, "not_found", "Video not found").body(), 404)
        video.polls += 1
        return JSONResponse({"data": fake._video_body(video)})

    @app.get("/v3/avatars/looks")
    async def list_looks(request: Request) -> Response:
        recorded, rejection = await receive(request, LOOKS_QUERY, "looks")
        if rejection is not None:
            return rejection
        return JSONResponse(page(list(fake.script.looks), recorded.query, 20))

    @app.get("/v3/avatars/looks/{look_id}")
    async def get_look(look_id: str, request: Request) -> Response:
        _, rejection = await receive(request)
        if rejection is not None:
            return rejection
        look = next((x for x in fake.script.looks if x["id"] == look_id), None)
        if look is None:
            return JSONResponse(Refusal(404, "not_found", "Avatar look not found").body(), 404)
        return JSONResponse({"data": look})

    @app.get("/v3/voices")
    async def list_voices(request: Request) -> Response:
        recorded, rejection = await receive(request, VOICES_QUERY, "voices")
        if rejection is not None:
            return rejection
        query = recorded.query
        voices = [
            v
            for v in fake.script.voices
            if v["type"] == query.get("type", "public")
            and query.get("language", v["language"]).lower() == v["language"].lower()
            and query.get("gender", v["gender"]).lower() == v["gender"].lower()
        ]
        return JSONResponse(page(voices, query, 20))

    @app.get("/files/{name}")
    async def files(name: str, request: Request) -> Response:
        fake._record(request, b"")
        fault = fake._fault("file")
        if fault is not None:
            return fault_response(fault)
        video_id, _, ext = name.rpartition(".")
        video = fake.videos.get(video_id)
        if video is None or ext not in ("mp4", "jpg"):
            return Response(b"<Error>NoSuchKey</Error>", 404, media_type="application/xml")
        media = fake.media_for(video)
        if ext == "mp4":
            return Response(media.video, media_type="video/mp4")
        return Response(media.thumbnail, media_type="image/jpeg")

    @app.post("/_sink/webhook")
    async def sink(request: Request) -> Response:
        body = await request.body()
        recorded = RecordedRequest("POST", "/_sink/webhook", dict(request.headers.items()), body)
        with fake._lock:
            fake.deliveries.append(recorded)
        return JSONResponse({"ok": True})

    @app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def unknown(path: str, request: Request) -> Response:
        recorded, _ = await receive(request)
        return fake._refuse(
            recorded, Refusal(404, "not_found", f"No route {request.method} /{path}")
        )

    return app


def _create(fake: FakeHeyGen, recorded: RecordedRequest, key: str | None) -> Response:
    """Validate a create-video body against the edition, create the video, remember the answer."""
    looks = {look["id"]: look for look in fake.script.looks}
    try:
        body: Any = json.loads(recorded.body)
    except ValueError:
        body = None
    refusal = check_idempotency_key(key) or check_body(body, looks)
    voices = {v["voice_id"] for v in fake.script.voices}
    if refusal is None and body.get("voice_id") not in (None, *voices):
        refusal = Refusal(400, "invalid_parameter", "Voice not found", param="voice_id")
    if refusal is not None:
        return fake._refuse(recorded, refusal)
    video_id = uuid.uuid4().hex
    frame = frame_for(body, looks[body["avatar_id"]])
    fake.videos[video_id] = _Video(video_id, body, fake.script.plan, frame)
    answer = {"data": {"video_id": video_id, "status": "pending"}}
    if key is not None:
        fake._replays[key] = (200, answer)
    return JSONResponse(answer)
