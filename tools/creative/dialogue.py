"""The offline ad assistant's conversation policy (the ChatKit marketing backend, with no model).

The ChatKit sample's agent follows written instructions: stay on marketing, ask for the product,
then style, tone and pitch one at a time, confirm the brief, write the concept and save it, make
images only when asked, switch the theme before confirming. ``next_action`` follows the same
rules deterministically, so the server can run the ``ad_assistant`` graph with no API key.

The policy is a pure function of the conversation: it re-reads the whole history on every call
(``_fold``), using the ``asked`` marker it left on its own replies to know which question a user
message answers. Nothing is stored between calls, so a replayed graph node answers identically.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from tools.creative import _dialogue_intents as intents
from tools.creative._copy import write_ad_concept
from tools.creative._dialogue_state import (
    FIELDS,
    Intent,
    State,
    interpret,
    pitch_example,
    product_info,
    suggestion,
)
from tools.creative._text import lower_first, title_case
from tools.creative.models import AdConceptDraft, CreativeBrief

__all__ = ["AssistantAction", "ToolCallRequest", "Turn", "next_action"]

ToolName = Literal["save_ad_asset", "generate_ad_image", "switch_theme"]
_REFUSAL = "Sorry, I can only help with ads and related creative assets."


@dataclass(frozen=True, slots=True)
class ToolCallRequest:
    """A tool the assistant wants the host to run (the ChatKit sample's three tools)."""

    name: ToolName
    args: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Turn:
    """One conversation item, oldest first; ``asked`` is read back from the policy's own turns."""

    role: Literal["user", "assistant", "tool"]
    text: str = ""
    tool_calls: tuple[ToolCallRequest, ...] = ()
    tool_name: str | None = None
    tool_result: Mapping[str, Any] | None = None
    asked: str | None = None


@dataclass(frozen=True, slots=True)
class AssistantAction:
    """What the assistant does next: say something, call tools (in order), or both."""

    text: str
    tool_calls: tuple[ToolCallRequest, ...] = ()
    asked: str | None = None


def _fold(turns: Sequence[Turn]) -> State:
    """Replay the conversation into the current brief."""
    state = State()
    for turn in turns:
        if turn.role == "user":
            state, _ = interpret(state, turn.text)
        elif turn.role == "assistant":
            state = replace(state, pending=turn.asked)
            for call in turn.tool_calls:
                if call.name == "save_ad_asset":
                    state = replace(state, concept=dict(call.args))
    return state


def _question(state: State, field: str) -> str:
    product = state.product or "your product"
    if field == "product":
        return "What product, service or idea would you like to promote?"
    if field == "style":
        example = suggestion(state, "style")
        return (
            f"What style or aesthetic should the {product} ad have? For example {example}, "
            f"clean and minimal, or bold and graphic."
        )
    if field == "tone":
        return (
            "What tone should the copy take: playful, bold, warm, premium, calm or professional? "
            "Or describe it in your own words."
        )
    if field == "pitch":
        question = f"What's the core pitch for {product}, the one thing people should remember?"
        feature = pitch_example(state)
        return f"{question} For example: {feature}." if feature else question
    return _summary(state)


def _summary(state: State) -> str:
    lines = [f"- {f.title()}: {title_case(getattr(state, f) or '')}" for f in FIELDS]
    return "\n".join(
        ["Here's the brief:", *lines, "Shall I write the ad? Say yes, or tell me what to change."]
    )


def _ask(state: State, note: str = "") -> AssistantAction:
    field = state.missing() or "confirm"
    text = " ".join(part for part in (note, _question(state, field)) if part)
    return AssistantAction(text, asked=field)


def _concept_action(state: State, intro: str) -> AssistantAction:
    brief = CreativeBrief(
        task="ad_concept",
        product=product_info(state),
        media_type="image",
        format="Static Carousel",
        style=state.style,
        tone=state.tone,
        pitch=state.pitch,
        revision="; ".join(state.revisions) or None,
    )
    draft: AdConceptDraft = write_ad_concept(brief)
    args: dict[str, Any] = {
        "product": title_case(state.product or brief.product.name),
        "style": title_case(state.style or ""),
        "tone": title_case(state.tone or ""),
        "pitch": title_case(state.pitch or ""),
        "headline": title_case(draft.headline),
        "primary_text": draft.primary_text,
        "call_to_action": title_case(draft.call_to_action),
        "image_prompts": list(draft.image_prompts),
    }
    prompts = "\n".join(f"- {prompt}" for prompt in args["image_prompts"])
    text = (
        f"{intro}\n\nHeadline: {args['headline']}\nPrimary text: {args['primary_text']}\n"
        f"Call to action: {args['call_to_action']}\nImage prompts:\n{prompts}\n\n"
        f"I'm saving it to your gallery now."
    )
    return AssistantAction(text, (ToolCallRequest("save_ad_asset", args),))


def _image_action(state: State, request: intents.ImageRequest) -> AssistantAction:
    prompts: list[str] = list(state.concept["image_prompts"]) if state.concept else []
    if not prompts and state.missing() is None:
        prompts = list(_concept_action(state, "").tool_calls[0].args["image_prompts"])
    if not prompts:
        note = "I'd love to make visuals, but I need the brief first so the images match the ad."
        return _ask(state, note)
    index = request.index if -len(prompts) <= request.index < len(prompts) else 0
    call = ToolCallRequest("generate_ad_image", {"prompt": prompts[index], "size": request.size})
    return AssistantAction("", (call,), asked=state.pending)


def _respond(state: State, intent: Intent) -> AssistantAction:
    kind = intent.kind
    if kind == "theme":
        call = ToolCallRequest("switch_theme", {"theme": intent.value})
        return AssistantAction("", (call,), asked=state.pending)
    if kind == "decline":
        if state.pending:
            return AssistantAction(
                f"{_REFUSAL} {_question(state, state.pending)}", asked=state.pending
            )
        if state.concept is not None:
            return AssistantAction(
                f"{_REFUSAL} I can tweak your ad, generate an image or start a new one."
            )
        return _ask(state, _REFUSAL)
    if kind == "image":
        assert intent.image is not None
        return _image_action(state, intent.image)
    if kind == "write":
        return _concept_action(state, f"Here's your ad for {title_case(state.product or '')}.")
    if kind == "revise":
        return _concept_action(state, f"Here's a new version ({lower_first(intent.value)}).")
    if kind == "change":
        return AssistantAction(
            "No problem. What would you like to change: the product, style, tone or pitch?",
            asked="confirm",
        )
    if kind == "ack":
        return AssistantAction(
            "Glad it helps! I can generate an image, make changes, or start a new ad whenever "
            "you're ready."
        )
    return _ask(state, intent.value)


def _after_tool(state: State, turn: Turn, call: ToolCallRequest | None) -> AssistantAction:
    """A short reply to a tool result; a nameless result is matched to its call."""
    name = turn.tool_name or (call.name if call else None)
    result = turn.tool_result or {}
    failed = "error" in result or str(result.get("status", "")).lower() in ("error", "failed")
    if name == "save_ad_asset":
        verdict = result.get("compliance")
        if str(result.get("status", "")).lower() == "blocked":
            return AssistantAction(
                f"I didn't save it: {_copy_check_note(verdict)} Tell me what to change, or say "
                "you accept the findings."
            )
        if failed:
            return AssistantAction(
                "I couldn't save that to your gallery just now. Shall I try again?"
            )
        return AssistantAction(
            f'Saved to your gallery. {_copy_check_note(verdict)} Say "generate an image" when '
            "you want visuals, or tell me what to change."
        )
    if name == "generate_ad_image" and failed:
        return AssistantAction("The image couldn't be generated this time. Shall I try again?")
    suffix = f" {_question(state, state.pending)}" if state.pending else ""
    if name == "generate_ad_image":
        return AssistantAction(
            f"Your image is being generated and will be added to this ad in your gallery.{suffix}",
            asked=state.pending,
        )
    if name == "switch_theme":
        asked_for = call.args.get("theme") if call else None
        theme = str(result.get("theme") or asked_for or "the new")
        return AssistantAction(f"Done, switched to {theme} mode.{suffix}", asked=state.pending)
    return AssistantAction(f"Done.{suffix}", asked=state.pending)


def _copy_check_note(verdict: Any) -> str:
    """The copy gate's verdict in one or two sentences, so the chat shows it, never hides it."""
    if not isinstance(verdict, Mapping):
        return ""
    findings = [f for f in verdict.get("findings", []) if isinstance(f, Mapping)]
    placements = ", ".join(str(p).capitalize() for p in verdict.get("placements", []))
    if not findings:
        return f"Copy check: passed ({placements} placement rules)."
    first = findings[0]
    span = str((first.get("span") or {}).get("text", ""))
    rewrite = f' Suggested: "{first["rewrite"]}".' if first.get("rewrite") else ""
    more = f" ({len(findings) - 1} more in the asset)" if len(findings) > 1 else ""
    kind = "blocks" if verdict.get("status") == "blocked" else "flags"
    return f'Copy check {kind} "{span}": {first.get("reason")}.{rewrite}{more}'


def _matching_call(history: Sequence[Turn]) -> ToolCallRequest | None:
    """The call a trailing tool result answers: the matching call of the last assistant turn."""
    results = 0
    for turn in reversed(history):
        if turn.role == "tool":
            results += 1
        elif turn.role == "assistant":
            calls = turn.tool_calls
            return calls[results - 1] if 0 < results <= len(calls) else None
    return None


def next_action(history: Sequence[Turn]) -> AssistantAction:
    """Decide the assistant's next move from the whole conversation (oldest turn first).

    Raises:
        ValueError: if the history is empty or ends with an assistant turn; the policy only
            answers a user message or a tool result.
    """
    if not history or history[-1].role == "assistant":
        raise ValueError("next_action needs a history ending with a user or tool turn")
    last = history[-1]
    if last.role == "tool":
        return _after_tool(_fold(history[:-1]), last, _matching_call(history))
    state, intent = interpret(_fold(history[:-1]), last.text)
    return _respond(state, intent)
