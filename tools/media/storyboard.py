"""Storyboard videos rendered offline: a real H.264 MP4 from a script, with no avatar provider.

Why: the chat workflow promises a video for every script (ad-forge chat guide, Step 6: an MP4, a
JPEG thumbnail, a duration and a resolution). Without provider keys this renderer still delivers a
watchable, correctly encoded ad: a hook card, one card per body beat and a CTA card, timed by word
count, with a drifting background, captions that reveal line by line, a story-style progress bar,
and — when an avatar was chosen — a presenter badge labelled "AI presenter" (the AI-disclosure
gate in ads.md §2 applies to synthetic presenters).

Speed (2 cores): each scene's text is drawn once onto a transparent layer and cropped to its ink;
per frame only a crop of the pre-painted background, one or two alpha pastes and a few rectangles
happen in Python, while ffmpeg encodes in parallel from a pipe.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from tools.media.errors import MediaRenderError
from tools.media.ffmpeg import EncoderSettings, RawVideoWriter
from tools.media.layout import (
    Box,
    allocate,
    draw_pill,
    draw_segment_bar,
    draw_text_block,
    fit_line,
    fit_text,
    line_bands,
    pill_size,
    safe_zone,
)
from tools.media.palette import mix, paint_background, palette_from_seed
from tools.media.static_ad import draw_avatar_chip, draw_offline_tag, save_image_atomic

__all__ = [
    "MAX_DURATION_S",
    "MIN_DURATION_S",
    "WORDS_PER_SECOND",
    "ProgressCallback",
    "RenderedVideo",
    "ScriptBeats",
    "VideoSpec",
    "planned_duration",
    "render_storyboard_video",
    "word_count",
]

WORDS_PER_SECOND = 2.6
"""Comfortable voice-over pace (≈155 words per minute)."""
MIN_DURATION_S, MAX_DURATION_S = 15.0, 30.0
"""Derived durations stay in the 15–30 s band that in-feed placements favour (ads.md §1)."""

ProgressCallback = Callable[[float], None]
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)
_STEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_STAGGER_S, _FADE_IN_S, _FADE_OUT_S = 0.14, 0.4, 0.25
_CARD_TEXT: dict[str, tuple[float, float, bool, float, int]] = {
    "hook": (0.085, 0.045, True, 1.12, 8),
    "body": (0.066, 0.038, False, 1.22, 8),
    "cta": (0.075, 0.04, True, 1.12, 4),
}
"""Per card: max and min text size (fraction of the short side), bold, line spacing, max lines."""


@dataclass(frozen=True, slots=True)
class ScriptBeats:
    """The script as the video tells it: hook, body beats, call to action."""

    hook: str
    body: tuple[str, ...]
    call_to_action: str
    product_name: str
    presenter_name: str | None = None
    presenter_initials: str | None = None


@dataclass(frozen=True, slots=True)
class VideoSpec:
    """Frame size, rate and length; ``duration_s=None`` derives it from the word count."""

    width: int = 1080
    height: int = 1920
    fps: int = 30
    duration_s: float | None = None
    seed: str = ""
    offline_label: bool = True

    def __post_init__(self) -> None:
        for name, value in (("width", self.width), ("height", self.height)):
            if not 128 <= value <= 3840 or value % 2:
                raise ValueError(f"{name} must be an even number of px in 128–3840, got {value}")
        if not 1 <= self.fps <= 60:
            raise ValueError(f"fps must be 1–60, got {self.fps}")
        if self.duration_s is not None and not 1.0 <= self.duration_s <= 600.0:
            raise ValueError(f"duration_s must be 1–600 s, got {self.duration_s}")


@dataclass(frozen=True, slots=True)
class RenderedVideo:
    """The files written and what they contain; ``text_boxes`` lists every text box drawn."""

    path: Path
    thumbnail_path: Path
    width: int
    height: int
    duration_s: float
    fps: int
    codec: str = "h264"
    text_boxes: tuple[Box, ...] = ()


def word_count(text: str) -> int:
    """Words as a voice-over would say them (letters, digits, apostrophes, hyphens)."""
    return len(_WORD.findall(text))


def _scenes_text(beats: ScriptBeats) -> list[tuple[str, str]]:
    body = [("body", b) for b in beats.body if b.strip()]
    return [("hook", beats.hook), *body, ("cta", beats.call_to_action)]


def planned_duration(beats: ScriptBeats, spec: VideoSpec) -> float:
    """Seconds the video will last: the spec's, or words / 2.6 clamped to 15–30 s."""
    if spec.duration_s is not None:
        return spec.duration_s
    words = sum(word_count(text) for _, text in _scenes_text(beats))
    return min(MAX_DURATION_S, max(MIN_DURATION_S, words / WORDS_PER_SECOND))


def _ease(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return 1 - (1 - x) ** 3


def _initials(beats: ScriptBeats) -> str:
    if beats.presenter_initials:
        return beats.presenter_initials.strip()[:3].upper()
    parts = (beats.presenter_name or "").split()
    return "".join(p[0] for p in parts[:2]).upper() or "AI"


@dataclass(slots=True)
class _Scene:
    start: int
    frames: int
    layer: Image.Image
    origin: tuple[int, int]
    elements: list[tuple[Image.Image, tuple[int, int]]]


class _Storyboard:
    """Pre-rendered layers and the per-frame compositor."""

    def __init__(self, beats: ScriptBeats, spec: VideoSpec, total_frames: int) -> None:
        self.spec = spec
        w, h = spec.width, spec.height
        self.palette = palette_from_seed(spec.seed or beats.product_name)
        self.unit = unit = min(w, h)
        self.zone = zone = safe_zone(w, h)
        col_w = min(zone[2] - zone[0], round(unit * 1.3))
        self.col = ((w - col_w) // 2, (w + col_w) // 2)
        self.gap = max(6, round(unit * 0.025))
        self.slide = round(unit * 0.03)
        self.margin = (round(w * 0.05), round(h * 0.05))
        big = (w + 2 * self.margin[0], h + 2 * self.margin[1])
        self.background = paint_background(big, self.palette, spec.seed or beats.product_name)
        self.bar = (zone[1], max(4, round(unit * 0.006)))
        self.text_boxes: list[Box] = []
        self.pulse: tuple[int, int, int] | None = None
        self.chrome, self.chrome_origin, row_bottom = self._chrome(beats)
        self.area = (row_bottom + 2 * self.gap, zone[3] - self.slide)
        scenes = _scenes_text(beats)
        weights = [word_count(text) + 2.0 for _, text in scenes]
        counts = allocate(weights, total_frames, round(1.2 * spec.fps))
        self.scenes: list[_Scene] = []
        start = 0
        for (kind, text), frames in zip(scenes, counts, strict=True):
            self.scenes.append(self._scene(kind, text, beats, start, frames))
            start += frames
        self.starts = [scene.start for scene in self.scenes]

    def _chrome(self, beats: ScriptBeats) -> tuple[Image.Image, tuple[int, int], int]:
        """Presenter badge (or product label) and offline tag, drawn once; returns row bottom."""
        p, unit, (left, right) = self.palette, self.unit, self.col
        layer = Image.new("RGBA", (self.spec.width, self.spec.height), (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        top = self.bar[0] + self.bar[1] + self.gap
        small = max(12, round(unit * 0.026))
        d = round(unit * 0.1)
        tag_left, row_h = right, d + 2 * (d // 8) if beats.presenter_name else small * 2
        if self.spec.offline_label:
            tag = draw_offline_tag(draw, p, (right, top), (right - left) // 2, small, row_h)
            self.text_boxes.append(tag)
            tag_left = tag[0]
        if beats.presenter_name:
            texts = (_initials(beats), beats.presenter_name, "AI presenter")
            chip = draw_avatar_chip(draw, (left, top), d, texts, p, tag_left - left - self.gap)
            self.text_boxes.extend(chip)
            self.pulse = (left + d // 8 + d // 2, top + d // 8 + d // 2, d // 2)
        else:
            width = max(1, tag_left - left - self.gap)
            brand = fit_line(beats.product_name.upper(), width, small, bold=True)
            area = (left, top, left + width)
            self.text_boxes.append(draw_text_block(draw, brand, area, p.muted_text))
        bbox = layer.getbbox() or (0, 0, 1, 1)
        return layer.crop(bbox), (bbox[0], bbox[1]), top + row_h

    def _scene(self, kind: str, text: str, beats: ScriptBeats, start: int, frames: int) -> _Scene:
        """Fit and draw one card's text; keep each line (and the button) as a reveal element."""
        p, unit, (left, right) = self.palette, self.unit, self.col
        top, bottom = self.area
        layer = Image.new("RGBA", (self.spec.width, self.spec.height), (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        width, room = right - left, bottom - top
        pill_pad = (round(unit * 0.045), round(unit * 0.022))
        extra, (big, small, bold, spacing, lines) = 0, _CARD_TEXT[kind]
        button = kind == "cta" and bool(text.strip())
        if kind == "cta":
            text, cta_text = beats.product_name, text
        if button:
            cta = fit_text(
                cta_text,
                max_width=width - 2 * pill_pad[0],
                max_height=room // 3,
                max_size=round(unit * 0.05),
                min_size=round(unit * 0.032),
                bold=True,
                max_lines=2,
            )
            pill_w, pill_h = pill_size(cta, *pill_pad)
            extra = pill_h + 2 * self.gap
        main = fit_text(
            text,
            max_width=width,
            max_height=room - extra,
            max_size=round(unit * big),
            min_size=round(unit * small),
            bold=bold,
            max_lines=lines,
            spacing=spacing,
        )
        y = top + max(0, (room - main.height - extra) // 2)
        box = draw_text_block(draw, main, (left, y, right), p.text, align="center")
        self.text_boxes.append(box)
        bands = line_bands(main, box)
        if button:
            x = left + (width - pill_w) // 2
            origin = (x, y + main.height + 2 * self.gap)
            pill = draw_pill(draw, cta, origin, pill_pad, p.accent, p.on_accent)
            self.text_boxes.append(pill)
            bands = [*bands, pill]
        bbox = layer.getbbox() or (left, top, left + 1, top + 1)
        elements = [(layer.crop(b), (b[0], b[1])) for b in bands if b[2] > b[0] and b[3] > b[1]]
        return _Scene(start, frames, layer.crop(bbox), (bbox[0], bbox[1]), elements)

    def scene_at(self, index: int) -> _Scene:
        """The scene that shows frame ``index``."""
        return self.scenes[max(0, bisect.bisect_right(self.starts, index) - 1)]

    def reveal_done(self, scene: _Scene) -> int:
        """First frame index (absolute) at which every element of ``scene`` is fully shown."""
        seconds = _STAGGER_S * max(0, len(scene.elements) - 1) + _FADE_IN_S
        return scene.start + min(scene.frames - 1, math.ceil(seconds * self.spec.fps))

    def frame(self, index: int) -> Image.Image:
        """Composite frame ``index`` (RGB, video size)."""
        w, h, fps = self.spec.width, self.spec.height, self.spec.fps
        # Slow Lissajous drift of the oversized background: motion at the cost of one crop.
        ox = round(self.margin[0] * (1 + math.sin(2 * math.pi * index / fps / 13.0 + 0.7)))
        oy = round(self.margin[1] * (1 + math.sin(2 * math.pi * index / fps / 9.0 + 2.1)))
        frame = self.background.crop((ox, oy, ox + w, oy + h))
        frame.paste(self.chrome, self.chrome_origin, self.chrome)
        scene = self.scene_at(index)
        local = (index - scene.start) / fps
        remaining = (scene.start + scene.frames - index) / fps
        if index >= self.reveal_done(scene):
            out = 1.0 if scene is self.scenes[-1] else _ease(remaining / _FADE_OUT_S)
            if out >= 1.0:
                frame.paste(scene.layer, scene.origin, scene.layer)
            elif out > 0:
                mask = scene.layer.getchannel("A").point([round(v * out) for v in range(256)])
                frame.paste(scene.layer, scene.origin, mask)
        else:
            for k, (element, (x, y)) in enumerate(scene.elements):
                e = _ease((local - k * _STAGGER_S) / _FADE_IN_S)
                if e <= 0:
                    continue
                mask = element.getchannel("A").point([round(v * e) for v in range(256)])
                frame.paste(element, (x, y + round(self.slide * (1 - e))), mask)
        self._draw_motion(ImageDraw.Draw(frame), scene, index)
        return frame

    def _draw_motion(self, draw: ImageDraw.ImageDraw, current: _Scene, index: int) -> None:
        """Story-style segmented progress bar and the presenter's "speaking" ring."""
        p, (left, right), (y, bar_h) = self.palette, self.col, self.bar
        fractions = [min(1.0, max(0.0, (index - s.start + 1) / s.frames)) for s in self.scenes]
        gap = max(4, round(self.unit * 0.008))
        track = mix(p.background_top, p.text, 0.3)
        draw_segment_bar(draw, (left, y, right, y + bar_h), fractions, gap, p.text, track)
        if self.pulse is not None:
            cx, cy, r = self.pulse
            wave = 0.5 + 0.5 * math.sin(index / self.spec.fps * 2 * math.pi * 1.4)
            ring = r + max(2, round(r * (0.06 + 0.12 * wave)))
            box = (cx - ring, cy - ring, cx + ring, cy + ring)
            draw.ellipse(box, outline=p.accent, width=max(2, self.unit // 300))


def render_storyboard_video(
    beats: ScriptBeats,
    spec: VideoSpec,
    out_dir: Path,
    stem: str,
    progress: ProgressCallback | None = None,
    *,
    encoder: EncoderSettings | None = None,
    timeout_s: float | None = None,
) -> RenderedVideo:
    """Render ``beats`` to ``out_dir/stem.mp4`` plus ``out_dir/stem.jpg`` (the hook card).

    ``progress`` receives non-decreasing fractions as frames are written and 1.0 once both files
    are in place. Both files appear atomically; on failure neither is left behind and
    :class:`MediaRenderError` carries ffmpeg's stderr tail. ``timeout_s`` bounds the whole
    encode (default: 120 s plus 8 s per second of video).
    """
    if not _STEM.match(stem):
        raise ValueError(f"stem must be a plain file name ([A-Za-z0-9._-]), got {stem!r}")
    total = max(1, round(planned_duration(beats, spec) * spec.fps))
    duration = total / spec.fps
    board = _Storyboard(beats, spec, total)
    video_path, thumb_path = out_dir / f"{stem}.mp4", out_dir / f"{stem}.jpg"
    thumb = board.frame(board.reveal_done(board.scenes[0]))
    writer = RawVideoWriter(
        video_path,
        width=spec.width,
        height=spec.height,
        fps=spec.fps,
        duration_s=duration,
        timeout_s=timeout_s or 120.0 + 8.0 * duration,
        settings=encoder,
    )
    reported = -1
    with writer:
        for index in range(total):
            writer.write(board.frame(index).tobytes())
            step = (index + 1) * 99 // total
            if progress is not None and step > reported:
                reported = step
                progress(step / 100)
    try:
        save_image_atomic(thumb, thumb_path, "jpeg")
    except OSError as exc:
        video_path.unlink(missing_ok=True)
        raise MediaRenderError(f"cannot write the thumbnail: {exc}") from exc
    if progress is not None:
        progress(1.0)
    return RenderedVideo(
        video_path,
        thumb_path,
        spec.width,
        spec.height,
        duration,
        spec.fps,
        "h264",
        tuple(b for b in board.text_boxes if b[2] > b[0] and b[3] > b[1]),
    )
