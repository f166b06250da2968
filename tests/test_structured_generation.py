"""Validation after generation, retry with feedback, and the clear error when a model keeps failing.

The model is faked at the LangChain interface; structured output arrives as a tool call, the way
BaseChatModel.with_structured_output implements it.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import HumanMessage

from graph.structured import CreativeGenerationError, generate_structured
from tests.fakes.chat_model import ScriptedChatModel, tool_reply
from tools.catalog import find_product
from tools.creative.models import AdConceptDraft, AngleSet, CreativeBrief

BRIEF = CreativeBrief(task="angles", product=find_product("3"))  # type: ignore[arg-type]


def _angle(title: str, emotion: float = 8.5) -> dict[str, Any]:
    return {
        "title": title,
        "description": "Cafe-quality cold brew at home in ten seconds, no machine needed.",
        "metrics": {"emotion": emotion, "proof": 8.0, "differentiation": 9.0},
        "reason": "Speed is the strongest unmet need of busy mornings.",
    }


async def test_an_invalid_answer_is_retried_with_the_errors() -> None:
    model = ScriptedChatModel(
        replies=[
            tool_reply("AngleSet", {"angles": [_angle("Only one")]}),
            tool_reply("AngleSet", {"angles": [_angle("Too hot", emotion=14)] * 2}),
            tool_reply("AngleSet", {"angles": [_angle("Ten Seconds"), _angle("No Machine")]}),
        ]
    )
    result = await generate_structured(model, AngleSet, BRIEF)
    assert [a.title for a in result.angles] == ["Ten Seconds", "No Machine"]
    assert len(model.calls) == 3
    feedback = model.calls[1][-1]
    assert isinstance(feedback, HumanMessage) and "angles" in feedback.text
    assert "outside 0–10" in model.calls[2][-1].text


async def test_a_model_that_keeps_failing_raises_a_clear_error() -> None:
    long_headline = "An Extremely Long Headline That Nobody Will Ever Read Fully On Mobile"
    bad = {
        "headline": long_headline,
        "primaryText": "Too short.",
        "callToAction": "Buy",
        "imagePrompts": ["a", "b", "c"],
    }
    model = ScriptedChatModel(replies=[tool_reply("AdConceptDraft", bad) for _ in range(3)])
    brief = BRIEF.model_copy(update={"task": "ad_concept"})
    with pytest.raises(CreativeGenerationError) as failed:
        await generate_structured(model, AdConceptDraft, brief, attempts=3)
    message = str(failed.value)
    assert "ad_concept" in message and "3 attempts" in message
    assert "headline" in message or "primary" in message.lower()
    assert failed.value.problems and len(model.calls) == 3
