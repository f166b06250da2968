"""Category vocabularies: the words, audiences, angles and scenes a category's ads are made of.

The engine writes believable copy offline by combining two sources: the product's own words
(``_facts``) and a vocabulary for its category. The vocabularies are data (``_vocab_*`` modules);
this module holds their shapes and picks the one that fits a product, by counting marker words in
the category field (weighted most), the name, and the description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.creative._facts import ProductFacts

__all__ = [
    "AngleTemplate",
    "Archetype",
    "Scenes",
    "Vocabulary",
    "angle",
    "archetype",
    "bars",
    "detect_vocabulary",
    "find_first",
]


@dataclass(frozen=True, slots=True)
class Archetype:
    """An audience persona template; text fields may hold ``{noun}``-style context keys.

    ``gender`` is ``"*"`` when the persona follows the product's own audience (a women's probiotic
    makes it "Female", a unisex app "All genders"). ``budget`` is ``"small"`` for buyers who
    pay out of their own pocket (solo operators, side businesses): they are not offered a
    high-ticket product; ``"team"`` marks buyers with a company budget.
    """

    name: str
    age: str
    gender: str
    setting: str
    about: str
    traits: tuple[str, ...]
    pains: tuple[str, ...]
    desires: tuple[str, ...]
    focus: tuple[str, ...]
    budget: str = "*"


@dataclass(frozen=True, slots=True)
class AngleTemplate:
    """A marketing angle template with the metric centres it tends to score.

    ``needs`` gates templates that only work with certain facts: ``"@proof"``, ``"@price"``,
    ``"@yield"``, ``"@weight"``, ``"@audience"`` name optional context keys; anything else is a
    regular expression that must match the product's text (no "no fridge" angle for a product
    that never said it is shelf-stable).
    """

    title: str
    description: str
    reason: str
    bias: tuple[float, float, float]
    needs: str | None = None


@dataclass(frozen=True, slots=True)
class Scenes:
    """Image scene fragments for the four standard prompts (hero, lifestyle, detail, flat lay)."""

    hero: str
    lifestyle: str
    detail: str
    flatlay: str
    palette: str


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Everything category-specific the templates draw on."""

    key: str
    markers: tuple[str, ...]
    noun: str
    topic: str
    action: str
    archetypes: tuple[Archetype, ...]
    angles: tuple[AngleTemplate, ...]
    outcomes: tuple[str, ...]
    moments: tuple[str, ...]
    tips: tuple[str, ...]
    ctas: tuple[str, ...]
    style: str
    scenes: Scenes
    benefit: str
    proof: str


def bars(text: str) -> tuple[str, ...]:
    """Split a ``|``-separated list; the data tables use it to stay short and readable."""
    return tuple(part.strip() for part in text.split("|") if part.strip())


def archetype(
    head: str, about: str, traits: str, pains: str, desires: str, focus: str, budget: str = "*"
) -> Archetype:
    """Build an archetype from ``"Name|age|gender|setting"`` and ``|``-separated lists."""
    name, age, gender, setting = bars(head)
    return Archetype(
        name=name,
        age=age,
        gender=gender,
        setting=setting,
        about=about,
        traits=bars(traits),
        pains=bars(pains),
        desires=bars(desires),
        focus=bars(focus),
        budget=budget,
    )


def angle(
    title: str,
    description: str,
    reason: str,
    bias: tuple[float, float, float],
    needs: str | None = None,
) -> AngleTemplate:
    """Build an angle template (a shorthand that keeps the data tables on few lines)."""
    return AngleTemplate(title, description, reason, bias, needs)


def _marker_pattern(markers: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def detect_vocabulary(
    facts: ProductFacts, category: str, vocabularies: tuple[Vocabulary, ...], fallback: Vocabulary
) -> Vocabulary:
    """Pick the vocabulary whose markers best match the product; ``fallback`` when none do.

    The category field counts three times, the name twice and the description once, so a
    marketer's explicit category wins over a stray word in the copy. Ties keep table order,
    which lists the narrower vocabularies (self-tan) before the broader ones (beauty).
    """
    best, best_score = fallback, 0
    for vocabulary in vocabularies:
        pattern = _marker_pattern(vocabulary.markers)
        found = (
            3 * len(pattern.findall(category))
            + 2 * len(pattern.findall(facts.name))
            + len(pattern.findall(facts.haystack))
        )
        if found > best_score:
            best, best_score = vocabulary, found
    return best


def find_first(haystack: str, options: tuple[str, ...], default: str) -> str:
    """The option that appears earliest in the text (longest first on a tie), else ``default``."""
    hits: list[tuple[int, int, str]] = []
    for option in options:
        match = re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", haystack, re.IGNORECASE)
        if match:
            hits.append((match.start(), -len(option), option))
    return min(hits)[2] if hits else default
