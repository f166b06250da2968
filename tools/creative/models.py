"""Content models for every creative step, shared by the offline engine, the graphs and the server.

Two shapes per step, on purpose:

* a *draft* (``PersonaDraft``, ``AngleDraft``, ``ConceptDraft``, ``AdConceptDraft``) is what a model
  writes. It is the JSON schema sent as structured output, with numeric scores and one spelling of
  each field, and it carries the validators (word counts, score ranges, headline length) that are
  checked after generation because OpenAI's strict mode cannot express them;
* a *wire* dict (``persona_to_wire`` and friends) is what the Ad Forge chat guide shows: ids,
  avatars, string scores like ``"7.8/10"``, and both spellings of the fields the guide spells two
  ways (``label``/``category``, ``age``/``ageRange``, ``traits``/``keyTraits``).

Drafts never hold ids: ids are positional (``aud-1`` … ``aud-4``) so a regenerated set keeps the
same addressable shape and a replayed node produces the same ids.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

__all__ = [
    "AD_PRIMARY_TEXT_WORDS",
    "HEADLINE_MAX_CHARS",
    "AdConceptDraft",
    "AngleDraft",
    "AngleMetrics",
    "AngleSet",
    "ConceptDraft",
    "ConceptMetrics",
    "ConceptSet",
    "CreativeBrief",
    "CreativeTask",
    "GenerationInfo",
    "PersonaDraft",
    "PersonaImpact",
    "PersonaSet",
    "ProductInfo",
    "angle_to_wire",
    "concept_to_wire",
    "format_score",
    "persona_to_wire",
    "word_count",
]

HEADLINE_MAX_CHARS = 40
"""Meta shows 40 headline characters (and suggests under 30); longer headlines are truncated."""

AD_PRIMARY_TEXT_WORDS = (45, 80)
"""The ChatKit marketing sample's rule for primary text, inclusive bounds."""

_WORD = re.compile(r"[\w'’-]+", re.UNICODE)


def word_count(text: str) -> int:
    """Count words the way a copywriter would: runs of letters, digits, apostrophes and hyphens."""
    return len(_WORD.findall(text))


def format_score(value: float, *, out_of_ten: bool = False) -> str:
    """Render a 0–10 score the way the guide shows it: ``"9.3"`` or ``"7.8/10"``."""
    text = f"{value:.1f}"
    return f"{text}/10" if out_of_ten else text


class _Draft(BaseModel):
    """Base for model-written content: camelCase on the wire, snake_case in Python."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True
    )


Score = float
"""A 0–10 score; range-checked by the validators of each draft."""


def _check_score(value: float) -> float:
    if not 0.0 <= value <= 10.0:
        raise ValueError(f"score {value} is outside 0–10")
    return round(value, 1)


class ProductInfo(_Draft):
    """A product as the creative steps see it: from the catalog or typed in by the marketer."""

    id: str | None = None
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    category: str = ""
    benefits: list[str] = Field(default_factory=list)
    price: str | None = None


CreativeTask = Literal["personas", "persona_impact", "angles", "concepts", "ad_concept"]


class CreativeBrief(_Draft):
    """Everything a creative step needs, serialised into the prompt as one JSON block.

    Both the real model and the offline engine read the same brief, so the offline engine is not a
    special path through the graph: it is a model that happens to run locally.
    """

    task: CreativeTask
    product: ProductInfo
    format: str = "Hybrid Format"
    media_type: Literal["video", "image"] = "video"
    hint: str | None = None
    persona: dict[str, Any] | None = None
    angle: dict[str, Any] | None = None
    style: str | None = None
    tone: str | None = None
    pitch: str | None = None
    revision: str | None = None


class GenerationInfo(_Draft):
    """Which model wrote a piece of content, so every surface can label offline output as such."""

    model: str
    offline: bool


# --- personas ----------------------------------------------------------------------------------


class PersonaDraft(_Draft):
    """One audience persona as a model writes it."""

    name: str = Field(min_length=2, max_length=60)
    category: str = Field(description='Share of the audience, e.g. "Primary (40-60%)"')
    age_range: str = Field(description='e.g. "45-65"')
    gender: str
    location: str
    description: str = Field(min_length=20)
    key_traits: list[str] = Field(min_length=3, max_length=6)
    pain_points: list[str] = Field(min_length=2, max_length=5)
    desires: list[str] = Field(min_length=2, max_length=5)
    features: list[str] = Field(default_factory=list, description="Product features that matter")

    @field_validator("age_range")
    @classmethod
    def _age_range_shape(cls, value: str) -> str:
        if not re.fullmatch(r"\d{2}\s*[-–]\s*\d{2}\+?|\d{2}\+", value.strip()):
            raise ValueError(f'age range must look like "45-65" or "65+", got {value!r}')
        return value.strip().replace("–", "-").replace(" ", "")


class PersonaSet(_Draft):
    """Exactly four personas, with distinct names."""

    personas: list[PersonaDraft] = Field(min_length=4, max_length=4)
    reasoning: list[str] = Field(default_factory=list, description="Why these audiences")

    @model_validator(mode="after")
    def _distinct_names(self) -> PersonaSet:
        names = [p.name.casefold() for p in self.personas]
        if len(set(names)) != len(names):
            raise ValueError("persona names must be distinct")
        return self


class PersonaImpact(_Draft):
    """A short explanation of what choosing this persona changes downstream."""

    explanation: str = Field(min_length=20, max_length=600)


# --- angles ------------------------------------------------------------------------------------


class AngleMetrics(_Draft):
    """Scores of a marketing angle on the guide's three axes."""

    emotion: Score
    proof: Score
    differentiation: Score

    _ranges = field_validator("emotion", "proof", "differentiation")(_check_score)


class AngleDraft(_Draft):
    """One marketing angle as a model writes it."""

    title: str = Field(min_length=3, max_length=80)
    description: str = Field(min_length=20)
    metrics: AngleMetrics
    reason: str = Field(min_length=10)

    @property
    def score(self) -> float:
        """The angle's overall score: the mean of its three metrics."""
        m = self.metrics
        return round((m.emotion + m.proof + m.differentiation) / 3, 1)


class AngleSet(_Draft):
    """Two or three marketing angles."""

    angles: list[AngleDraft] = Field(min_length=2, max_length=3)
    reasoning: list[str] = Field(default_factory=list)


# --- psychology concepts with scripts ---------------------------------------------------------


class ConceptMetrics(_Draft):
    """Scores of a psychology concept on the guide's four axes."""

    hook: Score
    mechanism: Score
    believability: Score
    cta: Score

    _ranges = field_validator("hook", "mechanism", "believability", "cta")(_check_score)


class ConceptDraft(_Draft):
    """One psychology-based video concept with its full script."""

    title: str = Field(
        min_length=3, max_length=60, description='The principle, e.g. "Loss Aversion"'
    )
    description: str = Field(min_length=20)
    hook: str = Field(min_length=10, max_length=200)
    full_script: str = Field(min_length=60)
    call_to_action: str = Field(min_length=3, max_length=120)
    visual_direction: str = Field(min_length=20)
    metrics: ConceptMetrics

    @field_validator("full_script")
    @classmethod
    def _script_length(cls, value: str) -> str:
        words = word_count(value)
        if not 30 <= words <= 120:
            raise ValueError(f"full script must be 30–120 words (15–45 s spoken), got {words}")
        return value

    @property
    def score(self) -> float:
        """The concept's overall score: the mean of its four metrics."""
        m = self.metrics
        return round((m.hook + m.mechanism + m.believability + m.cta) / 4, 1)


class ConceptSet(_Draft):
    """Two or three psychology concepts."""

    concepts: list[ConceptDraft] = Field(min_length=2, max_length=3)
    reasoning: list[str] = Field(default_factory=list)


# --- the assistant's ad concept ----------------------------------------------------------------


class AdConceptDraft(_Draft):
    """A finished static ad concept: headline, primary text, CTA and image prompts."""

    headline: str = Field(min_length=3)
    primary_text: str
    call_to_action: str = Field(min_length=2, max_length=40)
    image_prompts: list[str] = Field(min_length=3, max_length=6)

    @field_validator("headline")
    @classmethod
    def _headline_length(cls, value: str) -> str:
        value = value.strip().strip('"').strip()
        if len(value) > HEADLINE_MAX_CHARS:
            raise ValueError(
                f"headline is {len(value)} characters; keep it at most {HEADLINE_MAX_CHARS}"
            )
        return value

    @field_validator("primary_text")
    @classmethod
    def _primary_text_words(cls, value: str) -> str:
        low, high = AD_PRIMARY_TEXT_WORDS
        words = word_count(value)
        if not low <= words <= high:
            raise ValueError(f"primary text must be {low}–{high} words, got {words}")
        return value.strip()


# --- wire shapes (the integration guide's JSON) ------------------------------------------------

_LABEL_COLORS = ("#7C5CFF", "#06E8DC", "#FFB020", "#FF5C8A")
_AVATAR_BASE = "/static/avatars/persona-{index}.svg"


def persona_to_wire(draft: PersonaDraft, index: int) -> dict[str, Any]:
    """The guide's persona object, carrying both spellings of the doubly-named fields."""
    return {
        "id": f"aud-{index + 1}",
        "name": draft.name,
        "avatar": _AVATAR_BASE.format(index=index % 4 + 1),
        "label": draft.category,
        "category": draft.category,
        "labelColor": _LABEL_COLORS[index % len(_LABEL_COLORS)],
        "age": draft.age_range,
        "ageRange": draft.age_range,
        "gender": draft.gender,
        "location": draft.location,
        "description": draft.description,
        "traits": list(draft.key_traits),
        "keyTraits": list(draft.key_traits),
        "painPoints": list(draft.pain_points),
        "desires": list(draft.desires),
        "features": list(draft.features),
    }


def angle_to_wire(draft: AngleDraft, index: int) -> dict[str, Any]:
    """The guide's marketing-angle object (string scores)."""
    m = draft.metrics
    title = (
        draft.title
        if draft.title.lower().startswith("angle")
        else f"Angle {index + 1}: {draft.title}"
    )
    return {
        "id": f"ang-{index + 1}",
        "title": title,
        "score": format_score(draft.score),
        "description": draft.description,
        "metrics": {
            "emotion": format_score(m.emotion),
            "proof": format_score(m.proof),
            "differentiation": format_score(m.differentiation),
        },
        "reason": draft.reason,
    }


def concept_to_wire(draft: ConceptDraft, index: int) -> dict[str, Any]:
    """The guide's psychology concept, including the script-details fields of its modal."""
    m = draft.metrics
    return {
        "id": f"psych-{index + 1}",
        "title": draft.title,
        "score": format_score(draft.score, out_of_ten=True),
        "description": draft.description,
        "hook": draft.hook,
        "fullScript": draft.full_script,
        "callToAction": draft.call_to_action,
        "visualDirection": draft.visual_direction,
        "metrics": {
            "hook": format_score(m.hook),
            "mechanism": format_score(m.mechanism),
            "believability": format_score(m.believability),
            "cta": format_score(m.cta),
        },
    }
