"""The offline creative engine: complete, product-specific marketing content with no model.

With no model API key, AdForge still has to write every step of the workflow. This engine reads
the same ``CreativeBrief`` a real model would and returns the same draft models, so the graph
treats it as just another model (named ``OFFLINE_MODEL_NAME`` wherever output is labelled).

It is deterministic by construction: no clock, no network, no unseeded randomness; every choice
is keyed by SHA-256 of the brief's product name, task and hint (see ``_hashing``), so a replayed
graph node writes exactly what it wrote the first time. Every sentence it can produce passes
``tools.copy_checks.compliance_issues``; the tests check that over all demo products.
"""

from __future__ import annotations

from collections.abc import Callable

from tools.creative._angles import write_angles
from tools.creative._concepts import write_concepts
from tools.creative._copy import write_ad_concept
from tools.creative._personas import write_persona_impact, write_personas
from tools.creative.models import (
    AdConceptDraft,
    AngleSet,
    ConceptSet,
    CreativeBrief,
    CreativeTask,
    PersonaImpact,
    PersonaSet,
)

__all__ = [
    "OFFLINE_MODEL_NAME",
    "Draft",
    "generate",
    "write_ad_concept",
    "write_angles",
    "write_concepts",
    "write_persona_impact",
    "write_personas",
]

OFFLINE_MODEL_NAME: str = "adforge-creative-1"
"""The name the offline engine reports as its model, so surfaces can label its output."""

Draft = PersonaSet | PersonaImpact | AngleSet | ConceptSet | AdConceptDraft
"""Any content the engine writes: one draft model per creative task."""

_WRITERS: dict[CreativeTask, Callable[[CreativeBrief], Draft]] = {
    "personas": write_personas,
    "persona_impact": write_persona_impact,
    "angles": write_angles,
    "concepts": write_concepts,
    "ad_concept": write_ad_concept,
}


def generate(brief: CreativeBrief) -> Draft:
    """Write the content ``brief.task`` asks for.

    Raises:
        ValueError: for a task this engine does not know (the model's ``Literal`` prevents it
            unless the brief was built with ``model_construct``).
    """
    writer = _WRITERS.get(brief.task)
    if writer is None:
        raise ValueError(f"unknown creative task {brief.task!r}")
    return writer(brief)
