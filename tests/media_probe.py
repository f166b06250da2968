"""ffprobe for tests: what a video file really is, checked independently of our own renderer."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest


def ffprobe(path: Path) -> dict[str, Any]:
    """ffprobe's JSON (streams and format) for ``path``; fails the test if ffprobe is missing."""
    exe = shutil.which("ffprobe")
    if exe is None:
        pytest.fail(
            "ffprobe not found: run `make test`, which installs ffmpeg (it provides ffprobe)"
        )
    result = subprocess.run(
        [exe, "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def video_stream(info: dict[str, Any]) -> dict[str, Any]:
    """The one video stream of an ffprobe result."""
    streams: list[dict[str, Any]] = [s for s in info["streams"] if s["codec_type"] == "video"]
    assert len(streams) == 1
    return streams[0]
