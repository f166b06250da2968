"""``ad_assistant``: the free conversational agent of the ChatKit marketing backend.

A model ↔ tools loop. The model sees the instructions and the recent conversation (the whole
history stays in state, stored as deltas, so checkpoints do not grow with the thread's length).
"""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.messages import AIMessage, AnyMessage, SystemMessage, ToolMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt import ToolNode
from langgraph.runtime import Runtime

from graph.assistant_tools import ASSISTANT_TOOLS
from graph.context import Context
from graph.nodes._common import model_for
from graph.prompts import ASSISTANT_INSTRUCTIONS
from graph.state import AssistantInput, AssistantState

__all__ = ["HISTORY_WINDOW", "build_assistant", "coherent_history", "graph"]

HISTORY_WINDOW = 40
"""Messages the model sees per turn; older turns stay in state but not in the prompt."""


def coherent_history(messages: list[AnyMessage]) -> list[AnyMessage]:
    """The window the model sees, with every tool call paired with its result.

    Chat APIs refuse a tool result without the call before it and a call without its result. The
    window can cut between the two, and a run cancelled between the model turn and the tools
    leaves calls unanswered; such calls are dropped (their text kept), orphan results skipped.
    """
    answered = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
    called: set[str] = set()
    kept: list[AnyMessage] = []
    for message in messages:
        if isinstance(message, ToolMessage):
            if message.tool_call_id in called:
                kept.append(message)
            continue
        if isinstance(message, AIMessage) and message.tool_calls:
            calls = [c for c in message.tool_calls if c.get("id") in answered]
            called.update(str(c.get("id")) for c in calls)
            if len(calls) != len(message.tool_calls):
                if not calls and not message.text:
                    continue
                extra = {k: v for k, v in message.additional_kwargs.items() if k != "tool_calls"}
                message = message.model_copy(
                    update={"tool_calls": calls, "additional_kwargs": extra}
                )
        kept.append(message)
    return kept


async def respond(state: AssistantState, runtime: Runtime[Context]) -> dict[str, Any]:
    """One model turn: text for the user, tool calls, or both."""
    history = coherent_history(list(state.get("messages") or [])[-HISTORY_WINDOW:])
    model = model_for(runtime).bind_tools(ASSISTANT_TOOLS)
    reply = await model.ainvoke([SystemMessage(ASSISTANT_INSTRUCTIONS), *history])
    return {"messages": [reply]}


def route_after_model(state: AssistantState) -> Literal["tools", "__end__"]:
    """Run the tools the model asked for, or end the turn."""
    messages = state.get("messages") or []
    last = messages[-1] if messages else None
    return "tools" if isinstance(last, AIMessage) and last.tool_calls else "__end__"


def build_assistant() -> StateGraph[AssistantState, Context, AssistantInput, AssistantState]:
    """The uncompiled builder, so servers and tests attach their own checkpointer."""
    builder = StateGraph(AssistantState, context_schema=Context, input_schema=AssistantInput)
    builder.add_node("respond", respond)
    builder.add_node("tools", ToolNode(ASSISTANT_TOOLS))
    builder.add_edge(START, "respond")
    builder.add_conditional_edges("respond", route_after_model, ["tools", END])
    builder.add_edge("tools", "respond")
    return builder


graph: CompiledStateGraph[AssistantState, Context, AssistantInput, AssistantState] = (
    build_assistant().compile(name="ad_assistant")
)
