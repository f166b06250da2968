"""The three proposal steps as one function: brief → validated drafts → the guide's wire objects.

The workflow's nodes and the server's session-less ``/api/*/generate`` routes both run these
steps; keeping the schema, the list field and the wire mapping in one table means they cannot
drift apart. Every option passes the copy gate (``tools.compliance``) here, once for every model:
blocked copy is sent back to the model once with the findings, and each option leaves carrying
its ``compliance`` object, so what is still blocked is shown with its findings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel

from graph.context import default_placements
from graph.structured import generate_structured
from tools.compliance import CardKind, attach, blocked, parse_placements, review_findings
from tools.creative.models import (
    AngleSet,
    ConceptSet,
    CreativeBrief,
    PersonaSet,
    angle_to_wire,
    concept_to_wire,
    persona_to_wire,
)

__all__ = ["Proposal", "ProposalTask", "propose"]

ProposalTask = Literal["personas", "angles", "concepts"]


@dataclass(frozen=True, slots=True)
class _Step:
    schema: type[BaseModel]
    to_wire: Callable[[Any, int], dict[str, Any]]
    kind: CardKind


_STEPS: dict[str, _Step] = {
    "personas": _Step(PersonaSet, persona_to_wire, "persona"),
    "angles": _Step(AngleSet, angle_to_wire, "angle"),
    "concepts": _Step(ConceptSet, concept_to_wire, "concept"),
}


@dataclass(frozen=True, slots=True)
class Proposal:
    """The options a step offers, in wire form, and the model's reasons for them."""

    options: list[dict[str, Any]]
    reasoning: list[str]


async def propose(
    model: BaseChatModel, brief: CreativeBrief, *, placements: str | None = None
) -> Proposal:
    """Generate, gate and convert the options of ``brief.task`` (personas, angles or concepts)."""
    step = _STEPS[brief.task]
    checked = parse_placements(placements if placements is not None else default_placements())
    product = brief.product

    def wire(drafts: BaseModel) -> list[dict[str, Any]]:
        return [step.to_wire(d, i) for i, d in enumerate(getattr(drafts, brief.task))]

    def policy_problems(drafts: BaseModel) -> list[str]:
        return [
            f"{brief.task}[{i}].{finding.describe()}"
            for i, card in enumerate(wire(drafts))
            for finding in blocked(
                review_findings(
                    step.kind,
                    card,
                    product=product.name,
                    category=product.category,
                    placements=checked,
                )
            )
        ]

    drafts = await generate_structured(model, step.schema, brief, review=policy_problems)
    options = [
        attach(step.kind, card, product=product.name, category=product.category, placements=checked)
        for card in wire(drafts)
    ]
    return Proposal(options=options, reasoning=list(getattr(drafts, "reasoning", [])))
