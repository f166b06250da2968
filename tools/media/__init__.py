"""Offline media renderers: static image ads and storyboard videos, no network, no API keys.

Pure capabilities: nothing here knows about graphs, HTTP or persistence. Callers pass copy and a
seed, get files and their geometry back, and catch :class:`MediaRenderError` for failures outside
their control (ffmpeg missing, crashing or timing out). Rendering is CPU-bound and blocking; async
callers should run it in a worker thread (``asyncio.to_thread``).
"""

from __future__ import annotations

from tools.media.errors import MediaRenderError
from tools.media.ffmpeg import EncoderSettings, ffmpeg_exe
from tools.media.layout import Box, safe_zone
from tools.media.static_ad import (
    OFFLINE_LABEL,
    PLATFORM_SIZES,
    RenderedImage,
    StaticAdSpec,
    compose_over_background,
    render_static_ad,
)
from tools.media.storyboard import (
    ProgressCallback,
    RenderedVideo,
    ScriptBeats,
    VideoSpec,
    planned_duration,
    render_storyboard_video,
)

__all__ = [
    "OFFLINE_LABEL",
    "PLATFORM_SIZES",
    "Box",
    "EncoderSettings",
    "MediaRenderError",
    "ProgressCallback",
    "RenderedImage",
    "RenderedVideo",
    "ScriptBeats",
    "StaticAdSpec",
    "VideoSpec",
    "compose_over_background",
    "ffmpeg_exe",
    "planned_duration",
    "render_static_ad",
    "render_storyboard_video",
    "safe_zone",
]
