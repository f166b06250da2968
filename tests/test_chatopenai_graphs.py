"""Both graphs through the real ``ChatOpenAI`` client against a local fake OpenAI HTTP server.

The fake answers structured-output requests (``response_format: json_schema``) from recorded JSON
in ``fixtures/openai_structured.json`` and tool calls from a script, over real HTTP with real SSE,
so the client's request building, streaming, tool-call merging and retries are all exercised.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.types import Command

from graph.assistant import build_assistant
from graph.context import Context
from graph.workflow import build_workflow
from tests.fakes import (
    FakeOpenAI,
    FakeScript,
    FakeText,
    FakeToolCalls,
    fail_then,
    schema_responder,
    scripted,
    server_error,
)
from tests.helpers import advance, thread

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "openai_structured.json").read_text())
OPENAI = Context(model="openai:gpt-4.1")


def _from_fixtures(name: str) -> Any:
    return lambda _request: FIXTURES[name]


def _schema_names(fake: FakeOpenAI) -> list[str]:
    return [
        r.body["response_format"]["json_schema"]["name"]
        for r in fake.requests
        if r.path.endswith("/chat/completions") and "response_format" in r.body
    ]


async def test_workflow_over_chatopenai_with_a_rate_limit_retry(
    fake_openai: FakeOpenAI, saver: AsyncSqliteSaver
) -> None:
    responder = schema_responder(
        {name: _from_fixtures(name) for name in FIXTURES if name[0] != "_"}
    )
    fake_openai.reset(FakeScript(chat=fail_then(1, 429, responder)))
    workflow = build_workflow().compile(checkpointer=saver)
    cfg = thread("openai-wf")

    [persona_pick] = await advance(workflow, {"product_id": "1"}, cfg, OPENAI)
    assert persona_pick.value["kind"] == "persona_selection"
    assert _schema_names(fake_openai) == ["PersonaSet", "PersonaSet"], "the 429 was retried"
    await advance(workflow, Command(resume={"optionId": "aud-1"}), cfg, OPENAI)
    [script_pick] = await advance(workflow, Command(resume={"optionId": "ang-1"}), cfg, OPENAI)
    assert script_pick.value["kind"] == "script_selection"

    assert _schema_names(fake_openai) == [
        "PersonaSet",
        "PersonaSet",
        "PersonaImpact",
        "AngleSet",
        "ConceptSet",
    ]
    first = fake_openai.requests[-1].body
    assert first["model"] == "gpt-4.1" and first["stream"] is False
    assert fake_openai.requests[-1].headers["authorization"] == "Bearer sk-local-test"
    prompt = first["messages"][-1]["content"]
    assert "<brief>" in prompt and "Sérum autobronzant progressif" in prompt
    state = (await workflow.aget_state(cfg)).values
    assert state["personas"][0]["name"] == FIXTURES["PersonaSet"]["personas"][0]["name"]
    assert state["generation"]["concepts"] == {"model": "openai:gpt-4.1", "offline": False}


async def test_invalid_model_json_is_retried_with_feedback_over_http(
    fake_openai: FakeOpenAI, saver: AsyncSqliteSaver
) -> None:
    three = {**FIXTURES["PersonaSet"], "personas": FIXTURES["PersonaSet"]["personas"][:3]}
    replies = [FakeText(json.dumps(three)), FakeText(json.dumps(FIXTURES["PersonaSet"]))]
    fake_openai.reset(FakeScript(chat=scripted(replies)))
    workflow = build_workflow().compile(checkpointer=saver)
    [pick] = await advance(workflow, {"product_id": "1"}, thread("openai-retry"), OPENAI)
    assert pick.value["kind"] == "persona_selection"
    retry = fake_openai.requests[1].body["messages"]
    assert retry[-2]["role"] == "assistant" and "failed validation" in retry[-1]["content"]


async def test_assistant_streams_a_tool_call_over_http_after_a_server_error(
    fake_openai: FakeOpenAI, saver: AsyncSqliteSaver
) -> None:
    concept = FIXTURES["AdConceptDraft"]
    save = {
        "product": "Aurora Cold Brew Concentrate",
        "style": "Clean Minimal",
        "tone": "Warm",
        "pitch": "Cafe Coffee In Ten Seconds",
        "headline": concept["headline"],
        "primary_text": concept["primaryText"],
        "call_to_action": concept["callToAction"],
        "image_prompts": concept["imagePrompts"],
    }
    replies = [
        server_error("upstream overloaded"),
        FakeToolCalls.single("save_ad_asset", save),
        FakeText("Saved to your gallery. Want an image for it?"),
    ]
    fake_openai.reset(FakeScript(chat=scripted(replies)))
    assistant = build_assistant().compile(checkpointer=saver)
    cfg = thread("openai-chat")
    streamed: list[str] = []
    async for mode, chunk in assistant.astream(
        {"messages": [HumanMessage("Yes, save that concept")]},
        cfg,
        context=OPENAI,
        stream_mode=["messages", "updates"],
        durability="sync",
    ):
        if mode == "messages" and isinstance(chunk[0], AIMessageChunk) and chunk[0].content:
            streamed.append(str(chunk[0].content))
    assert "".join(streamed).startswith("Saved to your gallery")
    assert len(fake_openai.requests) == 3  # the 500 was retried, then one call per model turn
    assert all(r.body["stream"] is True for r in fake_openai.requests)
    assert {t["function"]["name"] for t in fake_openai.requests[1].body["tools"]} == {
        "save_ad_asset",
        "generate_ad_image",
        "switch_theme",
    }
    state = (await assistant.aget_state(cfg)).values
    [asset] = state["assets"].values()
    assert asset["headline"] == concept["headline"] and asset["product"] == save["product"]
    tool_result = next(m for m in state["messages"] if isinstance(m, ToolMessage))
    assert json.loads(tool_result.text)["status"] == "saved"
    assert isinstance(state["messages"][-1], AIMessage)
