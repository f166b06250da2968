"""The copy gate: findings on known-bad copy, placement limits, and the offline flow's verdicts."""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.types import Command

from graph.workflow import build_workflow
from tests.helpers import advance, thread
from tools.catalog import AD_FORMATS, DEMO_PRODUCTS
from tools.compliance import check_text, fit_text, parse_placements, review


def _rules(text: str, category: str = "") -> set[str]:
    return {f.rule_id for f in check_text(text, "hook", category=category, product="Glowly")}


def test_a_finding_carries_rule_severity_span_reason_and_rewrite() -> None:
    text = "Meet the team. Are you perimenopausal?"
    [finding] = check_text(text, "hook", product="Glowly")
    wire = finding.to_wire()
    assert wire["ruleId"] == "meta.personal_attribute_question"
    assert wire["severity"] == "block"
    assert wire["span"] == {"start": 15, "end": len(text), "text": "Are you perimenopausal?"}
    assert text[wire["span"]["start"] : wire["span"]["end"]] == wire["span"]["text"]
    assert "personal-attributes" in wire["reason"]
    assert wire["rewrite"] and "?" not in wire["rewrite"]
    assert not check_text(wire["rewrite"], "hook")


@pytest.mark.parametrize(
    ("copy", "rule"),
    [
        ("Clears acne in a week.", "ftc.health_claim"),
        ("Meet singles over 50 near you.", "meta.personal_attribute_assertion"),
        ("I used this for three weeks and loved it.", "ftc.ai_testimonial"),
        ("Glow all summer with no sunburn.", "fda.sun_protection_implied"),
        ("Going bald at 30?", "meta.personal_attribute_question"),
        ("Guaranteed approval, no credit check.", "claims.financial_promise"),
    ],
)
def test_claims_written_as_benefits_are_blocked(copy: str, rule: str) -> None:
    assert rule in _rules(copy, "Beauty / Self-tan")


def test_a_superlative_warns_but_does_not_block() -> None:
    [finding] = check_text("It's the best oat-milk latte in the neighbourhood.", "hook")
    assert (finding.rule_id, finding.severity) == ("claims.absolute", "warn")


def test_placement_limits_block_ad_copy_and_suggest_a_whole_phrase() -> None:
    ad = {
        "headline": "Closing the books in days, not in weeks, for busy teams",
        "primaryText": "Month-end close without the spreadsheet chase.",
        "callToAction": "Book a demo",
    }
    verdict = review("ad", ad, placements=("meta",))
    assert verdict["status"] == "blocked"
    [finding] = verdict["findings"]
    assert finding["ruleId"] == "meta.headline" and "55 characters" in finding["reason"]
    assert finding["rewrite"] == "Closing the books in days, not in weeks."


def test_tiktok_ad_text_refuses_hashtags_and_emoji() -> None:
    ad = {"headline": "Glow", "primaryText": "Glow in days #selftan ✨", "callToAction": "Shop"}
    assert review("ad", ad, placements=("meta",))["status"] == "clean"
    found = review("ad", ad, placements=("tiktok",))["findings"]
    assert {f["span"]["text"] for f in found} == {"#", "✨"}
    assert all(f["rewrite"] == "Glow in days selftan" for f in found)


def test_fit_text_never_cuts_inside_a_phrase() -> None:
    assert fit_text("Short enough.", 40) == "Short enough."
    assert fit_text("Free tip before you buy another management saas for your firm", 40) is None
    assert fit_text("Glow in days, streak-free and buildable every time", 30) == "Glow in days."


def test_placements_setting_is_checked() -> None:
    assert parse_placements(None) == ("meta",)
    assert parse_placements("meta, TikTok") == ("meta", "tiktok")
    with pytest.raises(ValueError, match="snapchat"):
        parse_placements("snapchat")


def test_personas_of_cosmetic_categories_carry_the_18_plus_flag() -> None:
    persona = {"name": "Glow Seekers", "ageRange": "16-24", "description": "Want a glow."}
    verdict = review("persona", persona, category="Beauty / Self-tan")
    [finding] = verdict["findings"]
    assert finding["ruleId"] == "meta.adults_only" and finding["severity"] == "block"
    assert finding["rewrite"] == "18-24"
    adult = review("persona", {**persona, "ageRange": "25-34"}, category="Beauty / Self-tan")
    assert adult["status"] == "warn"
    assert review("persona", persona, category="Software / SaaS")["status"] == "clean"


def _cards(state: dict[str, Any]) -> list[dict[str, Any]]:
    return [*state["personas"], *state["angles"], *state["concepts"]]


async def test_offline_flow_shows_no_blocked_copy_for_any_demo_product(
    saver: AsyncSqliteSaver,
) -> None:
    workflow = build_workflow().compile(checkpointer=saver)
    checked = 0
    for product in DEMO_PRODUCTS:
        for ad_format in AD_FORMATS:
            for media in ("video", "image"):
                cfg = thread(f"gate-{product.id}-{ad_format.name}-{media}")
                start = {"product_id": product.id, "format": ad_format.name, "media_type": media}
                await advance(workflow, start, cfg)
                await advance(workflow, Command(resume={"optionId": "aud-2"}), cfg)
                await advance(workflow, Command(resume={"optionId": "ang-1"}), cfg)
                state = (await workflow.aget_state(cfg)).values
                for card in _cards(state):
                    verdict = card["compliance"]
                    assert verdict["status"] != "blocked", (product.name, card, verdict)
                    assert verdict["placements"] == ["meta"]
                    checked += 1
    assert checked == len(DEMO_PRODUCTS) * len(AD_FORMATS) * 2 * (4 + 3 + 3)
