"""A local fake of the HeyGen v3 HTTP API, served by a real uvicorn server, for tests.

Why a real server: the provider's retries, timeouts, streamed downloads, header handling
(``X-Api-Key`` on API calls, *no* key on presigned file links) and error mapping are what breaks
in production; serving HeyGen's wire format on 127.0.0.1 exercises all of it unchanged.

Endpoints (shapes from reference/ads.md §4 and HeyGen's v3 reference):
- ``POST /v3/videos`` — validates the avatar body, honours ``Idempotency-Key`` (a repeat replays
  the first answer, as HeyGen does for 24 h), answers ``{"data": {"video_id", "status"}}``.
- ``GET /v3/videos/{id}`` — each poll advances the video one step through ``plan.statuses``
  (default pending → processing → completed); completed carries ``video_url``/``thumbnail_url``
  pointing at ``/files/…`` here, failed carries ``failure_code``/``failure_message``.
- ``GET /v3/avatars/looks`` — paginated with ``limit``/``token``, ``has_more``/``next_token``.
- ``GET /files/{name}`` — the "CDN": no API key needed, real MP4 and JPEG bytes.
- ``POST /_sink/webhook`` — not HeyGen: records deliveries so tests can receive webhooks.
Errors use v3's ``{"error": {"code", "message", "doc_url"}}``; a wrong key answers 401.

Usage::

    with FakeHeyGen(media) as fake:
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

from tests.fakes._serving import ServedFake
from tools.media import ScriptBeats, VideoSpec, render_storyboard_video
from tools.video_providers.heygen_webhook import SIGNATURE_HEADER, sign_webhook

__all__ = [
    "DEFAULT_LOOKS",
    "FakeHeyGen",
    "FakeHeyGenScript",
    "FakeMedia",
    "Fault",
    "RecordedRequest",
    "VideoPlan",
    "make_fake_media",
]

_DOCS = "https://developers.heygen.com/docs/error-codes"


def _look(
    look_id: str, name: str, kind: str, gender: str | None, tags: list[str], voice: str | None
) -> dict[str, Any]:
    """One ``GET /v3/avatars/looks`` item, with the fields HeyGen's v3 reference lists."""
    return {
        "id": look_id,
        "name": name,
        "avatar_type": kind,
        "group_id": f"ag_{look_id[:8].lower()}",
        "gender": gender,
        "tags": tags,
        "preview_image_url": f"https://files.heygen.ai/look/{look_id}.jpg" if gender else None,
        "preview_video_url": None,
        "default_voice_id": voice,
        "supported_api_engines": ["avatar_4_quality"],
    }


DEFAULT_LOOKS: tuple[dict[str, Any], ...] = (
    _look(
        "Abigail_expressive_2024112501",
        "Abigail Office Front",
        "studio_avatar",
        "female",
        ["business", "professional"],
        "1bd001e7e50f421d891986aad5c8bbd2",
    ),
    _look(
        "Brandon_casual_2024",
        "Brandon Casual",
        "studio_avatar",
        "male",
        ["casual"],
        "2d5b0e6cf36f460aa7fc47e3eee4ba54",
    ),
    _look("lk_my_twin_01", "My Digital Twin", "digital_twin", None, [], None),
)


@dataclass(frozen=True)
class FakeMedia:
    """The bytes the fake's "CDN" serves for every completed video."""

    video: bytes
    thumbnail: bytes
    duration_s: float
    width: int
    height: int


def make_fake_media(workdir: Path, *, width: int = 180, height: int = 320) -> FakeMedia:
    """Render a real 2 s H.264 MP4 and a JPEG still with the offline renderer."""
    beats = ScriptBeats("Fake HeyGen", ("A tiny real video.",), "Tap", "AdForge")
    spec = VideoSpec(width=width, height=height, fps=6, duration_s=2.0, seed="fake-heygen")
    out = render_storyboard_video(beats, spec, workdir, "fake-heygen")
    return FakeMedia(
        out.path.read_bytes(), out.thumbnail_path.read_bytes(), out.duration_s, width, height
    )


@dataclass(frozen=True)
class Fault:
    """One scripted error answer; ``after_effect`` applies the request first (lost response)."""

    status: int
    after_effect: bool = False
    retry_after: str | None = None
    code: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class VideoPlan:
    """How a new video's status evolves, one step per status poll."""

    statuses: tuple[str, ...] = ("pending", "processing", "completed")
    failure_code: str = "rendering_failed"
    failure_message: str = "Avatar rendering timed out"
    thumbnail: bool = True


@dataclass
class FakeHeyGenScript:
    """How the fake behaves; edit fields between (or during) tests."""

    api_key: str = "hg-test-key"
    looks: tuple[dict[str, Any], ...] = DEFAULT_LOOKS
    plan: VideoPlan = field(default_factory=VideoPlan)
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    """Route name (``create``, ``status``, ``looks``, ``file``) → errors to answer first, FIFO."""
    webhook_secret: str = "whsec_fake_secret"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as received; header names are lower-case."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class _Video:
    video_id: str
    request: dict[str, Any]
    plan: VideoPlan
    polls: int = 0
    created_at: int = field(default_factory=lambda: int(time.time()))

    @property
    def status(self) -> str:
        return self.plan.statuses[min(max(self.polls - 1, 0), len(self.plan.statuses) - 1)]


class FakeHeyGen(ServedFake):
    """The fake server: ``start()``/``stop()`` or a context manager."""

    server_name = "fake-heygen"

    def __init__(self, media: FakeMedia, script: FakeHeyGenScript | None = None) -> None:
        self.media = self._media = media
        self.script = script or FakeHeyGenScript()
        self.host = "127.0.0.1"
        self.port: int | None = None
        self.videos: dict[str, _Video] = {}
        self.deliveries: list[RecordedRequest] = []
        """Webhook deliveries received on ``/_sink/webhook``."""
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
        """Forget videos, requests and deliveries; restore the media; install a fresh script."""
        with self._lock:
            self.videos.clear()
            self._replays.clear()
            self._requests.clear()
            self.deliveries.clear()
        self.media = self._media
        self.script = script or FakeHeyGenScript()

    def calls(self, method: str, prefix: str) -> list[RecordedRequest]:
        """Recorded requests with this method whose path starts with ``prefix``."""
        return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

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

    def _record(self, request: Request, body: bytes) -> None:
        recorded = RecordedRequest(
            request.method, request.url.path, dict(request.headers.items()), body
        )
        with self._lock:
            self._requests.append(recorded)

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
            "duration": self.media.duration_s if done else None,
            "failure_code": video.plan.failure_code if status == "failed" else None,
            "failure_message": video.plan.failure_message if status == "failed" else None,
            "video_page_url": f"https://app.heygen.com/videos/{video.video_id}",
        }


def _error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "doc_url": f"{_DOCS}#{code}", **extra}}
    return JSONResponse(body, status_code=status)


def _fault_response(fault: Fault) -> JSONResponse:
    defaults = {
        401: ("unauthorized", "Invalid API key"),
        402: ("insufficient_credit", "Your account has 0 credits but this video requires 10."),
        429: ("rate_limit_exceeded", "Too many requests, slow down"),
        409: ("request_in_progress", "A request with this Idempotency-Key is in progress"),
    }
    code, message = defaults.get(fault.status, ("internal_error", "Internal server error"))
    body = {"error": {"code": fault.code or code, "message": fault.message or message}}
    headers = {"retry-after": fault.retry_after} if fault.retry_after else None
    return JSONResponse(body, status_code=fault.status, headers=headers)


def _create_app(fake: FakeHeyGen) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    async def receive(request: Request) -> tuple[bytes, Response | None]:
        body = await request.body()
        fake._record(request, body)
        if request.headers.get("x-api-key") != fake.script.api_key:
            return body, _error(401, "unauthorized", "Invalid API key or OAuth token")
        return body, None

    @app.post("/v3/videos")
    async def create_video(request: Request) -> Response:
        raw, rejection = await receive(request)
        if rejection is not None:
            return rejection
        fault = fake._fault("create")
        if fault is not None and not fault.after_effect:
            return _fault_response(fault)
        key = request.headers.get("idempotency-key")
        if key is not None and key in fake._replays:
            status, body = fake._replays[key]
            response: Response = JSONResponse(body, status_code=status)
        else:
            response = _create(fake, raw, key)
        return _fault_response(fault) if fault is not None else response

    @app.get("/v3/videos/{video_id}")
    async def get_video(video_id: str, request: Request) -> Response:
        _, rejection = await receive(request)
        if rejection is not None:
            return rejection
        fault = fake._fault("status")
        if fault is not None:
            return _fault_response(fault)
        video = fake.videos.get(video_id)
        if video is None:
            return _error(404, "video_not_found", f"Video {video_id} not found")
        video.polls += 1
        return JSONResponse({"data": fake._video_body(video)})

    @app.get("/v3/avatars/looks")
    async def list_looks(request: Request) -> Response:
        _, rejection = await receive(request)
        if rejection is not None:
            return rejection
        fault = fake._fault("looks")
        if fault is not None:
            return _fault_response(fault)
        try:
            limit = int(request.query_params.get("limit", "20"))
            start = int(request.query_params.get("token") or 0)
        except ValueError:
            return _error(400, "invalid_parameter", "limit and token must be integers")
        if not 1 <= limit <= 50:
            return _error(400, "invalid_parameter", "limit must be 1-50", param="limit")
        page = list(fake.script.looks[start : start + limit])
        more = start + limit < len(fake.script.looks)
        body = {"data": page, "has_more": more, "next_token": str(start + limit) if more else None}
        return JSONResponse(body)

    @app.get("/files/{name}")
    async def files(name: str, request: Request) -> Response:
        fake._record(request, b"")
        fault = fake._fault("file")
        if fault is not None:
            return _fault_response(fault)
        video_id, _, ext = name.rpartition(".")
        if video_id not in fake.videos or ext not in ("mp4", "jpg"):
            return Response(b"<Error>NoSuchKey</Error>", 404, media_type="application/xml")
        if ext == "mp4":
            return Response(fake.media.video, media_type="video/mp4")
        return Response(fake.media.thumbnail, media_type="image/jpeg")

    @app.post("/_sink/webhook")
    async def sink(request: Request) -> Response:
        body = await request.body()
        recorded = RecordedRequest("POST", "/_sink/webhook", dict(request.headers.items()), body)
        with fake._lock:
            fake.deliveries.append(recorded)
        return JSONResponse({"ok": True})

    @app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def unknown(path: str, request: Request) -> Response:
        await receive(request)
        return _error(404, "not_found", f"No route {request.method} /{path}")

    return app


def _create(fake: FakeHeyGen, raw: bytes, key: str | None) -> JSONResponse:
    """Validate a create-video body like HeyGen does, create the video, remember the answer."""
    try:
        body = json.loads(raw)
    except ValueError:
        return _error(400, "invalid_request", "Request body is not valid JSON")
    problem = _validate(fake, body)
    if problem is not None:
        return problem
    video_id = uuid.uuid4().hex
    fake.videos[video_id] = _Video(video_id, body, fake.script.plan)
    answer = {"data": {"video_id": video_id, "status": "pending"}}
    if key is not None:
        fake._replays[key] = (200, answer)
    return JSONResponse(answer)


def _validate(fake: FakeHeyGen, body: Any) -> JSONResponse | None:
    if not isinstance(body, dict) or body.get("type") != "avatar":
        return _error(400, "invalid_parameter", "type must be 'avatar'", param="type")
    ids = {look["id"] for look in fake.script.looks}
    if body.get("avatar_id") not in ids:
        return _error(404, "avatar_not_found", f"Avatar look {body.get('avatar_id')!r} not found")
    if not isinstance(body.get("script"), str) or not body["script"].strip():
        return _error(400, "invalid_parameter", "script must be a non-empty string", param="script")
    if body.get("resolution", "1080p") not in ("720p", "1080p", "4k"):
        return _error(400, "invalid_parameter", "unsupported resolution", param="resolution")
    if body.get("aspect_ratio", "16:9") not in ("16:9", "9:16", "4:5", "5:4", "1:1", "auto"):
        return _error(400, "invalid_parameter", "unsupported aspect_ratio", param="aspect_ratio")
    return None
