"""Reading a chat message as the answer to the pending choice, protocol-neutral.

The guide's frontend sends selections as messages — ``"Selected persona: Women Perimenopausal"``
with ``context.selectedPersona.id`` — and marketers type anything at any step: a name, "the
second one", "yes", a wish for other personas, or "hmm". :func:`interpret` reads the message,
in this order, into one of four outcomes:

1. an id in the context (``CONTEXT_KEYS`` of this choice): on offer → :class:`Pick`, otherwise
   :class:`UnknownOption` (the core answers 422 listing what is on offer; the choice stays open);
2. the guide's selection form "Selected persona: X": X must name an option, else
   :class:`UnknownOption`; nothing after the colon is :class:`Unclear`;
3. an option's exact name or id → :class:`Pick`;
4. an ordinal ("option 2", "#3", "the last one") → :class:`Pick`, or :class:`Unclear` when no
   option has that position or its noun names another step ("the second angle" at personas);
5. an affirmative ("yes", "sounds good") → :class:`Pick` of the one option flagged
   ``recommended`` (or ``highlighted``), otherwise :class:`Unclear` — never a persona named "Yes";
6. a unique whole-word part of one name ("women") → :class:`Pick`;
7. text with no wish in it ("pick", "idk", "?") → :class:`Unclear`; anything else is a
   :class:`Hint` that regenerates the step.

Only ids on offer are ever produced, so a pick's answer fits the interrupt's response schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeAlias

from server.core.errors import ApiError, invalid
from server.core.selection_phrases import is_affirmative, is_empty_reply, normalize, ordinal

__all__ = [
    "CHOICE_NOUNS",
    "CONTEXT_KEYS",
    "RECOMMENDED_KEYS",
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
RECOMMENDED_KEYS = ("recommended", "highlighted")
"""Option flags that make an affirmative reply ("yes") pick that option, when exactly one has one.

Today's proposals flag none, so "yes" is answered with a clarifying question."""
HINT_MAX_CHARS = 500
"""The ``freeText`` limit of the interrupts' response schema (``graph.nodes.choices``)."""
_INSTEAD = {
    "persona_selection": "describe the audience you want instead",
    "angle_selection": "describe the angle you want instead",
    "script_selection": "describe the script you want instead",
}


def selection_summary(kind: str, value: str) -> dict[str, Any]:
    """The guide's ``selection`` of a user message that picked ``value`` at choice ``kind``."""
    return {"isSelection": True, "label": CHOICE_NOUNS[kind][0], "value": value}


@dataclass(frozen=True, slots=True)
class Pick:
    """The message picks an option: resume the interrupt with ``answer``."""

    answer: dict[str, Any]
    """``{"optionId": …}``, plus ``action`` (and ``avatarId``) for a script choice."""
    label: str
    """The option's name, for the transcript's "Selected persona: …" and the summary."""
    kind: str

    @property
    def selection(self) -> dict[str, Any]:
        """The guide's selection summary of the user message ("Target: …")."""
        return selection_summary(self.kind, self.label)


@dataclass(frozen=True, slots=True)
class Hint:
    """Free text that regenerates the step with itself as the hint."""

    text: str

    @property
    def answer(self) -> dict[str, Any]:
        """The resume value: ``{"freeText": …}``."""
        return {"freeText": self.text}


@dataclass(frozen=True, slots=True)
class UnknownOption:
    """The message names an option that is not on offer: refuse it, keep the choice pending."""

    offered_ids: tuple[str, ...]
    asked: str
    offered_labels: tuple[str, ...] = ()
    """The names of ``offered_ids``, in the same order."""
    noun: str = "option"

    def error(self) -> ApiError:
        """The 422 ``unknown_option`` that lists every id on offer with its name."""
        offered = ", ".join(
            f"{id_} ({label})" if label and label != id_ else id_
            for id_, label in zip(
                self.offered_ids, self.offered_labels or self.offered_ids, strict=False
            )
        )
        return invalid(
            f"no {self.noun} {self.asked!r} is on offer; choose one of: {offered}",
            "unknown_option",
        )


@dataclass(frozen=True, slots=True)
class Unclear:
    """Neither a pick nor a usable hint: send ``reply`` as a text message, keep the choice open."""

    reply: str


Interpretation: TypeAlias = Pick | Hint | UnknownOption | Unclear

_PREFIX = re.compile(
    r"^\s*selected\s+(?:persona|audience|angle|script|psychology|concept)\s*:\s*", re.IGNORECASE
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


def _label(option: dict[str, Any]) -> str:
    return str(option.get("label") or option["id"])


def _exact(text: str, options: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The option whose id or name is ``text`` (case and punctuation ignored)."""
    wanted = normalize(text)
    for option in options:
        if text.strip() == str(option["id"]) or wanted in (
            normalize(_label(option)),
            normalize(str(option["id"])),
        ):
            return option
    return None


def _part_of_one_name(text: str, options: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The one option whose name contains ``text`` as whole words ("women"), else None."""
    wanted = normalize(text)
    if is_empty_reply(wanted):  # "the" or "one" inside a name is no pick
        return None
    matches = [o for o in options if f" {wanted} " in f" {normalize(_label(o))} "]
    return matches[0] if len(matches) == 1 else None


def _from_context(
    context: dict[str, Any], keys: tuple[str, ...], options: list[dict[str, Any]]
) -> dict[str, Any] | str | None:
    """The option the context names, else the first name or id it asks for that is not on offer.

    The guide sends ``{"id": …, "name": …}`` objects, and at later steps bare names
    (``"selectedPersona": "Women Perimenopausal"``); both are read, the id first.
    """
    unknown: str | None = None
    for key in keys:
        value = context.get(key)
        if isinstance(value, dict):
            value = value.get("id") or value.get("name") or value.get("title")
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            continue
        option = _exact(value, options)
        if option is not None:
            return option
        unknown = unknown or value
    return unknown


def _clarify(kind: str, options: list[dict[str, Any]], lead: str = "") -> Unclear:
    noun = CHOICE_NOUNS.get(kind, ("", "option"))[1]
    instead = _INSTEAD.get(kind, "describe what you want instead")
    if not options:
        return Unclear(f"{lead}Please {instead.removesuffix(' instead')}.")
    listing = ", ".join(f"{n}. {_label(o)}" for n, o in enumerate(options, start=1))
    return Unclear(f"{lead}Which {noun}? Reply with a number or a name: {listing}, or {instead}.")


def _by_position(
    kind: str, message: str, options: list[dict[str, Any]]
) -> dict[str, Any] | Unclear | None:
    """The option at the position the message names, a question when none is there, else None."""
    said = ordinal(message)
    if said is None:
        return None
    noun = CHOICE_NOUNS.get(kind, ("", "option"))[1]
    if said.kind is not None and said.kind != kind:
        return _clarify(kind, options, f"This step is choosing a {noun}. ")
    position = len(options) if said.position is None else said.position
    if not 1 <= position <= len(options):
        count = f"{len(options)} {noun}s" if len(options) != 1 else f"one {noun}"
        return _clarify(kind, options, f"There is no {noun} {position}: there are {count}. ")
    return options[position - 1]


def _pick(
    kind: str, pending: dict[str, Any], option: dict[str, Any], avatar_id: str | None
) -> Pick:
    answer: dict[str, Any] = {"optionId": str(option["id"])}
    if kind == "script_selection":
        answer["action"] = pending.get("action", "generate_video")
        if answer["action"] == "generate_video" and avatar_id:
            answer["avatarId"] = avatar_id
    return Pick(answer, _label(option), kind)


def _recommended(options: list[dict[str, Any]]) -> dict[str, Any] | None:
    flagged = [o for o in options if any(o.get(key) is True for key in RECOMMENDED_KEYS)]
    return flagged[0] if len(flagged) == 1 else None


def _unknown(kind: str, options: list[dict[str, Any]], asked: str) -> UnknownOption:
    return UnknownOption(
        offered_ids=tuple(str(o["id"]) for o in options),
        asked=asked,
        offered_labels=tuple(_label(o) for o in options),
        noun=CHOICE_NOUNS.get(kind, ("", "option"))[1],
    )


def _read_text(
    kind: str, message: str, options: list[dict[str, Any]]
) -> dict[str, Any] | Interpretation:
    """Steps 2–7 of the module docstring: what the text alone says."""
    if (prefix := _PREFIX.match(message)) is not None:
        asked = message[prefix.end() :].strip()
        if not asked:
            return _clarify(kind, options)
        named = _exact(asked, options) or _part_of_one_name(asked, options)
        return named if named is not None else _unknown(kind, options, asked)
    if (named := _exact(message, options)) is not None:
        return named
    if (positioned := _by_position(kind, message, options)) is not None:
        return positioned
    if is_affirmative(message):
        recommended = _recommended(options)
        return recommended if recommended is not None else _clarify(kind, options)
    if (named := _part_of_one_name(message, options)) is not None:
        return named
    if is_empty_reply(message):
        return _clarify(kind, options)
    return Hint(message.strip()[:HINT_MAX_CHARS])


def interpret(
    pending: dict[str, Any], message: str, context: dict[str, Any], *, avatar_id: str | None = None
) -> Interpretation:
    """What ``message`` (with the request's ``context``) answers to ``pending``, an interrupt value.

    ``avatar_id`` is carried into a video script pick. See the module docstring for the order in
    which ids, names, ordinals, affirmatives and hints are read.
    """
    kind = str(pending.get("kind"))
    options: list[dict[str, Any]] = list(pending.get("options") or [])
    from_context = _from_context(context, CONTEXT_KEYS.get(kind, ()), options)
    if isinstance(from_context, str):
        return _unknown(kind, options, from_context)
    read = from_context if from_context is not None else _read_text(kind, message, options)
    return _pick(kind, pending, read, avatar_id) if isinstance(read, dict) else read


def answer_for(
    pending: dict[str, Any], message: str, context: dict[str, Any], *, avatar_id: str | None = None
) -> dict[str, Any]:
    """The resume value of :func:`interpret`'s pick or hint, for callers that cannot refuse yet.

    An unknown option or an unclear reply falls back to the message as free text, as before
    :func:`interpret` existed; new callers should use :func:`interpret` and answer those with
    ``UnknownOption.error()`` or ``Unclear.reply``.
    """
    outcome = interpret(pending, message, context, avatar_id=avatar_id)
    if isinstance(outcome, Pick | Hint):
        return outcome.answer
    return {"freeText": message.strip()[:HINT_MAX_CHARS]}
