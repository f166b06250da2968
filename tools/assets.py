"""Asset records: the creative a conversation saved, in the ChatKit sample's ``/assets`` shape.

Both graphs produce them (the assistant's ``save_ad_asset`` tool, the workflow's final step) and
the server projects them into the gallery. Validation mirrors the sample: every text field is
required and stripped, and an asset without prompts gets a placeholder prompt rather than failing.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

__all__ = ["AssetRecord", "merge_images"]

_PLACEHOLDER_PROMPT = "Visual direction forthcoming"


class AssetRecord(BaseModel):
    """One saved ad: copy, prompts, media, and where it came from."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    id: str
    kind: Literal["concept", "image", "video"] = "concept"
    product: str
    style: str
    tone: str
    pitch: str
    headline: str
    primary_text: str
    call_to_action: str
    image_prompts: list[str] = Field(default_factory=list)
    images: list[str] = Field(default_factory=list)
    videos: list[dict[str, Any]] = Field(default_factory=list)
    source_session: str | None = None
    offline: bool = False
    compliance: dict[str, Any] | None = None
    """The copy gate's verdict on this asset's copy (``tools.compliance``), when checked."""

    @field_validator(
        "product", "style", "tone", "pitch", "headline", "primary_text", "call_to_action"
    )
    @classmethod
    def _required_text(cls, value: str) -> str:
        cleaned = value.strip().strip('"').strip()
        if not cleaned:
            raise ValueError("must not be empty")
        return cleaned

    @field_validator("image_prompts")
    @classmethod
    def _prompts(cls, value: list[str]) -> list[str]:
        prompts = [p.strip() for p in value if p and p.strip()]
        return prompts or [_PLACEHOLDER_PROMPT]

    def to_wire(self) -> dict[str, Any]:
        """The camelCase JSON the gallery and the ChatKit client expect."""
        return self.model_dump(mode="json", by_alias=True)


def merge_images(existing: list[str], new: list[str]) -> list[str]:
    """Append images not already present, keeping order (the sample's append_image dedup)."""
    merged = list(existing)
    for url in new:
        if url not in merged:
            merged.append(url)
    return merged
