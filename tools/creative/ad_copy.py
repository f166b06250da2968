"""The copy a static ad prints: headline, primary text and call to action, written for the reader.

A concept card holds a strategy note (``description``, written for the marketer) and a script
(written to be spoken). A static ad needs neither verbatim: it needs a headline that fits the
placement, a primary text whose first sentence is the hook, and a short CTA. Everything here picks
whole sentences or whole clauses (``tools.compliance.fit_text``), so nothing is ever cut
mid-phrase; the same ``AdCopy`` goes into the image and into the gallery asset.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tools.compliance import PLACEMENTS, fit_text

__all__ = ["AdCopy", "static_ad_copy"]

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_CTA_MAX = 40
"""A CTA is a button: two short lines at most on the smallest placement."""


@dataclass(frozen=True, slots=True)
class AdCopy:
    """The three texts a static ad shows, each within the placement's limits."""

    headline: str
    primary_text: str
    call_to_action: str

    def to_wire(self) -> dict[str, str]:
        """The gallery asset's camelCase fields."""
        return {
            "headline": self.headline,
            "primaryText": self.primary_text,
            "callToAction": self.call_to_action,
        }


def _limit(placements: Iterable[str], attribute: str, default: int) -> int:
    values: list[int | None] = [getattr(PLACEMENTS[p], attribute) for p in placements]
    return min([v for v in values if v] or [default])


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


def _first_fit(candidates: Iterable[str], limit: int) -> str | None:
    for candidate in candidates:
        fitted = fit_text(candidate, limit) if candidate.strip() else None
        if fitted:
            return fitted
    return None


def _headline(concept: Mapping[str, Any], product: str, angle: str, limit: int) -> str:
    # Only leading clauses of the hook stand alone; a trailing one ("so nothing piles up")
    # would read as a fragment. The angle's title is reader-facing; "Meet <product>" is last.
    angle = re.sub(r"^Angle\s+\d+:\s*", "", angle).strip()
    candidates = [str(concept.get("hook") or ""), angle, f"Meet {product}", product]
    return _first_fit(candidates, limit) or " ".join(product.split()[:4])


def _primary_text(concept: Mapping[str, Any], headline: str, limit: int) -> str:
    script = str(concept.get("fullScript") or "")
    cta = _norm(str(concept.get("callToAction") or ""))
    sentences = [s.strip() for s in _SENTENCE.split(script) if s.strip()]
    body = [s for s in sentences if _norm(s) not in (cta, _norm(headline))]
    kept: list[str] = []
    for sentence in body:
        trial = " ".join([*kept, sentence])
        if len(trial) > limit:
            if not kept:
                fitted = fit_text(sentence, limit)
                kept = [fitted] if fitted else []
            break
        kept.append(sentence)
    return " ".join(kept) or headline


def _cta(concept: Mapping[str, Any]) -> str:
    cta = str(concept.get("callToAction") or "").strip().rstrip(".")
    short = re.sub(r"\s+(?:today|now|this week|right away)$", "", cta)
    head = re.split(r",| and | then | before | for | to see | so ", cta)[0].strip()
    fitted = _first_fit([cta, short, head], _CTA_MAX)
    return fitted.rstrip(".") if fitted else "Learn more"


def static_ad_copy(
    concept: Mapping[str, Any],
    product: str,
    *,
    angle: str = "",
    placements: tuple[str, ...] = ("meta",),
) -> AdCopy:
    """Headline, primary text and CTA for ``concept`` that fit every placement in ``placements``.

    The headline is the hook when it fits, else its first whole clause that does, else the
    angle's title, else "Meet <product>"; the primary text is the script's body in whole sentences inside the visible
    characters; the CTA is the concept's call to action or its first whole clause.
    """
    headline = _headline(concept, product, angle, _limit(placements, "headline", 40))
    primary = _primary_text(concept, headline, _limit(placements, "primary_visible", 125))
    return AdCopy(headline, primary, _cta(concept))
