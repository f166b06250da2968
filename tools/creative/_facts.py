"""What the copy can say about a product, read from its own words.

A marketer's typed product may have nothing but a name and one sentence, so every fact here is
optional and the context builder falls back to the category vocabulary. Anything that fails the
compliance check (a user typing "cures acne" into a description) is dropped here, once, so no
template can ever repeat it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.copy_checks import compliance_issues
from tools.creative._text import clean_phrase, lower_first, split_sentences, upper_first, word_count
from tools.creative.models import ProductInfo

__all__ = ["ProductFacts", "product_facts"]

_FILLER = frozenset(
    "lightweight gradual daily small-batch new premium simple modern local artisan artisanal "
    "handmade organic natural best affordable easy smart ultimate innovative all-in-one women's "
    "men's kids' fast quick great little big our your".split()
)
_COMPOUND_LEAD = frozenset(
    "trail road cold iced sports running face body eye hair lip night day pet dog cat baby kids "
    "home project task time email travel yoga gym".split()
)
_VERB_START = frozenset(
    "helps lets makes gives keeps brings turns saves tracks finds delivers combines uses".split()
)
_NOT_A_NOUN_START = _VERB_START | frozenset(
    "we our i my it this get make discover meet introducing turn save track find come try visit "
    "join stop grab order book taste enjoy".split()
)
_NUMBER = (
    r"(?:\d+(?:[.,]\d+)?(?:\s*[-–]\s*\d+)?|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|twelve|fifteen|twenty|thirty|sixty)"
)
_UNIT = (
    r"(?:days?|hours?|minutes?|mins?|seconds?|weeks?|months?|g|kg|mm|cm|ml|oz|cups?|servings?|%"
    r"|percent|steps?|strains?|ingredients?|colou?rs?|sizes?|flavou?rs?)"
)
_PROOF = re.compile(
    rf"\b{_NUMBER}\s*{_UNIT}(?:\s+per\s+\w+|(?<=mm)\s+(?!and\b|or\b|with\b)[a-z]+)?(?![\w-])",
    re.IGNORECASE,
)
_AUDIENCE = re.compile(
    r"\b(freelancers|creators|runners|hikers|climbers|cyclists|athletes|parents|moms|mums|dads"
    r"|families|students|teachers|nurses|designers|developers|founders|startups|small businesses"
    r"|agencies|remote teams|teams|photographers|musicians|gamers|travell?ers|pet owners"
    r"|dog owners|women|men|kids)\b|\b(women|men)'s\b",
    re.IGNORECASE,
)
_REGIONS = (
    ("A$", "Australia"),
    ("AUD", "Australia"),
    ("C$", "Canada"),
    ("CAD", "Canada"),
    ("€", "Western Europe"),
    ("EUR", "Western Europe"),
    ("£", "United Kingdom"),
    ("GBP", "United Kingdom"),
)


@dataclass(frozen=True, slots=True)
class ProductFacts:
    """Compliance-clean facts about one product, each usable inside a template.

    ``name`` is the product's name as copy may print it and ``short`` its short form for
    headlines and scripts (about 24 characters, never a name cut mid-word); both fall back to "this <noun>" when the name itself
    fails the compliance checks.
    """

    name: str
    short: str
    noun: str | None
    features: tuple[str, ...]
    proofs: tuple[str, ...]
    mechanism: str | None
    audience: str | None
    region: str
    price: str | None
    haystack: str


def _clean(text: str, category: str) -> bool:
    return bool(text) and not compliance_issues(text, product_category=category)


def _noun(first_sentence: str) -> str | None:
    head = re.split(r"[,:;(]|\s[—–-]\s", first_sentence, maxsplit=1)[0]
    head = re.split(
        r"\s+(?:for|with|that|which|designed|made|built|to|in|from|of|by|who|at|on)\s+",
        head,
        maxsplit=1,
    )[0]
    words = [w for w in clean_phrase(head).split() if not any(ch.isdigit() for ch in w)]
    if words and words[0].lower() in {"a", "an", "the"}:
        words = words[1:]
    if not words or words[0].lower() in _NOT_A_NOUN_START or len(words) > 7:
        return None
    size = 3 if len(words) >= 3 and words[-3].lower() in _COMPOUND_LEAD else 2
    tail = words[-size:]
    while len(tail) > 1 and tail[0].lower() in _FILLER:
        tail = tail[1:]
    noun = " ".join(tail).lower()
    return noun if 3 <= len(noun) <= 32 else None


_NAME_SEPARATOR = re.compile(r"\s+(?:for|by|with|from)\s+|\s+[-–—|]\s+|:\s+", re.IGNORECASE)


def _short(name: str, noun: str | None) -> str:
    words = name.split()
    noun_words = set((noun or "").split())
    descriptors = _FILLER | noun_words | {"progressif", "progressive", "concentrate", "serum"}
    while len(" ".join(words)) > 24 and len(words) > 2 and words[-1].lower() in descriptors:
        words.pop()
    short = " ".join(words)
    if len(short) <= 24:
        return short
    # Never cut inside a name ("TallyDesk for Accounting"): keep the brand before a separator
    # ("TallyDesk" of "TallyDesk for Accounting Firms"), or else the whole name.
    head = _NAME_SEPARATOR.split(name, maxsplit=1)[0].strip()
    short = head if head and head != name.strip() else name.strip()
    return short if len(short) <= 40 else f"this {noun or 'product'}"


def _mechanism(first_sentence: str, short: str, noun: str | None) -> str | None:
    """Turn the description's first sentence into one that can stand alone in a script."""
    text = first_sentence.strip().rstrip(".!") + "."
    if not 3 <= word_count(text) <= 30:
        return None
    first = text.split()[0].lower()
    if first in _VERB_START:
        return f"{short} {lower_first(text)}"
    if first in _NOT_A_NOUN_START:
        return text
    if first in {"a", "an", "the"}:
        return f"It's {lower_first(text)}"
    if noun and noun.endswith("s") and not noun.endswith("ss"):
        return f"{short}: {lower_first(text)}"
    article = "an" if first[:1] in "aeiou" else "a"
    return f"It's {article} {lower_first(text)}"


def _features(product: ProductInfo, sentences: list[str], category: str) -> tuple[str, ...]:
    """Benefits as given, else the description's clauses and the "with …" parts of its opener.

    The first clause of the first sentence is the product itself ("A rich night cream"), which
    the mechanism sentence already says, so only what comes after it counts as a feature.
    """
    found = [clean_phrase(b) for b in product.benefits]
    if not found:
        for index, text in enumerate(sentences):
            clauses = re.split(r"[,;:]\s*", text.rstrip("."))
            if index == 0:
                parts = re.split(r"\s+with\s+", clauses[0], maxsplit=1)
                extras = re.split(r"\s+and\s+", parts[1]) if len(parts) > 1 else []
                clauses = extras + clauses[1:]
            found.extend(re.sub(r"^(?:a|an|the)\s+", "", c, flags=re.IGNORECASE) for c in clauses)
    keep = [upper_first(f) for f in found if 1 <= word_count(f) <= 9 and _clean(f, category)]
    return tuple(dict.fromkeys(keep))[:5]


def _region(price: str | None) -> str:
    for marker, region in _REGIONS:
        if price and marker in price:
            return region
    return "United States"


def product_facts(product: ProductInfo) -> ProductFacts:
    """Extract the product's noun, features, numeric proof points, audience and market region."""
    category = product.category
    sentences = [s for s in split_sentences(product.description) if _clean(s, category)]
    first = sentences[0] if sentences else ""
    noun = _noun(first) if first else None
    name = " ".join(product.name.split())
    if _clean(name, category):
        short = _short(name, noun)
    else:  # a brand name that itself makes a claim ("Miracle Cream") is not repeated in copy
        name = short = f"this {noun or 'product'}"
    corpus = " ".join([product.description, *product.benefits])
    proofs = tuple(dict.fromkeys(" ".join(m.group(0).split()) for m in _PROOF.finditer(corpus)))
    audience_match = _AUDIENCE.search(f"{product.name} {product.description}")
    audience = None
    if audience_match:
        audience = (audience_match.group(1) or audience_match.group(2)).lower()
    haystack = " ".join([product.name, category, product.description, *product.benefits]).lower()
    return ProductFacts(
        name=name,
        short=short,
        noun=noun,
        features=_features(product, sentences, category),
        proofs=tuple(p for p in proofs if _clean(p, category))[:4],
        mechanism=_mechanism(first, short, noun) if first else None,
        audience=audience,
        region=_region(product.price),
        price=product.price if product.price and _clean(product.price, category) else None,
        haystack=haystack,
    )
