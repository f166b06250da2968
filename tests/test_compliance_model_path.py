"""The copy gate on the model path: risky briefs through ``ChatOpenAI`` and the fake OpenAI server.

Each row of ``fixtures/risky_briefs.json`` is a product in a regulated category and copy breaking
a rule. The fake answers with that copy; the gate must find it, send it back once with the
findings, and then either show the corrected copy or the still-violating copy marked blocked with
its findings. Never shown as clean.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from langchain_core.messages import HumanMessage, ToolMessage
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.types import Command

from graph.assistant import build_assistant
from graph.context import Context
from graph.models import load_chat_model
from graph.steps import propose
from graph.workflow import build_workflow
from server.app import create_app
from server.settings import Settings
from tests.fakes import FakeOpenAI, FakeScript, FakeText, FakeToolCalls, scripted
from tests.helpers import advance, thread
from tests.http_flows import to_scripts
from tests.test_auth_errors import assert_error
from tools.creative.models import CreativeBrief, ProductInfo

_HERE = Path(__file__).parent / "fixtures"
RISKY = json.loads((_HERE / "risky_briefs.json").read_text())["briefs"]
CONCEPTS = json.loads((_HERE / "openai_structured.json").read_text())["ConceptSet"]
STRUCTURED = json.loads((_HERE / "openai_structured.json").read_text())
POLICY_RETRY = "breaks ad policy"


def test_the_fixture_covers_at_least_forty_risky_briefs() -> None:
    assert len(RISKY) >= 40
    categories = " ".join(row["product"]["category"] for row in RISKY).lower()
    for area in ("menopause", "weight loss", "supplements", "finance", "self-tan", "dating"):
        assert area in categories


def _violating(row: dict[str, Any]) -> dict[str, Any]:
    answer = copy.deepcopy(CONCEPTS)
    first = answer["concepts"][0]
    if row["field"] == "fullScript":
        first["fullScript"] = f"{row['copy']} {first['fullScript']}"
    else:
        first[row["field"]] = row["copy"]
    return answer


class _Model:
    """A fake model's policy: answer the violating copy, then (optionally) a corrected one."""

    def __init__(self, row: dict[str, Any], *, corrects: bool) -> None:
        self.row, self.corrects = row, corrects

    def __call__(self, request: dict[str, Any]) -> FakeText:
        retried = POLICY_RETRY in str(request["messages"][-1]["content"])
        answer = CONCEPTS if retried and self.corrects else _violating(self.row)
        return FakeText(json.dumps(answer))


def _workflow_model(row: dict[str, Any]) -> Any:
    """Recorded answers for every step, and the row's violating copy for the scripts."""

    def respond(request: dict[str, Any]) -> FakeText:
        name = request["response_format"]["json_schema"]["name"]
        if name == "ConceptSet":
            return _Model(row, corrects=False)(request)
        return FakeText(json.dumps(STRUCTURED[name]))

    return respond


def _brief(row: dict[str, Any]) -> CreativeBrief:
    return CreativeBrief(task="concepts", product=ProductInfo.model_validate(row["product"]))


def _ids(row: dict[str, Any]) -> str:
    return f"{row['product']['name']}:{row['copy'][:24]}"


@pytest.mark.parametrize("row", RISKY, ids=_ids)
async def test_still_blocked_copy_is_shown_with_its_findings(
    fake_openai: FakeOpenAI, row: dict[str, Any]
) -> None:
    fake_openai.reset(FakeScript(chat=_Model(row, corrects=False)))
    proposal = await propose(load_chat_model("openai:gpt-4.1"), _brief(row))

    bodies = fake_openai.bodies()
    assert len(bodies) == 2, "blocked copy is sent back exactly once"
    feedback = bodies[1]["messages"][-1]["content"]
    assert POLICY_RETRY in feedback
    assert all(rule in feedback for rule in row["rules"])
    shown = proposal.options[0]
    assert row["copy"] in shown[row["field"]]
    verdict = shown["compliance"]
    assert verdict["status"] == "blocked"
    found = {f["ruleId"] for f in verdict["findings"] if f["severity"] == "block"}
    assert set(row["rules"]) <= found
    for finding in verdict["findings"]:
        span = finding["span"]
        assert shown[finding["field"]][span["start"] : span["end"]] == span["text"]
        assert finding["reason"]
        if finding["severity"] == "block":
            assert span["text"] in feedback, "the model was told exactly what blocks"


@pytest.mark.parametrize("row", RISKY[::5], ids=_ids)
async def test_corrected_copy_replaces_the_blocked_copy(
    fake_openai: FakeOpenAI, row: dict[str, Any]
) -> None:
    fake_openai.reset(FakeScript(chat=_Model(row, corrects=True)))
    proposal = await propose(load_chat_model("openai:gpt-4.1"), _brief(row))
    assert len(fake_openai.bodies()) == 2
    assert all(row["copy"] not in json.dumps(option) for option in proposal.options)
    assert all(o["compliance"]["status"] != "blocked" for o in proposal.options)


async def test_blocked_cards_carry_the_verdict_and_render_only_when_acknowledged(
    fake_openai: FakeOpenAI, saver: AsyncSqliteSaver
) -> None:
    row = next(r for r in RISKY if r["product"]["category"] == "Dating")
    fake_openai.reset(FakeScript(chat=_workflow_model(row)))
    workflow = build_workflow().compile(checkpointer=saver)
    cfg, ctx = thread("risky-wf"), Context(model="openai:gpt-4.1", user_id="marketer-7")
    await advance(workflow, {"product": row["product"], "media_type": "image"}, cfg, ctx)
    await advance(workflow, Command(resume={"optionId": "aud-1"}), cfg, ctx)
    updates = []
    async for part in workflow.astream(
        Command(resume={"optionId": "ang-1"}), cfg, context=ctx, stream_mode="updates"
    ):
        updates.append(part)
    [concepts] = [u["propose_concepts"]["concepts"] for u in updates if "propose_concepts" in u]
    assert concepts[0]["compliance"]["status"] == "blocked"
    state = (await workflow.aget_state(cfg)).values
    assert state["concepts"][0]["compliance"] == concepts[0]["compliance"]

    pick = {"optionId": "psych-1", "action": "generate_image"}
    [again] = await advance(workflow, Command(resume=pick), cfg, ctx)
    assert again.value["kind"] == "script_selection", "blocked copy is not rendered unasked"
    assert again.value["mediaError"]["code"] == "copy_blocked"
    assert "acknowledgeFindings" in again.value["mediaError"]["message"]
    assert (await workflow.aget_state(cfg)).values.get("media_job") is None

    acknowledged = {**pick, "acknowledgeFindings": True}
    [render] = await advance(workflow, Command(resume=acknowledged), cfg, ctx)
    assert render.value["kind"] == "media_job"
    state = (await workflow.aget_state(cfg)).values
    assert state["selected_concept"]["compliance"]["acknowledgedBy"] == "marketer-7"
    assert state["media_job"]["compliance"]["status"] in ("clean", "warn", "blocked")


async def test_the_assistant_saves_blocked_copy_only_when_acknowledged(
    fake_openai: FakeOpenAI, saver: AsyncSqliteSaver
) -> None:
    concept = STRUCTURED["AdConceptDraft"]
    save = {
        "product": "Clear Skin Serum",
        "style": "Clean Minimal",
        "tone": "Warm",
        "pitch": "Skin Days",
        "headline": "Clears acne in seven days",
        "primary_text": concept["primaryText"],
        "call_to_action": concept["callToAction"],
        "image_prompts": concept["imagePrompts"],
    }
    fake_openai.reset(
        FakeScript(
            chat=scripted(
                [
                    FakeToolCalls.single("save_ad_asset", save),
                    FakeText("The headline makes a health claim; shall I rewrite it?"),
                    FakeToolCalls.single("save_ad_asset", {**save, "acknowledge_findings": True}),
                    FakeText("Saved with the finding acknowledged."),
                ]
            )
        )
    )
    assistant = build_assistant().compile(checkpointer=saver)
    cfg, ctx = thread("risky-chat"), Context(model="openai:gpt-4.1", user_id="marketer-7")
    await advance(assistant, {"messages": [HumanMessage("Save it")]}, cfg, ctx)
    state = (await assistant.aget_state(cfg)).values
    refused = json.loads(next(m for m in state["messages"] if isinstance(m, ToolMessage)).text)
    assert refused["status"] == "blocked" and not state.get("assets")
    [finding] = [f for f in refused["compliance"]["findings"] if f["field"] == "headline"]
    assert finding["ruleId"] == "ftc.health_claim" and finding["rewrite"]

    await advance(assistant, {"messages": [HumanMessage("Save it anyway, I accept")]}, cfg, ctx)
    [asset] = (await assistant.aget_state(cfg)).values["assets"].values()
    assert asset["headline"] == "Clears acne in seven days"
    assert asset["compliance"]["status"] == "blocked"
    assert asset["compliance"]["acknowledgedBy"] == "marketer-7"


def test_the_render_route_refuses_blocked_copy_without_an_acknowledgement(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    row = next(r for r in RISKY if r["rules"] == ["ftc.ai_testimonial"])
    fake_openai.reset(FakeScript(chat=_workflow_model(row)))
    settings = Settings(ADFORGE_DATA_DIR=str(tmp_path / "data"), ADFORGE_MODEL="openai:gpt-4.1")
    with TestClient(create_app(settings)) as client:
        sid, script_id = to_scripts(client)
        before = client.get(f"/api/chat/sessions/{sid}/context").json()
        refused = client.post(f"/api/chat/sessions/{sid}/video", json={"scriptId": script_id})
        assert refused.status_code == 422
        assert_error(refused.json(), "copy_blocked")
        assert client.get(f"/api/chat/sessions/{sid}/context").json() == before, "no trace"
        accepted = client.post(
            f"/api/chat/sessions/{sid}/video",
            json={"scriptId": script_id, "acknowledgeFindings": True},
        )
        assert accepted.status_code == 202, accepted.text
