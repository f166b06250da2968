"""How a chat message answers the pending choice: ids from context, names in text, else a hint."""

from __future__ import annotations

from typing import Any

import pytest

from server.core.selection import answer_for, theme_request

PERSONAS: dict[str, Any] = {
    "kind": "persona_selection",
    "options": [
        {"id": "per-1", "label": "Women Perimenopausal"},
        {"id": "per-2", "label": "Busy Urban Professionals"},
        {"id": "per-3", "label": "First-Time Self-Tanners"},
    ],
}
SCRIPTS: dict[str, Any] = {
    "kind": "script_selection",
    "action": "generate_video",
    "options": [
        {"id": "con-1", "label": "Social Proof"},
        {"id": "con-2", "label": "Loss Aversion"},
    ],
}


@pytest.mark.parametrize(
    ("message", "context", "expected"),
    [
        # the guide's selection message: the id in the context wins, whatever the text says
        ("Selected persona: anything", {"selectedPersona": {"id": "per-2"}}, "per-2"),
        ("hello", {"persona": "per-3"}, "per-3"),
        # exact name, with or without the guide's prefix, case and punctuation ignored
        ("Selected persona: Women Perimenopausal", {}, "per-1"),
        ("busy urban professionals!", {}, "per-2"),
        ("per-3", {}, "per-3"),
        # a unique part of a name
        ("first-time", {}, "per-3"),
        ("women", {}, "per-1"),
    ],
)
def test_a_message_that_names_an_option_selects_it(
    message: str, context: dict[str, Any], expected: str
) -> None:
    assert answer_for(PERSONAS, message, context) == {"optionId": expected}


@pytest.mark.parametrize(
    "message",
    [
        "Make them younger and more outdoorsy",  # a wish: regenerate with it as the hint
        "Selected persona: ",  # the prefix alone names nothing
    ],
)
def test_free_text_that_names_no_option_becomes_a_hint(message: str) -> None:
    assert answer_for(PERSONAS, message, {}) == {"freeText": message.strip()}


def test_an_ambiguous_part_of_several_names_is_a_hint_not_a_guess() -> None:
    pending = {
        "kind": "angle_selection",
        "options": [{"id": "a1", "label": "Glow Proof"}, {"id": "a2", "label": "Glow Ritual"}],
    }
    assert answer_for(pending, "glow", {}) == {"freeText": "glow"}


def test_an_id_not_on_offer_in_the_context_is_ignored() -> None:
    answer = answer_for(PERSONAS, "Selected persona: Ghost", {"selectedPersona": {"id": "per-9"}})
    assert answer == {"freeText": "Selected persona: Ghost"}


def test_free_text_hints_are_trimmed_and_capped() -> None:
    answer = answer_for(PERSONAS, "  " + "x" * 900 + "  ", {})
    assert answer == {"freeText": "x" * 500}


def test_a_script_choice_carries_the_action_and_the_avatar() -> None:
    answer = answer_for(SCRIPTS, "Selected script: Loss Aversion", {}, avatar_id="ava-2")
    assert answer == {"optionId": "con-2", "action": "generate_video", "avatarId": "ava-2"}
    image = {**SCRIPTS, "action": "generate_image"}
    assert answer_for(image, "x", {"selectedPsychology": {"id": "con-1"}}, avatar_id="ava-2") == {
        "optionId": "con-1",
        "action": "generate_image",
    }


@pytest.mark.parametrize(
    ("message", "theme"),
    [
        ("Switch to dark mode", "dark"),
        ("can you use the LIGHT theme?", "light"),
        ("set the theme to dark please", "dark"),
        ("dark-mode", "dark"),
        ("a light-hearted tone for busy parents", None),
        ("darker colours in the ad", None),
        ("Selected persona: Light Sleepers", None),
    ],
)
def test_theme_requests_are_told_apart_from_copy_wishes(message: str, theme: str | None) -> None:
    assert theme_request(message) == theme
