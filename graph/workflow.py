"""``ad_workflow``: the guided flow of the Ad Forge chat integration guide.

product → 4 personas → (pick | free text) → persona impact → angles → (pick) → psychology concepts
with scripts → (pick + render action) → media job (wait) → asset. Selections and the media wait
are interrupts; everything else runs straight through. This module alone wires the graph.
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from graph.context import Context
from graph.nodes.choices import choose_angle, choose_concept, choose_persona
from graph.nodes.creative import (
    explain_persona_impact,
    propose_angles,
    propose_concepts,
    propose_personas,
    resolve_product,
)
from graph.nodes.media import await_media, save_asset, submit_media_job
from graph.state import WorkflowInput, WorkflowState

__all__ = ["build_workflow", "graph"]


def build_workflow() -> StateGraph[WorkflowState, Context, WorkflowInput, WorkflowState]:
    """The uncompiled builder, so servers and tests attach their own checkpointer."""
    builder = StateGraph(WorkflowState, context_schema=Context, input_schema=WorkflowInput)
    builder.add_node("resolve_product", resolve_product)
    builder.add_node("propose_personas", propose_personas)
    builder.add_node("choose_persona", choose_persona)
    builder.add_node("explain_persona_impact", explain_persona_impact)
    builder.add_node("propose_angles", propose_angles)
    builder.add_node("choose_angle", choose_angle)
    builder.add_node("propose_concepts", propose_concepts)
    builder.add_node("choose_concept", choose_concept)
    builder.add_node("submit_media_job", submit_media_job)
    builder.add_node("await_media", await_media)
    builder.add_node("save_asset", save_asset)

    builder.add_edge(START, "resolve_product")
    builder.add_edge("resolve_product", "propose_personas")
    builder.add_edge("propose_personas", "choose_persona")
    builder.add_edge("explain_persona_impact", "propose_angles")
    builder.add_edge("propose_angles", "choose_angle")
    builder.add_edge("propose_concepts", "choose_concept")
    builder.add_edge("submit_media_job", "await_media")
    builder.add_edge("save_asset", END)
    return builder


graph: CompiledStateGraph[WorkflowState, Context, WorkflowInput, WorkflowState] = (
    build_workflow().compile(name="ad_workflow")
)
