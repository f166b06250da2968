"""Graph state: what nodes exchange. No logic beyond reducers.

State values are JSON-shaped dicts (the integration guide's wire objects), not pydantic instances:
checkpoints stay plain msgpack, LangGraph Studio and the REST API show them as-is, and the server
maps them to events without conversion. Pydantic validates at the edges (generation and resume).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from langchain_core.messages import AnyMessage, BaseMessage
from langgraph.channels.delta import DeltaChannel
from langgraph.graph.message import _messages_delta_reducer
from typing_extensions import TypedDict

__all__ = [
    "AssistantInput",
    "AssistantState",
    "MediaType",
    "WorkflowInput",
    "WorkflowState",
    "WorkflowStep",
    "append_by_id",
    "merge_dicts",
    "messages_delta",
]

MediaType = Literal["video", "image"]
WorkflowStep = Literal[
    "starting",
    "persona_selection",
    "angle_selection",
    "script_selection",
    "media_generation",
    "completed",
]


def merge_dicts(left: dict[str, Any] | None, right: dict[str, Any] | None) -> dict[str, Any]:
    """Shallow merge: later keys win. Used for per-step metadata and assets keyed by id."""
    return {**(left or {}), **(right or {})}


def append_by_id(
    left: list[dict[str, Any]] | None, right: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """Append records, replacing any with the same ``id``: a replayed node cannot duplicate one."""
    merged = {item["id"]: item for item in (left or [])}
    for item in right or []:
        merged[item["id"]] = item
    return list(merged.values())


def messages_delta(
    state: list[AnyMessage], writes: Sequence[list[AnyMessage] | AnyMessage]
) -> list[AnyMessage]:
    """LangGraph's batch message reducer, plus positional ids for messages that arrive without one.

    ``DeltaChannel`` stores only new writes per checkpoint, so a long conversation costs a constant
    number of bytes per turn instead of a full copy of the history. Its reducer leaves id-less
    messages without ids (so they could never be updated or de-duplicated); naming them by their
    position is deterministic and batching-invariant, as ``DeltaChannel`` requires.
    """
    merged = _messages_delta_reducer(list(state), list(writes))  # type: ignore[arg-type]
    for position, message in enumerate(merged):
        if isinstance(message, BaseMessage) and message.id is None:
            message.id = f"msg-{position}"
    return merged


class WorkflowInput(TypedDict, total=False):
    """What starts ``ad_workflow``: a product (catalog id or inline), a format and a media type."""

    product_id: str
    product: dict[str, Any]
    format: str
    media_type: MediaType
    audience_hint: str


class WorkflowState(WorkflowInput, total=False):
    """The guided flow's full state: every proposal, every choice, the media job and the asset."""

    step: WorkflowStep
    personas: list[dict[str, Any]]
    selected_persona: dict[str, Any] | None
    persona_impact: str | None
    angle_hint: str | None
    angles: list[dict[str, Any]]
    selected_angle: dict[str, Any] | None
    concept_hint: str | None
    concepts: list[dict[str, Any]]
    selected_concept: dict[str, Any] | None
    media_request: dict[str, Any] | None
    media_job: dict[str, Any] | None
    media_error: dict[str, Any] | None
    media_result: dict[str, Any] | None
    asset: dict[str, Any] | None
    reasoning: Annotated[dict[str, Any], merge_dicts]
    generation: Annotated[dict[str, Any], merge_dicts]


class AssistantInput(TypedDict, total=False):
    """A user turn for ``ad_assistant``."""

    messages: Annotated[list[AnyMessage], DeltaChannel(messages_delta)]


class AssistantState(AssistantInput, total=False):
    """The free agent's state: the conversation plus the creative it saved and the UI theme."""

    theme: Literal["light", "dark"] | None
    assets: Annotated[dict[str, dict[str, Any]], merge_dicts]
    latest_asset_id: str | None
    pending_images: list[str]
    image_requests: Annotated[list[dict[str, Any]], append_by_id]
