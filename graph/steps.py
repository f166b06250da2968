"""The three proposal steps as one function: brief → validated drafts → the guide's wire objects.

The workflow's nodes and the server's session-less ``/api/*/generate`` routes both run these
steps; keeping the schema, the list field and the wire mapping in one table means they cannot
drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel

from graph.structured import generate_structured
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


_STEPS: dict[str, _Step] = {
    "personas": _Step(PersonaSet, persona_to_wire),
    "angles": _Step(AngleSet, angle_to_wire),
    "concepts": _Step(ConceptSet, concept_to_wire),
}


@dataclass(frozen=True, slots=True)
class Proposal:
    """The options a step offers, in wire form, and the model's reasons for them."""

    options: list[dict[str, Any]]
    reasoning: list[str]


async def propose(model: BaseChatModel, brief: CreativeBrief) -> Proposal:
    """Generate, validate and convert the options of ``brief.task`` (personas, angles or concepts)."""
    step = _STEPS[brief.task]
    drafts = await generate_structured(model, step.schema, brief)
    items = getattr(drafts, brief.task)
    return Proposal(
        options=[step.to_wire(draft, i) for i, draft in enumerate(items)],
        reasoning=list(getattr(drafts, "reasoning", [])),
    )
