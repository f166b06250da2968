"""Audience personas and the "what this choice changes" explanation.

Four personas per brief, as the guide shows them: the first is the primary audience, the others
widen reach. When the marketer gives a hint, the first persona is built from it and borrows the
closest archetype's category knowledge (its pains and desires), so the hint steers the set while
every persona still talks about this product.
"""

from __future__ import annotations

import re

from tools.creative._audience import AudienceHint, parse_hint
from tools.creative._context import (
    PersonaView,
    Setup,
    fill,
    persona_view,
    rank_features,
    someone,
    start,
)
from tools.creative._hashing import pick, shuffled
from tools.creative._lexicon import Archetype
from tools.creative._text import lower_first, lower_title, oxford, upper_first
from tools.creative.models import CreativeBrief, PersonaDraft, PersonaImpact, PersonaSet

__all__ = ["primary_persona", "write_persona_impact", "write_personas"]

_SHARES = (
    ("Primary (35-45%)", "Primary (40-50%)", "Primary (40-60%)"),
    ("Secondary (20-30%)", "Secondary (25-30%)"),
    ("Secondary (15-20%)", "Secondary (10-20%)"),
    ("Emerging (5-10%)", "Niche (5-10%)"),
)


def _ages(age: str) -> tuple[int, int]:
    digits = [int(d) for d in re.findall(r"\d{2}", age)]
    if not digits:
        return (25, 54)
    return (digits[0], digits[1] if len(digits) > 1 else digits[0] + 20)


def _gender(setup: Setup, archetype: Archetype) -> str:
    if archetype.gender != "*":
        return archetype.gender
    return {"Female": "Female", "Male": "Male"}.get(setup.gender, "All genders")


def _fits_product(setup: Setup, archetype: Archetype) -> bool:
    if archetype.budget == "small" and high_ticket(setup.brief.product.price):
        return False  # a $1,500/month tool is not bought by a side hustle
    if archetype.budget == "team" and not high_ticket(setup.brief.product.price):
        return False
    return setup.gender == "*" or archetype.gender in ("*", setup.gender)


_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(k\b)?")
_PERIOD = re.compile(
    r"/\s*(?:mo|month)|per\s+month|monthly|/\s*(?:yr|year)|per\s+year|annual", re.I
)


def high_ticket(price: str | None) -> bool:
    """Whether ``price`` is a company purchase: at least $300 a month or $3,600 a year."""
    if not price or not (amount := _AMOUNT.search(price)):
        return False
    value = float(amount.group(1).replace(",", "")) * (1000 if amount.group(2) else 1)
    period = _PERIOD.search(price)
    if period is None:
        return value >= 5000
    yearly = re.search(r"y(?:ea)?r|annual", period.group(0), re.I)
    return value >= (3600 if yearly else 300)


def _location(setup: Setup, archetype: Archetype) -> str:
    return f"{setup.facts.region} ({archetype.setting})"


def _draft(setup: Setup, archetype: Archetype, share: str) -> PersonaDraft:
    base = setup.base
    features = rank_features(setup, archetype.focus)[:3]
    return PersonaDraft(
        name=fill(archetype.name, base)[:60],
        category=share,
        age_range=archetype.age,
        gender=_gender(setup, archetype),
        location=_location(setup, archetype),
        description=upper_first(fill(archetype.about, base)),
        key_traits=list(archetype.traits),
        pain_points=[upper_first(fill(p, base)) for p in archetype.pains],
        desires=[upper_first(fill(d, base)) for d in archetype.desires],
        features=features,
    )


def _closeness(hint: AudienceHint, archetype: Archetype, age: str) -> int:
    low, high = _ages(age)
    a_low, a_high = _ages(archetype.age)
    score = 2 if a_low <= high and low <= a_high else 0
    if hint.gender and archetype.gender in (hint.gender, "*"):
        score += 2
    focus = {stem for segment in hint.segments for stem in segment.focus}
    return score + len(focus & set(archetype.focus))


def _hint_draft(setup: Setup, hint: AudienceHint, base_type: Archetype, share: str) -> PersonaDraft:
    ctx = setup.base
    segment = hint.segments[0] if hint.segments else None
    age = hint.age or (segment.age if segment else None) or base_type.age
    gender = hint.gender or _gender(setup, base_type)
    desire = lower_first(fill(base_type.desires[0], ctx))
    who = upper_first(hint.phrase) if len(hint.phrase.split()) <= 9 else hint.name
    about = f"{who} {segment.about}" if segment else who
    description = (
        f"{about}. When it comes to {ctx['topic']}, they want {desire} and tune out anything "
        f"that feels written for someone else."
    )
    extra = (segment.trait,) if segment else ()
    pains = ((segment.pain,) if segment else ()) + base_type.pains
    desires = ((segment.desire,) if segment else ()) + base_type.desires
    focus = tuple(stem for s in hint.segments for stem in s.focus) + base_type.focus
    return PersonaDraft(
        name=hint.name,
        category=share,
        age_range=age,
        gender=gender,
        location=_location(setup, base_type),
        description=description,
        key_traits=list(dict.fromkeys(extra + base_type.traits))[:5],
        pain_points=[upper_first(fill(p, ctx)) for p in pains[:3]],
        desires=[upper_first(fill(d, ctx)) for d in desires[:3]],
        features=rank_features(setup, focus)[:3],
    )


def _reasoning(setup: Setup, drafts: list[PersonaDraft], hint: AudienceHint | None) -> list[str]:
    lead, rest = drafts[0], drafts[1:]
    others = oxford(lower_title(d.name) for d in rest)
    noun = setup.base["noun"]
    if hint and hint.text:
        first = (
            f'You asked for "{hint.phrase}", so {lower_title(lead.name)} ({lead.age_range}) lead '
            f"the set with pains and desires taken from that brief."
        )
    else:
        first = (
            f"{lead.name} lead because {setup.facts.short} speaks most directly to their "
            f"biggest frustration: {lower_first(lead.pain_points[0])}."
        )
    second = f"The other three, {others}, widen reach without diluting the {noun} message."
    return [first, second]


def write_personas(brief: CreativeBrief) -> PersonaSet:
    """Write four distinct personas for the product, the first one shaped by the hint if given."""
    setup = start(brief)
    hint = parse_hint(brief.hint)
    pool = [a for a in setup.vocab.archetypes if _fits_product(setup, a)]
    if len(pool) < 4:
        pool = list(setup.vocab.archetypes)
    order = shuffled(pool, *setup.seed, "personas")
    shares = [pick(options, *setup.seed, "share", i) for i, options in enumerate(_SHARES)]
    drafts: list[PersonaDraft] = []
    if hint:
        age = hint.age or next((s.age for s in hint.segments if s.age), None) or "25-54"
        base_type = max(order, key=lambda a: _closeness(hint, a, age))
        drafts.append(_hint_draft(setup, hint, base_type, shares[0]))
        order = [a for a in order if a is not base_type]
    for archetype in order:
        if len(drafts) == 4:
            break
        draft = _draft(setup, archetype, shares[len(drafts)])
        if draft.name.casefold() not in {d.name.casefold() for d in drafts}:
            drafts.append(draft)
    return PersonaSet(personas=drafts, reasoning=_reasoning(setup, drafts, hint))


def _register(age: str) -> str:
    low, high = _ages(age)
    middle = (low + high) // 2
    if middle < 25:
        return "fast, creator-style"
    if middle < 35:
        return "conversational, friend-to-friend"
    if middle < 55:
        return "straight-talking, evidence-first"
    return "calm, respectful and unhurried"


def write_persona_impact(brief: CreativeBrief) -> PersonaImpact:
    """Explain, in three sentences, what choosing ``brief.persona`` changes downstream."""
    setup = start(brief)
    persona = persona_view(brief.persona) or primary_persona(brief)
    pains = [lower_first(p) for p in persona.pains if setup.clean(p)]
    desires = [lower_first(d) for d in persona.desires if setup.clean(d)]
    features = [lower_first(f) for f in persona.features] or [setup.base["feature"]]
    pain = pains[0] if pains else "the everyday frustration the product removes"
    desire = desires[0] if desires else "something that simply works"
    text = (
        f"Choosing {persona.name} ({persona.age}) steers everything that follows. "
        f"Angles will lead with {pain} and promise {desire}, and scripts will put "
        f"{features[0]} up front in a {_register(persona.age)} voice. "
        f"Visuals will show {someone(persona.gender, persona.age)} with {setup.facts.short} "
        f"in a real, everyday moment."
    )
    if len(text) > 600:
        text = text[:597].rsplit(" ", 1)[0] + "…"
    return PersonaImpact(explanation=text)


def primary_persona(brief: CreativeBrief) -> PersonaView:
    """The primary persona of this brief, for steps called before any persona was chosen."""
    draft = write_personas(brief.model_copy(update={"task": "personas"})).personas[0]
    return PersonaView(
        name=draft.name,
        age=draft.age_range,
        gender=draft.gender,
        pains=tuple(draft.pain_points),
        desires=tuple(draft.desires),
        features=tuple(draft.features),
    )
