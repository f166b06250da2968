"""Schemas of the stateless generate routes: the workflow's creative steps without a session.

Requests name the product by ``productId`` or inline, and carry the earlier choices (persona,
angle) themselves, since there is no session to remember them. Responses are the guide's messages
(``audience_group``, ``marketing_angle``, ``psychology_selection``) with the same wire objects the
workflow emits, plus ``generation`` so offline content is labelled as such (design invariant 9).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from server.http.compliance_schemas import CompliancePublic
from server.http.schemas import ApiModel
from server.protocols.adforge.catalog_schemas import ProductCreate
from tools.catalog import find_format
from tools.jobs import VIDEO_RESOLUTIONS, ScriptParts

__all__ = [
    "GenerateBase",
    "AnglePublic",
    "AngleRef",
    "AnglesGenerate",
    "AudienceGroupPublic",
    "ConceptPublic",
    "GenerationPublic",
    "MarketingAnglePublic",
    "PersonaPublic",
    "PersonaRef",
    "PersonasGenerate",
    "PsychologySelectionPublic",
    "ScriptsGenerate",
    "VideoCreate",
    "VideoJobPublic",
    "VideoScript",
]

MediaType = Literal["video", "image"]

# --- requests ----------------------------------------------------------------------------------


class GenerateBase(ApiModel):
    """The product to write for, by id (demo or the caller's own) or typed in."""

    product_id: str | None = Field(default=None, min_length=1, max_length=120)
    product: ProductCreate | None = None
    format: str = Field(default="Hybrid Format", min_length=1, max_length=80)
    media_type: MediaType = "video"
    hint: str | None = Field(default=None, max_length=500, description="Free-text steer")

    @model_validator(mode="after")
    def _one_product(self) -> GenerateBase:
        if (self.product_id is None) == (self.product is None):
            raise ValueError("give exactly one of productId or product")
        return self

    @field_validator("format")
    @classmethod
    def _known_spelling(cls, value: str) -> str:
        known = find_format(value)
        return known.name if known else value.strip()


class PersonaRef(ApiModel):
    """The chosen persona: its wire object from ``/api/personas/generate``, or at least a name."""

    model_config = ConfigDict(extra="allow")

    name: str = Field(min_length=1, max_length=120)
    description: str | None = None
    age_range: str | None = None
    gender: str | None = None
    pain_points: list[str] | None = None
    desires: list[str] | None = None


class AngleRef(ApiModel):
    """The chosen angle: its wire object from ``/api/angles/generate``, or at least a title."""

    model_config = ConfigDict(extra="allow")

    title: str = Field(min_length=1, max_length=120)
    description: str | None = None


def _wire(ref: PersonaRef | AngleRef | str, key: str) -> dict[str, Any]:
    if isinstance(ref, str):
        return {key: ref}
    return ref.model_dump(mode="json", by_alias=True, exclude_none=True)


class PersonasGenerate(GenerateBase):
    """Write four audience personas; ``hint`` (e.g. "runners over 40") shapes the first."""


class AnglesGenerate(GenerateBase):
    """Write marketing angles for a persona."""

    persona: PersonaRef | str = Field(description="The persona object, or just its name")

    def persona_wire(self) -> dict[str, Any]:
        """The persona as the creative brief carries it."""
        return _wire(self.persona, "name")


class ScriptsGenerate(AnglesGenerate):
    """Write psychology concepts with full scripts for a persona and an angle."""

    angle: AngleRef | str = Field(description="The angle object, or just its title")

    def angle_wire(self) -> dict[str, Any]:
        """The angle as the creative brief carries it."""
        return _wire(self.angle, "title")


class VideoScript(ApiModel):
    """The script to render: hook, body beats (a list, or one string) and call to action."""

    hook: str = Field(min_length=1, max_length=300)
    body: list[str] = Field(min_length=1, max_length=20)
    cta: str = Field(min_length=1, max_length=200)

    @field_validator("body", mode="before")
    @classmethod
    def _one_beat(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    def to_parts(self) -> ScriptParts:
        """The job system's script type."""
        return ScriptParts(hook=self.hook, body=list(self.body), cta=self.cta)


class VideoCreate(ApiModel):
    """Render a video ad from a script, optionally with a presenter avatar."""

    script: VideoScript
    product_name: str = Field(min_length=1, max_length=200)
    resolution: str = Field(
        default="1080x1920", description=f"One of {', '.join(VIDEO_RESOLUTIONS)}"
    )
    avatar_id: str | None = Field(default=None, max_length=120)

    @field_validator("resolution")
    @classmethod
    def _supported(cls, value: str) -> str:
        if value not in VIDEO_RESOLUTIONS:
            raise ValueError(f"resolution must be one of {', '.join(VIDEO_RESOLUTIONS)}")
        return value


# --- responses ---------------------------------------------------------------------------------


class GenerationPublic(ApiModel):
    """Which model wrote the content; ``offline`` content must be labelled as such."""

    model: str
    offline: bool


class PersonaPublic(ApiModel):
    """The guide's persona card, with both spellings of the doubly-named fields."""

    id: str
    name: str
    avatar: str
    label: str
    category: str
    label_color: str
    age: str
    age_range: str
    gender: str
    location: str
    description: str
    traits: list[str]
    key_traits: list[str]
    pain_points: list[str]
    desires: list[str]
    features: list[str]
    compliance: CompliancePublic | None = None


class AudienceGroupData(ApiModel):
    """The audience cards of one product."""

    product_name: str
    audiences: list[PersonaPublic]
    reasoning: list[str]
    generation: GenerationPublic


class AudienceGroupPublic(ApiModel):
    """The guide's ``audience_group`` message."""

    type: Literal["audience_group"] = "audience_group"
    data: AudienceGroupData


class AngleMetricsPublic(ApiModel):
    """An angle's scores as strings, e.g. ``"9.3"``."""

    emotion: str
    proof: str
    differentiation: str


class AnglePublic(ApiModel):
    """The guide's marketing-angle card."""

    id: str
    title: str
    score: str
    description: str
    metrics: AngleMetricsPublic
    reason: str
    compliance: CompliancePublic | None = None


class MarketingAngleData(ApiModel):
    """The angle cards for one persona."""

    product_name: str
    persona_name: str
    angles: list[AnglePublic]
    reasoning: list[str]
    generation: GenerationPublic


class MarketingAnglePublic(ApiModel):
    """The guide's ``marketing_angle`` message."""

    type: Literal["marketing_angle"] = "marketing_angle"
    data: MarketingAngleData


class ConceptMetricsPublic(ApiModel):
    """A concept's scores as strings."""

    hook: str
    mechanism: str
    believability: str
    cta: str


class ConceptPublic(ApiModel):
    """The guide's psychology card, with the script-details fields of its modal."""

    id: str
    title: str
    score: str
    description: str
    hook: str
    full_script: str
    call_to_action: str
    visual_direction: str
    metrics: ConceptMetricsPublic
    compliance: CompliancePublic | None = None


class PsychologySelectionData(ApiModel):
    """The psychology concepts for one persona and angle."""

    product_name: str
    format_name: str
    concepts: list[ConceptPublic]
    reasoning: list[str]
    generation: GenerationPublic


class PsychologySelectionPublic(ApiModel):
    """The guide's ``psychology_selection`` message."""

    type: Literal["psychology_selection"] = "psychology_selection"
    data: PsychologySelectionData


class VideoJobPublic(ApiModel):
    """An accepted render: poll or follow the job by ``jobId``."""

    job_id: str
    status: Literal["queued", "running", "completed", "failed"] = "queued"
    estimated_time: str = Field(description='A rough wait to show the user, e.g. "40s"')
