"""Marketing angles: two or three ways to frame the product for the chosen persona.

Each angle template carries the metric centres it tends to earn (a comparison angle is strong on
proof, an aspiration angle on emotion); a stable jitter keyed by product, persona and angle keeps
scores varied but repeatable. Angles are sorted best first, the way the guide lists them.
"""

from __future__ import annotations

from tools.creative._context import (
    PersonaView,
    fill,
    needs_met,
    persona_context,
    persona_view,
    start,
)
from tools.creative._hashing import score, shuffled
from tools.creative._personas import primary_persona
from tools.creative._text import sentence
from tools.creative.models import AngleDraft, AngleMetrics, AngleSet, CreativeBrief

__all__ = ["chosen_persona", "write_angles"]


def chosen_persona(brief: CreativeBrief) -> PersonaView:
    """The persona the brief carries, or the brief's own primary persona when it has none."""
    return persona_view(brief.persona) or primary_persona(brief)


def write_angles(brief: CreativeBrief) -> AngleSet:
    """Write three angles for the product and persona, best first."""
    setup = start(brief)
    persona = chosen_persona(brief)
    templates = [t for t in setup.vocab.angles if needs_met(setup, t.needs)]
    chosen = shuffled(templates, *setup.seed, persona.name, "angles")[:3]
    drafts: list[AngleDraft] = []
    for template in chosen:
        context = persona_context(setup, persona, template.title, prefer=template.needs)
        title = fill(template.title, context)
        key = (*setup.seed, persona.name, title)
        emotion, proof, difference = template.bias
        proof += 0.3 if setup.found & {"proof", "price"} else -0.2
        drafts.append(
            AngleDraft(
                title=title,
                description=sentence(fill(template.description, context)),
                metrics=AngleMetrics(
                    emotion=score(emotion, *key, "emotion", spread=0.4),
                    proof=score(proof, *key, "proof", spread=0.4),
                    differentiation=score(difference, *key, "difference", spread=0.4),
                ),
                reason=fill(template.reason, context),
            )
        )
    drafts.sort(key=lambda d: -d.score)
    lead = drafts[0]
    reasoning = [
        f"{lead.title} leads at {lead.score:.1f} for {persona.name}: it has the strongest mix "
        f"of emotion, proof and differentiation.",
        f"Every angle is anchored in what {setup.facts.short} can show on screen, like "
        f"{setup.base['feature']} and {setup.base['feature2']}.",
    ]
    return AngleSet(angles=drafts, reasoning=reasoning)
