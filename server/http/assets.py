"""The gallery REST API: ``GET /assets`` and ``GET /assets/{id}``, scoped to the caller.

The path is the ChatKit sample's (``/assets``, not under ``/api``) so its frontend works as is.
Routes only read the ``assets`` projection (``server.core.projections.gallery``); another user's asset answers
404 exactly like an unknown id, so ids cannot be probed (design invariant 11).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from server.core.projections.gallery import AssetKind, Gallery, find_asset, list_assets
from server.http.assets_schemas import AssetPublic, AssetsPublic
from server.http.auth import CurrentUser
from server.http.deps import ServicesDep
from server.http.errors import ERROR_RESPONSES, not_found
from server.http.pagination import Limit, Offset

__all__ = ["router"]

router = APIRouter(prefix="/assets", tags=["assets"], responses=ERROR_RESPONSES)


@router.get("", response_model=AssetsPublic, summary="List the caller's saved assets, newest first")
async def get_assets(
    user: CurrentUser,
    services: ServicesDep,
    limit: Limit = 50,
    offset: Offset = 0,
    kind: Annotated[AssetKind | None, Query(description="Only this kind")] = None,
    session_id: Annotated[
        str | None,
        Query(alias="sessionId", max_length=200, description="Only assets this session saved"),
    ] = None,
) -> AssetsPublic:
    """One page of the gallery with the total count of matches."""
    gallery: Gallery = services.projections.view("assets")
    mine = list_assets(gallery, user.id, kind=kind, session_id=session_id)
    page = [AssetPublic.model_validate(a) for a in mine[offset : offset + limit]]
    return AssetsPublic(assets=page, count=len(mine))


@router.get("/{asset_id}", response_model=AssetPublic, summary="Get one saved asset by id")
async def get_asset(asset_id: str, user: CurrentUser, services: ServicesDep) -> AssetPublic:
    """The asset; unknown or another user's id is a 404."""
    asset = find_asset(services.projections.view("assets"), user.id, asset_id)
    if asset is None:
        raise not_found("asset", asset_id)
    return AssetPublic.model_validate(asset)
