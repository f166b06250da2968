"""Psychology-based video concepts: a principle, a hook, a 15–30 second script and a shot plan.

Every script has the shape the guide's script modal expects: a hook that stands alone in the
first three seconds, two or three body beats, and a call to action. Scripts are spoken by a
presenter about the product, never as a first-person customer story: an AI avatar saying "I used
this for three weeks" is a fake testimonial under the FTC's 2024 rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.catalog import find_format
from tools.creative._angles import chosen_persona, write_angles
from tools.creative._context import (
    AngleView,
    Setup,
    angle_focus,
    angle_view,
    fill,
    persona_context,
    start,
)
from tools.creative._hashing import pick, score, shuffled
from tools.creative._steer import read_steer
from tools.creative._text import lower_first, sentence, upper_first, word_count
from tools.creative.models import (
    ConceptDraft,
    ConceptMetrics,
    ConceptSet,
    CreativeBrief,
    angle_to_wire,
)

__all__ = ["write_concepts"]

_OPTIONAL_KEYS = ("price", "yield", "duration", "weight", "proof")


@dataclass(frozen=True, slots=True)
class Principle:
    """A persuasion principle and the script parts that put it to work."""

    title: str
    group: str
    description: str
    hooks: tuple[str, ...]
    beats: tuple[str, ...]
    cta: str
    visual: str
    still: str
    bias: tuple[float, float, float, float]
    needs: str | None = None


PRINCIPLES: tuple[Principle, ...] = (
    Principle(
        "Loss Aversion",
        "emotion",
        'Frames the "{angle}" angle as what {persona} lose by waiting: people weigh a loss about '
        "twice as heavily as an equal gain, so the cost of {pain} does the persuading.",
        (
            "Every week spent putting up with {pain} is a week you won't get back.",
            "Putting up with {pain} costs more than it seems.",
        ),
        (
            "Most people just accept it. They don't have to.",
            "{mechanism}",
            "{Feature}. {Feature2}.",
        ),
        "{Action} with {short} before another week slips by.",
        "open on a tight, slightly desaturated shot of the everyday frustration, snap to full "
        "colour the moment {short} appears, then cut between the presenter and close-ups of "
        "{feature}",
        "a split layout: a desaturated everyday-frustration scene on one side, {hero} in full "
        "colour on the other, {feature} as the one call-out",
        (9.0, 8.4, 7.4, 8.0),
    ),
    Principle(
        "Social Proof",
        "trust",
        "Shows {persona} that people like them have already moved on from {pain}; seeing peers "
        'choose {short} lowers the risk of trying it and supports the "{angle}" angle.',
        (
            "People are quietly changing how they think about {topic}.",
            "Here's what people notice first about {short}.",
        ),
        ("They're done with {pain}.", "{mechanism}", "What stands out: {feature} and {feature2}."),
        "{Action} with {short} and see what the switch feels like.",
        "build a quick montage of real, consented customer clips in everyday settings, cut to the "
        "presenter on the key line and caption each beat; no scripted testimonials from avatars",
        "real, consented customer photos arranged around {hero}, each with a short caption; no "
        "fabricated reviews or avatar faces",
        (8.2, 8.0, 8.6, 8.3),
    ),
    Principle(
        "Aspiration",
        "emotion",
        "Paints the life {persona} want, {desire}, and makes {short} the bridge to it; the "
        '"{angle}" angle gives the picture its proof.',
        ("Imagine {desire}, without {pain}.", "Picture {outcome}, week after week."),
        ("That's the idea behind {short}.", "{mechanism}", "{Feature}. Made for {moment}."),
        "{Action} with {short} today.",
        "golden, airy lifestyle footage of {someone} during {moment}, the presenter speaking "
        "warmly to camera, with product B-roll on {feature} and a clean end card",
        "a golden, airy lifestyle photo of {someone} during {moment}, {hero} in view",
        (8.6, 7.6, 7.8, 8.1),
    ),
    Principle(
        "Curiosity Gap",
        "emotion",
        "Opens a question {persona} want closed, what makes this {noun} different, and lands "
        'the "{angle}" angle with the reveal: {feature}.',
        (
            "Most {nouns} get one thing wrong, and it's not what you'd expect.",
            "The part nobody mentions about {topic} comes down to one detail.",
        ),
        ("The answer: {feature}.", "{mechanism}", "Add {feature2}, and the routine gets easier."),
        "{Action} with {short} and see it for yourself.",
        "start on an extreme close-up that hides the product, hold the reveal until the "
        "presenter names {feature}, then pull back to {hero}",
        "a tight crop that keeps {hero} half out of frame, {feature} as the single call-out",
        (9.2, 7.9, 7.6, 7.7),
    ),
    Principle(
        "Authority",
        "trust",
        "Earns trust through specifics rather than endorsements: the presenter walks {persona} "
        'through exactly what is in {short} and why it matters for the "{angle}" angle.',
        (
            "Here's exactly what is inside {short}, and why it matters.",
            "Read the label before you buy any {noun}. Here's what to look for.",
        ),
        ("First, {feature}.", "Second, {feature2}.", "{mechanism}"),
        "Check the details, then {action} with {short}.",
        "presenter at a clean desk with {hero} in frame, on-screen call-outs for each feature "
        "as it is named; no white coats or implied endorsements",
        "{hero} centred on a clean surface with labelled call-outs for {feature} and {feature2}; "
        "no white coats or implied endorsements",
        (7.8, 8.8, 9.0, 7.9),
    ),
    Principle(
        "Reciprocity",
        "trust",
        "Gives {persona} something useful first, a practical tip, so the pitch for {short} "
        'arrives as a favour returned; the "{angle}" angle follows naturally.',
        ("Free tip before you buy another {noun}: {tip}.",),
        ("It makes a real difference, whatever you use.", "{mechanism}", "{Feature}."),
        "Save this tip, then {action} with {short}.",
        "a hands-on demo of the tip in a real {setting}, filmed top-down, then the presenter "
        "{handles} and shows {feature} in one continuous shot",
        "the tip as a three-step visual checklist beside {hero}",
        (8.1, 8.2, 8.8, 8.4),
    ),
    Principle(
        "Anchoring",
        "trust",
        "Sets the reference point before the price: {persona} weigh {price} against the real cost "
        'of {pain}, and the "{angle}" angle reframes the value.',
        ("Here's what {price} gets you with {short}.", "{price} for {yield}. Do the maths."),
        ("Now compare that with {pain}.", "{mechanism}", "{Feature}. {Feature2}."),
        "{Action} with {short} for {price}.",
        "split screen with the everyday alternative on the left and {short} on the right, the "
        "price as a clean on-screen number while the presenter does the maths in one line",
        "a side-by-side comparison: the everyday alternative on the left, {hero} on the right, "
        "the price as a clean number",
        (8.4, 8.6, 8.5, 8.7),
        "@price",
    ),
    Principle(
        "Social Identity",
        "emotion",
        "Makes {short} feel made for {persona} specifically, so choosing it expresses who they "
        'are; the "{angle}" angle supplies the reason.',
        ("Made for people who want {desire}.", "This one's for anyone done with {pain}."),
        (
            "No compromises, no extra steps.",
            "{mechanism}",
            "{Feature}, {feature2} and nothing you don't need.",
        ),
        "{Action} with {short}, made for people like you.",
        "fast cuts of {someone} going about the day during {moment}, the presenter delivering the "
        "lines like a friend, key words captioned",
        "a candid photo of {someone} during {moment}, {hero} in view, one line of on-image copy",
        (8.5, 7.8, 8.1, 8.0),
    ),
)


def _usable(setup: Setup, template: str) -> bool:
    """A template naming an optional fact (price, yield…) is only usable if the product has it."""
    named = set(re.findall(r"{(\w+)}", template))
    return all(key in setup.found for key in named.intersection(_OPTIONAL_KEYS))


def _choose(setup: Setup, key: tuple[str, ...]) -> list[Principle]:
    """One emotional principle, one trust principle, then the best remaining one."""
    eligible = [p for p in PRINCIPLES if p.needs is None or p.needs[1:] in setup.found]
    order = shuffled(eligible, *key, "principles")
    first = next(p for p in order if p.group == "emotion")
    second = next(p for p in order if p.group == "trust")
    third = next(p for p in order if p not in (first, second))
    return [first, second, third]


_PADDING = (
    "Made for {moment}.",
    "It fits into the day you already have.",
    "Try it once and judge it for yourself.",
)


def _script(hook: str, beats: list[str], cta: str, ctx: dict[str, str]) -> str:
    """Hook, beats, CTA, kept inside the 30–120 word window a 15–30 second read allows.

    Long beats are dropped from the end (the hook and CTA always stay); a product we know
    little about gets neutral padding beats rather than invented claims.
    """
    parts = [hook, *beats]
    while word_count(" ".join([*parts, cta])) > 110 and len(parts) > 3:
        parts.pop()
    for pad in _PADDING:
        if word_count(" ".join([*parts, cta])) >= 30:
            break
        parts.append(fill(pad, ctx))
    return " ".join([*parts, cta])


def _angle(brief: CreativeBrief) -> AngleView:
    view = angle_view(brief.angle)
    if view:
        return view
    first = write_angles(brief.model_copy(update={"task": "angles"})).angles[0]
    fallback = angle_view(angle_to_wire(first, 0))
    assert fallback is not None  # a drafted angle always has a title
    return fallback


def _physical_words(setup: Setup) -> dict[str, str]:
    """How shots show the product: software is a screen, never a packshot or "picks up"."""
    short = setup.facts.short
    if setup.vocab.key == "software":
        return {
            "hero": f"the {short} screen on a laptop",
            "handles": f"opens {short} on a laptop",
            "setting": "office",
            "ending": f"end on the {short} screen with the CTA as on-screen text inside the 9:16 "
            "safe zone",
        }
    return {
        "hero": f"a packshot of {short}",
        "handles": f"picks up {short}",
        "setting": "home setting",
        "ending": f"end on a packshot of {short} with the CTA as on-screen text inside the 9:16 "
        "safe zone",
    }


def _mechanism_beat(setup: Setup, ctx: dict[str, str], used: bool) -> str:
    """The product in one line, once per set and in the script's own words.

    Never the description verbatim; later scripts drop it (their feature beats carry it).
    """
    if used or not setup.facts.mechanism:
        return ""
    noun = setup.facts.noun or setup.vocab.noun
    return f"{setup.facts.short} is a {noun} made for {ctx['persona']}."


def write_concepts(brief: CreativeBrief) -> ConceptSet:
    """Write three concepts for the product, persona and angle, each with a full script.

    Image sessions get image directions (a still layout), video sessions shot plans; a
    free-text note puts its focus in place of the persona's pain and, when punchy, keeps the
    script to hook, one beat and the CTA.
    """
    setup = start(brief)
    persona = chosen_persona(brief)
    angle = _angle(brief)
    steer = read_steer(brief.hint, brief.product.category)
    key = (*setup.seed, persona.name, angle.title)
    fmt = find_format(brief.format)
    shot = fmt.description.rstrip(".") if fmt else brief.format
    still = brief.media_type == "image"
    words = _physical_words(setup)
    moment = fill(pick(setup.vocab.moments, *setup.seed, persona.name, "moment"), setup.base)
    drafts: list[ConceptDraft] = []
    for index, principle in enumerate(_choose(setup, key)):
        ctx = persona_context(setup, persona, principle.title, prefer=angle_focus(angle))
        ctx.update(words, moment=moment)
        if steer and steer.focus:
            ctx["pain"] = steer.focus
        ctx.update(
            angle=angle.title if setup.clean(angle.title) else "selected",
            Feature=upper_first(ctx["feature"]),
            Feature2=upper_first(ctx["feature2"]),
            Action=upper_first(ctx["action"]),
            mechanism=_mechanism_beat(setup, ctx, used=index > 0),
        )
        hooks = [h for h in principle.hooks if _usable(setup, h)] or [principle.hooks[0]]
        if steer and steer.punchy:
            hooks = [min(hooks, key=len)]
        hook = sentence(fill(pick(hooks, *key, principle.title, "hook"), ctx))
        beats = [sentence(fill(b, ctx)) for b in principle.beats if fill(b, ctx).strip()]
        if steer and steer.punchy:
            beats = beats[:2]
        cta = sentence(fill(principle.cta, ctx))
        plan = fill(principle.still if still else principle.visual, ctx)
        medium = "Static image" if still else f"{brief.format}: {lower_first(shot)}"
        ending = "headline and CTA inside the safe zone" if still else words["ending"]
        proof_bonus = 0.3 if setup.found & {"proof", "price"} else 0.0
        h, m, b, c = principle.bias
        drafts.append(
            ConceptDraft(
                title=principle.title,
                description=fill(principle.description, ctx),
                hook=hook,
                full_script=_script(hook, beats, cta, ctx),
                call_to_action=cta.rstrip("."),
                visual_direction=sentence(f"{medium}; {plan}; {ending}"),
                metrics=ConceptMetrics(
                    hook=score(h, *key, principle.title, "hook", spread=0.5),
                    mechanism=score(m, *key, principle.title, "mechanism", spread=0.5),
                    believability=score(b + proof_bonus, *key, principle.title, "believe"),
                    cta=score(c, *key, principle.title, "cta", spread=0.5),
                ),
            )
        )
    drafts.sort(key=lambda d: -d.score)
    reasoning = [
        f"{drafts[0].title} leads for {persona.name} with the strongest hook-to-CTA balance "
        f'on the "{angle.title}" angle.',
        "Each script opens with a hook that works in the first three seconds, then proves it "
        f"with what {setup.facts.short} actually offers.",
    ]
    if steer:
        reasoning.insert(0, steer.explain("the scripts"))
    return ConceptSet(concepts=drafts, reasoning=reasoning)
