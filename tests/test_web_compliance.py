"""The web app shows the copy gate's verdict: a badge per card, the findings on the script modal.

A real server process runs against the fake OpenAI server, whose "model" writes a script with an
AI testimonial and a sun-protection claim for the self-tanner and keeps it after being told:
the cards must say so, the modal must list each finding with its reason and rewrite, and the
rewrite must be one click away (it regenerates the scripts with that instruction).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests._browser import DESKTOP, artifacts_dir, chromium, serve
from tests.fakes import FakeOpenAI, FakeScript, FakeText, running_fake_openai
from tests.test_web_app import _page, group, start, wait_for_choice

pytestmark = pytest.mark.integration

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "openai_structured.json").read_text())
VIOLATION = "I used this for three weeks and it protects skin from the sun."


def _model(request: dict[str, Any]) -> FakeText:
    name = request["response_format"]["json_schema"]["name"]
    answer = json.loads(json.dumps(FIXTURES[name]))
    if name == "ConceptSet":
        first = answer["concepts"][0]
        first["fullScript"] = f"{VIOLATION} {first['fullScript']}"
    return FakeText(json.dumps(answer))


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with running_fake_openai(FakeScript(chat=_model)) as running:
        yield running


@pytest.fixture
def page(fake: FakeOpenAI, tmp_path: Path) -> Iterator[Page]:
    env = {
        "OPENAI_BASE_URL": fake.base_url,
        "OPENAI_API_KEY": "sk-local-test",
        "ADFORGE_MODEL": "openai:gpt-4.1",
    }
    with serve(tmp_path, extra_env=env) as url, chromium() as browser:
        yield from _page(browser, url, DESKTOP)


def test_cards_carry_a_badge_and_the_modal_lists_the_findings(
    page: Page, tmp_path_factory: pytest.TempPathFactory
) -> None:
    artifacts = artifacts_dir(tmp_path_factory)
    start(page)
    personas = wait_for_choice(page, "persona_selection")
    expect(personas.first.locator(".badge-compliance")).to_be_visible()  # 18+ flag: review
    expect(personas.first.locator(".badge-compliance")).to_contain_text("Review copy")
    personas.first.get_by_role("button", name="Continue with this persona").click()
    angles = wait_for_choice(page, "angle_selection")
    expect(angles.first.locator(".badge-compliance")).to_have_text("Copy check passed")
    angles.first.get_by_role("button", name="Continue with this angle").click()

    scripts = wait_for_choice(page, "script_selection")
    blocked = (
        group(page, "script_selection")
        .locator(".psychology-card")
        .filter(has=page.locator(".badge-compliance.is-blocked"))
    )
    expect(blocked).to_have_count(1)
    expect(blocked.locator(".badge-compliance")).to_contain_text("Copy blocked")
    expect(scripts.locator(".badge-compliance")).to_have_count(scripts.count())

    blocked.get_by_role("button", name="See script details").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    findings = dialog.locator(".finding")
    expect(findings.filter(has_text="ftc.ai_testimonial")).to_have_count(1)
    expect(findings.filter(has_text="fda.sun_protection_implied")).to_have_count(1)
    testimonial = findings.filter(has_text="ftc.ai_testimonial")
    expect(testimonial.locator(".finding-span")).to_have_text("I used this for three weeks")
    expect(testimonial).to_contain_text("fake testimonial")
    expect(testimonial).to_contain_text("Suggested rewrite:")
    dialog.locator(".compliance-findings").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "compliance-findings.png")

    testimonial.get_by_role("button", name="Use this rewrite").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".msg-user").last).to_contain_text("replace")
    expect(page.locator(".msg-user").last).to_contain_text("I used this for three weeks")
    wait_for_choice(page, "script_selection")
    assert page.locator(".card-group[data-kind=script_selection]").count() == 2

    # Rendering blocked copy needs an explicit acknowledgement: the button alone is refused.
    still_blocked = (
        group(page, "script_selection")
        .locator(".psychology-card")
        .filter(has=page.locator(".badge-compliance.is-blocked"))
    )
    still_blocked.get_by_role("button", name="Generate video").click()
    expect(page.get_by_text("blocked by the copy check")).to_be_visible()
    expect(page.locator(".msg-job")).to_have_count(0)
