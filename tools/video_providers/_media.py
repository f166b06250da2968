"""Local checks on media files a provider hands back: what is in the MP4, and a JPEG still.

Why probe at all: a provider's ``video_url`` is a presigned link on a CDN; an expired link or a
proxy can answer 200 with an HTML page. Reading the container with the ffmpeg that ships with
``imageio-ffmpeg`` (the same binary the offline renderer uses; ``ffprobe`` is not a runtime
dependency) proves the file is a video and gives its real size and length, rather than trusting
what was requested.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from tools.media import MediaRenderError, ffmpeg_exe

__all__ = [
    "MediaInfo",
    "ensure_jpeg",
    "extract_still",
    "probe_video",
    "reframe_video",
    "replace_atomic",
]

_DURATION = re.compile(r"Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\S+.*?: Video: (\w+).*?, (\d{2,5})x(\d{2,5})")
_PROBE_TIMEOUT_S = 60.0
_REFRAME_TIMEOUT_S = 600.0


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """What ffmpeg reads from a video file's header."""

    codec: str
    width: int
    height: int
    duration_s: float


def probe_video(path: Path) -> MediaInfo:
    """Codec, frame size and duration of ``path``; :class:`MediaRenderError` if not a video."""
    try:
        done = subprocess.run(
            [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)],
            capture_output=True,
            timeout=_PROBE_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise MediaRenderError(f"cannot read {path.name}: {exc}") from exc
    # Without an output file ffmpeg exits 1 after printing the input's streams: that is expected.
    text = done.stderr.decode("utf-8", errors="replace")
    video, duration = _VIDEO.search(text), _DURATION.search(text)
    if video is None or duration is None:
        raise MediaRenderError(f"{path.name} is not a readable video: {text[-300:].strip()}")
    hours, minutes, seconds = duration.groups()
    total = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    return MediaInfo(video.group(1), int(video.group(2)), int(video.group(3)), total)


def replace_atomic(data: bytes, dest: Path) -> None:
    """Write ``data`` to ``dest`` through a hidden temporary file, so readers never see half."""
    tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        tmp.write_bytes(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def ensure_jpeg(data: bytes, dest: Path) -> None:
    """Store an image as a JPEG at ``dest``, converting PNG/WebP thumbnails when needed.

    The Ad Forge ``video_result`` promises a ``.jpg`` thumbnail; providers may hand back other
    formats, so anything Pillow can open is re-encoded. Raises :class:`MediaRenderError` when the
    bytes are not an image.
    """
    if data[:3] == b"\xff\xd8\xff":
        replace_atomic(data, dest)
        return
    try:
        with Image.open(io.BytesIO(data)) as image:
            rgb = image.convert("RGB")
    except (UnidentifiedImageError, OSError) as exc:
        raise MediaRenderError(f"the thumbnail is not an image: {exc}") from exc
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=88)
    replace_atomic(out.getvalue(), dest)


def extract_still(video: Path, dest: Path, *, at_s: float = 0.5) -> None:
    """Decode one frame of ``video`` at ``at_s`` seconds into a JPEG at ``dest``."""
    try:
        done = subprocess.run(
            [
                *(ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error"),
                *("-ss", f"{at_s:.2f}", "-i", str(video), "-frames:v", "1"),
                *("-f", "image2pipe", "-c:v", "mjpeg", "-q:v", "3", "pipe:1"),
            ],
            capture_output=True,
            timeout=_PROBE_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise MediaRenderError(f"cannot extract a thumbnail: {exc}") from exc
    if done.returncode != 0 or not done.stdout:
        tail = done.stderr.decode("utf-8", errors="replace")[-300:].strip()
        raise MediaRenderError(f"cannot extract a thumbnail: {tail or 'no frame decoded'}")
    ensure_jpeg(done.stdout, dest)


def reframe_video(video: Path, width: int, height: int) -> None:
    """Scale ``video`` to cover ``width``×``height`` and centre-crop the overflow, in place.

    Used when the provider's frame is not the requested one (its API edition lacks the ratio).
    The centre crop keeps the presenter, whom avatar providers frame in the middle. Video is
    re-encoded as H.264/yuv420p with ``+faststart`` like the offline renderer's output; audio is
    copied untouched. The result replaces ``video`` atomically.
    """
    tmp = video.with_name(f".{video.name}.{uuid.uuid4().hex[:12]}.part")
    crop = f"scale={width}:{height}:force_original_aspect_ratio=increase,crop={width}:{height}"
    try:
        done = subprocess.run(
            [
                *(ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"),
                *("-i", str(video), "-map", "0:v:0", "-map", "0:a?"),
                *("-vf", f"{crop},setsar=1,format=yuv420p"),
                *("-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-c:a", "copy"),
                *("-movflags", "+faststart", "-f", "mp4", str(tmp)),
            ],
            capture_output=True,
            timeout=_REFRAME_TIMEOUT_S,
            check=False,
        )
        if done.returncode != 0:
            tail = done.stderr.decode("utf-8", errors="replace")[-300:].strip()
            raise MediaRenderError(f"cannot reframe {video.name} to {width}x{height}: {tail}")
        os.chmod(tmp, 0o644)
        os.replace(tmp, video)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise MediaRenderError(f"cannot reframe {video.name}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
