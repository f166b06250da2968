"""Catalog routes: products (demo plus the user's own), ad formats and presenter avatars.

These are what a chat frontend loads before a conversation starts: the product to advertise, the
format, and (for video ads) a presenter. Every route but the avatar preview takes the caller, so
custom products stay private to their owner (design invariant 11).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from server.http.auth import CurrentUser
from server.http.deps import ProductStoreDep, ServicesDep
from server.http.errors import ERROR_RESPONSES, ApiError, not_found
from server.http.pagination import Limit, Offset
from server.protocols.adforge.catalog_schemas import (
    AvatarPublic,
    AvatarsPublic,
    FormatPublic,
    FormatsPublic,
    ProductCreate,
    ProductPublic,
    ProductsPublic,
)
from tools.avatars import avatar_preview_svg, find_avatar
from tools.catalog import AD_FORMATS
from tools.video_providers import VideoProviderError

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["catalog"], responses=ERROR_RESPONSES)


@router.get(
    "/products",
    response_model=ProductsPublic,
    summary="List products: the demo catalog, then the caller's own",
)
async def list_products(
    user: CurrentUser,
    store: ProductStoreDep,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ProductsPublic:
    """One page of the catalog with the total, so a picker can page through it."""
    entries, total = await store.page(user.id, limit=limit, offset=offset)
    return ProductsPublic(
        data=[ProductPublic.of(e.product, e.source) for e in entries], count=total
    )


@router.get("/products/{product_id}", response_model=ProductPublic, summary="Get one product by id")
async def get_product(user: CurrentUser, store: ProductStoreDep, product_id: str) -> ProductPublic:
    """A demo product or one of the caller's; another user's product is a 404 like any unknown id."""
    entry = await store.entry(user.id, product_id)
    if entry is None:
        raise not_found("product", product_id)
    return ProductPublic.of(entry.product, entry.source)


@router.post(
    "/products",
    response_model=ProductPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Add a product to the caller's catalog",
)
async def create_product(
    user: CurrentUser,
    store: ProductStoreDep,
    body: ProductCreate,
    request: Request,
    response: Response,
) -> ProductPublic:
    """Store the product under a new ``prod-<hex>`` id; workflows can then start from that id."""
    product = await store.add(user.id, body.to_product())
    product_id = product.id or ""
    response.headers["Location"] = str(request.url_for("get_product", product_id=product_id))
    return ProductPublic.of(product, "custom")


@router.get("/formats", response_model=FormatsPublic, summary="List the ad formats")
async def list_formats(user: CurrentUser) -> FormatsPublic:
    """Every format with the media types and aspect ratios it supports."""
    return FormatsPublic(data=[FormatPublic.of(f) for f in AD_FORMATS])


@router.get(
    "/avatars/marketplace",
    response_model=AvatarsPublic,
    summary="List the presenter avatars available for video ads",
)
async def avatar_marketplace(
    user: CurrentUser, request: Request, services: ServicesDep
) -> AvatarsPublic:
    """The presenters the active video provider offers (offline, or HeyGen with its key).

    A provider that cannot be reached answers 503 with the provider's code, rather than a list
    of presenters the renderer would then refuse.
    """
    try:
        avatars = await services.worker.video.list_avatars()
    except VideoProviderError as error:
        raise ApiError(503, error.code, error.message, retryable=error.retryable) from error
    return AvatarsPublic(
        data=[
            AvatarPublic.of(
                a,
                a.preview_image_url or request.app.url_path_for("avatar_preview", avatar_id=a.id),
                provider=a.provider,
            )
            for a in avatars
        ]
    )


@router.get(
    "/avatars/{avatar_id}/preview.svg",
    name="avatar_preview",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}, "description": "The preview image"}},
    summary="Preview image of a presenter avatar",
)
async def avatar_preview(avatar_id: str) -> Response:
    """An SVG drawn from the avatar's data.

    Open to anyone: an ``<img>`` tag cannot send an ``Authorization`` header, and the offline
    avatars are the same for every user, so there is nothing private to protect.
    """
    avatar = find_avatar(avatar_id)
    if avatar is None:
        raise not_found("avatar", avatar_id)
    return Response(
        avatar_preview_svg(avatar),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )
