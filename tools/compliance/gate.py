"""The one copy gate: every card and every piece of ad copy goes through ``review``.

A card is a wire dict of the guided flow (persona, angle, concept) or the ad copy of a static ad or
gallery asset. ``review`` checks each text field with the content rules and, where the field is
placement copy, with the placement limits, and returns the ``compliance`` object that travels with
the card. Targeting flags (18+ for cosmetic, health and reproductive categories) are warnings on
persona cards, where targeting is chosen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from tools.compliance.claims import check_text
from tools.compliance.findings import Finding, Severity, report
from tools.compliance.placements import DEFAULT_PLACEMENTS, length_findings

__all__ = ["CardKind", "attach", "review", "review_findings"]

CardKind = Literal["persona", "angle", "concept", "ad"]

_FIELDS: dict[str, tuple[str, ...]] = {
    "persona": ("name", "description", "traits", "painPoints", "desires", "features"),
    "angle": ("title", "description", "reason"),
    "concept": ("title", "description", "hook", "fullScript", "callToAction", "visualDirection"),
    "ad": ("headline", "primaryText", "description", "callToAction", "imagePrompts"),
}
_ROLES: dict[tuple[str, str], str] = {
    ("concept", "hook"): "hook",
    ("ad", "headline"): "headline",
    ("ad", "primaryText"): "primary_text",
    ("ad", "description"): "description",
}
_ADULT_CATEGORY = re.compile(
    r"beauty|cosmetic|self[-\s]?tan|skin|make-?up|supplement|health|wellness|weight|diet"
    r"|menopaus|reproductive|sexual|intimate|fertility|femtech|dating",
    re.IGNORECASE,
)
_MIN_AGE = re.compile(r"^\s*(\d{1,2})")


def _texts(card: Mapping[str, Any], kind: str) -> Iterator[tuple[str, str]]:
    for key in _FIELDS[kind]:
        value = card.get(key)
        if isinstance(value, str) and value.strip():
            yield key, value
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, str) and item.strip():
                    yield f"{key}[{i}]", item


def _targeting(card: Mapping[str, Any], category: str) -> Iterator[Finding]:
    if not _ADULT_CATEGORY.search(category):
        return
    age = str(card.get("ageRange") or card.get("age") or "")
    low = _MIN_AGE.match(age)
    if low and int(low.group(1)) < 18:
        yield Finding(
            "meta.adults_only",
            "block",
            "ageRange",
            0,
            len(age),
            age,
            f"{category} ads must be targeted to people 18 or older (Meta health and wellness)",
            "18" + age[low.end() :],
        )
    else:
        yield Finding(
            "meta.adults_only",
            "warn",
            "ageRange",
            0,
            len(age),
            age,
            f"set the campaign's age targeting to 18+: {category} is a cosmetic, health or "
            "reproductive-health category",
            None,
        )


def review_findings(
    kind: CardKind,
    card: Mapping[str, Any],
    *,
    product: str = "",
    category: str = "",
    placements: tuple[str, ...] = DEFAULT_PLACEMENTS,
) -> list[Finding]:
    """Every finding on one card, in field order."""
    findings: list[Finding] = []
    limit_severity: Severity = "block" if kind == "ad" else "warn"
    for field, text in _texts(card, kind):
        findings.extend(check_text(text, field, category=category, product=product))
        role = _ROLES.get((kind, field))
        if role:
            findings.extend(length_findings(field, text, role, placements, severity=limit_severity))
    if kind == "persona":
        findings.extend(_targeting(card, category))
    return findings


def review(
    kind: CardKind,
    card: Mapping[str, Any],
    *,
    product: str = "",
    category: str = "",
    placements: tuple[str, ...] = DEFAULT_PLACEMENTS,
) -> dict[str, Any]:
    """The ``compliance`` object for one card: status, findings, placements checked."""
    found = review_findings(kind, card, product=product, category=category, placements=placements)
    return report(found, placements)


def attach(
    kind: CardKind,
    card: Mapping[str, Any],
    *,
    product: str = "",
    category: str = "",
    placements: tuple[str, ...] = DEFAULT_PLACEMENTS,
) -> dict[str, Any]:
    """A copy of ``card`` carrying its ``compliance`` object (an old verdict is replaced)."""
    body = {k: v for k, v in card.items() if k != "compliance"}
    verdict = review(kind, body, product=product, category=category, placements=placements)
    return {**body, "compliance": verdict}
