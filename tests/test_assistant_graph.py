"""``ad_assistant`` end to end with the offline engine: the ChatKit marketing seed's behaviour."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from graph.assistant import build_assistant
from tests.helpers import advance, thread


@pytest.fixture
def assistant(saver: AsyncSqliteSaver) -> Any:
    return build_assistant().compile(checkpointer=saver)


async def _say(graph: Any, cfg: Any, text: str) -> list[BaseMessage]:
    """Send one user message; return the messages this turn added."""
    before = len((await graph.aget_state(cfg)).values.get("messages", []))
    await advance(graph, {"messages": [HumanMessage(text)]}, cfg)
    return list((await graph.aget_state(cfg)).values["messages"][before + 1 :])


def _tool_calls(turn: list[BaseMessage]) -> list[str]:
    return [c["name"] for m in turn if isinstance(m, AIMessage) for c in m.tool_calls]


async def test_brief_concept_save_image_and_theme(assistant: Any) -> None:
    cfg = thread("chat-1")
    opening = await _say(assistant, cfg, "Hi!")
    assert "product" in opening[-1].text.lower()
    for answer in [
        "Aurora Cold Brew Concentrate",
        "Clean and minimal",
        "Warm and upbeat",
        "Cafe-quality coffee at home in ten seconds",
    ]:
        turn = await _say(assistant, cfg, answer)
        assert not _tool_calls(turn), "nothing is saved before the brief is confirmed"
    assert "aurora" in turn[-1].text.lower()  # the summary of the brief

    concept_turn = await _say(assistant, cfg, "Yes, go ahead")
    assert _tool_calls(concept_turn) == ["save_ad_asset"]
    presenting = concept_turn[0]
    assert isinstance(presenting, AIMessage) and presenting.text  # presented, then saved
    saved = json.loads(next(m for m in concept_turn if isinstance(m, ToolMessage)).text)
    assert saved["status"] == "saved"
    state = (await assistant.aget_state(cfg)).values
    asset = state["assets"][saved["asset_id"]]
    assert state["latest_asset_id"] == saved["asset_id"]
    assert 45 <= len(asset["primaryText"].split()) <= 80
    assert len(asset["headline"]) <= 40 and len(asset["imagePrompts"]) >= 3
    assert asset["compliance"]["status"] != "blocked" and saved["compliance"] == asset["compliance"]
    assert "Copy check" in concept_turn[-1].text, "the chat shows the verdict"

    image_turn = await _say(assistant, cfg, "Please generate an image for it")
    assert _tool_calls(image_turn) == ["generate_ad_image"]
    state = (await assistant.aget_state(cfg)).values
    [request] = state["image_requests"]
    assert request["assetId"] == saved["asset_id"] and request["prompt"]

    theme_turn = await _say(assistant, cfg, "Switch to dark mode")
    assert _tool_calls(theme_turn) == ["switch_theme"]
    assert isinstance(theme_turn[0], AIMessage) and theme_turn[0].tool_calls  # tool before words
    assert isinstance(theme_turn[-1], AIMessage) and "dark" in theme_turn[-1].text.lower()
    assert (await assistant.aget_state(cfg)).values["theme"] == "dark"


async def test_images_only_when_asked_and_off_topic_declined(assistant: Any) -> None:
    cfg = thread("chat-2")
    turn = await _say(assistant, cfg, "What's the weather in Paris tomorrow?")
    assert not _tool_calls(turn)
    assert "ads" in turn[-1].text.lower()
    state = (await assistant.aget_state(cfg)).values
    assert not state.get("image_requests") and not state.get("assets")


async def test_revision_updates_the_same_asset(assistant: Any) -> None:
    cfg = thread("chat-3")
    for text in [
        "I want an ad for StrideLite Trail Runner",
        "Rugged outdoor photography",
        "Bold",
        "Light enough for the longest days",
        "yes",
    ]:
        await _say(assistant, cfg, text)
    first = (await assistant.aget_state(cfg)).values
    revision = await _say(assistant, cfg, "Make it more playful")
    assert _tool_calls(revision) == ["save_ad_asset"]
    second = (await assistant.aget_state(cfg)).values
    assert second["latest_asset_id"] == first["latest_asset_id"]
    assert len(second["assets"]) == 1
    asset_id = first["latest_asset_id"]
    assert second["assets"][asset_id]["primaryText"] != first["assets"][asset_id]["primaryText"]
