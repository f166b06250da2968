"""Small text utilities shared by the creative modules: casing, lists, sentences, word budgets.

Templates are filled with phrases that come from product data and user answers, so the same
phrase must read well at the start of a sentence, mid-sentence and in a title. These helpers keep
that casing logic in one place, and keep acronyms and brand spellings ("DHA", "LedgerLeaf") intact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tools.creative.models import word_count

__all__ = [
    "clean_phrase",
    "fit_words",
    "lower_first",
    "lower_title",
    "oxford",
    "sentence",
    "split_sentences",
    "title_case",
    "upper_first",
    "word_count",
]

_SMALL = frozenset(
    "a an and as at but by for from in into nor of on or per the to vs via with".split()
)
_MARKUP = re.compile(r"[*_#`>\[\]{}|]+")
_QUOTES = "\"'“”‘’«»"


def _keeps_case(word: str) -> bool:
    core = word.strip(_QUOTES + "()")
    inner_caps = any(ch.isupper() for part in core.split("-") for ch in part[1:])
    return inner_caps or any(ch.isdigit() for ch in core)


def upper_first(text: str) -> str:
    """Capitalise the first letter only ("buildable glow" → "Buildable glow")."""
    return text[:1].upper() + text[1:] if text else text


def lower_first(text: str) -> str:
    """Lower the first letter for use mid-sentence, unless it starts an acronym or brand."""
    if not text:
        return text
    first = text.split(" ", 1)[0]
    if _keeps_case(first) or (len(first) > 1 and first[:2].isupper()):
        return text
    return text[:1].lower() + text[1:]


def lower_title(text: str) -> str:
    """Lower a title-cased name for use mid-sentence, keeping acronyms, brands and numbers."""
    words = []
    for word in text.split():
        keep = _keeps_case(word) or (word.isupper() and (len(word) > 1 or word.isalpha()))
        words.append(word if keep and word.lower() not in _SMALL else word.lower())
    return " ".join(words)


def title_case(text: str) -> str:
    """Headline-style title case that leaves small words, acronyms and brand names alone."""
    words = clean_phrase(text).split()
    out: list[str] = []
    for index, word in enumerate(words):
        if _keeps_case(word) or word.isupper() and len(word) > 1:
            out.append(word)
        elif index and word.lower() in _SMALL:
            out.append(word.lower())
        else:
            out.append("-".join(upper_first(part.lower()) for part in word.split("-")))
    return " ".join(out)


def clean_phrase(text: str) -> str:
    """Strip markdown, wrapping quotes, doubled spaces and trailing punctuation from a phrase."""
    text = _MARKUP.sub(" ", text)
    text = " ".join(text.split()).strip(_QUOTES + " ")
    return text.rstrip(".!?,;:–- ").strip(_QUOTES + " ")


def sentence(text: str) -> str:
    """Make a phrase a sentence: capital first letter and a full stop unless it has an ending."""
    text = " ".join(text.split()).strip()
    if not text:
        return text
    text = upper_first(text)
    return text if text[-1] in ".!?" else text + "."


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences on ., ! and ? followed by a space."""
    return [part.strip() for part in re.split(r"(?<=[.!?])\s+", text.strip()) if part.strip()]


def oxford(items: Iterable[str]) -> str:
    """Join phrases as "a, b and c" (no serial comma, the house style of the copy)."""
    parts = [item for item in items if item]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def fit_words(required: list[str], optional: list[str], low: int, high: int, target: int) -> str:
    """Assemble sentences into prose whose word count lands in ``[low, high]``, near ``target``.

    Required sentences are always kept, in order, with the last one (the call to action) kept
    last. Optional sentences are inserted before it one by one while the total stays at or under
    ``target``; if the result is still under ``low``, optional sentences are added up to ``high``.
    The caller checks the final count: a brief that cannot reach ``low`` is a template bug.
    """
    head, tail = required[:-1], required[-1:]
    chosen: list[str] = []

    def total(extra: list[str]) -> int:
        return word_count(" ".join(head + extra + tail))

    for limit in (target, high):
        for candidate in optional:
            if candidate in chosen:
                continue
            if total([*chosen, candidate]) <= limit:
                chosen.append(candidate)
        if total(chosen) >= low:
            break
    chosen.sort(key=optional.index)
    return " ".join(head + chosen + tail)
