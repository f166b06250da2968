"""The template context: every value a template may name, resolved once per brief.

Templates use ``str.format_map`` keys (``{short}``, ``{pain}``, ``{feature}``…). This module
resolves them from three layers, most specific first: the chosen persona and angle (wire dicts
from the guide, possibly written by a real model), the product's own facts, and the category
vocabulary. A key is always present, so a template can never fail on a sparse product.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tools.copy_checks import compliance_issues
from tools.creative._facts import ProductFacts, product_facts
from tools.creative._hashing import pick
from tools.creative._lexicon import Vocabulary, detect_vocabulary, find_first
from tools.creative._text import clean_phrase, lower_first, lower_title, title_case, upper_first
from tools.creative._vocab import GENERIC, VOCABULARIES
from tools.creative._vocab.food import CORES
from tools.creative._vocab.sportswear import ACTIVITIES
from tools.creative.models import CreativeBrief

__all__ = [
    "AngleView",
    "PersonaView",
    "Setup",
    "angle_focus",
    "angle_view",
    "fill",
    "needs_met",
    "persona_context",
    "persona_view",
    "rank_features",
    "someone",
    "start",
]

_TIME = re.compile(r"\b(?:days?|hours?|minutes?|mins?|seconds?|weeks?|months?)\b", re.I)
_YIELD = re.compile(r"\b(?:cups?|servings?|per|portions?)\b", re.I)
_WEIGHT = re.compile(r"\d\s*(?:g|kg|oz)\b", re.I)
_DEFAULT_AUDIENCE = {"software": "business owners"}
_STOP_WORDS = frozenset(
    "about after angle their there these those which while where without would could should "
    "every other first".split()
)


@dataclass(frozen=True, slots=True)
class Setup:
    """A brief with its product facts, its vocabulary and the persona-independent context."""

    brief: CreativeBrief
    facts: ProductFacts
    vocab: Vocabulary
    gender: str
    base: Mapping[str, str]
    seed: tuple[str, ...]
    found: frozenset[str]

    def clean(self, text: str) -> bool:
        """Whether a piece of outside text (a persona pain, a pitch) passes the copy checks."""
        return not compliance_issues(text, product_category=self.brief.product.category)


@dataclass(frozen=True, slots=True)
class PersonaView:
    """The fields of a wire persona the templates use, whichever spelling the wire chose."""

    name: str
    age: str
    gender: str
    pains: tuple[str, ...]
    desires: tuple[str, ...]
    features: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AngleView:
    """A wire angle without its "Angle 1:" prefix."""

    title: str
    description: str


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(clean_phrase(str(v)) for v in value if str(v).strip())


def persona_view(wire: Mapping[str, Any] | None) -> PersonaView | None:
    """Read a guide persona dict (``ageRange`` or ``age``, ``painPoints`` or ``pain_points``)."""
    if not wire or not str(wire.get("name", "")).strip():
        return None
    age = wire.get("ageRange") or wire.get("age_range") or wire.get("age") or "25-54"
    return PersonaView(
        name=clean_phrase(str(wire["name"])),
        age=str(age),
        gender=str(wire.get("gender") or "All genders"),
        pains=_strings(wire.get("painPoints") or wire.get("pain_points")),
        desires=_strings(wire.get("desires")),
        features=_strings(wire.get("features")),
    )


def angle_view(wire: Mapping[str, Any] | None) -> AngleView | None:
    """Read a guide angle dict, dropping the positional "Angle N:" prefix from its title."""
    if not wire or not str(wire.get("title", "")).strip():
        return None
    title = re.sub(r"^\s*angle\s*\d+\s*:\s*", "", str(wire["title"]), flags=re.IGNORECASE)
    return AngleView(clean_phrase(title), str(wire.get("description") or ""))


def angle_focus(angle: AngleView) -> str | None:
    """A pattern of the angle's content words, so its scripts quote the features it is about."""
    words = re.findall(r"[a-z]{5,}", f"{angle.title} {angle.description}".lower())
    stems = sorted({word[:5] for word in words if word not in _STOP_WORDS})
    return "|".join(re.escape(stem) for stem in stems) or None


def fill(template: str, context: Mapping[str, str]) -> str:
    """Fill a template and normalise its spacing."""
    return " ".join(template.format_map(context).split())


def _plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun if noun.endswith("s") else noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def someone(gender: str, age: str | None = None) -> str:
    """An image-prompt subject that matches a persona: "a woman in her thirties"."""
    noun, pronoun = {"Female": ("woman", "her"), "Male": ("man", "his")}.get(
        gender, ("person", "their")
    )
    digits = re.findall(r"\d{2}", age or "")
    if not digits:
        return f"a {noun}"
    low = int(digits[0])
    mid = (low + int(digits[1])) // 2 if len(digits) > 1 else low + 5
    decade = ("twenties", "thirties", "forties", "fifties", "sixties", "seventies")
    return f"a {noun} in {pronoun} {decade[min(max(mid // 10 - 2, 0), 5)]}"


def start(brief: CreativeBrief) -> Setup:
    """Resolve the facts, vocabulary and base context of a brief."""
    product = brief.product
    facts = product_facts(product)
    vocab = detect_vocabulary(facts, product.category, VOCABULARIES, GENERIC)
    gender = {"women": "Female", "men": "Male"}.get(facts.audience or "", "*")
    seed = (product.name.casefold(), brief.task, (brief.hint or "").casefold())
    noun = facts.noun or find_first(facts.name, vocab.markers, vocab.noun).lower()
    features = [lower_first(f) for f in facts.features] or [vocab.benefit]
    core = find_first(facts.haystack, CORES, noun) if vocab.key == "food" else noun
    activity = find_first(facts.haystack, ACTIVITIES, "training")
    audience = facts.audience or _DEFAULT_AUDIENCE.get(vocab.key, "people")
    proofs = facts.proofs
    optional = {
        "proof": proofs[0] if proofs else "",
        "duration": next((p for p in proofs if _TIME.search(p)), ""),
        "yield": next((p for p in proofs if _YIELD.search(p)), ""),
        "weight": next((p for p in proofs if _WEIGHT.search(p)), ""),
        "price": facts.price or "",
        "audience": facts.audience or "",
    }
    base = {
        "product": facts.name,
        "short": facts.short,
        "Short": facts.short if facts.short[:1].isupper() else title_case(facts.short),
        "noun": noun,
        "nouns": _plural(noun),
        "topic": vocab.topic,
        "audience": audience,
        "Audience": title_case(audience),
        "core": core,
        "Core": title_case(core),
        "activity": activity,
        "Activity": title_case(activity),
        "someone": someone("Female" if gender == "Female" else "Male" if gender == "Male" else ""),
        "proof": optional["proof"] or vocab.proof,
        "duration": optional["duration"] or vocab.proof,
        "yield": optional["yield"] or vocab.proof,
        "weight": optional["weight"] or vocab.proof,
        "price": optional["price"],
        "outcome": pick(vocab.outcomes, *seed, "outcome"),
        "moment": pick(vocab.moments, *seed, "moment"),
        "tip": pick(vocab.tips, *seed, "tip"),
        "benefit": features[0],
        "feature": features[0],
        "feature2": features[1] if len(features) > 1 else vocab.benefit,
        "feature3": features[2] if len(features) > 2 else vocab.benefit,
        "action": vocab.action,
        "region": facts.region,
    }
    base["moment"] = fill(base["moment"], base)
    article = "an" if noun[:1].lower() in "aeiou" else "a"
    base["mechanism"] = facts.mechanism or (
        f"{facts.short} is {article} {noun} built around {features[0]}."
    )
    found = frozenset(key for key, value in optional.items() if value)
    return Setup(brief, facts, vocab, gender, base, seed, found)


def needs_met(setup: Setup, needs: str | None) -> bool:
    """Whether a template's ``needs`` gate is satisfied by this product."""
    if not needs:
        return True
    if needs.startswith("@"):
        return needs[1:] in setup.found
    return re.search(needs, setup.facts.haystack, re.IGNORECASE) is not None


def rank_features(setup: Setup, focus: tuple[str, ...]) -> list[str]:
    """The product's features, those matching the focus stems first (stable otherwise)."""
    features = list(setup.facts.features) or [upper_first(setup.vocab.benefit)]

    def hits(feature: str) -> int:
        low = feature.lower()
        return sum(1 for stem in focus if stem and re.search(rf"\b{re.escape(stem)}", low))

    return sorted(features, key=lambda f: -hits(f))


def persona_context(
    setup: Setup, persona: PersonaView, *salt: str, prefer: str | None = None
) -> dict[str, str]:
    """The base context plus the persona's name, a pain, a desire and its top features.

    Args:
        setup: The resolved brief.
        persona: The chosen persona.
        *salt: Extra keys for the stable pain/desire choice (e.g. the angle's title), so two
            angles for one persona do not all quote the same pain.
        prefer: A regular expression; features matching it come first (an angle about speed
            should quote the fast-drying feature, not the colour one).
    """
    pains = [p for p in persona.pains if setup.clean(p)] or ["doing things the hard way"]
    desires = [d for d in persona.desires if setup.clean(d)] or ["something that just works"]
    stems = tuple(w.lower()[:6] for w in " ".join(persona.features + persona.pains).split())
    ranked = [lower_first(f) for f in rank_features(setup, stems)]
    if prefer and not prefer.startswith("@"):
        ranked.sort(key=lambda f: re.search(prefer, f, re.IGNORECASE) is None)
    context = dict(setup.base)
    context.update(
        persona=lower_title(persona.name) if setup.clean(persona.name) else "this audience",
        Persona=persona.name if setup.clean(persona.name) else "This audience",
        pain=lower_first(pick(pains, *setup.seed, persona.name, "pain", *salt)),
        desire=lower_first(pick(desires, *setup.seed, persona.name, "desire", *salt)),
        someone=someone(persona.gender, persona.age),
    )
    if ranked:
        context["feature"] = ranked[0]
        context["feature2"] = ranked[1] if len(ranked) > 1 else setup.base["feature2"]
    return context
