"""The lexicons behind the copy gate, kept apart from the rules that use them.

Sources (ads reference §2): Meta's personal-attributes and health policies, the FTC health-claims
guidance and its rule on fake (AI) testimonials, the FDA rule that a self-tanner must not imply
sun protection, and the common banned-word list. Lexical on purpose: fast, deterministic and
explainable, a first gate before a human, not a lawyer.
"""

from __future__ import annotations

import re

__all__ = [
    "ABSOLUTE",
    "AGE_CALLOUT",
    "ASSERTED",
    "ATTRIBUTES",
    "BANNED",
    "BENEFIT_CLAIMS",
    "CLAIM_VERB",
    "DISEASE",
    "FINANCE",
    "IMPLIED_YOU",
    "NEGATION",
    "SECOND_PERSON",
    "SUN",
    "SUN_PROMISE",
    "THIRD_PERSON",
    "TESTIMONIAL",
]

BANNED: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), label, replacement)
    for pattern, label, replacement in (
        (r"\bcur(?:e|es|ed|ing)\b", "cure", "care for"),
        (
            r"(?<!\ba )(?<!little )(?<!sweet )\btreat(?:s|ed|ing|ment|ments)?\b"
            r"(?!\s+(?:yourself|yourselves|myself|themselves))",
            "treat",
            "care for",
        ),
        (r"\bheal(?:s|ed|ing)?\b", "heal", "soothe"),
        (r"\bprevent(?:s|ed|ing|ion|ive)?\b", "prevent", "help with"),
        (r"\bdetox\w*", "detox", "refresh"),
        (r"\bmiracle\w*", "miracle", "everyday"),
        (r"(?<!money-back )(?<!money back )\bguarantee(?:d|s)?\b", "guaranteed", ""),
        (r"\b100\s*%\s*(?:safe|natural|effective)\b", "100% safe", "gentle"),
        (r"\b(?:completely|totally|perfectly)\s+safe\b", "absolute safety claim", "gentle"),
        (r"\bno\s+side[-\s]effects?\b", "no side effects", "gentle"),
        (r"\bfda[-\s]+(?:approved|cleared|certified)\b", "FDA approved", ""),
        (r"\b(?:clinically|scientifically|medically)[-\s]+proven\b", "clinically proven", "tested"),
        (
            r"\b(?:doctor|dermatologist|physician)[-\s]+(?:recommended|approved)\b",
            "doctor recommended",
            "",
        ),
    )
)

ATTRIBUTES = re.compile(
    r"\b(?:peri)?menopaus\w*|\bpregnan\w*|\binfertil\w*|\bdiabet\w*|\bdepress\w*|\banxi\w*"
    r"|\bbipolar\b|\badhd\b|\bautis\w*|\bcancer\b|\bobes\w*|\boverweight\b|\bfat\b|\bbald\w*"
    r"|\bhair\s+loss\b|\bacne\b|\beczema\b|\bpsoriasis\b|\brosacea\b|\bdryness\b|\bvaginal\b"
    r"|\byeast\b|\bbv\b|\bibs\b|\bbloat\w*|\bconstipat\w*|\bincontinen\w*|\berectile\b"
    r"|\bdisab\w*|\bgay\b|\blesbian\b|\bbisexual\b|\btrans(?:gender)?\b|\bqueer\b"
    r"|\bchristian\b|\bmuslim\b|\bjewish\b|\bhindu\b|\bcatholic\b|\breligio\w*|\bdivorc\w*"
    r"|\bbroke\b|\bdebt\w*|\bbankrupt\w*|\bcredit\s+score\b|\bbad\s+credit\b|\bunemployed\b"
    r"|\blow[-\s]income\b|\bimmigra\w*|\bsymptoms?\b|\bdiagnos\w*|\bmedication\b|\bhormon\w*"
    r"|\bover\s+\d{2}\b|\bin\s+your\s+\d0s\b|\b(?:old|older|aging|ageing)\b|\bage\b"
    r"|\bsingles?\b|\bhot\s+flash\w*|\bnight\s+sweats\b|\bwrinkl\w*|\bthinning\b",
    re.IGNORECASE,
)
SECOND_PERSON = re.compile(r"\b(?:you|your|you're|youre|yourself|u|ur)\b", re.IGNORECASE)
IMPLIED_YOU = re.compile(
    r"^\W*(?:still\s+)?(?:struggling|suffering|dealing|battling|coping|living|tired|sick|worried"
    r"|feeling|fighting|embarrassed|ashamed)\b",
    re.IGNORECASE,
)
AGE_CALLOUT = re.compile(r"^\W*(?:hey\s+\w+,?\s*)?(?:over|under)?\s*\d{2}\s*\+?\s*\?\s*$", re.I)
ASSERTED = re.compile(
    r"\byour\s+(?:\w+\s+)?(?:(?:peri)?menopaus\w*|symptoms?|condition|diagnosis|acne|eczema"
    r"|psoriasis|anxiety|depression|diabetes|infection|pregnancy|debt|credit\s+score|disability"
    r"|belly\s+fat|weight|hot\s+flash\w*|wrinkles|hair\s+loss|age)\b"
    r"|\b(?:singles|women|men|people|moms|dads)\s+(?:over|under)\s+\d{2}\s+(?:near|like)\s+you\b"
    r"|\byou(?:'re|\s+are)\s+(?:over|under)\s+\d{2}\b"
    r"|\bat\s+your\s+age\b|\bfor\s+your\s+(?:age|body\s+type|skin\s+condition)\b",
    re.IGNORECASE,
)

SUN: tuple[re.Pattern[str], ...] = tuple(
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
        r"\bprotects?\s+(?:your\s+)?skin\b",
    )
)
SUN_PROMISE = re.compile(
    r"\b(?:no|without|never\s+an?)\s+(?:more\s+)?sun\s*burns?\b|\bburn[-\s]free\b", re.I
)
"""Sun protection promised through a negation ("no sunburn"), which ``NEGATION`` must not excuse."""
THIRD_PERSON = re.compile(r"\b(?:he|she|they|them|people|someone|anyone|it|this|that)\b", re.I)
NEGATION = re.compile(r"\b(?:not|no|doesn't|does\s+not|isn't|is\s+not|never|won't|without)\b", re.I)

CLAIM_VERB = re.compile(
    r"\b(?:fights?|relieves?|relief|reverses?|eliminates?|stops?|ends?|gets?\s+rid\s+of"
    r"|reduces?\s+(?:the\s+)?risk|protects?\s+against|boosts?\s+(?:your\s+)?immun\w*|clears?"
    r"|fixes|restores?|banish\w*|erases?|beats?|kills?|lowers?|regulates?|balances?)\b",
    re.IGNORECASE,
)
DISEASE = re.compile(
    r"\b(?:infections?|bv|yeast|uti|ibs|diabetes|cancer|diseases?|depression|anxiety|arthritis"
    r"|eczema|psoriasis|acne|flu|covid\w*|insomnia|hypertension|cholesterol|candida|inflammation"
    r"|allerg\w*|immun\w*|blood\s+sugar|blood\s+pressure|hormones?|hot\s+flash\w*|breakouts?"
    r"|pimples?|cellulite|bloating|constipation|menopaus\w*\s+symptoms?|symptoms?)\b",
    re.IGNORECASE,
)
BENEFIT_CLAIMS = re.compile(
    r"\b(?:melts?|burns?|blasts?|torch\w*)\s+(?:away\s+)?(?:belly\s+|stubborn\s+)?fat\b"
    r"|\blose\s+\d+\s*(?:lbs?|pounds|kg|kilos)\b|\bdrop\s+\d+\s*(?:sizes?|lbs?|pounds|kg)\b"
    r"|\bweight[-\s]loss\s+(?:in|within)\s+\d+\b|\bboosts?\s+(?:your\s+)?(?:metabolism|immunity)\b"
    r"|\bbalances?\s+(?:your\s+)?hormones\b|\bclears?\s+(?:up\s+)?(?:your\s+)?skin\b"
    r"|\bno\s+more\s+(?:hot\s+flash\w*|acne|breakouts|bloating|night\s+sweats)\b"
    r"|\banti[-\s]aging\s+cure\b|\breverses?\s+(?:the\s+signs\s+of\s+)?aging\b",
    re.IGNORECASE,
)
FINANCE = re.compile(
    r"\b(?:guaranteed|risk[-\s]free)\s+(?:returns?|income|profits?|approval|loans?)\b"
    r"|\bget\s+rich\b|\bdouble\s+your\s+money\b|\bpassive\s+income\s+(?:of|up\s+to)\b"
    r"|\b(?:instant|pre-?)approv(?:al|ed)\b|\bno\s+credit\s+check\b|\bbeat\s+the\s+market\b",
    re.IGNORECASE,
)
ABSOLUTE = re.compile(
    r"\b(?:the\s+)?best\b(?!\s+(?:part|way|time|of\s+all|friend))|#\s?1\b|\bnumber\s+one\b"
    r"|\bthe\s+only\b|\binstant(?:ly)?\s+results?\b|\bpermanent(?:ly)?\b|\bworks\s+for\s+everyone\b",
    re.IGNORECASE,
)
TESTIMONIAL = re.compile(
    r"\bI(?:'ve|\s+have)?\s+(?:been\s+)?(?:us(?:ed|ing)|tried|trying|switched\s+to)\s+(?:this|it|"
    r"\w+)\s+(?:for|every|since)\b(?:\s+(?:a|an|one|two|three|four|five|six|\d+|few|whole|"
    r"days?|weeks?|months?|years?|morning|night|day)\b){0,2}"
    r"|\bsince\s+I\s+(?:started|switched|began)\b|\bchanged\s+my\s+life\b"
    r"|\bI\s+(?:lost|dropped|gained|saved)\s+\d+"
    r"|\bmy\s+(?:skin|results|doctor|dermatologist|tan|gut|books|team)\s+(?:has|have|is|are|was|"
    r"looks?|feels?|said|told)\b",
    re.IGNORECASE,
)
