"""Deterministic colour schemes and generated backgrounds derived from a seed string.

Why seeded: the offline renderers must produce the same bytes for the same request (replayed graph
nodes, tests, cache keys), yet different products or concepts should not all look alike. A SHA-256
of the seed picks a hue and a light or dark scheme; everything else is derived, and readability is
enforced rather than hoped for: body text reaches WCAG AAA contrast (7:1) against every background
colour it can sit on, muted text and the CTA label reach AA (4.5:1).

Only ``random.Random(int).random()`` and ``hashlib`` are used, both stable across Python versions.
"""

from __future__ import annotations

import colorsys
import hashlib
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

__all__ = [
    "RGB",
    "RGBA",
    "Palette",
    "contrast_ratio",
    "mix",
    "paint_background",
    "palette_from_seed",
    "relative_luminance",
    "seed_rng",
]

RGB = tuple[int, int, int]
RGBA = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Palette:
    """Every colour a renderer needs; text colours are contrast-checked against the backgrounds."""

    name: str
    is_dark: bool
    background_top: RGB
    background_bottom: RGB
    shapes: tuple[RGB, ...]
    text: RGB
    muted_text: RGB
    accent: RGB
    on_accent: RGB
    panel: RGBA
    """Translucent card drawn behind text over a photo, where background contrast is unknown."""

    @property
    def backgrounds(self) -> tuple[RGB, ...]:
        """Every colour text may sit on in a generated background."""
        return (self.background_top, self.background_bottom, *self.shapes)


def seed_rng(seed: str, salt: str = "") -> random.Random:
    """A private RNG for ``seed`` (never the global one, so callers cannot disturb it)."""
    digest = hashlib.sha256(f"{salt}\x00{seed}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: RGB) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""
    r, g, b = (_channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio between two colours, 1.0–21.0."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Linear blend from ``a`` (t=0) to ``b`` (t=1) in sRGB."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _hls(hue: float, lightness: float, saturation: float) -> RGB:
    r, g, b = colorsys.hls_to_rgb(hue % 1.0, min(max(lightness, 0.0), 1.0), saturation)
    return round(r * 255), round(g * 255), round(b * 255)


def _ensure_contrast(
    hue: float,
    lightness: float,
    saturation: float,
    against: Iterable[RGB],
    minimum: float,
    *,
    lighter: bool,
) -> RGB:
    """Move lightness towards white (or black) until ``minimum`` contrast holds against all."""
    backgrounds = tuple(against)
    step = 0.02 if lighter else -0.02
    for _ in range(60):
        colour = _hls(hue, lightness, saturation)
        if all(contrast_ratio(colour, bg) >= minimum for bg in backgrounds):
            return colour
        lightness += step
    return (255, 255, 255) if lighter else (0, 0, 0)


def _away_from(colour: RGB, text: RGB, minimum: float) -> RGB:
    """Darken (or lighten) ``colour`` in steps until ``text`` on it reaches ``minimum`` contrast."""
    hue, lightness, saturation = colorsys.rgb_to_hls(*(v / 255 for v in colour))
    darker = relative_luminance(text) > relative_luminance(colour)
    while contrast_ratio(colour, text) < minimum and 0.0 < lightness < 1.0:
        lightness += -0.01 if darker else 0.01
        colour = _hls(hue, lightness, saturation)
    return colour


def palette_from_seed(seed: str) -> Palette:
    """Derive a readable colour scheme from ``seed``; the same seed always gives the same one."""
    rng = seed_rng(seed, "palette")
    hue = rng.random()
    dark = rng.random() < 0.68  # dark schemes read better on phones and in video; keep some light
    drift = 0.04 + 0.06 * rng.random()
    accent_hue = hue + 0.5 + (rng.random() - 0.5) * 0.2
    if dark:
        text = _hls(hue, 0.97, 0.30)
        top = _hls(hue, 0.13 + 0.05 * rng.random(), 0.50 + 0.2 * rng.random())
        bottom = _hls(hue + drift, 0.26 + 0.06 * rng.random(), 0.45 + 0.2 * rng.random())
        shapes: tuple[RGB, ...] = (_hls(hue + 2 * drift, 0.34, 0.55), _hls(accent_hue, 0.30, 0.45))
    else:
        text = _hls(hue, 0.14, 0.45)
        top = _hls(hue, 0.94, 0.45 + 0.3 * rng.random())
        bottom = _hls(hue + drift, 0.84 + 0.04 * rng.random(), 0.50 + 0.3 * rng.random())
        shapes = (_hls(hue + 2 * drift, 0.78, 0.55), _hls(accent_hue, 0.86, 0.50))
    # HLS lightness is not perceptual (a yellow at L=0.3 is much brighter than a blue), so each
    # background colour is pushed away from the text until body text reaches AAA.
    top, bottom, *rest = (_away_from(c, text, 7.0) for c in (top, bottom, *shapes))
    shapes = tuple(rest)
    bgs = (top, bottom, *shapes)
    muted = _ensure_contrast(hue, 0.80 if dark else 0.34, 0.35, bgs, 4.5, lighter=dark)
    accent = _ensure_contrast(accent_hue, 0.66 if dark else 0.40, 0.72, bgs, 3.0, lighter=dark)
    panel: RGBA = (*top, 215 if dark else 225)
    white, ink = (255, 255, 255), (17, 17, 20)
    on_accent = white if contrast_ratio(white, accent) >= contrast_ratio(ink, accent) else ink
    if contrast_ratio(on_accent, accent) < 4.5:
        # Mid-tone accents can miss AA with both; nudge the accent away from the label colour.
        accent = _ensure_contrast(
            accent_hue, 0.5, 0.85, (on_accent,), 4.5, lighter=on_accent == ink
        )
    name = f"{'dark' if dark else 'light'}-{round(hue * 360):03d}"
    return Palette(name, dark, top, bottom, shapes, text, muted, accent, on_accent, panel)


def _gradient_mask(size: tuple[int, int], angle_deg: float) -> Image.Image:
    """A 0–255 ramp across ``size`` at ``angle_deg`` from vertical, built small then scaled."""
    ramp = Image.linear_gradient("L")  # 256x256, black at the top
    rotated = ramp.rotate(angle_deg, resample=Image.Resampling.BICUBIC)
    theta = math.radians(abs(angle_deg))
    side = int(256 / (math.cos(theta) + math.sin(theta)))  # largest square free of the corners
    off = (256 - side) // 2
    return rotated.crop((off, off, off + side, off + side)).resize(size, Image.Resampling.BILINEAR)


def paint_background(size: tuple[int, int], palette: Palette, seed: str) -> Image.Image:
    """A gradient with soft, blurred shapes near the edges; deterministic for (size, palette, seed).

    Shapes are drawn at quarter resolution, blurred and scaled up: that is ~20x cheaper than
    blurring at full size and the upscale only softens what is already soft.
    """
    width, height = size
    rng = seed_rng(seed, "background")
    mask = _gradient_mask(size, (rng.random() - 0.5) * 40)
    top = Image.new("RGB", size, palette.background_top)
    canvas = Image.composite(Image.new("RGB", size, palette.background_bottom), top, mask)

    small = (max(1, width // 4), max(1, height // 4))
    layer = Image.new("RGBA", small, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    unit = min(small)
    for index in range(5):
        colour = palette.shapes[index % len(palette.shapes)]
        radius = unit * (0.22 + 0.30 * rng.random())
        # Bias centres towards the edges so the middle, where the text sits, stays calm.
        edge = rng.random()
        cx = small[0] * (edge if index % 2 else rng.random())
        cy = small[1] * (rng.random() if index % 2 else (0.05 + 0.9 * round(edge)))
        alpha = int(110 + 90 * rng.random())
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=(*colour, alpha))
    ring_r = unit * (0.35 + 0.2 * rng.random())
    rx, ry = small[0] * (0.75 + 0.2 * rng.random()), small[1] * (0.1 + 0.15 * rng.random())
    draw.ellipse(
        (rx - ring_r, ry - ring_r, rx + ring_r, ry + ring_r),
        outline=(*palette.accent, 70),
        width=max(2, unit // 60),
    )
    layer = layer.filter(ImageFilter.GaussianBlur(max(1.0, unit / 22)))
    layer = layer.resize(size, Image.Resampling.BICUBIC)
    canvas.paste(layer, (0, 0), layer)
    return canvas
