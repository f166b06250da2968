"""Workflow nodes that write creative: personas, the persona impact, angles and concepts.

None of them interrupts, so a resumed run never re-executes them; only a crash inside one does, and
then it rewrites the same positional ids and the server's event ids absorb the repeat.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from graph.context import Context
from graph.nodes._common import brief_for, context_of, generation_info, model_for
from graph.progress import report_status
from graph.state import WorkflowState
from graph.steps import propose
from graph.structured import generate_structured
from tools.catalog import find_product
from tools.creative.models import PersonaImpact, ProductInfo

__all__ = [
    "UnknownProductError",
    "explain_persona_impact",
    "propose_angles",
    "propose_concepts",
    "propose_personas",
    "resolve_product",
]


class UnknownProductError(ValueError):
    """The workflow was started with a product id that is not in the catalog."""


def resolve_product(state: WorkflowState) -> dict[str, Any]:
    """Turn the input's product id or inline product into the full product record."""
    inline = state.get("product")
    if inline and inline.get("name"):
        product = ProductInfo.model_validate(inline)
    elif (product_id := state.get("product_id")) is not None:
        found = find_product(product_id)
        if found is None:
            raise UnknownProductError(f"no product with id {product_id!r} in the catalog")
        product = found
    else:
        raise UnknownProductError("start the workflow with a product_id or a product {name, ...}")
    return {
        "product": product.model_dump(mode="json", by_alias=True),
        "format": state.get("format") or "Hybrid Format",
        "media_type": state.get("media_type") or "video",
        "step": "starting",
    }


async def propose_personas(state: WorkflowState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Four audience personas, steered by the marketer's free-text hint when there is one."""
    report_status("Analyzing market trends and competitor keywords...", step="persona_selection")
    brief = brief_for(state, "personas", hint=state.get("audience_hint"))
    proposal = await propose(model_for(runtime), brief, placements=context_of(runtime).placements)
    report_status("Audience analysis completed", "completed", step="persona_selection")
    return {
        "personas": proposal.options,
        "selected_persona": None,
        "step": "persona_selection",
        "reasoning": {"personas": proposal.reasoning},
        "generation": {"personas": generation_info(runtime)},
    }


async def explain_persona_impact(state: WorkflowState, runtime: Runtime[Context]) -> dict[str, Any]:
    """A short note on what the chosen persona changes for the rest of the ad."""
    brief = brief_for(state, "persona_impact")
    impact = await generate_structured(model_for(runtime), PersonaImpact, brief)
    return {
        "persona_impact": impact.explanation,
        "generation": {"persona_impact": generation_info(runtime)},
    }


async def propose_angles(state: WorkflowState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Two or three marketing angles for the chosen persona."""
    persona = (state.get("selected_persona") or {}).get("name", "your audience")
    report_status(
        f"Analyzing marketing angles for {persona}...",
        step="angle_selection",
        estimated_time="2-3min",
    )
    brief = brief_for(state, "angles", hint=state.get("angle_hint"))
    proposal = await propose(model_for(runtime), brief, placements=context_of(runtime).placements)
    report_status("Analyze Completed", "completed", step="angle_selection")
    return {
        "angles": proposal.options,
        "selected_angle": None,
        "step": "angle_selection",
        "reasoning": {"angles": proposal.reasoning},
        "generation": {"angles": generation_info(runtime)},
    }


async def propose_concepts(state: WorkflowState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Two or three psychology-based concepts, each with a full script."""
    report_status("Generating psychology-optimized scripts...", step="script_selection")
    brief = brief_for(state, "concepts", hint=state.get("concept_hint"))
    proposal = await propose(model_for(runtime), brief, placements=context_of(runtime).placements)
    report_status("Scripts ready", "completed", step="script_selection")
    return {
        "concepts": proposal.options,
        "selected_concept": None,
        "step": "script_selection",
        "reasoning": {"concepts": proposal.reasoning},
        "generation": {"concepts": generation_info(runtime)},
    }
