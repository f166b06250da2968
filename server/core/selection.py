"""Reading a chat message as the answer to the pending choice (Ad Forge protocol parsing).

The guide's frontend sends selections as messages — ``"Selected persona: Women Perimenopausal"``
with ``context.selectedPersona.id`` — and marketers type free text at any step. An id in the
context wins; otherwise the text is matched against the options by name; otherwise it becomes the
free-text hint that regenerates the step. Only ids on offer are produced, so the answer fits the
interrupt's response schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CHOICE_NOUNS",
    "CONTEXT_KEYS",
    "Hint",
    "Interpretation",
    "Pick",
    "Unclear",
    "UnknownOption",
    "answer_for",
    "interpret",
    "selection_summary",
    "theme_request",
]

CONTEXT_KEYS = {
    "persona_selection": ("selectedPersona", "persona"),
    "angle_selection": ("selectedAngle", "angle"),
    "script_selection": ("selectedPsychology", "selectedScript", "psychology", "script"),
}
CHOICE_NOUNS = {
    "persona_selection": ("Target", "persona"),
    "angle_selection": ("Angle", "angle"),
    "script_selection": ("Script", "script"),
}
"""Per choice: the guide's summary label ("Target: …") and the noun of "Selected persona: …"."""


def selection_summary(kind: str, value: str) -> dict[str, Any]:
    """The guide's ``selection`` of a user message that picked ``value`` at choice ``kind``."""
    return {"isSelection": True, "label": CHOICE_NOUNS[kind][0], "value": value}


_PREFIX = re.compile(
    r"^\s*selected\s+(persona|angle|script|psychology|concept)\s*:\s*", re.IGNORECASE
)


_THEME = re.compile(
    r"\b(?:(dark|light)[\s-]*(?:mode|theme)|theme\b.{0,30}?\b(dark|light))\b", re.IGNORECASE
)


def theme_request(message: str) -> str | None:
    """``"dark"`` or ``"light"`` when the message asks for that theme ("switch to dark mode").

    The chat's ``switch_theme``: the marketer may ask at any step, so this is read before the
    message is taken as an answer. Only "<dark|light> mode/theme" or "theme … <dark|light>"
    count, so copy wishes such as "a light-hearted tone" are never mistaken for it.
    """
    match = _THEME.search(message)
    return None if match is None else (match.group(1) or match.group(2)).lower()


def _norm(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text).strip().casefold()


def _option_from_context(
    context: dict[str, Any], keys: tuple[str, ...], ids: set[str]
) -> str | None:
    for key in keys:
        value = context.get(key)
        if isinstance(value, dict) and value.get("id") in ids:
            return str(value["id"])
        if isinstance(value, str) and value in ids:
            return value
    return None


def _option_by_name(text: str, options: list[dict[str, Any]]) -> str | None:
    wanted = _norm(_PREFIX.sub("", text))
    if not wanted:
        return None
    for option in options:
        label = _norm(str(option.get("label") or ""))
        if wanted == label or wanted == _norm(str(option["id"])):
            return str(option["id"])
    matches = [o for o in options if wanted in _norm(str(o.get("label") or ""))]
    return str(matches[0]["id"]) if len(matches) == 1 else None


def answer_for(
    pending: dict[str, Any], message: str, context: dict[str, Any], *, avatar_id: str | None = None
) -> dict[str, Any]:
    """The resume value for ``pending`` (an interrupt's value) given the user's message."""
    options: list[dict[str, Any]] = pending.get("options") or []
    ids = {str(o["id"]) for o in options}
    option = _option_from_context(context, CONTEXT_KEYS.get(pending["kind"], ()), ids)
    option = option or _option_by_name(message, options)
    if option is None:
        return {"freeText": message.strip()[:500]}
    answer: dict[str, Any] = {"optionId": option}
    if pending["kind"] == "script_selection":
        answer["action"] = pending.get("action", "generate_video")
        if answer["action"] == "generate_video" and avatar_id:
            answer["avatarId"] = avatar_id
    return answer


@dataclass(frozen=True, slots=True)
class Pick:
    """The message picked an option: ``answer`` is the interrupt's resume value."""

    answer: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Hint:
    """Free text that regenerates the step."""

    text: str


@dataclass(frozen=True, slots=True)
class Unclear:
    """Neither a pick nor a usable hint: ``reply`` asks which option the user means."""

    reply: str


@dataclass(frozen=True, slots=True)
class UnknownOption:
    """The message named an option that is not on offer."""

    offered_ids: tuple[str, ...]
    asked: str


Interpretation = Pick | Hint | Unclear | UnknownOption


def interpret(
    pending: dict[str, Any], message: str, context: dict[str, Any], *, avatar_id: str | None = None
) -> Interpretation:
    """What ``message`` (with the client's ``context``) means at the choice ``pending``."""
    answer = answer_for(pending, message, context, avatar_id=avatar_id)
    if "optionId" in answer:
        return Pick(answer)
    return Hint(str(answer["freeText"]))
