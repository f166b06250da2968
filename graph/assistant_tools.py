"""The ad assistant's tools: save_ad_asset, generate_ad_image and switch_theme.

Each returns a ``Command`` that updates graph state (the asset, the image request, the theme) next
to its ToolMessage, so the conversation's facts live in the checkpoint and the server can project
them into the gallery and the UI. Ids derive from the thread and the tool call, so a replayed tool
call upserts rather than duplicates.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from langchain_core.messages import ToolMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import BaseTool, InjectedToolCallId, tool
from langgraph.prebuilt import InjectedState
from langgraph.types import Command
from pydantic import ValidationError

from graph.nodes._common import current_context, thread_id_of
from graph.state import AssistantState
from tools.assets import AssetRecord, merge_images
from tools.compliance import parse_placements, review
from tools.ids import stable_id
from tools.jobs import IMAGE_RESOLUTIONS

__all__ = ["ASSISTANT_TOOLS", "generate_ad_image", "save_ad_asset", "switch_theme"]

_SIZE_ALIASES = {
    "square": "1080x1080",
    "portrait": "1080x1350",
    "story": "1080x1920",
    "landscape": "1200x628",
    "1024x1024": "1080x1080",
}


_BLOCKED_HINT = (
    "Not saved: rewrite the copy using the findings' suggested rewrites, or call again with "
    "acknowledge_findings=true if the marketer explicitly accepts them."
)


def gate_asset(asset: AssetRecord, *, acknowledged: bool) -> dict[str, Any]:
    """The copy gate's verdict on a saved ad; an acknowledged block records who accepted it."""
    context = current_context()
    placements = parse_placements(context.placements)
    verdict = review("ad", asset.to_wire(), product=asset.product, placements=placements)
    if verdict["status"] == "blocked" and acknowledged:
        verdict["acknowledgedBy"] = context.user_id
    return verdict


def _result(tool_call_id: str, name: str, payload: dict[str, Any], **update: Any) -> Command[Any]:
    message = ToolMessage(json.dumps(payload), tool_call_id=tool_call_id, name=name)
    return Command(update={"messages": [message], **update})


@tool
def save_ad_asset(
    product: str,
    style: str,
    tone: str,
    pitch: str,
    headline: str,
    primary_text: str,
    call_to_action: str,
    image_prompts: list[str],
    state: Annotated[AssistantState, InjectedState],
    config: RunnableConfig,
    tool_call_id: Annotated[str, InjectedToolCallId],
    images: list[str] | None = None,
    asset_id: str | None = None,
    acknowledge_findings: bool = False,
) -> Command[Any]:
    """Store a finalized ad concept including copy and image prompts so it can be shown in the campaign gallery. Copy the compliance check blocks is not saved unless acknowledge_findings is true."""
    target = (
        asset_id
        or state.get("latest_asset_id")
        or stable_id("asset", thread_id_of(config), tool_call_id)
    )
    previous = (state.get("assets") or {}).get(target, {})
    kept = merge_images(previous.get("images", []), images or [])
    try:
        asset = AssetRecord(
            id=target,
            product=product,
            style=style,
            tone=tone,
            pitch=pitch,
            headline=headline,
            primary_text=primary_text,
            call_to_action=call_to_action,
            image_prompts=image_prompts,
            images=merge_images(kept, state.get("pending_images") or []),
            source_session=thread_id_of(config),
        )
    except ValidationError as error:
        problems = "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in error.errors())
        return _result(tool_call_id, "save_ad_asset", {"status": "error", "error": problems})
    verdict = gate_asset(asset, acknowledged=acknowledge_findings)
    if verdict["status"] == "blocked" and not verdict.get("acknowledgedBy"):
        refused = {"status": "blocked", "compliance": verdict, "hint": _BLOCKED_HINT}
        return _result(tool_call_id, "save_ad_asset", refused)
    asset = asset.model_copy(update={"compliance": verdict})
    payload = {
        "asset_id": asset.id,
        "status": "saved",
        "image_count": str(len(asset.images)),
        "compliance": verdict,
    }
    return _result(
        tool_call_id,
        "save_ad_asset",
        payload,
        assets={asset.id: asset.to_wire()},
        latest_asset_id=asset.id,
        pending_images=[],
    )


@tool
def generate_ad_image(
    prompt: str,
    state: Annotated[AssistantState, InjectedState],
    config: RunnableConfig,
    tool_call_id: Annotated[str, InjectedToolCallId],
    size: str = "1080x1080",
) -> Command[Any]:
    """Generate a marketing-ready image for the campaign using the image generation model."""
    resolution = _SIZE_ALIASES.get(size.strip().lower(), size.strip().lower())
    if resolution not in IMAGE_RESOLUTIONS:
        resolution = IMAGE_RESOLUTIONS[0]
    asset_id = state.get("latest_asset_id")
    request = {
        "id": stable_id("img", thread_id_of(config), tool_call_id),
        "prompt": prompt.strip(),
        "size": resolution,
        "assetId": asset_id,
        "status": "queued",
    }
    payload = {"status": "queued", "image_id": request["id"], "asset_id": asset_id}
    update: dict[str, Any] = {"image_requests": [request]}
    if asset_id is None:
        update["pending_images"] = [*(state.get("pending_images") or []), request["id"]]
    return _result(tool_call_id, "generate_ad_image", payload, **update)


@tool
def switch_theme(theme: str, tool_call_id: Annotated[str, InjectedToolCallId]) -> Command[Any]:
    """Switch the chat interface between light and dark color schemes."""
    wanted = theme.strip().lower()
    chosen: Literal["light", "dark"] | None = (
        "dark" if "dark" in wanted else "light" if "light" in wanted else None
    )
    if chosen is None:
        return _result(
            tool_call_id,
            "switch_theme",
            {"status": "error", "error": "theme must be light or dark"},
        )
    return _result(tool_call_id, "switch_theme", {"theme": chosen}, theme=chosen)


ASSISTANT_TOOLS: list[BaseTool] = [save_ad_asset, generate_ad_image, switch_theme]
