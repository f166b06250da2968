"""Free text at the angle and script steps: what the marketer asked for, read as direction.

"Focus on tax season stress, make it punchy" names a focus ("tax season stress") and a style
("punchy"). The focus replaces the persona's pain in every template, so the regenerated angles
and scripts are built around it; "punchy" keeps only the first sentence of descriptions and the
shortest hooks. The reasoning says which of these happened, so the marketer sees how the note
steered the result. A note that fails the copy checks still steers, but is never quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.compliance import fit_text
from tools.copy_checks import compliance_issues
from tools.creative._text import clean_phrase, lower_first

__all__ = ["Steer", "punch", "read_steer"]

_STYLE = re.compile(
    r"\b(?:make\s+(?:it|them|this)\s+)?(?:more\s+)?(punchy|punchier|short|shorter|snappy|bold"
    r"|direct|concise)\b",
    re.IGNORECASE,
)
_LEAD = re.compile(
    r"^(?:please\s+)?(?:can\s+you\s+)?(?:focus|lean|centre|center|build|concentrate)\s+"
    r"(?:more\s+)?(?:on|around|in\s+on)\s+|^(?:more\s+about|about|try|use|go\s+with)\s+",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"[,;.!]|\s+and\s+(?=make\b)|\s+but\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Steer:
    """What a free-text note asks for: a focus to build around, and whether to be punchy."""

    note: str
    focus: str | None
    punchy: bool
    quotable: bool

    def explain(self, what: str) -> str:
        """One reasoning line saying how the note changed ``what`` ("the angles")."""
        said = f'Your note "{self.note}"' if self.quotable else "Your note"
        parts = []
        if self.focus:
            parts.append(f"rebuilt {what} around {self.focus}")
        if self.punchy:
            parts.append("cut every line to its shortest form")
        done = " and ".join(parts) or f"was read, but named no focus, so {what} were reshuffled"
        return f"{said} {done}."


def read_steer(note: str | None, category: str = "") -> Steer | None:
    """Read a free-text note; ``None`` when there is none."""
    if not note or not note.strip():
        return None
    text = " ".join(note.split())
    quotable = "?" not in text and not compliance_issues(text, product_category=category)
    punchy = bool(_STYLE.search(text))
    focus = None
    for part in _SPLIT.split(text):
        phrase = clean_phrase(_LEAD.sub("", _STYLE.sub("", part).strip()))
        phrase = re.sub(r"^(?:make\s+(?:it|them)|more|less)\b\s*", "", phrase, flags=re.I)
        if len(phrase.split()) >= 1 and len(phrase) >= 3 and len(phrase.split()) <= 8:
            focus = lower_first(phrase)
            break
    if not quotable or (focus and compliance_issues(focus, product_category=category)):
        focus = None
    return Steer(text, focus, punchy, quotable)


def punch(text: str, limit: int = 90) -> str:
    """The punchy form of a description: its first sentence, or its first whole clauses."""
    first = re.split(r"(?<=[.!?])\s+", text.strip())[0]
    return fit_text(first, limit) or first
