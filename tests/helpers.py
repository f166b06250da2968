"""Driving graphs to their next interrupt the way the server does (durability "sync")."""

from __future__ import annotations

from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command, Interrupt

from graph.context import Context


async def advance(
    graph: CompiledStateGraph[Any, Any, Any, Any],
    payload: dict[str, Any] | Command[Any] | None,
    config: RunnableConfig,
    context: Context | None = None,
) -> list[Interrupt]:
    """Run until the graph stops; return the interrupts it is waiting on (empty when done)."""
    interrupts: list[Interrupt] = []
    async for part in graph.astream(
        payload, config, context=context or Context(), stream_mode="updates", durability="sync"
    ):
        interrupts.extend(part.get("__interrupt__", ()))
    return interrupts


def thread(thread_id: str) -> RunnableConfig:
    """A run config naming a thread."""
    return {"configurable": {"thread_id": thread_id}}
