"""Per-placement text limits, and fitting copy to them without a mid-phrase cut.

Limits from the ads reference §1: Meta shows 125 characters of primary text before "See more"
(the hook must sit inside them), a 40-character headline and a 30-character description; TikTok
in-feed ad text is 12–100 characters with no emoji, ``{}`` or ``#``. ``ADFORGE_PLACEMENTS``
chooses which placements a run is checked against.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tools.compliance.findings import Finding, Severity

__all__ = [
    "DEFAULT_PLACEMENTS",
    "PLACEMENTS",
    "Placement",
    "fit_text",
    "length_findings",
    "parse_placements",
]


@dataclass(frozen=True, slots=True)
class Placement:
    """The text limits of one ad placement; ``None`` where the placement has no such field."""

    name: str
    primary_visible: int | None
    primary_min: int
    headline: int | None
    description: int | None
    bans_symbols: bool


PLACEMENTS: dict[str, Placement] = {
    "meta": Placement("meta", 125, 1, 40, 30, bans_symbols=False),
    "tiktok": Placement("tiktok", 100, 12, None, None, bans_symbols=True),
}
DEFAULT_PLACEMENTS: tuple[str, ...] = ("meta",)

_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2b55\ufe0f]")
_SYMBOLS = re.compile(r"[{}#]")
_CLAUSE_END = re.compile(r"[.!?;:—–](?=\s|$)|,(?=\s)")


def parse_placements(value: str | None) -> tuple[str, ...]:
    """``"meta,tiktok"`` → ``("meta", "tiktok")``; unknown names are refused, empty = default."""
    names = tuple(n.strip().lower() for n in (value or "").split(",") if n.strip())
    unknown = [n for n in names if n not in PLACEMENTS]
    if unknown:
        raise ValueError(f"unknown placement(s) {unknown}; choose from {sorted(PLACEMENTS)}")
    return names or DEFAULT_PLACEMENTS


def fit_text(text: str, limit: int) -> str | None:
    """``text`` if it fits, else its longest leading run of whole clauses that fits, else None.

    Never cuts inside a phrase and never adds an ellipsis: a caller that gets ``None`` must write
    a shorter variant or wrap the text instead.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    best: str | None = None
    for match in _CLAUSE_END.finditer(text):
        if match.end() > limit:
            break
        head = text[: match.end()].rstrip(",;:—– ")
        if len(head.split()) >= 2:
            best = head if head[-1] in ".!?" else head + "."
    return best


def _too_long(
    field: str, text: str, limit: int, rule: str, what: str, severity: Severity
) -> Finding:
    return Finding(
        rule,
        severity,
        field,
        limit,
        len(text),
        text[limit:],
        f"{what} is {len(text)} characters; the placement shows {limit}",
        fit_text(text, limit),
    )


def length_findings(
    field: str, text: str, role: str, placements: tuple[str, ...], *, severity: Severity
) -> Iterator[Finding]:
    """Findings for ``text`` used as ``role`` (hook, primary_text, headline, description)."""
    text = " ".join(text.split())
    for name in placements:
        spec = PLACEMENTS[name]
        if role == "hook" and spec.primary_visible and len(text) > spec.primary_visible:
            yield _too_long(
                field,
                text,
                spec.primary_visible,
                f"{name}.hook_visible",
                f"The hook must sit inside the {spec.primary_visible} visible characters; it",
                severity,
            )
        if role == "primary_text" and spec.primary_visible:
            first = text.split(". ")[0]
            if len(first) > spec.primary_visible:
                yield _too_long(
                    field, first, spec.primary_visible, f"{name}.primary_text", "The hook", severity
                )
            if name == "tiktok" and not spec.primary_min <= len(text) <= spec.primary_visible:
                yield _too_long(
                    field, text, spec.primary_visible, "tiktok.ad_text", "TikTok ad text", severity
                )
        if role == "headline" and spec.headline and len(text) > spec.headline:
            yield _too_long(
                field, text, spec.headline, f"{name}.headline", "The headline", severity
            )
        if role == "description" and spec.description and len(text) > spec.description:
            yield _too_long(
                field, text, spec.description, f"{name}.description", "The description", severity
            )
        if spec.bans_symbols and role in ("primary_text", "hook"):
            for match in (*_EMOJI.finditer(text), *_SYMBOLS.finditer(text)):
                yield Finding(
                    f"{name}.symbol",
                    "block",
                    field,
                    match.start(),
                    match.end(),
                    match.group(0),
                    "TikTok ad text allows no emoji, braces or # signs",
                    _SYMBOLS.sub("", _EMOJI.sub("", text)).strip(),
                )
