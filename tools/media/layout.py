"""Safe zones and text fitting: the geometry both renderers share.

Why a module of its own: "text never leaves the safe zone and never overflows its box" is the
property that matters for ad review (the compliance gates check overlay text boxes against the
placement's safe zone), so it is implemented once, measured with the same font metrics that draw
the text, and returned as boxes the caller can check.

Safe zones (see ``shared/reference/ads.md`` §1): a 9:16 frame uses the Reels-safe band — top 14 %,
bottom 35 %, sides 6 % — which also satisfies the Stories and TikTok guidance (top 14 %, bottom
≈20 %, central 80–90 %). Other shapes keep a uniform 7 % margin on each axis.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from PIL import ImageDraw

from tools.media.fonts import Face, load_face

__all__ = [
    "ELLIPSIS",
    "Box",
    "allocate",
    "TextBlock",
    "box_within",
    "draw_pill",
    "draw_segment_bar",
    "draw_text_block",
    "ellipsize",
    "fit_line",
    "fit_text",
    "inset",
    "is_vertical_story",
    "line_bands",
    "pill_size",
    "safe_zone",
    "union",
    "wrap_text",
]

Box = tuple[int, int, int, int]
"""``(left, top, right, bottom)`` in pixels, right/bottom exclusive like Pillow's boxes."""

Align = Literal["left", "center"]
ELLIPSIS = "…"

STORY_TOP, STORY_BOTTOM, STORY_SIDES = 0.14, 0.35, 0.06
DEFAULT_MARGIN = 0.07


def is_vertical_story(width: int, height: int) -> bool:
    """Whether a frame is (close to) 9:16, where the Reels/Stories/TikTok overlays apply."""
    return height / width >= 1.7


def safe_zone(width: int, height: int) -> Box:
    """Where overlay text may go for a frame of this size (see the module docstring)."""
    if is_vertical_story(width, height):
        left, top = round(width * STORY_SIDES), round(height * STORY_TOP)
        return left, top, width - left, height - round(height * STORY_BOTTOM)
    dx, dy = round(width * DEFAULT_MARGIN), round(height * DEFAULT_MARGIN)
    return dx, dy, width - dx, height - dy


def inset(box: Box, dx: int, dy: int | None = None) -> Box:
    """Shrink ``box`` by ``dx`` on the sides and ``dy`` (default ``dx``) top and bottom."""
    dy = dx if dy is None else dy
    return box[0] + dx, box[1] + dy, box[2] - dx, box[3] - dy


def box_within(inner: Box, outer: Box) -> bool:
    """Whether ``inner`` lies entirely inside ``outer`` (edges may touch)."""
    return (
        inner[0] >= outer[0]
        and inner[1] >= outer[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )


def union(boxes: Iterable[Box]) -> Box:
    """The smallest box containing all ``boxes``."""
    items = list(boxes)
    return (
        min(b[0] for b in items),
        min(b[1] for b in items),
        max(b[2] for b in items),
        max(b[3] for b in items),
    )


def _ink(face: Face, text: str) -> Box:
    """Ink box of ``text`` drawn at origin (0, 0) with the ascender on y=0, stroke included."""
    left, top, right, bottom = face.font.getbbox(text, stroke_width=face.stroke_width, anchor="la")
    return int(left), int(top), int(right), int(bottom)


def _width(face: Face, text: str) -> int:
    left, _, right, _ = _ink(face, text)
    return right - min(0, left)


def _split_word(face: Face, word: str, max_width: int) -> list[str]:
    """Break a word wider than the line into line-sized pieces (URLs, long compounds)."""
    pieces, current = [], ""
    for char in word:
        if current and _width(face, current + char) > max_width:
            pieces.append(current)
            current = char
        else:
            current += char
    return [*pieces, current] if current else pieces


def wrap_text(text: str, face: Face, max_width: int) -> list[str]:
    """Greedy word wrap measured with ``face``; explicit newlines start new lines."""
    lines: list[str] = []
    for paragraph in face.prepare(text).splitlines():
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if _width(face, candidate) <= max_width:
                current = candidate
                continue
            if current:
                lines.append(current)
            pieces = _split_word(face, word, max_width)
            lines.extend(pieces[:-1])
            current = pieces[-1] if pieces else ""
        if current:
            lines.append(current)
    return lines


def ellipsize(text: str, face: Face, max_width: int) -> str:
    """End ``text`` with an ellipsis, dropping words (or characters) until it fits."""
    text = text.rstrip(" ,;:.-–—")
    ellipsis = face.prepare(ELLIPSIS) or "..."
    while text and _width(face, text + ellipsis) > max_width:
        cut = text.rfind(" ")
        text = (text[:cut] if cut > 0 else text[:-1]).rstrip(" ,;:.-–—")
    return text + ellipsis if text else (ellipsis if _width(face, ellipsis) <= max_width else "")


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Wrapped lines at a chosen size, with the exact box they occupy when drawn."""

    lines: tuple[str, ...]
    face: Face
    line_height: int
    width: int
    height: int
    left_offset: int
    """Ink left of the origin (≤ 0); drawing at ``x - left_offset`` puts the box edge at ``x``."""
    top_offset: int
    """Ink above the ascender line (≤ 0), same idea vertically."""
    truncated: bool

    @property
    def empty(self) -> bool:
        """Whether nothing fits (the caller should skip drawing)."""
        return not self.lines


def _block(lines: Sequence[str], face: Face, spacing: float, truncated: bool) -> TextBlock:
    ascent, descent = face.font.getmetrics()
    line_height = max(1, round((ascent + descent) * spacing))
    if not lines:
        return TextBlock((), face, line_height, 0, 0, 0, 0, truncated)
    inks = [_ink(face, line) for line in lines]
    left = min(0, *(b[0] for b in inks))
    top = min(0, inks[0][1])
    right = max(b[2] for b in inks)
    nominal_bottom = (len(lines) - 1) * line_height + ascent + descent
    bottom = max(nominal_bottom, *((i * line_height + b[3]) for i, b in enumerate(inks)))
    return TextBlock(
        tuple(lines), face, line_height, right - left, bottom - top, left, top, truncated
    )


def fit_text(
    text: str,
    *,
    max_width: int,
    max_height: int,
    max_size: int,
    min_size: int,
    bold: bool = False,
    max_lines: int = 6,
    spacing: float = 1.18,
) -> TextBlock:
    """The largest size in ``[min_size, max_size]`` at which ``text`` fits; else truncate.

    At ``min_size`` the text is cut to the lines that fit and the last one ends with an ellipsis,
    so the result never exceeds ``max_width`` x ``max_height`` (it may be empty if not even one
    line fits).
    """
    min_size = max(4, min(min_size, max_size))
    size = max_size
    while True:
        face = load_face(size, bold=bold)
        # Lines may overhang left by different amounts; the slack keeps their union inside.
        lines = wrap_text(text, face, max_width - max(1, size // 16))
        block = _block(lines, face, spacing, truncated=False)
        if len(lines) <= max_lines and block.height <= max_height and block.width <= max_width:
            return block
        if size <= min_size:
            break
        size = max(min_size, min(size - 1, round(size * 0.94)))
    kept: list[str] = []
    for index in range(min(len(lines), max_lines)):
        trial = [*kept, ellipsize(lines[index], face, max_width)]
        if _block(trial, face, spacing, True).height > max_height:
            break
        kept.append(lines[index])
    if kept and len(kept) < len(lines):
        kept[-1] = ellipsize(kept[-1], face, max_width)
        kept = [line for line in kept if line]
    return _block(kept, face, spacing, truncated=len(kept) < len(lines))


def allocate(weights: list[float], total: int, minimum: int) -> list[int]:
    """Split ``total`` units (frames, pixels) by ``weights``, each at least ``minimum``.

    Largest-remainder rounding, so the parts always add up to ``total`` exactly.
    """
    minimum = min(minimum, total // len(weights))
    spare = total - minimum * len(weights)
    shares = [spare * w / sum(weights) for w in weights]
    counts = [minimum + math.floor(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: shares[i] - math.floor(shares[i]))
    for i in reversed(order[len(order) - (total - sum(counts)) :]):
        counts[i] += 1
    return counts


def line_bands(block: TextBlock, box: Box) -> list[Box]:
    """Split the drawn box of ``block`` into one horizontal band per line (for line reveals)."""
    edges = [box[1] + i * block.line_height for i in range(len(block.lines))] + [box[3]]
    return [(box[0], edges[i], box[2], edges[i + 1]) for i in range(len(block.lines))]


def draw_segment_bar(
    draw: ImageDraw.ImageDraw,
    box: Box,
    fractions: Sequence[float],
    gap: int,
    fill: tuple[int, ...],
    track: tuple[int, ...],
) -> None:
    """A story-style progress bar: one segment per item, each filled to its fraction."""
    left, top, right, bottom = box
    seg = (right - left - gap * (len(fractions) - 1)) / len(fractions)
    for i, done in enumerate(fractions):
        x0, x1 = round(left + i * (seg + gap)), round(left + i * (seg + gap) + seg)
        draw.rectangle((x0, top, x1 - 1, bottom - 1), fill=track)
        if done > 0:
            draw.rectangle(
                (x0, top, x0 + max(1, round((x1 - x0) * done)) - 1, bottom - 1), fill=fill
            )


def fit_line(text: str, max_width: int, size: int, *, bold: bool = False) -> TextBlock:
    """One line of label text at ``size``, shrinking to 60 % then ellipsized (tags, names)."""
    return fit_text(
        text,
        max_width=max_width,
        max_height=size * 2,
        max_size=size,
        min_size=max(8, round(size * 0.6)),
        bold=bold,
        max_lines=1,
    )


def draw_text_block(
    draw: ImageDraw.ImageDraw,
    block: TextBlock,
    area: tuple[int, int, int],
    fill: tuple[int, ...],
    *,
    align: Align = "left",
) -> Box:
    """Draw ``block`` with its top at ``area[1]`` between ``area[0]`` and ``area[2]``.

    Returns the box that was reserved and contains every drawn pixel (the value the safe-zone
    checks use).
    """
    left, top, right = area
    if block.empty:
        return left, top, left, top
    y0 = top - block.top_offset
    boxes: list[Box] = []
    for index, line in enumerate(block.lines):
        ink_left, _, ink_right, _ = _ink(block.face, line)
        line_width = ink_right - min(0, ink_left)
        if align == "center":
            x = left + (right - left - line_width) // 2 - min(0, ink_left)
        else:
            x = left - block.left_offset
        y = y0 + index * block.line_height
        draw.text(
            (x, y),
            line,
            font=block.face.font,
            fill=fill,
            anchor="la",
            stroke_width=block.face.stroke_width,
            stroke_fill=fill,
        )
        boxes.append((x + min(0, ink_left), top, x + ink_right, top + block.height))
    return union(boxes)


def pill_size(block: TextBlock, pad_x: int, pad_y: int) -> tuple[int, int]:
    """Outer size of a rounded button around ``block``."""
    return block.width + 2 * pad_x, block.height + 2 * pad_y


def draw_pill(
    draw: ImageDraw.ImageDraw,
    block: TextBlock,
    origin: tuple[int, int],
    pad: tuple[int, int],
    fill: tuple[int, ...],
    text_fill: tuple[int, ...],
) -> Box:
    """A rounded button with ``block`` centred in it; returns the button's box."""
    width, height = pill_size(block, *pad)
    x, y = origin
    box = (x, y, x + width, y + height)
    radius = min(height // 2, block.line_height // 2 + pad[1])
    draw.rounded_rectangle(box, radius=radius, fill=fill)
    area = (x + pad[0], y + pad[1], x + width - pad[0])
    draw_text_block(draw, block, area, text_fill, align="center")
    return box
