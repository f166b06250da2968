"""Reading a marketer's audience hint ("runners over 40", "I want to target women in menopause").

The hint is the marketer's strongest signal, so the first persona is built from it: its words
become the persona's name, its ages the age range, its gender words the gender, and any life
stage or occupation it names brings a matching pain, desire and trait. Everything is pattern
matching on a short phrase, which is all a hint ever is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.copy_checks import compliance_issues
from tools.creative._segments import SEGMENTS, Segment
from tools.creative._text import clean_phrase, title_case

__all__ = ["AudienceHint", "parse_hint"]


_FEMALE = re.compile(
    r"\b(?:wom[ae]n(?:'s)?|female|ladies|lady|girls?|moms?|mums?|mothers?|wives|brides?|she|her"
    r"|(?:peri)?menopaus\w*|pregnan\w*)\b",
    re.IGNORECASE,
)
_MALE = re.compile(
    r"\b(?:m[ae]n(?:'s)?|male|guys?|dads?|fathers?|husbands?|grooms?|boys?|he|him|his)\b",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(
    r"^(?:(?:i|we)(?:'d| would)?\s+(?:like|want|wanna|need)(?:\s+to)?|let'?s|please|can you"
    r"|could you|maybe|how about|what about|try|go for|focus(?:ing)? on|target(?:ing)?|reach"
    r"(?:ing)?|aim(?:ed)? at|speak to|talk to|sell to|go after|the audience is|audience:?|for"
    r"|the|our|my|an?)[:,]?\s+",
    re.IGNORECASE,
)
_WORD_AGES = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60}
_GENERATIONS = (
    (r"gen(?:eration)?[- ]?z|zoomers?", "18-27"),
    (r"millennials?", "28-43"),
    (r"gen(?:eration)?[- ]?x", "44-59"),
    (r"boomers?", "60+"),
    (r"teens?|teenagers?", "18-24"),
)


@dataclass(frozen=True, slots=True)
class AudienceHint:
    """What a hint says about the audience; every field is optional except the name."""

    text: str
    phrase: str
    name: str
    age: str | None
    gender: str | None
    segments: tuple[Segment, ...]


def _range(low: int, high: int | None) -> str:
    low = max(18, low)
    if high is None:
        return f"{low}+"
    high = max(high, low + 4)
    return f"{low}-{min(high, 99)}"


def _age(text: str) -> str | None:
    if match := re.search(r"\b(\d{2})\s*(?:-|–|to|and)\s*(\d{2})\b", text):
        return _range(int(match.group(1)), int(match.group(2)))
    over = r"(?:over|above|older than|at least|aged)\s+(\d{2})\b|\b(\d{2})\s*(?:\+|and (?:up|over))"
    if match := re.search(over, text, re.IGNORECASE):
        return _range(int(match.group(1) or match.group(2)), None)
    if match := re.search(r"(?:under|below|younger than)\s+(\d{2})\b", text, re.IGNORECASE):
        return _range(18, int(match.group(1)) - 1)
    if match := re.search(r"\b(?:in (?:their|her|his) )?(\d)0'?s\b", text, re.IGNORECASE):
        decade = int(match.group(1)) * 10
        return _range(decade, decade + 9)
    for word, decade in _WORD_AGES.items():
        if re.search(rf"\b{word}\b", text, re.IGNORECASE):
            return _range(decade, decade + 9)
    for pattern, age in _GENERATIONS:
        if re.search(rf"\b(?:{pattern})\b", text, re.IGNORECASE):
            return age
    return None


def _gender(text: str) -> str | None:
    female, male = bool(_FEMALE.search(text)), bool(_MALE.search(text))
    if female and male:
        return "All genders"
    return "Female" if female else "Male" if male else None


def _phrase(text: str) -> str:
    phrase = clean_phrase(text)
    while (stripped := _LEAD_IN.sub("", phrase, count=1)) != phrase:
        phrase = stripped
    return re.sub(r"\s+(?:please|thanks|thank you)$", "", phrase, flags=re.IGNORECASE).strip()


def _segments(text: str) -> tuple[Segment, ...]:
    """Segments named in the text, in reading order, skipping one nested in another's match."""
    found: list[tuple[int, int, Segment]] = []
    for segment in SEGMENTS:
        match = re.search(rf"\b(?:{segment.pattern})", text, re.IGNORECASE)
        if match:
            found.append((match.start(), match.end(), segment))
    found.sort(key=lambda item: (item[0], -item[1]))
    kept: list[tuple[int, int, Segment]] = []
    for start, end, segment in found:
        if not any(start >= k_start and end <= k_end for k_start, k_end, _ in kept):
            kept.append((start, end, segment))
    return tuple(segment for _, _, segment in kept)[:2]


def parse_hint(hint: str | None) -> AudienceHint | None:
    """Read a free-text audience hint; ``None`` when there is no usable hint.

    A hint that fails the copy checks ("Are you perimenopausal?") still steers ages, gender and
    segments, but its wording is never reused: the persona is named from the segments instead,
    and ``text`` is left empty so nothing quotes it.
    """
    if not hint or len(clean_phrase(hint)) < 2:
        return None
    text = " ".join(hint.split())
    quotable = "?" not in text and not compliance_issues(text)
    phrase = (_phrase(text) or clean_phrase(text)) if quotable else ""
    segments = _segments(text)
    age = _age(text)
    gender = _gender(text) or next((s.gender for s in segments if s.gender), None)
    if 2 <= len(phrase) <= 48 and len(phrase.split()) <= 7:
        name = title_case(phrase)
        if _gender(phrase) and len(phrase.split()) == 1:
            age = age or (segments[0].age if segments else None) or "25-54"
            name = f"{name} {age}"
    elif segments:
        name = " & ".join(s.label for s in segments) + (f" {age}" if age else "")
    elif phrase:
        name = title_case(" ".join(phrase.split()[:5]))
    else:
        name = {"Female": "Women", "Male": "Men"}.get(gender or "", "Core Audience")
        name += f" {age}" if age else ""
    name = name[:60].strip() if len(name.strip()) >= 2 else "Core Audience"
    phrase = phrase or name
    return AudienceHint(text if quotable else "", phrase, name, age, gender, segments)
