"""The offline ad assistant follows the ChatKit marketing backend's instructions."""

from __future__ import annotations

import re
from random import Random
from typing import Any

import pytest

from tools.copy_checks import compliance_issues
from tools.creative.dialogue import AssistantAction, ToolCallRequest, Turn, next_action
from tools.creative.models import word_count

SAVE_KEYS = {
    "product",
    "style",
    "tone",
    "pitch",
    "headline",
    "primary_text",
    "call_to_action",
    "image_prompts",
}
SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on"}
SMALL_WORDS |= {"or", "per", "the", "to", "vs", "via", "with", "nor"}
BRIEF = ["Aurora Cold Brew", "Clean and minimal", "Playful", "Cafe-quality coffee in ten seconds"]


class Chat:
    """A conversation driven through ``next_action``, recording turns the way a host would."""

    def __init__(self) -> None:
        self.history: list[Turn] = []

    def _act(self) -> AssistantAction:
        action = next_action(self.history)
        self.history.append(Turn("assistant", action.text, action.tool_calls, asked=action.asked))
        return action

    def say(self, text: str) -> AssistantAction:
        self.history.append(Turn("user", text))
        return self._act()

    def result(self, name: str, result: dict[str, Any]) -> AssistantAction:
        self.history.append(Turn("tool", tool_name=name, tool_result=result))
        return self._act()

    def brief(self, answers: list[str] = BRIEF) -> AssistantAction:
        self.say("hi")
        action = AssistantAction("")
        for answer in answers:
            action = self.say(answer)
        return action


def only_call(action: AssistantAction, name: str) -> ToolCallRequest:
    assert [c.name for c in action.tool_calls] == [name], action
    return action.tool_calls[0]


def is_title_case(text: str) -> bool:
    words = re.findall(r"[A-Za-zÀ-ÿ][\w'’-]*", text)
    return all(w[0].isupper() or (i and w.lower() in SMALL_WORDS) for i, w in enumerate(words))


def test_full_conversation_from_hello_to_theme_switch() -> None:
    chat = Chat()
    opening = chat.say("hi")
    assert opening.asked == "product" and not opening.tool_calls
    assert "promote" in opening.text
    asked = [chat.say(answer).asked for answer in BRIEF]
    assert asked == ["style", "tone", "pitch", "confirm"]
    summary = chat.history[-1].text
    for value in ("Aurora Cold Brew", "Clean and Minimal", "Playful", "Ten Seconds"):
        assert value in summary

    concept = chat.say("yes")
    save = only_call(concept, "save_ad_asset")
    args = dict(save.args)
    assert set(args) == SAVE_KEYS
    assert args["headline"] in concept.text and args["primary_text"] in concept.text
    assert all(prompt in concept.text for prompt in args["image_prompts"])
    assert len(args["headline"]) <= 40 and 45 <= word_count(args["primary_text"]) <= 80
    assert 3 <= len(args["image_prompts"]) <= 4
    assert (args["product"], args["tone"]) == ("Aurora Cold Brew", "Playful")
    for key in ("product", "style", "tone", "pitch", "headline", "call_to_action"):
        assert is_title_case(args[key]) and not re.search(r"[*#`\"]", args[key]), args[key]

    saved = chat.result("save_ad_asset", {"asset_id": "asset_1", "status": "saved"})
    assert "saved" in saved.text.lower() and not saved.tool_calls

    image = chat.say("generate an image")
    call = only_call(image, "generate_ad_image")
    assert dict(call.args) == {"prompt": args["image_prompts"][0], "size": "1080x1080"}
    generated = chat.result("generate_ad_image", {"status": "generated"})
    assert "being generated" in generated.text and not generated.tool_calls

    theme = chat.say("switch to dark mode")
    assert dict(only_call(theme, "switch_theme").args) == {"theme": "dark"}
    assert theme.text == ""  # the tool call comes before any confirming words
    done = chat.result("switch_theme", {"theme": "dark"})
    assert "dark" in done.text and not done.tool_calls


def test_off_topic_requests_are_declined_and_the_question_re_asked() -> None:
    chat = Chat()
    first = chat.say("What's the weather in Paris tomorrow?")
    assert "only help with ads" in first.text and not first.tool_calls
    assert first.asked == "product"
    chat.say("Aurora Cold Brew")
    chat.say("minimal")
    for request in ("Tell me a joke", "Can you fix my Python code?", "help with my homework"):
        declined = chat.say(request)
        assert "only help with ads" in declined.text and not declined.tool_calls
        assert declined.asked == "tone" and "What tone" in declined.text


@pytest.mark.parametrize(
    ("opening", "product"),
    [
        ("Launch campaign for Aurora Cold Brew", "Aurora Cold Brew"),
        ("I want an ad for my bakery", "Bakery"),
        ("Can you help me promote my new yoga studio?", "Yoga Studio"),
    ],
)
def test_a_first_message_naming_the_product_skips_the_product_question(
    opening: str, product: str
) -> None:
    action = Chat().say(opening)
    assert action.asked == "style"
    assert product in action.text


def test_a_first_message_without_a_product_asks_for_one() -> None:
    for opening in ("Launch campaign", "Hello there", "Refresh brand"):
        assert Chat().say(opening).asked == "product"


def test_a_product_answer_that_mentions_weather_is_not_declined() -> None:
    chat = Chat()
    chat.say("hi")
    action = chat.say("A weather app for hikers")
    assert action.asked == "style" and "only help" not in action.text


def test_a_correction_at_confirmation_updates_the_brief_and_re_confirms() -> None:
    chat = Chat()
    chat.brief()
    corrected = chat.say("change the tone to bold")
    assert corrected.asked == "confirm" and not corrected.tool_calls
    assert "- Tone: Bold" in corrected.text
    unclear = chat.say("no")
    assert unclear.asked == "confirm" and "change" in unclear.text
    save = only_call(chat.say("looks good"), "save_ad_asset")
    assert save.args["tone"] == "Bold"


def test_revisions_write_a_new_concept_and_save_again() -> None:
    chat = Chat()
    chat.brief()
    first = dict(only_call(chat.say("go ahead"), "save_ad_asset").args)
    chat.result("save_ad_asset", {"asset_id": "asset_1", "status": "saved"})

    bolder = dict(only_call(chat.say("change the tone to bold"), "save_ad_asset").args)
    assert bolder["tone"] == "Bold" and bolder["primary_text"] != first["primary_text"]
    chat.result("save_ad_asset", {"asset_id": "asset_1", "status": "saved"})

    shorter = dict(only_call(chat.say("shorter headline"), "save_ad_asset").args)
    assert len(shorter["headline"]) < len(bolder["headline"])
    assert shorter["primary_text"] == bolder["primary_text"]
    chat.result("save_ad_asset", {"asset_id": "asset_1", "status": "saved"})

    playful = dict(only_call(chat.say("make it more playful"), "save_ad_asset").args)
    assert playful["tone"] == "Playful" and playful["primary_text"] != bolder["primary_text"]


@pytest.mark.parametrize(
    ("request_text", "size"),
    [
        ("show me a visual", "1080x1080"),
        ("create the images in portrait", "1080x1350"),
        ("generate an image for Instagram stories", "1080x1920"),
        ("make a landscape image for a link ad", "1200x628"),
    ],
)
def test_image_sizes_follow_the_placement(request_text: str, size: str) -> None:
    chat = Chat()
    chat.brief()
    chat.say("yes")
    chat.result("save_ad_asset", {"asset_id": "asset_1", "status": "saved"})
    call = only_call(chat.say(request_text), "generate_ad_image")
    assert call.args["size"] == size


def test_the_second_prompt_can_be_asked_for() -> None:
    chat = Chat()
    chat.brief()
    prompts = only_call(chat.say("yes"), "save_ad_asset").args["image_prompts"]
    chat.result("save_ad_asset", {"asset_id": "asset_1", "status": "saved"})
    call = only_call(chat.say("generate an image from the second prompt idea"), "generate_ad_image")
    assert call.args["prompt"] == prompts[1]


def test_no_image_without_a_brief() -> None:
    action = Chat().say("generate an image")
    assert not action.tool_calls
    assert "brief" in action.text and action.asked == "product"


def test_images_are_never_generated_unasked() -> None:
    chat = Chat()
    chat.brief()
    actions = [chat.say("yes")]
    actions.append(chat.result("save_ad_asset", {"asset_id": "asset_1", "status": "saved"}))
    actions.append(chat.say("thanks, love it"))
    names = [c.name for a in actions for c in a.tool_calls]
    assert names == ["save_ad_asset"]


def test_light_theme_mid_brief_keeps_the_pending_question() -> None:
    chat = Chat()
    chat.say("hi")
    chat.say("Aurora Cold Brew")
    theme = chat.say("switch to light theme")
    assert dict(only_call(theme, "switch_theme").args) == {"theme": "light"}
    assert theme.asked == "style"
    done = chat.result("switch_theme", {"theme": "light"})
    assert "light" in done.text and done.asked == "style" and "style" in done.text
    assert chat.say("minimal").asked == "tone"


def test_unsure_answers_get_a_suggestion() -> None:
    chat = Chat()
    chat.say("Launch campaign for StrideLite Trail Runner")
    action = chat.say("not sure, you pick")
    assert action.asked == "tone" and "suggest" in action.text


def test_a_failed_tool_is_reported_honestly() -> None:
    chat = Chat()
    chat.brief()
    chat.say("yes")
    failed = chat.result("save_ad_asset", {"error": "store unavailable"})
    assert "couldn't" in failed.text and not failed.tool_calls


def test_a_nameless_tool_result_is_matched_to_its_call() -> None:
    chat = Chat()
    chat.brief()
    chat.say("yes")
    chat.history.append(Turn("tool", tool_result={"asset_id": "asset_1", "status": "saved"}))
    assert "Saved to your gallery" in next_action(chat.history).text
    chat.history.append(Turn("assistant", "Saved."))
    chat.say("dark mode please")
    chat.history.append(Turn("tool", tool_result={"text": "ok"}))
    assert "switched to dark mode" in next_action(chat.history).text


def test_the_policy_is_a_pure_function_of_the_history() -> None:
    chat = Chat()
    chat.brief()
    chat.say("yes")
    history = list(chat.history[:-1])
    assert next_action(history) == next_action(list(history))


def test_a_history_must_end_with_a_user_or_tool_turn() -> None:
    with pytest.raises(ValueError):
        next_action([])
    with pytest.raises(ValueError):
        next_action([Turn("user", "hi"), Turn("assistant", "Hello!")])


MESSAGES = (
    "hi", "Aurora Cold Brew", "I want an ad for my bakery", "minimal", "bold", "not sure", "yes",
    "no", "change the tone to calm", "generate an image", "show me a portrait visual",
    "switch to dark mode", "what's the weather?", "make it more playful", "shorter headline",
    "mention the price", "thanks!", "Launch campaign", "Cures acne guaranteed", "?", "x" * 300,
    "Are you perimenopausal?", "tan safely with SPF", "another headline", "make the images brighter",
)  # fmt: skip


@pytest.mark.parametrize("seed", range(6))
def test_random_conversations_keep_the_contract(seed: int) -> None:
    """Whatever the user types, replies stay valid, compliant and tool results get words."""
    rng = Random(seed)
    for _ in range(15):
        chat = Chat()
        for _ in range(rng.randint(3, 20)):
            action = chat.say(rng.choice(MESSAGES))
            assert action.text or action.tool_calls
            for call in action.tool_calls:
                if call.name == "save_ad_asset":
                    assert set(call.args) == SAVE_KEYS
                    assert 45 <= word_count(call.args["primary_text"]) <= 80
                    copy = [call.args["headline"], call.args["primary_text"]]
                    assert not any(compliance_issues(t) for t in copy + call.args["image_prompts"])
                after = chat.result(call.name, {"status": "ok", "theme": "dark"})
                assert after.text and not after.tool_calls
