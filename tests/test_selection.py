"""How a chat message answers a pending choice: a pick, an unknown option, a hint or a question."""

from __future__ import annotations

from typing import Any

import pytest

from server.core.errors import ApiError
from server.core.selection import (
    Hint,
    Pick,
    Unclear,
    UnknownOption,
    answer_for,
    interpret,
    theme_request,
)

PERSONAS: dict[str, Any] = {
    "kind": "persona_selection",
    "options": [
        {"id": "per-1", "label": "Women Perimenopausal"},
        {"id": "per-2", "label": "Busy Urban Professionals"},
        {"id": "per-3", "label": "First-Time Self-Tanners"},
    ],
}
FOUR_PERSONAS: dict[str, Any] = {
    **PERSONAS,
    "options": [*PERSONAS["options"], {"id": "per-4", "label": "Trail Runners"}],
}
ANGLES: dict[str, Any] = {
    "kind": "angle_selection",
    "options": [
        {"id": "ang-1", "label": "Angle 1 : Balance vs Mask"},
        {"id": "ang-2", "label": "Angle 2 : Glow Without Guilt"},
        {"id": "ang-3", "label": "Angle 3 : Ten-Second Routine"},
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
RECOMMENDED: dict[str, Any] = {
    **PERSONAS,
    "options": [
        PERSONAS["options"][0],
        {**PERSONAS["options"][1], "recommended": True},
        PERSONAS["options"][2],
    ],
}
CLARIFY_PERSONAS = (
    "Which persona? Reply with a number or a name: 1. Women Perimenopausal, "
    "2. Busy Urban Professionals, 3. First-Time Self-Tanners, "
    "or describe the audience you want instead."
)


def _picked(pending: dict[str, Any], message: str, context: dict[str, Any] | None = None) -> str:
    outcome = interpret(pending, message, context or {})
    assert isinstance(outcome, Pick), outcome
    return str(outcome.answer["optionId"])


# --- picks: ids, names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "context", "expected"),
    [
        # the guide's selection message: the id in the context wins, whatever the text says
        ("Selected persona: anything", {"selectedPersona": {"id": "per-2"}}, "per-2"),
        ("hello", {"persona": "per-3"}, "per-3"),
        # later steps of the guide send the bare name in the context
        ("go", {"selectedPersona": "Busy Urban Professionals"}, "per-2"),
        # exact name, with or without the guide's prefix, case and punctuation ignored
        ("Selected persona: Women Perimenopausal", {}, "per-1"),
        ("busy urban professionals!", {}, "per-2"),
        ("per-3", {}, "per-3"),
        # a unique part of a name, as whole words
        ("first-time", {}, "per-3"),
        ("women", {}, "per-1"),
    ],
)
def test_a_message_that_names_an_option_selects_it(
    message: str, context: dict[str, Any], expected: str
) -> None:
    assert interpret(PERSONAS, message, context) == Pick(
        {"optionId": expected},
        label=next(o["label"] for o in PERSONAS["options"] if o["id"] == expected),
        kind="persona_selection",
    )
    assert answer_for(PERSONAS, message, context) == {"optionId": expected}


def test_a_pick_carries_the_guides_selection_summary() -> None:
    outcome = interpret(PERSONAS, "Selected persona: Women Perimenopausal", {})
    assert isinstance(outcome, Pick)
    assert outcome.selection == {
        "isSelection": True,
        "label": "Target",
        "value": "Women Perimenopausal",
    }


def test_context_keys_of_another_step_are_not_read() -> None:
    # at the angle step the guide still sends the persona chosen before
    context = {"selectedPersona": {"id": "per-1"}, "selectedAngle": {"id": "ang-3"}}
    assert _picked(ANGLES, "Selected angle: Angle 3 : Ten-Second Routine", context) == "ang-3"
    assert interpret(ANGLES, "shorter hooks", {"selectedPersona": "per-9"}) == Hint("shorter hooks")


# --- picks: ordinals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("the first one", "per-1"),
        ("option 2", "per-2"),
        ("Option 2.", "per-2"),
        ("#3", "per-3"),
        ("3", "per-3"),
        ("1.", "per-1"),
        ("the second persona", "per-2"),
        ("the second audience", "per-2"),
        ("persona 3", "per-3"),
        ("number two", "per-2"),
        ("no. 4", "per-4"),
        ("2nd", "per-2"),
        ("the 4th", "per-4"),
        ("last one", "per-4"),
        ("the last option", "per-4"),
        ("choice #4", "per-4"),
        ("I'll take the 2nd one please", "per-2"),
        ("let's go with number 3", "per-3"),
        ("first", "per-1"),  # a whole-message ordinal, though a name starts with "First"
    ],
)
def test_an_ordinal_picks_the_option_at_that_position(message: str, expected: str) -> None:
    assert _picked(FOUR_PERSONAS, message) == expected


def test_an_ordinal_naming_its_step_picks_there() -> None:
    assert _picked(ANGLES, "the third angle") == "ang-3"
    assert _picked(SCRIPTS, "the second script") == "con-2"
    assert _picked(SCRIPTS, "concept 1") == "con-1"


@pytest.mark.parametrize(("message", "position"), [("option 7", 7), ("#5", 5), ("option 0", 0)])
def test_an_ordinal_past_the_options_gets_a_question_not_a_hint(
    message: str, position: int
) -> None:
    outcome = interpret(FOUR_PERSONAS, message, {})
    assert outcome == Unclear(
        f"There is no persona {position}: there are 4 personas. Which persona? Reply with a "
        "number or a name: 1. Women Perimenopausal, 2. Busy Urban Professionals, "
        "3. First-Time Self-Tanners, 4. Trail Runners, or describe the audience you want instead."
    )


def test_an_ordinal_naming_another_step_gets_a_question() -> None:
    outcome = interpret(PERSONAS, "the third angle", {})
    assert outcome == Unclear(f"This step is choosing a persona. {CLARIFY_PERSONAS}")


# --- picks: affirmatives ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "yes",
        "Sure!",
        "ok",
        "sounds good",
        "go with that",
        "Let's do it",
        "the recommended one",
        "yes please",
        "yeah, go ahead",
    ],
)
def test_an_affirmative_picks_the_one_recommended_option(message: str) -> None:
    assert _picked(RECOMMENDED, message) == "per-2"
    assert answer_for(RECOMMENDED, message, {}) == {"optionId": "per-2"}


@pytest.mark.parametrize("message", ["yes", "sure", "sounds good", "the recommended one"])
def test_an_affirmative_with_nothing_recommended_gets_a_question(message: str) -> None:
    assert interpret(PERSONAS, message, {}) == Unclear(CLARIFY_PERSONAS)


def test_an_affirmative_with_two_recommended_options_gets_a_question() -> None:
    options = [{**o, "highlighted": True} for o in PERSONAS["options"][:2]]
    pending = {**PERSONAS, "options": [*options, PERSONAS["options"][2]]}
    assert isinstance(interpret(pending, "yes", {}), Unclear)


def test_thanks_alone_is_not_a_yes() -> None:
    assert isinstance(interpret(RECOMMENDED, "thanks", {}), Unclear)


# --- unknown options -------------------------------------------------------------------------


def test_an_id_not_on_offer_in_the_context_is_an_unknown_option() -> None:
    outcome = interpret(
        PERSONAS, "Selected persona: Nobody Real", {"selectedPersona": {"id": "aud-99"}}
    )
    assert outcome == UnknownOption(
        offered_ids=("per-1", "per-2", "per-3"),
        asked="aud-99",
        offered_labels=(
            "Women Perimenopausal",
            "Busy Urban Professionals",
            "First-Time Self-Tanners",
        ),
        noun="persona",
    )


def test_the_selection_form_naming_no_option_is_an_unknown_option() -> None:
    outcome = interpret(PERSONAS, "Selected persona: Nobody Real", {})
    assert isinstance(outcome, UnknownOption)
    assert outcome.asked == "Nobody Real"
    assert outcome.offered_ids == ("per-1", "per-2", "per-3")


def test_an_unknown_option_answers_422_listing_the_ids_and_names_on_offer() -> None:
    outcome = interpret(SCRIPTS, "x", {"selectedPsychology": {"id": "psych-9", "title": "Nope"}})
    assert isinstance(outcome, UnknownOption)
    error = outcome.error()
    assert isinstance(error, ApiError)
    assert (error.status, error.code, error.retryable) == (422, "unknown_option", False)
    assert error.message == (
        "no script 'psych-9' is on offer; "
        "choose one of: con-1 (Social Proof), con-2 (Loss Aversion)"
    )


def test_answer_for_falls_back_to_free_text_for_callers_that_cannot_refuse() -> None:
    answer = answer_for(PERSONAS, "Selected persona: Ghost", {"selectedPersona": {"id": "per-9"}})
    assert answer == {"freeText": "Selected persona: Ghost"}


# --- hints and unclear replies ---------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "runners over 40",
        "focus on tax season stress, make it punchy",
        "Make them younger and more outdoorsy",
    ],
)
def test_free_text_that_names_no_option_becomes_a_hint(message: str) -> None:
    assert interpret(PERSONAS, message, {}) == Hint(message)
    assert answer_for(PERSONAS, message, {}) == {"freeText": message}


@pytest.mark.parametrize(
    "message",
    [
        "pick",
        "hmm",
        "?",
        "idk",
        "whatever",
        "I don't know",
        "which one is best?",
        "no",
        "Selected persona: ",  # the prefix alone names nothing
        "   ",
    ],
)
def test_text_with_no_wish_gets_a_question_listing_the_options(message: str) -> None:
    assert interpret(PERSONAS, message, {}) == Unclear(CLARIFY_PERSONAS)


def test_the_question_names_what_the_step_is_about() -> None:
    angle = interpret(ANGLES, "hmm", {})
    assert angle == Unclear(
        "Which angle? Reply with a number or a name: 1. Angle 1 : Balance vs Mask, "
        "2. Angle 2 : Glow Without Guilt, 3. Angle 3 : Ten-Second Routine, "
        "or describe the angle you want instead."
    )
    script = interpret(SCRIPTS, "?", {})
    assert isinstance(script, Unclear)
    assert script.reply.endswith(
        "1. Social Proof, 2. Loss Aversion, or describe the script you want instead."
    )


@pytest.mark.parametrize(
    "message",
    [
        "yes",
        "Sure thing",
        "alright then",
        "ok then",
        "cool",
        "thanks",
        "idk",
        "the first one",
        "pick",
        "you choose",
        "up to you",
    ],
)
def test_no_reply_ever_becomes_a_persona_named_after_it(message: str) -> None:
    assert not isinstance(interpret(PERSONAS, message, {}), Hint)


def test_a_yes_with_a_wish_is_a_hint() -> None:
    assert interpret(RECOMMENDED, "yes but younger", {}) == Hint("yes but younger")


def test_an_ambiguous_part_of_several_names_is_a_hint_not_a_guess() -> None:
    pending = {
        "kind": "angle_selection",
        "options": [{"id": "a1", "label": "Glow Proof"}, {"id": "a2", "label": "Glow Ritual"}],
    }
    assert interpret(pending, "glow", {}) == Hint("glow")


def test_free_text_hints_are_trimmed_and_capped() -> None:
    assert interpret(PERSONAS, "  " + "x" * 900 + "  ", {}) == Hint("x" * 500)
    assert answer_for(PERSONAS, "  " + "x" * 900 + "  ", {}) == {"freeText": "x" * 500}


# --- script choices --------------------------------------------------------------------------


def test_a_script_choice_carries_the_action_and_the_avatar() -> None:
    answer = answer_for(SCRIPTS, "Selected script: Loss Aversion", {}, avatar_id="ava-2")
    assert answer == {"optionId": "con-2", "action": "generate_video", "avatarId": "ava-2"}
    image = {**SCRIPTS, "action": "generate_image"}
    assert answer_for(image, "x", {"selectedPsychology": {"id": "con-1"}}, avatar_id="ava-2") == {
        "optionId": "con-1",
        "action": "generate_image",
    }


def test_an_ordinal_script_pick_carries_the_action_and_the_avatar() -> None:
    outcome = interpret(SCRIPTS, "the second one", {}, avatar_id="ava-2")
    assert outcome == Pick(
        {"optionId": "con-2", "action": "generate_video", "avatarId": "ava-2"},
        label="Loss Aversion",
        kind="script_selection",
    )


# --- theme -----------------------------------------------------------------------------------


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
