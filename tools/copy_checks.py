"""Compliance checks for ad copy: the gates a marketing team expects before anything is approved.

The rules come from the ads reference (§2): Meta's personal-attributes policy (no questions that
assert or imply an attribute of the reader), the FTC's health-claims guidance (no cure/treat
language, no disease claims without trials), the common banned-word list, and the FDA rule that
a self-tanner without sunscreen must not imply sun protection.

The checks are lexical on purpose: they run on every piece of generated copy, offline and in
tests, so they must be fast, deterministic and explainable. They are a first gate, not a lawyer:
a flagged phrase goes to a human; a clean result means none of the known patterns matched.
"""

from __future__ import annotations

import re

__all__ = ["compliance_issues"]

_BANNED: tuple[tuple[str, str], ...] = (
    (r"\bcur(?:e|es|ed|ing)\b", "cure"),
    (
        r"(?<!\ba )(?<!little )(?<!sweet )\btreat(?:s|ed|ing|ment|ments)?\b"
        r"(?!\s+(?:yourself|yourselves|myself|themselves))",
        "treat",
    ),
    (r"\bheal(?:s|ed|ing)?\b", "heal"),
    (r"\bprevent(?:s|ed|ing|ion|ive)?\b", "prevent"),
    (r"\bdetox\w*", "detox"),
    (r"\bmiracle\w*", "miracle"),
    (r"(?<!money-back )(?<!money back )\bguarantee(?:d|s)?\b", "guaranteed"),
    (r"\b100\s*%\s*(?:safe|natural|effective)\b", "100% safe"),
    (r"\b(?:completely|totally|perfectly)\s+safe\b", "absolute safety claim"),
    (r"\bno\s+side[-\s]effects?\b", "no side effects"),
    (r"\bfda[-\s]+(?:approved|cleared|certified)\b", "FDA approved"),
    (r"\b(?:clinically|scientifically|medically)[-\s]+proven\b", "clinically proven"),
    (r"\b(?:doctor|dermatologist|physician)[-\s]+(?:recommended|approved)\b", "doctor recommended"),
)

_ATTRIBUTES = re.compile(
    r"\b(?:peri)?menopaus\w*|\bpregnan\w*|\binfertil\w*|\bdiabet\w*|\bdepress\w*|\banxi\w*"
    r"|\bbipolar\b|\badhd\b|\bautis\w*|\bcancer\b|\bobes\w*|\boverweight\b|\bfat\b|\bbald\w*"
    r"|\bhair\s+loss\b|\bacne\b|\beczema\b|\bpsoriasis\b|\brosacea\b|\bdryness\b|\bvaginal\b"
    r"|\byeast\b|\bbv\b|\bibs\b|\bbloat\w*|\bconstipat\w*|\bincontinen\w*|\berectile\b"
    r"|\bdisab\w*|\bgay\b|\blesbian\b|\bbisexual\b|\btrans(?:gender)?\b|\bqueer\b"
    r"|\bchristian\b|\bmuslim\b|\bjewish\b|\bhindu\b|\bcatholic\b|\breligio\w*|\bdivorc\w*"
    r"|\bbroke\b|\bdebt\w*|\bbankrupt\w*|\bcredit\s+score\b|\bunemployed\b|\blow[-\s]income\b"
    r"|\bimmigra\w*|\bsymptoms?\b|\bdiagnos\w*|\bmedication\b|\bhormon\w*|\bover\s+\d{2}\b"
    r"|\bin\s+your\s+\d0s\b|\b(?:old|older|aging|ageing)\b|\bage\b|\bsingle\b",
    re.IGNORECASE,
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|youre|yourself|u|ur)\b", re.IGNORECASE)
_IMPLIED_YOU = re.compile(
    r"^\W*(?:still\s+)?(?:struggling|suffering|dealing|battling|coping|living|tired|sick|worried"
    r"|feeling|fighting|embarrassed|ashamed)\b",
    re.IGNORECASE,
)
_AGE_CALLOUT = re.compile(r"^\W*(?:hey\s+\w+,?\s*)?(?:over|under)?\s*\d{2}\s*\+?\s*\?\s*$", re.I)
_ASSERTED = re.compile(
    r"\byour\s+(?:\w+\s+)?(?:(?:peri)?menopaus\w*|symptoms?|condition|diagnosis|acne|eczema"
    r"|psoriasis|anxiety|depression|diabetes|infection|pregnancy|debt|credit\s+score|disability)\b",
    re.IGNORECASE,
)

_SUN = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\bspf\b",
        r"\bsun\s*(?:protection|protect\w*|shield\w*|block\w*|safe)\b",
        r"\bsunscreen\b",
        r"\buv\s*(?:protection|protect\w*|shield\w*|defen[cs]e|filter\w*)\b",
        r"\b(?:protects?|protecting|shields?|defends?)\s+(?:\w+\s+){0,3}(?:from|against)\s+"
        r"(?:the\s+)?(?:sun|uv|sunburn|burn)",
        r"\b(?:safe|safer|safely)\s+(?:tan|tanning)\b|\btan\s+safely\b",
        r"\bbroad[-\s]spectrum\b",
        r"\bsunburn\w*",
    )
)
_NEGATION = re.compile(
    r"\b(?:not|no|doesn't|does\s+not|isn't|is\s+not|never|won't|without)\b", re.I
)

_CLAIM_VERB = re.compile(
    r"\b(?:fights?|relieves?|relief|reverses?|eliminates?|stops?|ends?|gets?\s+rid\s+of"
    r"|reduces?\s+(?:the\s+)?risk|protects?\s+against|boosts?\s+(?:your\s+)?immun\w*|clears?\s+up"
    r"|fixes|restores?)\b",
    re.IGNORECASE,
)
_DISEASE = re.compile(
    r"\b(?:infections?|bv|yeast|uti|ibs|diabetes|cancer|diseases?|depression|anxiety|arthritis"
    r"|eczema|psoriasis|acne|flu|covid\w*|insomnia|hypertension|cholesterol|candida|inflammation"
    r"|allerg\w*|immun\w*)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f'"{text if len(text) <= limit else text[: limit - 1] + "…"}"'


def _sun_claim(sentence: str) -> str | None:
    for pattern in _SUN:
        match = pattern.search(sentence)
        if match and not _NEGATION.search(sentence[: match.start()]):
            return match.group(0)
    return None


def compliance_issues(text: str, *, product_category: str = "") -> list[str]:
    """List the compliance problems found in a piece of ad copy, most severe first per sentence.

    Args:
        text: Any copy: a hook, a script, primary text, an image prompt.
        product_category: The product's category. Only a real sunscreen (a category naming
            "sunscreen" or "SPF") may talk about sun protection; every other product, and a
            self-tanner above all, must not imply it.

    Returns:
        Human-readable issues, each naming the rule and quoting the offending words; an empty
        list when no known pattern matched. Duplicates are dropped, order is stable.
    """
    issues: list[str] = []
    sun_allowed = bool(re.search(r"sunscreen|\bspf\b", product_category, re.IGNORECASE))
    for label_pattern, label in _BANNED:
        match = re.search(label_pattern, text, re.IGNORECASE)
        if match:
            issues.append(f'banned claim word "{label}": {_quote(match.group(0))}')
    for sentence in _sentences(text):
        is_question = sentence.endswith("?")
        addresses_reader = bool(_SECOND_PERSON.search(sentence) or _IMPLIED_YOU.search(sentence))
        if is_question and addresses_reader and _ATTRIBUTES.search(sentence):
            issues.append(f"personal-attribute question: {_quote(sentence)}")
        elif is_question and _AGE_CALLOUT.search(sentence):
            issues.append(f"personal-attribute question (age call-out): {_quote(sentence)}")
        elif _ASSERTED.search(sentence):
            issues.append(f"asserts a personal attribute of the reader: {_quote(sentence)}")
        if not sun_allowed:
            claim = _sun_claim(sentence)
            if claim:
                issues.append(f"implies sun protection (self-tan/cosmetic): {_quote(claim)}")
        if _CLAIM_VERB.search(sentence) and _DISEASE.search(sentence):
            issues.append(f"disease claim needs clinical substantiation: {_quote(sentence)}")
    return list(dict.fromkeys(issues))
