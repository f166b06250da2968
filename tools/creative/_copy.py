"""The static ad concept: headline, 45–80 words of primary text, a CTA and image prompts.

This is what the ChatKit assistant presents and saves. The first sentence is written to stand
alone, because Meta shows only about 125 characters before "See more"; the word budget is met by
adding optional sentences in priority order rather than by cutting sentences in half.
"""

from __future__ import annotations

import re

from tools.creative._angles import chosen_persona
from tools.creative._context import (
    Setup,
    angle_focus,
    angle_view,
    fill,
    persona_context,
    start,
)
from tools.creative._hashing import pick, stable_int
from tools.creative._text import (
    clean_phrase,
    fit_words,
    lower_first,
    sentence,
    split_sentences,
    title_case,
    upper_first,
    word_count,
)
from tools.creative._tones import Revision, Tone, parse_revision, resolve_tone
from tools.creative.models import (
    AD_PRIMARY_TEXT_WORDS,
    HEADLINE_MAX_CHARS,
    AdConceptDraft,
    CreativeBrief,
)

__all__ = ["write_ad_concept"]

_TARGETS = {"short": 50, "long": 78, None: 64}
_SHORT_HEADLINE = 28


def _outcome_title(outcome: str) -> str:
    bare = re.sub(r"^(?:a|an|the)\s+", "", outcome, flags=re.IGNORECASE).replace(",", "")
    return title_case(bare)


def _pitch(setup: Setup) -> str | None:
    """The user's pitch trimmed to one clean clause, or ``None`` when there is no usable one."""
    raw = clean_phrase(setup.brief.pitch or "")
    if raw and setup.clean(raw):
        first = split_sentences(raw)[0].rstrip(".!")
        if word_count(first) > 30:
            first = re.split(r"[,;:–—]", first)[0]
        if 1 <= word_count(first) <= 30:
            return lower_first(clean_phrase(first))
    return None


def _style(setup: Setup) -> str:
    """The marketer's style for the image prompts, or the category's when it is unusable."""
    style = clean_phrase(setup.brief.style or "")
    if not style or not setup.clean(style) or word_count(style) > 8:
        return setup.vocab.style
    return lower_first(style)


def _headline(
    setup: Setup, tone: Tone, ctx: dict[str, str], pitch: str | None, revision: Revision | None
) -> str:
    """Pick a headline that fits the limit; a revision that asks for one gets a different one."""
    candidates = [fill(h, ctx) for h in tone.headlines]
    if pitch and word_count(pitch) <= 6:
        candidates.insert(0, title_case(pitch))
    plain = [c for c in candidates if 3 <= len(c) <= HEADLINE_MAX_CHARS]
    named = [n for n in (f"Meet {ctx['short']}", ctx["short"]) if 3 <= len(n) <= HEADLINE_MAX_CHARS]
    usual = pick(plain or named or ["Try It Today"], *setup.seed, tone.key, "headline")
    if revision and revision.shorter_headline:
        shorter = [c for c in plain + named if len(c) < len(usual) and len(c) <= _SHORT_HEADLINE]
        return max(shorter, key=lambda c: (len(c), c)) if shorter else "Try It Today"
    others = [c for c in dict.fromkeys(plain + named) if c != usual]
    if revision and revision.new_headline and others:
        return others[(revision.count("headline") - 1) % len(others)]
    return usual


_VENUE = re.compile(
    r"\b(?:caf[eé]s?|coffee\s+shop|restaurant|bistro|bakery|bar|pub|salon|studio|gym|clinic"
    r"|spa|boutique|shop\s+on|store\s+on)\b",
    re.IGNORECASE,
)
_VENUE_CTAS = ("Visit Today", "Find Us", "Stop By This Week")


def _cta(setup: Setup, revision: Revision | None) -> str:
    """The category's CTA button; a request for a new CTA moves to the next one.

    A place people visit (a café, a salon) gets visit CTAs: nobody "shops now" for a latte.
    """
    product = setup.brief.product
    venue = _VENUE.search(f"{product.name} {product.category} {product.description}")
    options = _VENUE_CTAS if venue else setup.vocab.ctas
    usual = pick(options, *setup.seed, "cta")
    if revision and revision.new_cta:
        return options[(options.index(usual) + 1) % len(options)]
    return usual


def _primary_text(
    setup: Setup, tone: Tone, ctx: dict[str, str], pitch: str | None, revision: Revision | None
) -> str:
    """Hook, pitch (the user's, or what the product is), then proof sentences up to the budget."""
    turn = revision.count("body") if revision else 0
    start_at = stable_int(*setup.seed, tone.key, "hook")
    template = tone.hooks[(start_at + turn) % len(tone.hooks)]
    hook = sentence(fill(template, ctx))
    pitch_line = sentence(f"{tone.lead}: {pitch}") if pitch else ctx["mechanism"]
    closer = sentence(fill(tone.closer, ctx))
    features = (ctx["feature"], ctx["feature2"], ctx["feature3"])
    fragments = list(dict.fromkeys(sentence(upper_first(f)) for f in features))
    fragments = [f for f in fragments if f.rstrip(".").lower() != (pitch or "").lower()]
    if not setup.brief.product.benefits:  # clause features repeat the mechanism sentence
        said = ctx["mechanism"].lower()
        fragments = [f for f in fragments if f.rstrip(".").lower() not in said]
    moment = [] if "{moment}" in template else [sentence(fill(tone.moment, ctx))]
    repeats_pitch = bool(pitch) and (pitch or "").lower() in ctx["mechanism"].lower()
    optional = [*([ctx["mechanism"]] if pitch and not repeats_pitch else []), *fragments, *moment]
    emphasis = revision.emphasis if revision and not revision.price else None
    if emphasis and setup.clean(emphasis):
        optional.insert(0, sentence(f"It's all about {lower_first(emphasis)}"))
    if revision and revision.price and ctx["price"]:
        optional.insert(0, sentence(f"All for {ctx['price']}"))
    low, high = AD_PRIMARY_TEXT_WORDS
    target = _TARGETS[revision.length if revision else None]
    required = [hook, pitch_line, closer]
    text = fit_words(required, optional, low, high, target)
    if word_count(text) < low:
        text = fit_words(required, optional + _fillers(ctx, bool(moment)), low, high, high)
    return text


def _fillers(ctx: dict[str, str], moment_used: bool) -> list[str]:
    """Generic but true sentences for a product we know almost nothing about.

    A typed product can be a bare name; these keep the copy inside the 45-word floor without
    inventing a single claim about it.
    """
    return [
        ctx["mechanism"],
        sentence(f"{ctx['outcome_cap']}, made easy"),
        sentence(f"See what makes {ctx['short']} worth a try"),
        *([] if moment_used else [sentence(f"Made for {ctx['moment']}")]),
        "No fuss, no learning curve, just the good part.",
        "Small details, done properly, every single time.",
        "It fits into the day you already have.",
        "Try it once and judge it for yourself.",
    ]


def _image_prompts(
    setup: Setup, tone: Tone, ctx: dict[str, str], revision: Revision | None
) -> list[str]:
    """Hero, lifestyle, detail and flat-lay prompts in the brief's style and the tone's mood."""
    scenes = setup.vocab.scenes
    style = _style(setup)
    mood = ", ".join([tone.mood, *(revision.image_words if revision else ())])
    product = f"{setup.facts.name} ({ctx['noun']})"
    return [
        sentence(
            f"Product photograph of {product}: {fill(scenes.hero, ctx)}; {style} style, "
            f"{scenes.palette} palette, {mood} mood, clean negative space at the top for the "
            f"headline, no added text"
        ),
        sentence(
            f"Lifestyle image: {fill(scenes.lifestyle, ctx)}; {style} style, candid and natural, "
            f"{mood} mood, {scenes.palette} tones, 4:5 framing"
        ),
        sentence(
            f"Close-up detail shot: {fill(scenes.detail, ctx)}; {style} style, shallow depth of "
            f"field, {mood} mood"
        ),
        sentence(
            f"Overhead flat lay: {fill(scenes.flatlay, ctx)}; {style} styling, {scenes.palette} "
            f"palette, space on one side for the call to action"
        ),
    ]


def write_ad_concept(brief: CreativeBrief) -> AdConceptDraft:
    """Write a static ad concept from the brief's style, tone, pitch and optional revision."""
    setup = start(brief)
    revision = parse_revision(brief.revision)
    tone = revision.tone if revision and revision.tone else resolve_tone(brief.tone)
    angle = angle_view(brief.angle)
    prefer = angle_focus(angle) if angle else None
    ctx = persona_context(setup, chosen_persona(brief), "ad_concept", prefer=prefer)
    cta = _cta(setup, revision)
    ctx.update(
        cta=cta,
        outcome_cap=upper_first(ctx["outcome"]),
        Outcome=_outcome_title(ctx["outcome"]),
        Noun=title_case(ctx["noun"]),
    )
    if revision and revision.emphasis:
        stems = [re.escape(w[:5]) for w in revision.emphasis.lower().split() if len(w) > 3]
        features = [ctx["feature"], ctx["feature2"], ctx["feature3"]]
        if stems:
            features.sort(key=lambda f: re.search("|".join(stems), f, re.IGNORECASE) is None)
        ctx.update(feature=features[0], feature2=features[1], feature3=features[2])
    pitch = _pitch(setup)
    return AdConceptDraft(
        headline=_headline(setup, tone, ctx, pitch, revision),
        primary_text=_primary_text(setup, tone, ctx, pitch, revision),
        call_to_action=cta,
        image_prompts=_image_prompts(setup, tone, ctx, revision),
    )
