"""The content rules of the copy gate: what one piece of copy says, whatever the placement.

Each rule yields findings with the offending span (offsets into the checked text), a reason a
marketer can read and a suggested rewrite. Personal-attribute and claim rules work per sentence,
because Meta and the FTC judge what a sentence asserts, not single words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tools.compliance import _patterns as p
from tools.compliance.findings import Finding, Severity

__all__ = ["check_text", "sentences", "sun_allowed"]

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_PRONOUN_BEFORE = re.compile(r"\b(?:your|you're|you\s+are)\s+", re.IGNORECASE)


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """Each sentence of ``text`` with its start offset, surrounding spaces trimmed."""
    for match in _SENTENCE.finditer(text):
        raw = match.group(0)
        stripped = raw.strip()
        if stripped:
            yield match.start() + raw.index(stripped), stripped


def sun_allowed(category: str) -> bool:
    """Only a real sunscreen (a category naming sunscreen or SPF) may talk about sun protection."""
    return bool(re.search(r"sunscreen|\bspf\b", category, re.IGNORECASE))


def _tidy(text: str) -> str:
    text = re.sub(r"\s+([,.!?;:])", r"\1", " ".join(text.split()))
    return text[:1].upper() + text[1:] if text else text


def _statement(sentence: str) -> str:
    """A question turned into a neutral statement, the reader's attribute no longer asserted."""
    body = _PRONOUN_BEFORE.sub("", sentence).rstrip("?").strip()
    body = re.sub(r"^(?:are|do|is|does|struggling\s+with|dealing\s+with)\s+", "", body, flags=re.I)
    return _tidy(f"{body} can bring changes. Made for every stage.")


def _banned(text: str, field: str) -> Iterator[Finding]:
    for pattern, label, replacement in p.BANNED:
        for match in pattern.finditer(text):
            sentence = _sentence_around(text, match.start())
            rewrite = _tidy(sentence.replace(match.group(0), replacement))
            yield Finding(
                "claims.banned_word",
                "block",
                field,
                match.start(),
                match.end(),
                match.group(0),
                f'"{label}" is a claim word ad platforms and the FTC treat as a health or '
                "absolute claim needing proof",
                rewrite or None,
            )


def _sentence_around(text: str, offset: int) -> str:
    for start, sentence in sentences(text):
        if start <= offset < start + len(sentence):
            return sentence
    return text


def _attribute_rules(start: int, sentence: str, field: str, product: str) -> Iterator[Finding]:
    end = start + len(sentence)
    question = sentence.endswith("?")
    # A question with no third-person subject ("Going bald at 30?") is asked of the reader.
    reader = bool(
        p.SECOND_PERSON.search(sentence)
        or p.IMPLIED_YOU.search(sentence)
        or not p.THIRD_PERSON.search(sentence)
    )
    asked: tuple[str, str] | None = None
    if question and reader and p.ATTRIBUTES.search(sentence):
        asked = (
            "asks the reader about a personal attribute (health, age, body, finances, "
            "relationships), which Meta's personal-attributes policy rejects",
            _statement(sentence),
        )
    elif question and p.AGE_CALLOUT.search(sentence):
        asked = (
            "calls the reader out by age, which Meta's personal-attributes policy rejects",
            f"Made for every stage. Meet {product}." if product else "Made for every stage.",
        )
    if asked:
        reason, rewrite = asked
        rule = "meta.personal_attribute_question"
        yield Finding(rule, "block", field, start, end, sentence, reason, rewrite)
    elif match := p.ASSERTED.search(sentence):
        yield Finding(
            "meta.personal_attribute_assertion",
            "block",
            field,
            start + match.start(),
            start + match.end(),
            match.group(0),
            "asserts or implies a personal attribute of the reader, which Meta rejects",
            _tidy(_PRONOUN_BEFORE.sub("", sentence).replace(" near you", "")),
        )


def _claim_rules(
    start: int, sentence: str, field: str, product: str, category: str
) -> Iterator[Finding]:
    subject = product or "The product"
    if not sun_allowed(category):
        for pattern in (p.SUN_PROMISE, *p.SUN):
            match = pattern.search(sentence)
            if match is None:
                continue
            if pattern is p.SUN_PROMISE or not p.NEGATION.search(sentence[: match.start()]):
                yield Finding(
                    "fda.sun_protection_implied",
                    "block",
                    field,
                    start + match.start(),
                    start + match.end(),
                    match.group(0),
                    "implies sun protection; a self-tanner or cosmetic without sunscreen must "
                    "not (FDA 21 CFR 740.19)",
                    f"{subject} gives colour, not sun protection: keep wearing sunscreen.",
                )
                break
    benefit = p.BENEFIT_CLAIMS.search(sentence)
    if benefit or (p.CLAIM_VERB.search(sentence) and p.DISEASE.search(sentence)):
        offset, stop = (benefit.start(), benefit.end()) if benefit else (0, len(sentence))
        yield Finding(
            "ftc.health_claim",
            "block",
            field,
            start + offset,
            start + stop,
            sentence[offset:stop],
            "a health, disease or body-outcome claim needs competent and reliable scientific "
            "evidence (FTC health-products guidance)",
            f"{subject} fits into your daily routine.",
        )
    for rule in _PHRASE_RULES:
        if match := rule.pattern.search(sentence):
            yield Finding(
                rule.rule_id,
                rule.severity,
                field,
                start + match.start(),
                start + match.end(),
                match.group(0),
                rule.reason,
                rule.rewrite(sentence, match.group(0), subject),
            )


@dataclass(frozen=True, slots=True)
class _PhraseRule:
    """A rule whose finding is the matched phrase itself."""

    pattern: re.Pattern[str]
    rule_id: str
    severity: Severity
    reason: str
    rewrite: Callable[[str, str, str], str]


_PHRASE_RULES: tuple[_PhraseRule, ...] = (
    _PhraseRule(
        p.FINANCE,
        "claims.financial_promise",
        "block",
        "promises a financial outcome or approval that cannot be guaranteed",
        lambda sentence, phrase, _: _tidy(sentence.replace(phrase, "clear terms")),
    ),
    _PhraseRule(
        p.TESTIMONIAL,
        "ftc.ai_testimonial",
        "block",
        "a synthetic presenter speaking from personal experience is a fake testimonial "
        "(FTC 16 CFR 465) unless it dramatises a real, disclosed customer",
        lambda _, __, subject: f"Here is what {subject} does, step by step.",
    ),
    _PhraseRule(
        p.ABSOLUTE,
        "claims.absolute",
        "warn",
        "a superlative or absolute claim needs substantiation before it runs",
        lambda sentence, phrase, _: _tidy(sentence.replace(phrase, "a favourite")),
    ),
)


def check_text(text: str, field: str, *, category: str = "", product: str = "") -> list[Finding]:
    """Every content finding in one piece of copy (a hook, a script, a headline, a prompt)."""
    findings = list(_banned(text, field))
    for start, sentence in sentences(text):
        findings.extend(_attribute_rules(start, sentence, field, product))
        findings.extend(_claim_rules(start, sentence, field, product, category))
    return findings
