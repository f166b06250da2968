"""How marketers point at an option without naming it: ordinals, affirmatives, empty replies.

Pure text reading for ``server.core.selection``. Each reader looks at the *whole* message, never
at a word inside it: "the first one" is an ordinal, but "first-time runners" is a wish, and
"yes" is an affirmative while "yes, but younger" is a hint. Anything that is not recognised here
falls through to name matching and free text, so a reader that misses only costs a hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Ordinal", "is_affirmative", "is_empty_reply", "normalize", "ordinal"]

_WORD_NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_ORDINAL_WORDS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
)
_NOUNS = {
    "persona": "persona_selection",
    "personas": "persona_selection",
    "audience": "persona_selection",
    "audiences": "persona_selection",
    "angle": "angle_selection",
    "angles": "angle_selection",
    "script": "script_selection",
    "scripts": "script_selection",
    "concept": "script_selection",
    "concepts": "script_selection",
    "psychology": "script_selection",
}
"""Nouns that say which choice an ordinal points into ("the second persona")."""
_GENERIC = ("one", "option", "choice", "card", "number")
_NOUN = "|".join(sorted((*_NOUNS, *_GENERIC), key=len, reverse=True))
_CARDINAL = r"\d+|" + "|".join(_WORD_NUMBERS)
_ORDINAL = r"\d+(?:st|nd|rd|th)|last|" + "|".join(_ORDINAL_WORDS)
_LEAD = re.compile(
    r"^(?:(?:ok|okay|so|then|hmm|um|i|ill|id|we|well|lets|let us|go|going|with|for|take|pick"
    r"|choose|select|want|like|would|use|prefer|try|give|me|please|i think)\s+)+"
)
_TAIL = re.compile(r"(?:\s+(?:please|thanks|thank you|on the list|from the list|of them))+$")
_BY_POSITION = re.compile(
    rf"^(?:the\s+)?(?P<ord>{_ORDINAL})(?:\s+(?P<noun>{_NOUN}))?(?:\s+(?:one|option))?$"
)
_BY_NUMBER = re.compile(
    rf"^(?:the\s+)?(?:(?P<noun>{_NOUN})\s+)?(?:number\s+|no\s+|#\s*)?(?P<num>{_CARDINAL})$"
)
_AFFIRMATIVE = re.compile(
    r"^(?:(?:yes|yeah|yep|yup|sure thing|sure|ok|okay|alright|all right|cool|nice|good|fine"
    r"|great|perfect|agreed|absolutely|definitely|sounds (?:good|great|perfect)"
    r"|looks (?:good|great)|that works|works for me|lgtm"
    r"|(?:lets|let us) (?:do|go with) (?:it|that|this)(?: one)?|lets go|go ahead|do it|go for it"
    r"|(?:ill|i will|well|we will|lets)? ?(?:go|going) with (?:that|this|it|your (?:pick|choice))"
    r"(?: one)?|that one|this one|the recommended(?: one| option)?|recommended|your recommendation"
    r"|the one you recommend(?:ed)?)\s*)+(?:(?:then|please|thanks|thank you)\s*)*$"
)
_EMPTY_WORDS = frozenset(
    """
    a an the it this that these those one ones any anything some something whatever which what
    who how is are be was do does did i me my you your we us our they them ok okay yes yeah sure
    no nope not maybe dunno idk dont know unsure sure hmm hm um uh er well so just please thanks
    pick choose select decide option options choice choices up to surprise whichever help next
    continue go best good better like want think guess can could would should will let lets
    persona personas audience audiences angle angles script scripts concept concepts psychology
    of for with and or on in then now thing things cool nice fine great perfect alright right
    works done yep yup yeah absolutely definitely agreed sounds looks ahead lgtm recommended
    recommend recommendation
    """.split()
)
"""Words that carry no wish: a message made only of these is a question, never a hint."""


@dataclass(frozen=True, slots=True)
class Ordinal:
    """A position the message points at, as read: not yet checked against the options."""

    position: int | None
    """1-based ("option 2" → 2; "option 0" → 0, on offer nowhere); None for "the last one"."""
    kind: str | None
    """The choice kind its noun names ("the second angle"), None for "one" / "option" / none."""


def normalize(text: str) -> str:
    """Lower case, apostrophes dropped ("let's" → "lets"), other punctuation as single spaces."""
    text = re.sub(r"['’]", "", text.casefold())
    return " ".join(re.sub(r"[^\w#]+", " ", text).split())


def _core(text: str) -> str:
    """The message without its polite lead and tail ("I'll take the 2nd one please")."""
    text = normalize(text)
    while (stripped := _TAIL.sub("", _LEAD.sub("", text))) != text:
        text = stripped
    return text


def _position(word: str) -> int | None:
    if word == "last":
        return None
    if word in _ORDINAL_WORDS:
        return _ORDINAL_WORDS.index(word) + 1
    if word in _WORD_NUMBERS:
        return _WORD_NUMBERS.index(word) + 1
    return int(word.rstrip("stndrh"))  # "12", or "1st" / "2nd" / "3rd" / "4th"


def ordinal(message: str) -> Ordinal | None:
    """The position a whole message points at ("option 2", "#3", "the last one"), else None.

    The position is returned even when no option has it ("option 7" of four): the caller knows
    how many options there are and answers that with a clarifying question, not a hint.
    """
    text = _core(message)
    match = _BY_POSITION.match(text) or _BY_NUMBER.match(text)
    if match is None:
        return None
    groups = match.groupdict()
    noun = groups.get("noun")
    return Ordinal(_position(groups.get("ord") or groups["num"]), _NOUNS.get(noun or ""))


def is_affirmative(message: str) -> bool:
    """True for a plain yes ("sure", "sounds good", "let's do it", "the recommended one")."""
    return bool(_AFFIRMATIVE.match(normalize(message)))


def is_empty_reply(message: str) -> bool:
    """True when the message holds no wish at all ("pick", "hmm", "?", "idk", "whatever").

    Such text must not regenerate a step with itself as the hint (a persona named "Idk").
    """
    words = normalize(message).replace("#", " ").split()
    return all(word in _EMPTY_WORDS or len(word) < 2 for word in words)
