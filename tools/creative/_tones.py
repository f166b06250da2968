"""Tones of voice for the static ad concept, and how a change request maps onto them.

A marketer names a tone in their own words ("cheeky", "upscale", "no-nonsense"); each profile
lists the words that select it, then the sentence shapes that make copy sound that way. The
revision parser reads change requests ("make it more playful", "shorter headline", "mention the
price") into flags the copy writer applies, so a revision changes exactly what was asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.creative._lexicon import bars

__all__ = ["TONES", "Revision", "Tone", "named_tone", "parse_revision", "resolve_tone"]


@dataclass(frozen=True, slots=True)
class Tone:
    """A voice: the words that select it and the sentence shapes that express it."""

    key: str
    aliases: tuple[str, ...]
    hooks: tuple[str, ...]
    lead: str
    moment: str
    closer: str
    headlines: tuple[str, ...]
    mood: str


TONES: tuple[Tone, ...] = (
    Tone(
        "playful",
        bars(
            "playful|fun|witty|cheeky|lighthearted|light-hearted|quirky|humorous|funny|cheerful"
            "|whimsical|upbeat|silly"
        ),
        bars(
            "Plot twist: {outcome} can be this easy.|Good news for anyone done with {pain}."
            "|Consider this your sign to try {short}."
        ),
        "Here's the deal",
        "Perfect for {moment}, and every day after.",
        "Tap {cta} and see what the fuss is about.",
        bars(
            "Hello, {Outcome}|{Short}, Zero Drama|Your New Favourite {Noun}|{Outcome}, Minus "
            "the Fuss"
        ),
        "bright, upbeat",
    ),
    Tone(
        "bold",
        bars(
            "bold|confident|punchy|energetic|daring|loud|edgy|powerful|strong|direct|urgent"
            "|exciting|dynamic|fearless"
        ),
        bars(
            "Stop settling for {pain}.|Meet the {noun} that raises the bar.|{outcome_cap}. No "
            "compromises."
        ),
        "The bottom line",
        "Built for {moment}.",
        "{cta}. Your move.",
        bars(
            "{Outcome}. No Compromises.|Raise the Bar With {Short}|{Short}: No Half "
            "Measures|Raise Your Standards"
        ),
        "high-contrast, energetic",
    ),
    Tone(
        "warm",
        bars(
            "warm|friendly|cozy|cosy|caring|approachable|conversational|casual|welcoming|homely"
            "|heartfelt|relatable|inviting|personal"
        ),
        bars(
            "Some days call for {outcome}.|Here's to {outcome}, made simple.|We made {short} for "
            "{moment}."
        ),
        "Here's the idea",
        "Made for {moment}.",
        "Tap {cta} and make it part of your week.",
        bars("{Outcome}, Made Simple|Say Hello to {Short}|Made for Your Everyday"),
        "warm, inviting",
    ),
    Tone(
        "premium",
        bars(
            "premium|luxurious|luxury|elegant|sophisticated|refined|upscale|luxe|classy|timeless"
            "|exclusive|chic|high-end"
        ),
        bars(
            "Considered down to the last detail.|{outcome_cap}, refined.|Quietly exceptional, by "
            "design."
        ),
        "The promise",
        "Reserved for {moment}, and every day you choose.",
        "{cta} and discover the difference.",
        bars("{Outcome}, Refined|{Short}. Considered.|Effortless {Outcome}|The Art of the {Noun}"),
        "refined, understated",
    ),
    Tone(
        "calm",
        bars(
            "calm|soothing|gentle|reassuring|soft|serene|relaxed|peaceful|mindful|quiet"
            "|tranquil|empathetic|softer"
        ),
        bars("Take a breath: {outcome} can be simple.|No rush, no fuss, just {outcome}."),
        "The idea is simple",
        "Made for {moment}, at your own pace.",
        "{cta} whenever you're ready.",
        bars("{Outcome}, Without the Rush|Simply {Short}|Ease Into {Outcome}"),
        "soft, serene",
    ),
    Tone(
        "professional",
        bars(
            "professional|trustworthy|clear|expert|authoritative|informative|straightforward"
            "|credible|serious|corporate|polished|no-nonsense|technical|formal"
        ),
        bars(
            "{Short} delivers {outcome} without the extra work.|Clear, simple and built for "
            "{moment}."
        ),
        "What you get",
        "Designed for {moment}.",
        "{cta} to see how it fits your routine.",
        bars("{Outcome}, Done Right|{Short}: Built to Perform|The Smarter {Noun}"),
        "clean, confident",
    ),
)
_BY_KEY = {tone.key: tone for tone in TONES}
_SOFTER = re.compile(r"\bless\s+(?:salesy|pushy|aggressive|loud|hype\w*|intense)\b", re.I)
_LOOSER = re.compile(r"\bless\s+(?:formal|serious|corporate|stiff)\b", re.I)


def named_tone(text: str | None) -> Tone | None:
    """The tone a text names, the last one mentioned winning ("bold; then calmer" → calm)."""
    if not text:
        return None
    hits = [(m.start(), "calm") for m in _SOFTER.finditer(text)]
    hits += [(m.start(), "warm") for m in _LOOSER.finditer(text)]
    for tone in TONES:
        for alias in tone.aliases:
            pattern = rf"(?<![\w-]){re.escape(alias)}(?![\w-])"
            hits += [(m.start(), tone.key) for m in re.finditer(pattern, text, re.I)]
    return _BY_KEY[max(hits)[1]] if hits else None


def resolve_tone(text: str | None, default: str = "warm") -> Tone:
    """The tone profile a free-text tone names, else ``default``."""
    return named_tone(text) or _BY_KEY[default]


@dataclass(frozen=True, slots=True)
class Revision:
    """What a change request asks for; several requests may be joined with ``;``."""

    text: str
    tone: Tone | None
    shorter_headline: bool
    new_headline: bool
    length: str | None
    price: bool
    new_cta: bool
    emphasis: str | None
    image_words: tuple[str, ...]

    @property
    def touches_body(self) -> bool:
        """Whether the request is about the primary text, not only the headline, CTA or images."""
        narrow = self.new_headline or self.new_cta or bool(self.image_words)
        return bool(self.tone or self.length or self.price or self.emphasis) or not narrow

    def count(self, what: str) -> int:
        """How many of the joined requests ask for ``"body"`` or ``"headline"`` changes.

        Each new request rotates to the next variant, so asking twice never returns the
        same hook or headline as the time before.
        """
        parts = [_parse_one(part) for part in self.text.split(";") if part.strip()]
        if what == "body":
            return len([p for p in parts if p.touches_body])
        return len([p for p in parts if p.new_headline])


_IMAGE_WORDS = re.compile(
    r"\b(brighter|darker|moodier|colou?rful|minimal(?:ist)?|warmer|cooler|vibrant|softer"
    r"|cinematic|natural|bolder|cleaner)\b",
    re.I,
)
_EMPHASIS = re.compile(
    r"\b(?:focus on|emphasi[sz]e|highlight|mention|talk about|lead with|push)\s+(?:the\s+)?"
    r"([^.,;!?]{3,60})",
    re.I,
)
_VISUAL = re.compile(r"\b(?:image|images|visual|visuals|photo|photos|picture|pictures|prompts?)\b")


def _length(low: str, shorter_headline: bool) -> str | None:
    if shorter_headline and not re.search(r"\b(?:copy|text|body)\b", low):
        return None
    if re.search(
        r"\b(?:short(?:er)?|concise|tighten|trim|cut (?:it )?down|fewer words|too long"
        r"|brief(?:er)?|less copy)\b",
        low,
    ):
        return "short"
    if re.search(r"\b(?:longer|more detail|expand|elaborate|too short|more copy)\b", low):
        return "long"
    return None


def _parse_one(text: str) -> Revision:
    low = text.lower()
    headline = "headline" in low or "title" in low
    shorter_headline = headline and bool(re.search(r"short|trim|tight|cut|concise|punch", low))
    emphasis = _EMPHASIS.search(text)
    return Revision(
        text=text.strip(),
        tone=named_tone(text),
        shorter_headline=shorter_headline,
        new_headline=headline,
        length=_length(low, shorter_headline),
        price=bool(re.search(r"\b(?:price|cost|pricing)\b|[$€£]", low)),
        new_cta=bool(re.search(r"\b(?:cta|call to action|button)\b", low)),
        emphasis=emphasis.group(1).strip() if emphasis else None,
        image_words=tuple(dict.fromkeys(m.lower() for m in _IMAGE_WORDS.findall(text)))
        if _VISUAL.search(low)
        else (),
    )


def parse_revision(text: str | None) -> Revision | None:
    """Read change requests into flags; ``None`` when there is none.

    Several requests may be joined with ``;`` (a conversation's revisions, oldest first). Later
    requests win where they conflict: "shorter headline; different headline" asks for a
    different headline, "more playful; make it calm" for a calm tone.
    """
    if not text or not text.strip():
        return None
    result: Revision | None = None
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        one = _parse_one(part)
        if result is None:
            result = one
            continue
        result = Revision(
            text=f"{result.text}; {one.text}",
            tone=one.tone or result.tone,
            shorter_headline=one.shorter_headline if one.new_headline else result.shorter_headline,
            new_headline=one.new_headline or result.new_headline,
            length=one.length or result.length,
            price=one.price or result.price,
            new_cta=one.new_cta or result.new_cta,
            emphasis=one.emphasis or result.emphasis,
            image_words=one.image_words or result.image_words,
        )
    return result
