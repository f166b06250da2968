"""The dated edition of HeyGen's v3 API this client is written against, and sizes under it.

Edition: HeyGen's OpenAPI spec as synced into github.com/heygen-com/heygen-cli ``gen/video.go``,
``gen/voice.go`` and ``gen/avatar.go`` at commit ``3905c9a`` (2026-07-21, "resync gen/ from EF
fecc5497"). What that edition documents and this client relies on:

- ``POST /v3/videos``, avatar variant: required ``type`` ("avatar") and ``avatar_id``;
  ``aspect_ratio`` ∈ 16:9 | 9:16 | 4:5 | 5:4 | 1:1 | auto (default 16:9); ``resolution`` ∈ 4k |
  1080p | 720p; ``voice_id`` "Required when script is provided, unless avatar_id is set (the
  avatar's default voice is used as fallback)" — and a look's ``default_voice_id`` may be null,
  so this client always sends one; ``script``, ``title``, ``callback_id``, ``callback_url``.
  ``auto`` is described as "short-edge anchored to the requested resolution", which is how the
  frame size of every ratio is computed below (1080p 9:16 → 1080×1920).
- Editions before 2026-05-20 allowed only 16:9 and 9:16 and, before 2026-04-10, required
  ``voice_id`` with every script (ads.md §4): nothing here is sent that this edition lacks.

A requested frame whose ratio is not one of the edition's is rendered at the nearest documented
ratio, at the smallest tier that covers it, and reframed locally (scale to cover, centre crop —
the presenter stands in the middle of HeyGen's frame); the job result says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "ASPECT_RATIOS",
    "CREATE_VIDEO_FIELDS",
    "EDITION",
    "RESOLUTIONS",
    "RenderPlan",
    "frame_size",
    "plan_render",
]

EDITION = "2026-07-21"
"""heygen-com/heygen-cli 3905c9a, gen/video.go (HeyGen OpenAPI spec, EF fecc5497)."""

ASPECT_RATIOS: dict[str, tuple[int, int]] = {
    "16:9": (16, 9),
    "9:16": (9, 16),
    "4:5": (4, 5),
    "5:4": (5, 4),
    "1:1": (1, 1),
}
"""The edition's fixed ``aspect_ratio`` values (``auto`` follows the avatar: never sent)."""

RESOLUTIONS: dict[str, int] = {"720p": 720, "1080p": 1080, "4k": 2160}
"""``resolution`` → the short edge of the output frame."""

CREATE_VIDEO_FIELDS = (
    "type",
    "avatar_id",
    "script",
    "voice_id",
    "title",
    "resolution",
    "aspect_ratio",
    "callback_id",
    "callback_url",
)
"""Every field this client may send to ``POST /v3/videos`` (all documented in the edition)."""


@dataclass(frozen=True, slots=True)
class RenderPlan:
    """What to ask HeyGen for, what frame that gives, and the size the user asked for."""

    aspect_ratio: str
    resolution: str
    rendered_width: int
    rendered_height: int
    width: int
    height: int

    @property
    def needs_reframe(self) -> bool:
        """True when HeyGen's frame is not the requested one and must be cropped locally."""
        return (self.rendered_width, self.rendered_height) != (self.width, self.height)


def plan_render(width: int, height: int) -> RenderPlan:
    """The documented ``aspect_ratio``/``resolution`` pair that best yields ``width``×``height``.

    The ratio is the edition's closest on a log scale; the resolution is the smallest tier whose
    frame covers the request (so a reframe only ever scales down), 4k at most.
    """
    target = math.log(width / height)
    ratio = min(ASPECT_RATIOS, key=lambda name: abs(math.log(_ratio(name)) - target))
    for name in RESOLUTIONS:
        w, h = frame_size(ratio, name)
        if w >= width and h >= height:
            break
    return RenderPlan(ratio, name, w, h, width, height)


def frame_size(aspect_ratio: str, resolution: str) -> tuple[int, int]:
    """The frame HeyGen renders for this pair: short edge = the tier, long edge by the ratio."""
    rw, rh = ASPECT_RATIOS[aspect_ratio]
    short = RESOLUTIONS[resolution]
    long = 2 * round(short * max(rw, rh) / min(rw, rh) / 2)
    return (short, long) if rw < rh else (long, short) if rw > rh else (short, short)


def _ratio(name: str) -> float:
    w, h = ASPECT_RATIOS[name]
    return w / h
