"""Small helpers the workflow nodes share: reading the run context and the brief from state."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import RunnableConfig
from langgraph.runtime import Runtime, get_runtime

from graph.context import Context
from graph.models import load_chat_model, parse_model_spec
from graph.state import WorkflowState
from tools.creative.models import CreativeBrief, CreativeTask, ProductInfo

__all__ = [
    "brief_for",
    "context_of",
    "current_context",
    "generation_info",
    "model_for",
    "thread_id_of",
]


def context_of(runtime: Runtime[Context]) -> Context:
    """The run's context, or the defaults when a caller (e.g. Studio) passed none."""
    return runtime.context if isinstance(runtime.context, Context) else Context()


def current_context() -> Context:
    """The running graph's context, for code not handed the runtime; defaults outside a run."""
    try:
        context = get_runtime(Context).context
    except RuntimeError:
        return Context()
    return context if isinstance(context, Context) else Context()


def model_for(runtime: Runtime[Context]) -> BaseChatModel:
    """The chat model this run uses."""
    return load_chat_model(context_of(runtime).model)


def generation_info(runtime: Runtime[Context]) -> dict[str, Any]:
    """Which model wrote a step's content; offline content is labelled as such."""
    spec = parse_model_spec(context_of(runtime).model)
    return {"model": str(spec), "offline": spec.offline}


def thread_id_of(config: RunnableConfig) -> str:
    """The thread being run; media jobs and assets are named after it."""
    return str(config.get("configurable", {}).get("thread_id", "no-thread"))


def brief_for(
    state: WorkflowState, task: CreativeTask, *, hint: str | None = None
) -> CreativeBrief:
    """Everything the creative step needs from state, as the brief the model reads."""
    return CreativeBrief(
        task=task,
        product=ProductInfo.model_validate(state["product"]),
        format=state.get("format", "Hybrid Format"),
        media_type=state.get("media_type", "video"),
        hint=hint,
        persona=state.get("selected_persona"),
        angle=state.get("selected_angle"),
    )
