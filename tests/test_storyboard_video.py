"""Storyboard video renderer: real H.264 files checked with ffprobe, progress, failure modes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.media_probe import ffprobe, video_stream
from tools.media import MediaRenderError
from tools.media.ffmpeg import EncoderSettings, ffmpeg_exe
from tools.media.layout import box_within, safe_zone
from tools.media.storyboard import (
    MAX_DURATION_S,
    MIN_DURATION_S,
    RenderedVideo,
    ScriptBeats,
    VideoSpec,
    planned_duration,
    render_storyboard_video,
)

BEATS = ScriptBeats(
    hook="Wait — if your glow fades by Wednesday, your routine is working against you.",
    body=(
        "Most self-tanners go on in one thick coat, then streak as your skin renews.",
        "Sérum autobronzant progressif builds colour a little each day.",
        "Apply after your shower, let it dry, and get dressed.",
    ),
    call_to_action="Start your progressive glow today",
    product_name="Sérum autobronzant progressif",
    presenter_name="Camille Laurent",
)
"""About 52 words: 52 / 2.6 words per second gives a 20 s video."""


def frame_at(path: Path, seconds: float) -> bytes:
    """One decoded frame, scaled down, as raw RGB."""
    result = subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-ss",
            f"{seconds:.2f}",
            "-i",
            str(path),
            "-frames:v",
            "1",
            "-vf",
            "scale=180:-2",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-",
        ],
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert result.stdout
    return result.stdout


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> tuple[RenderedVideo, list[float]]:
    out_dir = tmp_path_factory.mktemp("story")
    calls: list[float] = []
    result = render_storyboard_video(
        BEATS, VideoSpec(seed="sess-abc-123/psych-1"), out_dir, "sess-abc-123-psych-1", calls.append
    )
    return result, calls


@pytest.mark.slow
def test_story_video_is_h264_1080x1920_yuv420p_of_the_planned_length(
    story: tuple[RenderedVideo, list[float]],
) -> None:
    result, _ = story
    expected = planned_duration(BEATS, VideoSpec())
    assert 19.0 <= expected <= 21.0

    info = ffprobe(result.path)
    stream = video_stream(info)
    assert stream["codec_name"] == "h264"
    assert (stream["width"], stream["height"]) == (1080, 1920)
    assert stream["pix_fmt"] == "yuv420p"
    assert stream["r_frame_rate"] == "30/1"
    assert abs(float(info["format"]["duration"]) - expected) <= 0.5
    assert abs(result.duration_s - expected) <= 0.5
    assert "mp4" in info["format"]["format_name"]
    assert [s["codec_name"] for s in info["streams"] if s["codec_type"] == "audio"] == ["aac"]
    assert (result.width, result.height, result.fps, result.codec) == (1080, 1920, 30, "h264")


def top_level_atoms(path: Path) -> list[str]:
    data, atoms, offset = path.read_bytes(), [], 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        atoms.append(data[offset + 4 : offset + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[offset + 8 : offset + 16], "big")
        if size < 8:
            break
        offset += size
    return atoms


@pytest.mark.slow
def test_story_video_is_faststart(story: tuple[RenderedVideo, list[float]]) -> None:
    atoms = top_level_atoms(story[0].path)
    assert atoms.index("moov") < atoms.index("mdat"), atoms


@pytest.mark.slow
def test_thumbnail_is_a_jpeg_of_the_video_size(story: tuple[RenderedVideo, list[float]]) -> None:
    result, _ = story
    assert result.thumbnail_path == result.path.with_suffix(".jpg")
    with Image.open(result.thumbnail_path) as image:
        image.verify()
    with Image.open(result.thumbnail_path) as image:
        assert image.format == "JPEG" and image.size == (1080, 1920)
    leftovers = [p.name for p in result.path.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


@pytest.mark.slow
def test_text_stays_in_the_reels_safe_zone(story: tuple[RenderedVideo, list[float]]) -> None:
    result, _ = story
    zone = safe_zone(1080, 1920)
    assert len(result.text_boxes) >= 3 + len(BEATS.body) + 2  # chip texts, tag, cards, button
    for box in result.text_boxes:
        assert box_within(box, zone), f"{box} outside {zone}"


@pytest.mark.slow
def test_frames_move_within_a_scene(story: tuple[RenderedVideo, list[float]]) -> None:
    result, _ = story
    first, later = frame_at(result.path, 2.0), frame_at(result.path, 2.6)
    assert first != later, "a scene must not be a still image"


@pytest.mark.slow
def test_progress_is_monotonic_and_ends_at_one(story: tuple[RenderedVideo, list[float]]) -> None:
    _, calls = story
    assert len(calls) >= 20
    assert all(0.0 <= value <= 1.0 for value in calls)
    assert all(a <= b for a, b in zip(calls, calls[1:], strict=False))
    assert calls[-1] == 1.0 and calls[:-1][-1] < 1.0


@pytest.mark.slow
@pytest.mark.parametrize("size", [(1080, 1080), (1920, 1080)])
def test_square_and_landscape_variants(tmp_path: Path, size: tuple[int, int]) -> None:
    beats = ScriptBeats(
        hook="Your glow, on your schedule.",
        body=("Builds colour gradually.",),
        call_to_action="Shop now",
        product_name="Sérum autobronzant progressif",
    )
    spec = VideoSpec(width=size[0], height=size[1], fps=12, seed="variant")
    assert planned_duration(beats, spec) == MIN_DURATION_S

    result = render_storyboard_video(beats, spec, tmp_path, "variant")
    info = ffprobe(result.path)
    stream = video_stream(info)
    assert stream["codec_name"] == "h264" and stream["pix_fmt"] == "yuv420p"
    assert (stream["width"], stream["height"]) == size
    assert abs(float(info["format"]["duration"]) - MIN_DURATION_S) <= 0.5
    zone = safe_zone(*size)
    assert all(box_within(box, zone) for box in result.text_boxes)
    with Image.open(result.thumbnail_path) as image:
        assert image.size == size


def test_duration_rules() -> None:
    short = ScriptBeats("Hi.", (), "Buy.", "X")
    long = ScriptBeats(" ".join(["word"] * 200), ("more words",), "Buy now.", "X")
    assert planned_duration(short, VideoSpec()) == MIN_DURATION_S
    assert planned_duration(long, VideoSpec()) == MAX_DURATION_S
    assert planned_duration(long, VideoSpec(duration_s=9.5)) == 9.5


def test_a_broken_ffmpeg_invocation_raises_media_render_error(tmp_path: Path) -> None:
    spec = VideoSpec(width=320, height=568, fps=10, duration_s=2.0)
    broken = EncoderSettings(video_codec="libdoesnotexist")

    with pytest.raises(MediaRenderError, match="libdoesnotexist") as caught:
        render_storyboard_video(BEATS, spec, tmp_path, "broken", encoder=broken)
    assert "stderr" in str(caught.value)
    assert list(tmp_path.iterdir()) == [], "no half file and no thumbnail may be left"


def test_missing_ffmpeg_raises_media_render_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(tmp_path / "no-such-ffmpeg"))
    spec = VideoSpec(width=320, height=568, fps=10, duration_s=2.0)

    with pytest.raises(MediaRenderError, match="cannot start ffmpeg"):
        render_storyboard_video(BEATS, spec, tmp_path / "out", "missing")
    assert not (tmp_path / "out" / "missing.mp4").exists()


def test_timeout_kills_ffmpeg_and_raises(tmp_path: Path) -> None:
    spec = VideoSpec(width=640, height=1136, fps=30, duration_s=20.0)

    with pytest.raises(MediaRenderError, match="timed out"):
        render_storyboard_video(BEATS, spec, tmp_path, "slow", timeout_s=0.3)
    assert list(tmp_path.iterdir()) == []


def test_invalid_input_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="even"):
        VideoSpec(width=1081)
    with pytest.raises(ValueError, match="fps"):
        VideoSpec(fps=0)
    with pytest.raises(ValueError, match="stem"):
        render_storyboard_video(BEATS, VideoSpec(), tmp_path, "../escape")
