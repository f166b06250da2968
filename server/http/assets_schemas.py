"""Schemas of the gallery routes: the ChatKit sample's ``/assets`` shape, with media as URLs.

The sample answers ``{"assets": [...]}`` with base64 images; AdForge keeps its field names
(``primaryText``, ``callToAction``, ``imagePrompts``, ``images``, ``createdAt``) so a ChatKit
frontend reads it unchanged, but ``images`` and ``videos`` are URLs the app serves under
``/media``, and the answer adds ``count`` (all matches, for paging), ``kind``, ``videos``,
``sourceSession`` and ``updatedAt``.
"""

from __future__ import annotations

from pydantic import Field

from server.core.projections.gallery import AssetKind
from server.http.compliance_schemas import CompliancePublic
from server.http.schemas import ApiModel

__all__ = ["AssetPublic", "AssetsPublic", "VideoPublic"]


class VideoPublic(ApiModel):
    """A rendered video of an asset."""

    url: str = Field(description="The MP4, served by the app, e.g. /media/<session>/<job>.mp4")
    thumbnail_url: str | None = Field(default=None, description="A JPEG still of the video")
    duration: float | None = Field(default=None, description="Seconds")
    resolution: str | None = Field(default=None, description='e.g. "1080x1920"')
    format: str | None = Field(default=None, description='e.g. "mp4"')


class AssetPublic(ApiModel):
    """One saved ad: copy, prompts, media URLs, and where it came from."""

    id: str
    kind: AssetKind = Field(description="concept (copy only), image (static ad) or video")
    product: str
    style: str
    tone: str
    pitch: str
    headline: str
    primary_text: str
    call_to_action: str
    image_prompts: list[str]
    images: list[str] = Field(description="Image URLs served by the app under /media, never base64")
    videos: list[VideoPublic]
    source_session: str = Field(description="The session (thread) that saved it")
    offline: bool = Field(description="True when made by the offline deterministic engine")
    compliance: CompliancePublic | None = Field(
        default=None, description="The copy gate's verdict on this asset's copy"
    )
    created_at: str = Field(description="First save, ISO-8601 UTC")
    updated_at: str = Field(description="Latest save, ISO-8601 UTC")


class AssetsPublic(ApiModel):
    """One page of the caller's assets, newest first, and how many match in all."""

    assets: list[AssetPublic]
    count: int = Field(description="Assets matching the filters, across all pages")
