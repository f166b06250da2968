"""Which size to ask an image model for, and how to turn its picture into the platform size.

Why this exists: no GPT image model returns the ad placements directly (ads.md §6). The
gpt-image-1 family (``gpt-image-1*``, ``chatgpt-image*``) offers only 1024x1024, 1536x1024 and
1024x1536; the gpt-image-2 family (``gpt-image-2``, ``gpt-image-2.5-*``) takes any ``WxH`` with
both sides divisible by 16, an aspect ratio within 1:3–3:1 and at most 3840x2160 — and 1080 is
not divisible by 16. So we request the nearest supported size and then scale and centre-crop to
the exact placement with Pillow.

Flexible models get each side rounded *up* to a multiple of 16 (1080x1920 → 1088x1920,
1200x628 → 1200x640): the aspect ratio stays within 2 % of the target, and the picture is only
ever scaled down, never up. Fixed-size models get the standard size whose aspect ratio is
closest (log distance), which the crop then trims. Models of unknown family get the fixed
sizes too, because the three standard sizes are the ones every GPT image model accepts.
"""

from __future__ import annotations

import math

from PIL import Image, ImageOps

__all__ = [
    "FLEXIBLE_SIZE_PREFIXES",
    "STANDARD_SIZES",
    "fit_to_size",
    "nearest_standard_size",
    "plan_generation_size",
    "size_is_flexible",
]

FLEXIBLE_SIZE_PREFIXES = ("gpt-image-2",)
"""Model-name prefixes that accept arbitrary ``WxH`` (gpt-image-2, its snapshots, the 2.5/2.6 lines)."""

STANDARD_SIZES = ((1024, 1024), (1536, 1024), (1024, 1536))
"""Sizes every GPT image model accepts (``auto`` aside)."""

_MULTIPLE = 16
_MAX_LONG, _MAX_SHORT = 3840, 2160
_MAX_RATIO = 3.0


def size_is_flexible(model: str) -> bool:
    """Whether ``model`` takes arbitrary sizes on the 16-px grid."""
    return model.strip().lower().startswith(FLEXIBLE_SIZE_PREFIXES)


def nearest_standard_size(width: int, height: int) -> str:
    """The standard size whose aspect ratio is closest to ``width:height``."""
    target = math.log(width / height)
    best = min(STANDARD_SIZES, key=lambda size: abs(math.log(size[0] / size[1]) - target))
    return f"{best[0]}x{best[1]}"


def plan_generation_size(model: str, width: int, height: int) -> str:
    """The ``size`` to send to ``model`` for a final image of ``width`` x ``height``.

    Raises:
        ValueError: if the target is outside 1:3–3:1 or above 3840x2160 (no placement is).
    """
    if max(width, height) > _MAX_RATIO * min(width, height):
        raise ValueError(f"{width}x{height} is outside the 1:3–3:1 aspect ratios models accept")
    if not size_is_flexible(model):
        return nearest_standard_size(width, height)
    w, h = _round_up(width), _round_up(height)
    if max(w, h) > _MAX_LONG or min(w, h) > _MAX_SHORT:
        raise ValueError(f"{width}x{height} is above the {_MAX_LONG}x{_MAX_SHORT} maximum")
    return f"{w}x{h}"


def fit_to_size(image: Image.Image, width: int, height: int) -> Image.Image:
    """Scale to cover ``width`` x ``height`` and centre-crop the overflow (RGB, EXIF-rotated)."""
    upright = ImageOps.exif_transpose(image)
    if upright.mode in ("RGBA", "LA", "P"):
        # A transparent background would turn black on JPEG export; flatten onto white.
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    rgb = upright.convert("RGB")
    if rgb.size == (width, height):
        return rgb
    return ImageOps.fit(rgb, (width, height), Image.Resampling.LANCZOS)


def _round_up(value: float) -> int:
    return max(_MULTIPLE, math.ceil(value / _MULTIPLE) * _MULTIPLE)
