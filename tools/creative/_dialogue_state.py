"""The assistant's working brief, and how one user message changes it.

``dialogue`` replays a conversation through ``interpret`` to rebuild the brief; keeping the
interpretation here, apart from the wording of replies, means a change to how a message is read
cannot silently change what the assistant says, and the other way round.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from tools.catalog import DEMO_PRODUCTS
from tools.creative import _dialogue_intents as intents
from tools.creative._context import start
from tools.creative._text import clean_phrase, lower_first, sentence, title_case
from tools.creative._tones import parse_revision
from tools.creative.models import CreativeBrief, ProductInfo

__all__ = ["FIELDS", "Intent", "State", "interpret", "pitch_example", "product_info", "suggestion"]

FIELDS = ("product", "style", "tone", "pitch")
"""The brief's fields, in the order the assistant asks for them."""


@dataclass(frozen=True, slots=True)
class State:
    """The brief as the conversation has built it so far (raw wording, title-cased on save)."""

    product: str | None = None
    style: str | None = None
    tone: str | None = None
    pitch: str | None = None
    revisions: tuple[str, ...] = ()
    concept: Mapping[str, Any] | None = None
    pending: str | None = None

    def missing(self) -> str | None:
        """The first brief field still unanswered, in the order the assistant asks them."""
        return next((f for f in FIELDS if not getattr(self, f)), None)

    def with_fields(self, fields: Mapping[str, str]) -> State:
        """A copy with some of product, style, tone and pitch replaced."""
        return replace(
            self,
            product=fields.get("product", self.product),
            style=fields.get("style", self.style),
            tone=fields.get("tone", self.tone),
            pitch=fields.get("pitch", self.pitch),
        )


@dataclass(frozen=True, slots=True)
class Intent:
    """What a user message asks the assistant to do, with its argument (a theme, a note)."""

    kind: Literal["theme", "decline", "image", "ask", "change", "write", "revise", "ack"]
    value: str = ""
    image: intents.ImageRequest | None = None


def product_info(state: State) -> ProductInfo:
    """The catalog product the user named, or a typed product described by its pitch."""
    name = state.product or "Your Product"
    wanted = name.casefold()
    for product in DEMO_PRODUCTS:
        full = product.name.casefold()
        prefix = " ".join(full.split()[:2])
        if len(wanted) >= 4 and (wanted in full or full in wanted or prefix in wanted):
            return product
    return ProductInfo(name=name, description=sentence(state.pitch or ""))


def suggestion(state: State, field: str) -> str:
    """A sensible default when the user leaves a choice to the assistant."""
    setup = start(CreativeBrief(task="ad_concept", product=product_info(state)))
    if field == "style":
        return setup.vocab.style
    if field == "tone":
        return "warm and confident"
    features = setup.facts.features
    return lower_first(features[0]) if features else setup.base["outcome"]


def pitch_example(state: State) -> str | None:
    """A pitch example taken from the product's own features; ``None`` when it has none."""
    features = start(CreativeBrief(task="ad_concept", product=product_info(state))).facts.features
    return lower_first(features[0]) if features else None


def interpret(state: State, message: str) -> tuple[State, Intent]:
    """Apply one user message to the brief and say what it asks for."""
    if theme := intents.theme_request(message):
        return state, Intent("theme", theme)
    answering = state.pending in FIELDS and not intents.looks_like_request(message)
    if intents.is_off_topic(message) and not answering:
        return state, Intent("decline")
    if image := intents.image_request(message):
        return state, Intent("image", image=image)
    strong = state.product is not None and state.pending not in (None, "product")
    product = intents.named_product(message, strong_only=strong or state.concept is not None)
    if product and (not state.product or product.casefold() != state.product.casefold()):
        return State(product=product), Intent("ask", f"Great, let's build an ad for {product}.")
    updates = intents.field_updates(message)
    if state.concept is not None and state.pending is None:
        return _revise(state, message, updates)
    if state.pending == "confirm":
        if updates:
            return state.with_fields(updates), Intent("ask", "Updated.")
        if intents.is_confirmation(message):
            return state, Intent("write")
        return state, Intent("change")
    if state.pending in FIELDS and not intents.is_greeting(message):
        return _answer(state, state.pending, message, updates)
    return state, Intent("ask", "Hi! I'm your ad assistant." if not state.product else "")


def _answer(
    state: State, field: str, message: str, updates: dict[str, str]
) -> tuple[State, Intent]:
    """Fill the field the last question asked for (or the fields the message names)."""
    if updates:
        return state.with_fields(updates), Intent("ask", "Got it.")
    if field == "product":
        value = intents.named_product(message) or intents.clean_answer(message)
        if not value or intents.is_unsure(message) or intents.is_negative(message):
            return state, Intent(
                "ask", "No problem. A product name and one line about it is enough."
            )
        product = title_case(" ".join(value.split()[:8]))[:80]  # a name, not a paragraph
        return replace(state, product=product), Intent(
            "ask", f"Great, let's build an ad for {product}."
        )
    unsure = intents.is_unsure(message) or message.strip().endswith("?")
    unsure = unsure or (intents.is_negative(message) and len(message.split()) <= 2)
    value = suggestion(state, field) if unsure else intents.clean_answer(message)
    if not value:
        return state, Intent("ask")
    note = {
        "style": f"Nice, a {lower_first(value)} look.",
        "tone": f"{title_case(value)} it is.",
        "pitch": "Got it.",
    }[field]
    if unsure:
        note = f"No problem, I'd suggest {lower_first(value)}."
    return state.with_fields({field: value}), Intent("ask", note)


def _revise(state: State, message: str, updates: dict[str, str]) -> tuple[State, Intent]:
    """A message after a concept: praise, an explicit field change, or a change request."""
    if intents.is_thanks(message) or (intents.is_confirmation(message) and not updates):
        return state, Intent("ack")
    revision = parse_revision(message)
    if revision and revision.tone and "tone" not in updates:
        updates["tone"] = revision.tone.key
    if updates or intents.is_revision(message) or len(message.split()) >= 3:
        revisions = (*state.revisions, clean_phrase(message))
        new = replace(state.with_fields(updates), revisions=revisions)
        return new, Intent("revise", clean_phrase(message))
    return state, Intent("ack")
