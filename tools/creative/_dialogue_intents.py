"""Reading one user message: off-topic, theme switch, image request, confirmation, answer.

The offline assistant has no language model, so it reads messages with patterns. They are
written as *requests* rather than keywords where a keyword would misfire: "a weather app" is a
product, "what's the weather" is off-topic; "an ad for Instagram" names a platform, not a product.
Marketing words win over off-topic patterns, so "a joke-themed ad for my bakery" is on-topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.creative._text import clean_phrase, title_case

__all__ = [
    "ImageRequest",
    "clean_answer",
    "field_updates",
    "image_request",
    "is_confirmation",
    "is_greeting",
    "is_negative",
    "is_off_topic",
    "is_revision",
    "is_thanks",
    "looks_like_request",
    "is_unsure",
    "named_product",
    "theme_request",
]

_I = re.IGNORECASE
_MARKETING = re.compile(
    r"\b(?:ads?|advert\w*|campaign\w*|headlines?|copy|brand\w*|launch\w*|promot\w*|marketing"
    r"|slogans?|taglines?|creatives?|cta|call to action|image prompts?|product|audience"
    r"|banner|commercial|poster|flyer)\b",
    _I,
)
_OFF_TOPIC = tuple(
    re.compile(p, _I)
    for p in (
        r"\b(?:what'?s|what is|how'?s|how is)\s+the\s+weather\b",
        r"\bweather\s+(?:today|tomorrow|tonight|this week|in\s+\w+|like|forecast)\b",
        r"\bforecast for\b|\bwill it (?:rain|snow)\b",
        r"\btell me a joke\b|\b(?:know|got|have) any jokes\b|\bmake me laugh\b|\ba joke\b",
        r"\b(?:write|fix|debug|refactor|review)\s+(?:me\s+)?(?:a|an|my|this|some)?\s*"
        r"(?:python|javascript|java|c\+\+|sql|rust|go|typescript)?\s*(?:code|function|script"
        r"|program|class|query|bug|regex)\b",
        r"\bhelp me (?:code|program|debug)\b|\bstack trace\b|\bcompile error\b",
        r"\bhomework\b|\bsolve\b.*\b(?:equation|problem|for x)\b|\bmath problem\b",
        r"\brecipe (?:for|to)\b|\bhow (?:do|can|should) i (?:cook|bake|boil|roast|grill)\b",
        r"\bcapital of\b|\bwho won\b|\bstock price\b|\bwhat time is it\b|\bnews today\b",
        r"\bwrite (?:me )?(?:a|an) (?:poem|essay|story|song)\b",
    )
)
_REQUEST = re.compile(
    r"^(?:please\s+)?(?:tell|write|what|what'?s|how|who|when|where|can you|could you|would you"
    r"|help|fix|solve|give me|explain|debug|do my)\b",
    _I,
)
_THEME = re.compile(
    r"\b(?P<a>dark|light)\s*(?:mode|theme|colou?r scheme)\b|\b(?:switch|change|toggle|set|use|go"
    r"|make|turn|put|enable)"
    r"\b[^.!?]*\b(?:to|into)?\s*(?P<b>dark|light)\b(?:\s+(?:mode|theme))?",
    _I,
)
_IMAGE = re.compile(
    r"\b(?:generate|create|make|render|produce|show|give|draw|design|mock ?up|another|more|see)"
    r"\b[^.!?]{0,40}\b(?:images?|visuals?|pictures?|photos?|graphics?|mock-?ups?|samples?)\b"
    r"|\b(?:images?|visuals?|pictures?)\s+(?:please|now)\b",
    _I,
)
_EDIT = re.compile(
    r"\b(?:brighter|darker|warmer|cooler|softer|bolder|moodier|more|less|change|tweak|edit)\b", _I
)
_ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "1st": 0, "2nd": 1, "3rd": 2}
_CONFIRM = re.compile(
    r"^(?:yes|yep|yeah|yup|sure|ok(?:ay)?|go ahead|go for it|do it|let'?s do it|let'?s go"
    r"|looks? good|sounds good|perfect|great|correct|confirm(?:ed)?|that'?s (?:right|correct|it"
    r"|perfect|great)|lgtm|absolutely|please do|ship it|good to go|all good|approved?"
    r"|write it|create it)\b",
    _I,
)
_NEGATIVE = re.compile(r"^(?:no|nope|nah|not quite|not really|wait|hold on|hmm+)\b", _I)
_GREETING = re.compile(
    r"^(?:hi|hello|hey|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening))"
    r"(?:\s+(?:there|team|you))?[\s!.,]*$",
    _I,
)
_THANKS = re.compile(r"\b(?:thanks|thank you|cheers|love it|awesome|amazing|nice one)\b", _I)
_UNSURE = re.compile(
    r"\b(?:not sure|no idea|you (?:pick|choose|decide)|up to you|surprise me|whatever you (?:think"
    r"|suggest)|dunno|don'?t know|anything (?:works|is fine)|your call|suggest (?:something|one))\b",
    _I,
)
_REVISION = re.compile(
    r"\b(?:make it|more|less|shorter|longer|change|rewrite|redo|another version|try again"
    r"|different|tweak|punchier|add|remove|mention|focus on|emphasi[sz]e|highlight|update"
    r"|instead|swap|replace|adjust|tone down|simplify|headline|cta|call to action|copy"
    r"|another|version|bolder|softer|punchy|catchier)\b",
    _I,
)
_PRODUCT_STRONG = re.compile(
    r"\b(?:ads?|advert(?:isement)?s?|campaign|commercial|promo(?:tion)?|marketing|copy|one"
    r"|another one|a new one)\s+"
    r"(?:campaign\s+)?(?:for|about|promoting)\s+(?P<x>[^.!?\n]+)",
    _I,
)
_PRODUCT_WEAK = re.compile(
    r"\b(?:promote|advertise|market|launch|selling|sell|promoting|advertising)\s+(?P<x>[^.!?\n]+)"
    r"|\bmy (?:product|brand|business|company|shop|store|service|app) is (?:called\s+)?"
    r"(?P<y>[^.!?\n]+)|\b(?:product|brand)\s*:\s*(?P<z>[^.!?\n]+)",
    _I,
)
_CUT = re.compile(
    r"\s+(?:to|with|in|on|that|which|who|because|so|please|targeting|aimed|for (?:women|men"
    r"|people|kids|students|busy))\b|[,;:(]|\s[-–—]\s",
    _I,
)
_LEAD = re.compile(r"^(?:(?:my|our|the|a|an|this|new|brand new|little|small)\s+)+", _I)
_NOT_PRODUCTS = re.compile(
    r"^(?:campaigns?|an? ads?|ads?|something|it|this|that|stuff|things?|instagram|facebook"
    r"|tiktok|stories|story|reels?|linkedin|youtube|google|meta|social media|twitter|x)$",
    _I,
)
_FIELD = re.compile(
    r"\b(?P<f>style|aesthetic|look|tone|voice|pitch|value prop(?:osition)?|product|message)\b"
    r"\s*(?::|=|is|should be|to|as|of)\s+(?:be\s+)?(?:more\s+)?(?P<v>[^.!?\n]+)",
    _I,
)
_FIELD_SET = re.compile(
    r"\b(?:make|change|set|switch)\s+(?:the\s+)?(?P<f>style|tone|pitch|voice)\s+(?:to\s+|into\s+)?"
    r"(?:be\s+)?(?:more\s+)?(?P<v>[^.!?\n]+)",
    _I,
)
_FIELD_NAMES = {
    "style": "style",
    "aesthetic": "style",
    "look": "style",
    "tone": "tone",
    "voice": "tone",
    "pitch": "pitch",
    "value prop": "pitch",
    "value proposition": "pitch",
    "message": "pitch",
    "product": "product",
}
_ANSWER_LEAD = re.compile(
    r"^(?:(?:i think|i'?d say|i'?d like|i want|let'?s go with|let'?s do|go with|maybe|probably"
    r"|how about|something|it'?s|its|it is|make it|use|a|an|the|we want|we'?d like|kind of"
    r"|sort of|very|really|super|pretty|definitely)\s+)+",
    _I,
)
_ANSWER_TAIL = re.compile(
    r"\s+(?:style|aesthetic|look|tone|vibe|feel|please|thanks|thank you|i think|maybe)$", _I
)


@dataclass(frozen=True, slots=True)
class ImageRequest:
    """An explicit request for imagery: which prompt (by position) and which placement size."""

    size: str
    index: int


def _text(message: str) -> str:
    return " ".join(message.split()).strip()


def is_off_topic(message: str) -> bool:
    """A request the assistant must decline: anything that is not about ads."""
    text = _text(message)
    return not _MARKETING.search(text) and any(p.search(text) for p in _OFF_TOPIC)


def looks_like_request(message: str) -> bool:
    """A question or an instruction, as opposed to a plain answer ("a recipe-box app")."""
    text = _text(message)
    return "?" in text or bool(_REQUEST.search(text))


def theme_request(message: str) -> str | None:
    """``"dark"`` or ``"light"`` when the message asks to switch the interface theme."""
    text = _text(message)
    if not re.search(r"\b(?:mode|theme|colou?r scheme|dark|light)\b", text, _I):
        return None
    match = _THEME.search(text)
    if not match:
        return None
    if not (match.group("a") or re.search(r"\b(?:mode|theme|scheme|ui|interface)\b", text, _I)):
        return None
    return (match.group("a") or match.group("b")).lower()


def image_request(message: str) -> ImageRequest | None:
    """The image the message explicitly asks for, with its size; ``None`` if it asks for none.

    "Make the image prompts brighter" edits the copy; "generate an image from the second
    prompt" asks for a render. Only an explicit render verb turns a prompt mention into imagery.
    """
    text = _text(message)
    if not _IMAGE.search(text) or _EDIT.search(text):
        return None
    render = re.search(r"\b(?:generate|create|render|draw|show|produce)\b", text, _I)
    if re.search(r"\bprompts?\b", text, _I) and not render:
        return None
    size = "1080x1080"
    if re.search(r"\b(?:stor(?:y|ies)|reels?|vertical|9:16|full[- ]screen|tiktok)\b", text, _I):
        size = "1080x1920"
    elif re.search(r"\b(?:portrait|4:5|tall)\b", text, _I):
        size = "1080x1350"
    elif re.search(r"\b(?:landscape|horizontal|banner|wide|16:9|1\.91:1|link ad)\b", text, _I):
        size = "1200x628"
    index = 0
    for word, position in _ORDINALS.items():
        if re.search(rf"\b{word}\b", text, _I):
            index = position
            break
    if match := re.search(r"\b(?:prompt|image|number|#)\s*(\d)\b", text, _I):
        index = max(int(match.group(1)) - 1, 0)
    if re.search(r"\blast\b", text, _I):
        index = -1
    return ImageRequest(size=size, index=index)


def is_confirmation(message: str) -> bool:
    """A yes to the summarised brief ("yes", "go ahead", "looks good")."""
    return bool(_CONFIRM.search(clean_phrase(message)))


def is_negative(message: str) -> bool:
    """A no, or a pause ("not quite", "wait")."""
    return bool(_NEGATIVE.search(clean_phrase(message)))


def is_greeting(message: str) -> bool:
    """A greeting with nothing else in it."""
    return bool(_GREETING.search(_text(message)))


def is_thanks(message: str) -> bool:
    """Thanks or praise, with no request in it."""
    return bool(_THANKS.search(message)) and not _REVISION.search(message)


def is_unsure(message: str) -> bool:
    """The user leaves the choice to the assistant ("not sure", "you pick")."""
    return bool(_UNSURE.search(message))


def is_revision(message: str) -> bool:
    """A change request for an existing concept ("make it more playful", "shorter headline")."""
    return bool(_REVISION.search(message))


def _product_phrase(raw: str) -> str | None:
    phrase = _CUT.split(raw, maxsplit=1)[0]
    phrase = _LEAD.sub("", clean_phrase(phrase)).strip()
    if not phrase or _NOT_PRODUCTS.match(phrase) or len(phrase.split()) > 8:
        return None
    return title_case(phrase)


def named_product(message: str, *, strong_only: bool = False) -> str | None:
    """The product a message names ("an ad for my bakery" → "Bakery"), if it names one.

    Args:
        message: The user's message.
        strong_only: Accept only explicit "ad/campaign for X" phrasing. Once a brief exists,
            "promote the price more" must read as an edit, not as a new product called "Price".
    """
    text = _text(message)
    match = _PRODUCT_STRONG.search(text)
    if match:
        return _product_phrase(match.group("x"))
    if strong_only:
        return None
    match = _PRODUCT_WEAK.search(text)
    if match:
        return _product_phrase(match.group("x") or match.group("y") or match.group("z") or "")
    return None


def field_updates(message: str) -> dict[str, str]:
    """Fields the message sets explicitly: "change the tone to bold" → ``{"tone": "Bold"}``."""
    updates: dict[str, str] = {}
    text = _text(message)
    for match in [*_FIELD_SET.finditer(text), *_FIELD.finditer(text)]:
        field = _FIELD_NAMES.get(match.group("f").lower(), "")
        value = clean_answer(
            re.split(r"\s+and\s+(?:the\s+)?(?:style|tone|pitch)\b", match.group("v"))[0]
        )
        if field and value and field not in updates:
            updates[field] = value
    return updates


def clean_answer(message: str) -> str:
    """A short answer as a clean field value ("I'd say cozy and warm." → "cozy and warm")."""
    text = clean_phrase(message)
    text = _ANSWER_LEAD.sub("", text)
    text = _ANSWER_TAIL.sub("", text)
    return clean_phrase(text)
