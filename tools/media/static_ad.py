"""Static image ads rendered offline with Pillow: a generated background or a provider's image.

Why offline: the workflow must produce a usable, reviewable creative with no API key (demo mode,
tests, outages). The layout is the same whether the background is generated here from the seed or
comes from an image model (``compose_over_background``), so swapping in a paid provider changes the
picture, not the copy placement, and the safe-zone guarantees hold for both.

Layout, top to bottom inside the placement's safe zone: brand label and the "Offline render" tag,
then (vertically centred) an accent rule, the product name, the headline and the primary text, and
the call to action as a button pinned to the bottom. Every text element is fitted with
:func:`tools.media.layout.fit_text` and its box is returned so callers and tests can check it.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw, ImageOps

from tools.media.layout import (
    Box,
    TextBlock,
    draw_pill,
    draw_text_block,
    fit_line,
    fit_text,
    inset,
    pill_size,
    safe_zone,
    union,
)
from tools.media.palette import Palette, paint_background, palette_from_seed

__all__ = [
    "OFFLINE_LABEL",
    "PLATFORM_SIZES",
    "RenderedImage",
    "StaticAdSpec",
    "compose_over_background",
    "draw_avatar_chip",
    "draw_offline_tag",
    "render_static_ad",
    "save_image_atomic",
]

PLATFORM_SIZES: dict[str, tuple[int, int]] = {
    "square": (1080, 1080),
    "portrait": (1080, 1350),
    "story": (1080, 1920),
    "landscape": (1200, 628),
}
"""Meta/Google image placements from ads.md §1: 1:1, 4:5, 9:16 and 1.91:1."""

OFFLINE_LABEL = "Offline render"
"""The tag that marks output made without a provider, so nobody ships it by mistake."""

_MIN_SIDE, _MAX_SIDE = 200, 4096


@dataclass(frozen=True, slots=True)
class StaticAdSpec:
    """What to draw and at which size; ``seed`` fixes colours and shapes."""

    headline: str
    primary_text: str
    call_to_action: str
    product_name: str
    width: int
    height: int
    seed: str
    brand_label: str = "AdForge"
    offline_label: bool = True
    image_format: Literal["png", "jpeg"] = "png"

    def __post_init__(self) -> None:
        for name, value in (("width", self.width), ("height", self.height)):
            if not _MIN_SIDE <= value <= _MAX_SIDE:
                raise ValueError(f"{name} must be {_MIN_SIDE}–{_MAX_SIDE} px, got {value}")
        if self.image_format not in ("png", "jpeg"):
            raise ValueError(f"image_format must be 'png' or 'jpeg', got {self.image_format!r}")


@dataclass(frozen=True, slots=True)
class RenderedImage:
    """Where the ad was written and where its text went.

    ``text_boxes`` holds the box of every text element drawn (buttons and tags as their outer
    shape); ``text_roles`` names them in the same order (``brand``, ``offline_label``,
    ``product_name``, ``headline``, ``primary_text``, ``call_to_action``).
    """

    path: Path
    width: int
    height: int
    content_type: str
    text_boxes: tuple[Box, ...]
    text_roles: tuple[str, ...] = ()
    text: Mapping[str, str] = field(default_factory=dict)
    """The words drawn per copy role (lines joined by a space): the layout record a test or a
    compliance check reads back instead of the pixels."""
    truncated: tuple[str, ...] = ()
    """Roles whose text did not fit at the smallest size and was cut (empty for good copy)."""


def render_static_ad(spec: StaticAdSpec, out_path: Path) -> RenderedImage:
    """Render ``spec`` over a background generated from its seed and write it to ``out_path``."""
    palette = palette_from_seed(spec.seed)
    canvas = paint_background((spec.width, spec.height), palette, spec.seed)
    return _finish(canvas, spec, palette, out_path, photo=False)


def compose_over_background(
    background: Image.Image | bytes, spec: StaticAdSpec, out_path: Path
) -> RenderedImage:
    """Lay ``spec`` out over a provider image, scaled and centre-cropped to cover the frame.

    A translucent panel in the palette's background colour goes behind the text, because the
    contrast of an arbitrary picture is unknown.
    """
    image = Image.open(io.BytesIO(background)) if isinstance(background, bytes) else background
    image = ImageOps.exif_transpose(image).convert("RGB")
    canvas = ImageOps.fit(image, (spec.width, spec.height), Image.Resampling.LANCZOS)
    return _finish(canvas, spec, palette_from_seed(spec.seed), out_path, photo=True)


def _finish(
    canvas: Image.Image, spec: StaticAdSpec, palette: Palette, out_path: Path, *, photo: bool
) -> RenderedImage:
    zone = safe_zone(spec.width, spec.height)
    unit = min(spec.width, spec.height)
    if photo:
        # Text goes on a transparent layer first so the panels can hug what was actually drawn,
        # leaving the rest of the picture visible; panels keep inside the safe zone.
        pad = round(unit * 0.035)
        text_layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(text_layer)
        roles, boxes, groups, blocks = _draw_layout(
            draw, spec, palette, inset(zone, pad), compact=True
        )
        panels = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
        panel_draw = ImageDraw.Draw(panels)
        for group in groups:
            panel_draw.rounded_rectangle(
                inset(group, -pad), radius=round(unit * 0.03), fill=palette.panel
            )
        composed = Image.alpha_composite(canvas.convert("RGBA"), panels)
        canvas = Image.alpha_composite(composed, text_layer).convert("RGB")
    else:
        roles, boxes, _, blocks = _draw_layout(
            ImageDraw.Draw(canvas), spec, palette, zone, compact=False
        )
    content_type = "image/png" if spec.image_format == "png" else "image/jpeg"
    save_image_atomic(canvas, out_path, spec.image_format)
    return RenderedImage(
        out_path,
        spec.width,
        spec.height,
        content_type,
        boxes,
        roles,
        text={role: " ".join(block.lines) for role, block in blocks.items()},
        truncated=tuple(role for role, block in blocks.items() if block.truncated),
    )


def _draw_layout(
    draw: ImageDraw.ImageDraw, spec: StaticAdSpec, palette: Palette, zone: Box, *, compact: bool
) -> tuple[tuple[str, ...], tuple[Box, ...], tuple[Box, ...], dict[str, TextBlock]]:
    """Place every element inside ``zone``.

    Returns (roles, boxes) in drawing order, the boxes of the header and content groups, and
    the fitted text block of each copy role.
    ``compact`` stacks the content right above the button instead of centring it, so a photo
    background keeps its upper part clear.
    """
    left, top, right, bottom = zone
    width = right - left
    unit = min(spec.width, spec.height)
    gap = max(6, round(unit * 0.026))
    roles: list[str] = []
    boxes: list[Box] = []

    def record(role: str, box: Box) -> None:
        if box[2] > box[0]:
            roles.append(role)
            boxes.append(box)

    # Header: brand on the left, the offline tag on the right.
    small = max(12, round(unit * 0.026))
    header_bottom = top
    tag_left = right
    if spec.offline_label:
        box = draw_offline_tag(draw, palette, (right, top), width // 2, small)
        record("offline_label", box)
        tag_left = box[0]
        header_bottom = max(header_bottom, box[3])
    if spec.brand_label.strip():
        brand = fit_line(spec.brand_label, max(1, tag_left - left - gap), small, bold=True)
        brand_top = top + max(0, (header_bottom - top - brand.height) // 2)
        box = draw_text_block(draw, brand, (left, brand_top, tag_left), palette.muted_text)
        record("brand", box)
        header_bottom = max(header_bottom, brand_top + brand.height)

    # Footer: the call to action as a button, pinned to the bottom of the zone.
    cta_size = max(14, round(unit * 0.04))
    pad = (round(cta_size * 1.1), round(cta_size * 0.55))
    cta = fit_text(
        spec.call_to_action,
        max_width=width - 2 * pad[0],
        max_height=cta_size * 3,
        max_size=cta_size,
        min_size=max(10, round(cta_size * 0.7)),
        bold=True,
        max_lines=2,
    )
    _, cta_h = pill_size(cta, *pad)
    cta_top = bottom - cta_h
    cta_box = draw_pill(draw, cta, (left, cta_top), pad, palette.accent, palette.on_accent)

    # Middle: rule, product name, headline, primary text — fitted, then centred vertically.
    mid_top, mid_bottom = header_bottom + gap * 2, cta_top - gap * 2
    rule_h = max(3, round(unit * 0.007))
    eyebrow_size = max(11, round(unit * 0.03))
    eyebrow = fit_text(
        spec.product_name.upper(),
        max_width=width,
        max_height=min(round(eyebrow_size * 2.6), mid_bottom - mid_top - rule_h - 2 * gap),
        max_size=eyebrow_size,
        min_size=10,
        bold=True,
        max_lines=2,
    )
    fixed = rule_h + gap + (eyebrow.height + gap if not eyebrow.empty else 0)
    room = max(0, mid_bottom - mid_top - fixed)
    landscape = spec.width / spec.height > 1.5
    headline = fit_text(
        spec.headline,
        max_width=width,
        max_height=round(room * 0.6),
        max_size=round(unit * (0.075 if landscape else 0.085)),
        min_size=round(unit * 0.045),
        bold=True,
        max_lines=3 if landscape else 4,
        spacing=1.1,
    )
    room_left = room - headline.height - gap
    primary = fit_text(
        spec.primary_text,
        max_width=width,
        max_height=max(0, room_left),
        max_size=max(12, round(unit * 0.04)),
        min_size=max(11, round(unit * 0.028)),
        max_lines=8,
        spacing=1.3,
    )
    content_h = fixed + headline.height + (gap + primary.height if not primary.empty else 0)
    free = max(0, mid_bottom - mid_top - content_h)
    y = mid_top + (free if compact else free // 2)
    content_top = y
    draw.rectangle((left, y, left + round(unit * 0.09), y + rule_h - 1), fill=palette.accent)
    y += rule_h + gap
    if not eyebrow.empty:
        record("product_name", draw_text_block(draw, eyebrow, (left, y, right), palette.muted_text))
        y += eyebrow.height + gap
    record("headline", draw_text_block(draw, headline, (left, y, right), palette.text))
    y += headline.height + gap
    record("primary_text", draw_text_block(draw, primary, (left, y, right), palette.text))
    record("call_to_action", cta_box)
    header = sum(1 for r in roles if r in ("brand", "offline_label"))
    # The offline tag is an opaque pill already; only the brand label needs a panel behind it.
    groups = [b for r, b in zip(roles, boxes, strict=True) if r == "brand"]
    groups.append(union([(left, content_top, left + 1, content_top + 1), *boxes[header:]]))
    blocks = {
        "product_name": eyebrow,
        "headline": headline,
        "primary_text": primary,
        "call_to_action": cta,
    }
    return tuple(roles), tuple(boxes), tuple(groups), blocks


def draw_offline_tag(
    draw: ImageDraw.ImageDraw,
    palette: Palette,
    top_right: tuple[int, int],
    max_width: int,
    size: int,
    row_height: int = 0,
) -> Box:
    """The "Offline render" pill, right-aligned at ``top_right``; returns its box.

    With ``row_height`` the pill is centred vertically in a row of that height.
    """
    tag = fit_line(OFFLINE_LABEL, max_width, size)
    pad = (round(size * 0.7), round(size * 0.35))
    width, height = pill_size(tag, *pad)
    origin = (top_right[0] - width, top_right[1] + max(0, (row_height - height) // 2))
    return draw_pill(draw, tag, origin, pad, palette.muted_text, palette.background_top)


def draw_avatar_chip(
    draw: ImageDraw.ImageDraw,
    origin: tuple[int, int],
    diameter: int,
    texts: tuple[str, str, str],
    palette: Palette,
    max_width: int,
) -> tuple[Box, ...]:
    """A presenter chip: a circle with initials, then name and a small label, left to right.

    The circle sits ``diameter // 8`` inside ``origin`` so an animated halo around it stays
    within the chip; returns the boxes of the three texts (initials, name, label).
    """
    initials, name, label = texts
    halo = diameter // 8
    x, y = origin[0] + halo, origin[1] + halo
    draw.ellipse((x, y, x + diameter, y + diameter), fill=palette.accent)
    ini = fit_line(initials, round(diameter * 0.7), round(diameter * 0.38), bold=True)
    area = (x, y + (diameter - ini.height) // 2, x + diameter)
    boxes = [draw_text_block(draw, ini, area, palette.on_accent, align="center")]
    text_x = x + diameter + 2 * halo
    width = max(1, origin[0] + max_width - text_x)
    top_block = fit_line(name, width, round(diameter * 0.34), bold=True)
    sub_block = fit_line(label, width, round(diameter * 0.24))
    gap = max(2, diameter // 25)
    ty = y + (diameter - top_block.height - sub_block.height - gap) // 2
    boxes.append(draw_text_block(draw, top_block, (text_x, ty, text_x + width), palette.text))
    ty += top_block.height + gap
    boxes.append(draw_text_block(draw, sub_block, (text_x, ty, text_x + width), palette.muted_text))
    return tuple(boxes)


def save_image_atomic(
    image: Image.Image, out_path: Path, image_format: Literal["png", "jpeg"]
) -> None:
    """Write to a temporary file beside ``out_path`` and rename, so readers never see half a file.

    No metadata or timestamps are written, so the same spec always gives the same bytes.
    """
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".part", dir=out_path.parent)
    try:
        os.fchmod(fd, 0o644)  # mkstemp's 0600 would hide the file from a separate web server
        with os.fdopen(fd, "wb") as handle:
            if image_format == "png":
                image.save(handle, format="PNG", compress_level=6)
            else:
                image.save(handle, format="JPEG", quality=90, subsampling="4:2:0")
        os.replace(tmp, out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
