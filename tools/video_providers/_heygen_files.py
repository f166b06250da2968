"""A downloaded HeyGen render on local disk: conformed to the requested size, checked, noted.

Kept apart from :mod:`tools.video_providers.heygen` (the API flow). After the download, the MP4
is probed; a frame other than the requested one is centre-cropped (:func:`._media.reframe_video`)
and a fresh still cut. What the result must report later — the voice, whether and from what it
was reframed — is written beside the files as ``<key>.heygen.json``, so a job resumed after the
download reports the same facts without calling HeyGen again.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from tools.media import MediaRenderError
from tools.video_providers._heygen_edition import RenderPlan
from tools.video_providers._media import (
    extract_still,
    probe_video,
    reframe_video,
    replace_atomic,
)
from tools.video_providers.base import RenderedVideo, VideoProviderError

__all__ = ["conform", "finished_video", "notes_path", "read_notes", "write_notes"]


def notes_path(dest_dir: Path, key: str) -> Path:
    return dest_dir / f"{key}.heygen.json"


async def conform(video: Path, thumb: Path, plan: RenderPlan, video_id: str) -> dict[str, Any]:
    """Crop HeyGen's frame to the requested size when they differ; say what was done."""
    try:
        info = await asyncio.to_thread(probe_video, video)
        if (info.width, info.height) == (plan.width, plan.height):
            return {"reframedFrom": None}
        await asyncio.to_thread(reframe_video, video, plan.width, plan.height)
    except MediaRenderError as exc:
        video.unlink(missing_ok=True)
        raise _bad_media(exc, video_id) from exc
    thumb.unlink(missing_ok=True)  # HeyGen's still has the old frame: cut a new one
    return {"reframedFrom": f"{info.width}x{info.height}"}


async def finished_video(
    video: Path, thumb: Path, video_id: str, duration_s: float | None, facts: dict[str, Any]
) -> RenderedVideo:
    """Check the MP4 is a real video and make sure a JPEG still exists."""
    try:
        info = await asyncio.to_thread(probe_video, video)
        if not thumb.is_file():
            at = min(0.5, info.duration_s / 2)
            await asyncio.to_thread(extract_still, video, thumb, at_s=at)
    except MediaRenderError as exc:
        video.unlink(missing_ok=True)
        raise _bad_media(exc, video_id) from exc
    return RenderedVideo(
        video,
        thumb,
        info.duration_s or duration_s or 0.0,
        info.width,
        info.height,
        "heygen",
        video_id,
        False,
        voice_id=_text(facts.get("voiceId")),
        voice_source=_text(facts.get("voiceSource")),
        reframed_from=_text(facts.get("reframedFrom")),
    )


async def write_notes(notes: Path, facts: dict[str, Any]) -> None:
    await asyncio.to_thread(replace_atomic, json.dumps(facts).encode(), notes)


def read_notes(notes: Path) -> dict[str, Any]:
    """What a finished render recorded beside its files; {} if unreadable."""
    try:
        facts = json.loads(notes.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return facts if isinstance(facts, dict) else {}


def _bad_media(exc: MediaRenderError, video_id: str) -> VideoProviderError:
    return VideoProviderError(
        "provider_bad_media",
        f"HeyGen's file is not a playable video: {exc}"[:500],
        retryable=True,
        provider_job_id=video_id,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
