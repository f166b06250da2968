"""The asset gallery: every saved ad, folded from ``AssetSaved`` events, with its owner.

Why a fold and not a table: an asset is what a conversation saved (design invariant 5), so the
log already holds it; the gallery is rebuilt from position 0 with the same result, and a re-run
node that saves the same asset id again updates it instead of adding a second one (invariant 2).

Choices recorded here:

- **Upsert by asset id, merge media.** A later save of an id replaces the copy (headline, text,
  prompts…) but *merges* ``images`` and ``videos`` without duplicates, as the ChatKit sample's
  ``append_image`` does: a concept saved again after an image was generated keeps the image.
  ``createdAt`` is the first save's, ``updatedAt`` the latest's.
- **Owners come from the log.** Each thread's owner is the first ``userId`` any of its events
  carries (the ``OwnedPayload`` types: ``SessionStarted`` for Ad Forge sessions,
  ``ChatThreadStarted`` for ChatKit threads). First wins, so no later event can re-assign a thread. An asset belongs to the
  owner of the thread that first saved it; a save of the same id from a thread of another owner
  is ignored, so a model that echoes someone else's asset id cannot overwrite it (invariant 11).
- **Media are URLs.** The workflow's ``AssetSaved`` already carries the rendered files
  (``images``: ``/media/...png``; ``videos``: the render result), so ``VideoDelivered`` and
  ``StaticAdDelivered`` need no folding here (nothing emits them today). Inline ``data:`` URIs
  are dropped: the gallery lists many assets per response and serves files, never base64.
- **Generated images replace their request ids.** ``generate_ad_image`` queues an image and
  ``save_ad_asset`` lists the queued request's id (``img-…``) among the asset's images until the
  job worker renders it; ``ImageGenerated`` maps the id to the file's URL. An id with no image yet
  is not listed (it is no URL), and the URL joins the asset as soon as it exists, whichever of
  the two events comes first.
- **Newest first = reverse first-save order.** Dict insertion order follows log position and a
  re-save keeps its slot, so the order is deterministic and identical after a rebuild (timestamps
  have millisecond ties).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pydantic import ValidationError

from server.core.event_types import (
    EVENT_TYPES,
    AssetSaved,
    ImageGenerated,
    OwnedPayload,
    payload_of,
)
from server.core.eventlog import RecordedEvent
from server.core.events import EventType
from tools.assets import AssetRecord, merge_images

__all__ = ["AssetKind", "AssetsProjection", "Gallery", "find_asset", "list_assets"]

AssetKind = Literal["concept", "image", "video"]
"""``concept``: copy and prompts only; ``image``: a static ad; ``video``: a rendered video."""

_KIND_RANK: dict[str, int] = {"concept": 0, "image": 1, "video": 2}
_VIDEO_FIELDS = ("url", "thumbnailUrl", "duration", "resolution", "format")
_OWNED = frozenset(
    t for t in EVENT_TYPES.types if issubclass(EVENT_TYPES.model_for(t), OwnedPayload)
)
"""Types whose payload names the thread's owner (only these are parsed for it)."""


@dataclass(frozen=True, slots=True)
class Gallery:
    """The view: assets by id (wire dicts plus ``userId``) and each thread's owner."""

    assets: dict[str, dict[str, Any]] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    images: dict[str, str] = field(default_factory=dict)
    """Generated image URL by request id."""
    waiting: dict[str, str] = field(default_factory=dict)
    """Asset id by the request id of an image it lists that is not generated yet."""


class AssetsProjection:
    """Saved assets by id with their owner, source thread and timestamps."""

    name = "assets"

    def initial(self) -> Gallery:
        """No assets and no known thread owners yet."""
        return Gallery()

    def apply(self, view: Gallery, event: RecordedEvent) -> Gallery:
        """Learn the thread's owner from the event, then upsert the asset it saves, if any."""
        if event.type in _OWNED and event.thread_id not in view.owners:
            user_id = payload_of(event, OwnedPayload).user_id
            if user_id:
                view = replace(view, owners={**view.owners, event.thread_id: user_id})
        if event.type == EventType.ASSET_SAVED:
            return _save(view, event, payload_of(event, AssetSaved))
        if event.type == EventType.IMAGE_GENERATED:
            return _image_generated(view, event, payload_of(event, ImageGenerated))
        return view


def _is_request_id(value: str) -> bool:
    return value.startswith("img-") and "/" not in value


def _image_generated(view: Gallery, event: RecordedEvent, image: ImageGenerated) -> Gallery:
    request_id, url = image.request_id, image.url
    if not _is_url(url):
        return view
    images = {**view.images, request_id: url}
    waiting = {k: v for k, v in view.waiting.items() if k != request_id}
    target = view.waiting.get(request_id) or image.asset_id
    asset = view.assets.get(str(target)) if target else None
    assets = view.assets
    if asset is not None and asset["userId"] == view.owners.get(event.thread_id):
        updated = {
            **asset,
            "images": merge_images(asset["images"], [url]),
            "kind": max(asset["kind"], "image", key=_KIND_RANK.__getitem__),
            "updatedAt": event.created_at,
        }
        assets = {**assets, asset["id"]: updated}
    return replace(view, assets=assets, images=images, waiting=waiting)


def _save(view: Gallery, event: RecordedEvent, saved: AssetSaved) -> Gallery:
    try:
        wire = AssetRecord.model_validate(saved.asset).to_wire()
    except ValidationError:
        return view  # not an asset: the producer's bug, nothing to show in the gallery
    owner = view.owners.get(event.thread_id)
    previous = view.assets.get(wire["id"])
    if previous is not None and previous["userId"] != owner:
        return view
    listed = [view.images.get(u, u) for u in wire["images"]]
    waiting = {
        **view.waiting,
        **{u: wire["id"] for u in listed if _is_request_id(u)},
    }
    images = merge_images(
        previous["images"] if previous else [],
        [u for u in listed if _is_url(u) and not _is_request_id(u)],
    )
    videos = _merge_videos(previous["videos"] if previous else [], wire["videos"])
    media_kind = "video" if videos else "image" if images else "concept"
    asset = {
        **wire,
        "kind": max(wire["kind"], media_kind, key=_KIND_RANK.__getitem__),
        "images": images,
        "videos": videos,
        "sourceSession": previous["sourceSession"] if previous else event.thread_id,
        "userId": owner,
        "createdAt": previous["createdAt"] if previous else event.created_at,
        "updatedAt": event.created_at,
    }
    return replace(view, assets={**view.assets, asset["id"]: asset}, waiting=waiting)


def _is_url(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip()) and not value.startswith("data:")


def _merge_videos(existing: list[dict[str, Any]], new: list[Any]) -> list[dict[str, Any]]:
    """Existing videos plus new ones whose URL is not listed yet, trimmed to the wire fields."""
    merged = list(existing)
    seen = {v["url"] for v in existing}
    for raw in new:
        if not isinstance(raw, dict) or not _is_url(raw.get("url")) or raw["url"] in seen:
            continue
        merged.append({k: raw[k] for k in _VIDEO_FIELDS if raw.get(k) is not None})
        seen.add(raw["url"])
    return merged


def list_assets(
    view: Gallery,
    user_id: str,
    *,
    kind: AssetKind | None = None,
    session_id: str | None = None,
) -> list[dict[str, Any]]:
    """The user's assets, newest first, optionally only one kind or one source session."""
    return [
        a
        for a in reversed(view.assets.values())
        if a["userId"] == user_id
        and (kind is None or a["kind"] == kind)
        and (session_id is None or a["sourceSession"] == session_id)
    ]


def find_asset(view: Gallery, user_id: str, asset_id: str) -> dict[str, Any] | None:
    """The asset if it exists and belongs to ``user_id`` (else ``None``: a 404 either way)."""
    asset = view.assets.get(asset_id)
    return asset if asset is not None and asset["userId"] == user_id else None
