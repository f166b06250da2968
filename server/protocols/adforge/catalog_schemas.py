"""Schemas of the catalog routes: products, ad formats and presenter avatars."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from server.http.schemas import ApiModel
from tools.avatars import Avatar
from tools.catalog import AdFormat
from tools.creative.models import ProductInfo

__all__ = [
    "AvatarPublic",
    "AvatarsPublic",
    "FormatPublic",
    "FormatsPublic",
    "ProductCreate",
    "ProductPublic",
    "ProductsPublic",
]


class ProductCreate(ApiModel):
    """A product the marketer types in; only the name is required."""

    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)
    category: str = Field(default="", max_length=200)
    benefits: list[str] = Field(default_factory=list, max_length=20)
    price: str | None = Field(default=None, max_length=60)

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("name must not be blank")
        return value.strip()

    @field_validator("benefits")
    @classmethod
    def _benefits_not_blank(cls, value: list[str]) -> list[str]:
        return [b.strip() for b in value if b.strip()]

    def to_product(self) -> ProductInfo:
        """The product the creative steps read (without an id: the store assigns one)."""
        return ProductInfo.model_validate(self.model_dump())


class ProductPublic(ApiModel):
    """A product as the API shows it, with where it comes from."""

    id: str
    name: str
    description: str
    category: str
    benefits: list[str]
    price: str | None
    source: Literal["demo", "custom"] = Field(
        description="demo: shipped with AdForge; custom: added by this user"
    )

    @classmethod
    def of(cls, product: ProductInfo, source: Literal["demo", "custom"]) -> ProductPublic:
        """Build from the creative model; stored products always have an id."""
        return cls(
            id=product.id or "",
            name=product.name,
            description=product.description,
            category=product.category,
            benefits=list(product.benefits),
            price=product.price,
            source=source,
        )


class ProductsPublic(ApiModel):
    """One page of products and the total across pages."""

    data: list[ProductPublic]
    count: int = Field(description="Total number of products, not just this page")


class FormatPublic(ApiModel):
    """An ad format the marketer picks before the workflow starts."""

    name: str
    description: str
    media_types: list[str]
    aspect_ratios: list[str]

    @classmethod
    def of(cls, ad_format: AdFormat) -> FormatPublic:
        """Build from the catalog's format."""
        return cls(
            name=ad_format.name,
            description=ad_format.description,
            media_types=list(ad_format.media_types),
            aspect_ratios=list(ad_format.aspect_ratios),
        )


class FormatsPublic(ApiModel):
    """Every ad format."""

    data: list[FormatPublic]


class AvatarPublic(ApiModel):
    """A presenter avatar of the marketplace."""

    id: str
    name: str
    gender: str
    age_range: str
    style: str
    preview_url: str
    provider: str = "offline"
    offline: bool = True

    @classmethod
    def of(cls, avatar: Avatar, preview_url: str, *, provider: str = "offline") -> AvatarPublic:
        """Build from an avatar of the active video provider."""
        return cls(
            id=avatar.id,
            name=avatar.name,
            gender=avatar.gender,
            age_range=avatar.age_range,
            style=avatar.style,
            preview_url=preview_url,
            provider=provider,
            offline=provider == "offline",
        )


class AvatarsPublic(ApiModel):
    """The avatars on offer and which provider renders them."""

    data: list[AvatarPublic]
    provider: str = "offline"
