"""Marketing angles: two or three ways to frame the product for the chosen persona.

Each angle template carries the metric centres it tends to earn (a comparison angle is strong on
proof, an aspiration angle on emotion); a stable jitter keyed by product, persona and angle keeps
scores varied but repeatable. Angles are sorted best first, the way the guide lists them.
"""

from __future__ import annotations

from tools.creative._context import (
    PersonaView,
    Setup,
    fill,
    needs_met,
    persona_context,
    persona_view,
    start,
)
from tools.creative._hashing import pick, score, shuffled
from tools.creative._lexicon import AngleTemplate
from tools.creative._personas import primary_persona
from tools.creative._steer import Steer, punch, read_steer
from tools.creative._text import lower_first, sentence, title_case
from tools.creative.models import AngleDraft, AngleMetrics, AngleSet, CreativeBrief

__all__ = ["chosen_persona", "write_angles"]


def chosen_persona(brief: CreativeBrief) -> PersonaView:
    """The persona the brief carries, or the brief's own primary persona when it has none."""
    return persona_view(brief.persona) or primary_persona(brief)


def _persona_angle(setup: Setup, persona: PersonaView) -> AngleTemplate | None:
    """An angle built on the persona's own goal, so two personas never get the same set."""
    desires = [d for d in persona.desires if setup.clean(d) and len(d.split()) <= 6]
    if not desires:
        return None
    desire = pick(desires, *setup.seed, persona.name, "persona-angle")
    return AngleTemplate(
        title_case(desire),
        f"Lead with what {{persona}} want most, {lower_first(desire)}, and show {{feature}} "
        "delivering it on screen.",
        "It speaks to this persona's own goal, so the ad reads as written for them. Showing "
        "the feature keeps the promise concrete.",
        (8.6, 8.3, 8.8),
    )


def _focus_angle(focus: str) -> AngleTemplate:
    """The angle a marketer's focus asks for ("tax season stress")."""
    return AngleTemplate(
        f"{title_case(focus)}, Sorted",
        f"Open on {focus}, the moment {{persona}} feel it most, then show {{feature}} taking "
        "it off their plate.",
        "It answers the focus you asked for with something the product can show on screen. "
        "A named moment makes the problem instantly recognisable.",
        (8.9, 8.4, 8.7),
    )


def write_angles(brief: CreativeBrief) -> AngleSet:
    """Write three angles for the product and persona, best first.

    One angle comes from the persona's own goal; a free-text note (``brief.hint``) adds an angle
    built on its focus, puts the focus in place of the persona's pain everywhere, and (when it
    asks for punchy copy) keeps descriptions to their first sentence.
    """
    setup = start(brief)
    persona = chosen_persona(brief)
    steer = read_steer(brief.hint, brief.product.category)
    templates = [t for t in setup.vocab.angles if needs_met(setup, t.needs)]
    own = [a for a in (_persona_angle(setup, persona),) if a is not None]
    lead = [_focus_angle(steer.focus)] if steer and steer.focus else []
    hint_key = steer.note if steer else ""
    pool = shuffled(templates, *setup.seed, persona.name, hint_key, "angles")
    chosen = [*lead, *own, *pool][:3]
    drafts: list[AngleDraft] = []
    for template in chosen:
        context = persona_context(setup, persona, template.title, prefer=template.needs)
        if steer and steer.focus:
            context["pain"] = steer.focus
        title = fill(template.title, context)
        key = (*setup.seed, persona.name, title)
        emotion, proof, difference = template.bias
        proof += 0.3 if setup.found & {"proof", "price"} else -0.2
        drafts.append(
            AngleDraft(
                title=title,
                description=_shape(sentence(fill(template.description, context)), steer),
                metrics=AngleMetrics(
                    emotion=score(emotion, *key, "emotion", spread=0.4),
                    proof=score(proof, *key, "proof", spread=0.4),
                    differentiation=score(difference, *key, "difference", spread=0.4),
                ),
                reason=fill(template.reason, context),
            )
        )
    drafts.sort(key=lambda d: -d.score)
    best = drafts[0]
    reasoning = [
        f"{best.title} leads at {best.score:.1f} for {persona.name}: it has the strongest mix "
        f"of emotion, proof and differentiation.",
        f"Every angle is anchored in what {setup.facts.short} can show on screen, like "
        f"{setup.base['feature']} and {setup.base['feature2']}.",
    ]
    if steer:
        reasoning.insert(0, steer.explain("the angles"))
    return AngleSet(angles=drafts, reasoning=reasoning)


def _shape(description: str, steer: Steer | None) -> str:
    return punch(description) if steer and steer.punchy else description
