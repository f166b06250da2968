"""TrueType faces for the offline renderers: which font, found where, and why.

Decision: the renderers draw with **DejaVu Sans** (Book and Bold), vendored under
``tools/media/assets/fonts/`` with its licence (Bitstream Vera licence, redistribution allowed; the
files come from Debian's ``fonts-dejavu-core``, see the README there). Reasons:

* the output must look the same on every machine (a server and a laptop should render the same ad
  for the same seed), so the font cannot depend on what happens to be installed;
* Pillow's built-in FreeType font (Aileron Regular) has no bold weight and lacks accented Latin
  letters and dashes, so "Sérum" would render as "S□rum" — unacceptable for the French seed product;
* no network is needed: the files are in the repository.

Lookup order, decided once per process (first hit wins):

1. the vendored files in ``tools/media/assets/fonts/``;
2. the system DejaVu install (``fonts-dejavu-core`` on Debian/Ubuntu, pulled in by the ``ffmpeg``
   package through fontconfig), for installs that dropped package data (e.g. a wheel built without
   ``package-data``);
3. Pillow's built-in font via ``ImageFont.load_default(size=...)``, which ships in every Pillow
   wheel. Bold is imitated with a stroke in the text colour, and characters the font lacks are
   folded (``é`` → ``e``, ``—`` → ``-``) rather than drawn as boxes.

``ADFORGE_MEDIA_FONTS=builtin`` forces step 3 (the tests use it to prove the fallback renders);
``system`` skips step 1. Call :func:`clear_font_cache` after changing it at runtime.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from PIL import ImageFont

from tools.media.errors import MediaRenderError
from tools.settings import MediaSettings, environment

__all__ = ["Face", "FontSource", "clear_font_cache", "font_source", "load_face"]

FontSource = Literal["vendored", "system", "builtin"]

ASSET_FONT_DIR = Path(__file__).resolve().parent / "assets" / "fonts"
"""Where the vendored DejaVu files live."""

SYSTEM_FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/opt/homebrew/share/fonts"),
)
"""Common system locations of DejaVu (Debian/Ubuntu, Fedora, Arch, Homebrew)."""

_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
_FOLDS = {
    "—": "-",
    "–": "-",
    "‐": "-",
    "‑": "-",
    "•": "·",
    "…": "...",
    "œ": "oe",
    "Œ": "OE",
    "æ": "ae",
    "Æ": "AE",
    "ß": "ss",
    "ø": "o",
    "Ø": "O",
    "€": "EUR",
    "£": "GBP",
    "\u00a0": " ",
    "\u202f": " ",
}
"""ASCII-ish stand-ins for characters a font lacks, tried after accent stripping."""


@dataclass(frozen=True, slots=True)
class Face:
    """A sized font plus how to draw it.

    ``stroke_width`` is non-zero only when bold is imitated on the built-in font; callers must pass
    it to ``textbbox``/``text`` so measurement and drawing agree.
    """

    font: ImageFont.FreeTypeFont
    size: int
    bold: bool
    stroke_width: int
    source: FontSource

    def prepare(self, text: str) -> str:
        """Return ``text`` with characters this face cannot draw folded or dropped."""
        return _fold_text(self.source, self.bold, text)


def _find_file(bold: bool, source: FontSource) -> Path | None:
    dirs = (ASSET_FONT_DIR,) if source == "vendored" else SYSTEM_FONT_DIRS
    for directory in dirs:
        candidate = directory / _FILES[bold]
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=1)
def font_source() -> FontSource:
    """Which of the three sources this process uses (see the module docstring)."""
    wanted = MediaSettings.from_mapping(environment()).fonts  # the environment, read now
    if wanted == "builtin":
        return "builtin"
    order: tuple[FontSource, ...] = ("system",) if wanted == "system" else ("vendored", "system")
    for source in order:
        if _find_file(False, source) and _find_file(True, source):
            return source
    return "builtin"


def _load_font(size: int, bold: bool, source: FontSource) -> ImageFont.FreeTypeFont:
    return _load_font_for_thread(size, bold, source, threading.get_ident())


@lru_cache(maxsize=512)
def _load_font_for_thread(
    size: int, bold: bool, source: FontSource, thread_id: int
) -> ImageFont.FreeTypeFont:
    """Load a font, cached per thread.

    A FreeType face must not be used by two threads at once (safe under the GIL today, not on
    free-threaded Python), and the server runs renders in worker threads.
    """
    del thread_id  # only part of the cache key
    if source != "builtin":
        path = _find_file(bold, source)
        if path is not None:
            return ImageFont.truetype(str(path), size=size)
    font = ImageFont.load_default(size=size)
    if not isinstance(font, ImageFont.FreeTypeFont):  # pragma: no cover - Pillow without FreeType
        raise MediaRenderError("Pillow was built without FreeType; scalable text is impossible")
    return font


def load_face(size: int, *, bold: bool = False) -> Face:
    """Return the face for ``size`` pixels (em size) and weight, cached per process."""
    size = max(4, int(size))
    source = font_source()
    stroke = max(1, round(size / 36)) if bold and source == "builtin" else 0
    return Face(_load_font(size, bold, source), size, bold, stroke, source)


def clear_font_cache() -> None:
    """Forget the chosen source and loaded fonts (after changing ``ADFORGE_MEDIA_FONTS``)."""
    font_source.cache_clear()
    _load_font_for_thread.cache_clear()
    _covered.cache_clear()
    _notdef_mask.cache_clear()
    _fold_text.cache_clear()


@lru_cache(maxsize=8)
def _notdef_mask(source: FontSource, bold: bool) -> tuple[tuple[int, int], bytes]:
    mask = _load_font(32, bold, source).getmask("\uffff")
    return mask.size, bytes(mask)


@lru_cache(maxsize=4096)
def _covered(source: FontSource, bold: bool, char: str) -> bool:
    """Whether the font has a real glyph for ``char`` (a mask unlike the missing-glyph box)."""
    if char.isspace():
        return True
    mask = _load_font(32, bold, source).getmask(char)
    return (mask.size, bytes(mask)) != _notdef_mask(source, bold)


@lru_cache(maxsize=1024)
def _fold_text(source: FontSource, bold: bool, text: str) -> str:
    out: list[str] = []
    for char in text:
        if _covered(source, bold, char):
            out.append(char)
            continue
        stripped = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        for candidate in (stripped, _FOLDS.get(char, "")):
            if candidate and all(_covered(source, bold, c) for c in candidate):
                out.append(candidate)
                break
        # Nothing drawable (emoji, CJK on the built-in font): drop it rather than draw a box.
    return "".join(out)
