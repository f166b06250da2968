"""Session options a conversation may ask for: a catalog format, a media type it offers, an avatar.

A session with ``"format": "Banana Format"`` used to run and print "Banana Format" into its
scripts, and ``"avatar": "avatar-nope"`` rendered a presenter of that name. These checks refuse
such requests with a 422 that names the allowed values, before anything is recorded. Formats
come from ``tools.catalog.AD_FORMATS`` (what ``GET /api/formats`` lists); avatars from the active
video provider (what ``GET /api/avatars/marketplace`` lists), so the core needs no adapter.
"""

from __future__ import annotations

from collections.abc import Iterable

from server.core.errors import ApiError, invalid
from tools.catalog import AD_FORMATS, AdFormat, find_format
from tools.video_providers import ProviderAvatar, VideoProvider, VideoProviderError

__all__ = [
    "AVATARS_LISTED",
    "check_avatar",
    "check_format",
    "marketplace_avatars",
    "offered_avatar_ids",
]

AVATARS_LISTED = 20
"""At most this many allowed avatar ids in an error message (a provider account may hold
hundreds); the message then says how many more the marketplace has."""


def check_format(format_name: str, media_type: str) -> AdFormat:
    """The catalog format named ``format_name`` (any case), if it offers ``media_type``.

    Returns the catalog's entry so the caller stores its canonical spelling.

    Raises:
        ApiError: 422 ``invalid_format`` listing the format names, or ``invalid_media_type``
            listing the media types that format offers.
    """
    ad_format = find_format(format_name)
    if ad_format is None:
        names = ", ".join(f.name for f in AD_FORMATS)
        raise invalid(
            f"format {format_name!r} is not in the catalog; choose one of: {names}",
            "invalid_format",
        )
    if media_type not in ad_format.media_types:
        offered = ", ".join(ad_format.media_types)
        raise invalid(
            f"format {ad_format.name!r} does not offer media type {media_type!r}; "
            f"choose one of: {offered}",
            "invalid_media_type",
        )
    return ad_format


def check_avatar(avatar_id: str | None, offered_ids: Iterable[str]) -> str | None:
    """``avatar_id`` when the marketplace offers it; None (the provider's default) passes.

    Raises:
        ApiError: 422 ``invalid_avatar`` listing the ids on offer (the first
            :data:`AVATARS_LISTED` of them).
    """
    offered = list(dict.fromkeys(offered_ids))
    if avatar_id is None or avatar_id in offered:
        return avatar_id
    listed = ", ".join(offered[:AVATARS_LISTED])
    more = len(offered) - AVATARS_LISTED
    if more > 0:
        listed += f" and {more} more in the avatar marketplace"
    raise invalid(
        f"avatar {avatar_id!r} is not in the marketplace; choose one of: {listed or 'none'}",
        "invalid_avatar",
    )


async def marketplace_avatars(video: VideoProvider) -> list[ProviderAvatar]:
    """The presenters the active video provider offers (``services.worker.video``).

    Raises:
        ApiError: 503 with the provider's code when it cannot be reached, rather than a list of
            presenters the renderer would then refuse.
    """
    try:
        return await video.list_avatars()
    except VideoProviderError as error:
        raise ApiError(503, error.code, error.message, retryable=error.retryable) from error


async def offered_avatar_ids(video: VideoProvider) -> tuple[str, ...]:
    """The ids :func:`check_avatar` accepts, in the marketplace's order."""
    return tuple(a.id for a in await marketplace_avatars(video))
