"""The fake HeyGen account's data (avatar looks, voice library) and the media it "renders".

Looks carry every field of the 2026-07-21 ``GET /v3/avatars/looks`` item schema; two of them
have ``default_voice_id: null`` (a studio avatar and a digital twin), as real accounts do, so a
client that leaves the voice to HeyGen is refused. Voices carry the ``GET /v3/voices`` item
fields. Media are real H.264 files of exactly the frame the request's ``aspect_ratio`` and
``resolution`` give (cached per size), made with the ffmpeg that ships with imageio-ffmpeg.
"""

from __future__ import annotations

import io
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.responses import JSONResponse
from PIL import Image

from tests.fakes._heygen_schema import Refusal
from tools.media import ffmpeg_exe

__all__ = [
    "DEFAULT_LOOKS",
    "DEFAULT_VOICES",
    "FakeMedia",
    "Fault",
    "MediaMaker",
    "VideoPlan",
    "fault_response",
    "make_fake_media",
    "page",
]


def _look(
    look_id: str,
    name: str,
    kind: str,
    gender: str | None,
    tags: list[str],
    voice: str | None,
    size: tuple[int, int] = (1080, 1920),
) -> dict[str, Any]:
    """One ``GET /v3/avatars/looks`` item, with the fields the edition's schema lists."""
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
        "supported_api_engines": ["avatar_iv"],
        "image_width": size[0],
        "image_height": size[1],
        "preferred_orientation": "portrait" if size[1] > size[0] else "landscape",
        "status": None,
        "error": None,
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
    _look("Daisy_studio_nodefault", "Daisy Studio", "studio_avatar", "female", ["ugc"], None),
    _look("lk_my_twin_01", "My Digital Twin", "digital_twin", None, [], None, (1920, 1080)),
)


def _voice(voice_id: str, name: str, language: str, gender: str) -> dict[str, Any]:
    return {
        "voice_id": voice_id,
        "name": name,
        "language": language,
        "gender": gender,
        "preview_audio_url": f"https://files.heygen.ai/voice/{voice_id}.mp3",
        "support_pause": True,
        "support_locale": False,
        "type": "public",
    }


DEFAULT_VOICES: tuple[dict[str, Any], ...] = (
    _voice("1bd001e7e50f421d891986aad5c8bbd2", "Abigail", "English", "female"),
    _voice("2d5b0e6cf36f460aa7fc47e3eee4ba54", "Brandon", "English", "male"),
    _voice("f38a635bee7a4d1f9b0a654a31d050d2", "Chill Brian", "English", "male"),
    _voice("73c0b6a2e29d4d38aca41454bf58c955", "Cerise", "English", "female"),
    _voice("c8e176c17f814004885fd590e03ff99f", "Juliette", "French", "female"),
)


@dataclass(frozen=True)
class FakeMedia:
    """The bytes the fake's "CDN" serves for a completed video."""

    video: bytes
    thumbnail: bytes
    duration_s: float
    width: int
    height: int


def make_fake_media(workdir: Path, *, width: int = 180, height: int = 320) -> FakeMedia:
    """A real 1 s H.264 MP4 (with an AAC track, as HeyGen's have) and a JPEG still."""
    workdir.mkdir(parents=True, exist_ok=True)
    out = workdir / f"fake-heygen-{width}x{height}.mp4"
    subprocess.run(
        [
            *(ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"),
            *("-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate=5:duration=1"),
            *("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=1"),
            *("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
            *("-c:a", "aac", "-b:a", "32k", "-shortest", str(out)),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    still = io.BytesIO()
    Image.new("RGB", (width, height), (124, 92, 255)).save(still, "JPEG", quality=80)
    return FakeMedia(out.read_bytes(), still.getvalue(), 1.0, width, height)


class MediaMaker:
    """Makes (once per size) and keeps the media of every frame size the fake renders."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._made: dict[tuple[int, int], FakeMedia] = {}
        self._lock = threading.Lock()

    def __call__(self, width: int, height: int) -> FakeMedia:
        with self._lock:
            if (width, height) not in self._made:
                made = make_fake_media(self.workdir, width=width, height=height)
                self._made[width, height] = made
            return self._made[width, height]


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


def fault_response(fault: Fault) -> JSONResponse:
    defaults = {
        401: ("unauthorized", "Invalid API key"),
        402: ("insufficient_credit", "Your account has 0 credits but this video requires 10."),
        429: ("rate_limit_exceeded", "Too many requests, slow down"),
        409: ("request_in_progress", "A request with this Idempotency-Key is in progress"),
    }
    code, message = defaults.get(fault.status, ("internal_error", "Internal server error"))
    body = Refusal(fault.status, fault.code or code, fault.message or message).body()
    headers = {"retry-after": fault.retry_after} if fault.retry_after else None
    return JSONResponse(body, status_code=fault.status, headers=headers)


def page(items: list[dict[str, Any]], query: dict[str, str], default: int) -> dict[str, Any]:
    limit = int(query.get("limit") or default)
    token = query.get("token") or "0"
    start = int(token) if token.isdigit() else 0
    more = start + limit < len(items)
    return {
        "data": items[start : start + limit],
        "has_more": more,
        "next_token": str(start + limit) if more else None,
    }
