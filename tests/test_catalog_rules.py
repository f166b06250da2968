"""Session options are refused with the allowed values: unknown formats, media types, avatars."""

from __future__ import annotations

import socket

import pytest

from server.core.catalog_rules import (
    AVATARS_LISTED,
    check_avatar,
    check_format,
    marketplace_avatars,
    offered_avatar_ids,
)
from server.core.errors import ApiError
from tools.avatars import OFFLINE_AVATARS
from tools.catalog import AD_FORMATS
from tools.video_providers import HeyGenProvider, OfflineVideoProvider, RetryPolicy

FORMAT_NAMES = "Hybrid Format, UGC Testimonial, Problem-Solution, Product Demo, Static Carousel"


def _refusal(error: pytest.ExceptionInfo[ApiError]) -> tuple[int, str, bool]:
    return error.value.status, error.value.code, error.value.retryable


# --- formats ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "media_type", "canonical"),
    [
        ("Hybrid Format", "video", "Hybrid Format"),
        ("hybrid format", "image", "Hybrid Format"),
        ("  UGC testimonial ", "video", "UGC Testimonial"),
        ("Static Carousel", "image", "Static Carousel"),
    ],
)
def test_a_catalog_format_with_a_media_type_it_offers_passes_in_its_catalog_spelling(
    asked: str, media_type: str, canonical: str
) -> None:
    assert check_format(asked, media_type).name == canonical


def test_every_format_of_the_catalog_passes_with_each_of_its_media_types() -> None:
    for ad_format in AD_FORMATS:
        for media_type in ad_format.media_types:
            assert check_format(ad_format.name, media_type) == ad_format


def test_an_unknown_format_is_refused_naming_the_catalog_formats() -> None:
    with pytest.raises(ApiError) as error:
        check_format("Banana Format", "video")
    assert _refusal(error) == (422, "invalid_format", False)
    assert error.value.message == (
        f"format 'Banana Format' is not in the catalog; choose one of: {FORMAT_NAMES}"
    )


@pytest.mark.parametrize(
    ("format_name", "media_type", "message"),
    [
        (
            "UGC Testimonial",
            "image",
            "format 'UGC Testimonial' does not offer media type 'image'; choose one of: video",
        ),
        (
            "static carousel",
            "video",
            "format 'Static Carousel' does not offer media type 'video'; choose one of: image",
        ),
        (
            "Hybrid Format",
            "audio",
            "format 'Hybrid Format' does not offer media type 'audio'; choose one of: video, image",
        ),
    ],
)
def test_a_media_type_the_format_does_not_offer_is_refused_naming_those_it_does(
    format_name: str, media_type: str, message: str
) -> None:
    with pytest.raises(ApiError) as error:
        check_format(format_name, media_type)
    assert _refusal(error) == (422, "invalid_media_type", False)
    assert error.value.message == message


# --- avatars ---------------------------------------------------------------------------------

OFFERED = ("avatar-female-45", "avatar-male-35")


def test_an_offered_avatar_or_none_passes() -> None:
    assert check_avatar("avatar-male-35", OFFERED) == "avatar-male-35"
    assert check_avatar(None, OFFERED) is None
    assert check_avatar(None, ()) is None


def test_an_avatar_not_in_the_marketplace_is_refused_naming_the_offered_ids() -> None:
    with pytest.raises(ApiError) as error:
        check_avatar("avatar-nope", OFFERED)
    assert _refusal(error) == (422, "invalid_avatar", False)
    assert error.value.message == (
        "avatar 'avatar-nope' is not in the marketplace; "
        "choose one of: avatar-female-45, avatar-male-35"
    )


def test_a_long_marketplace_is_listed_in_part_with_the_count_of_the_rest() -> None:
    offered = [f"look-{n:03}" for n in range(AVATARS_LISTED + 5)]
    with pytest.raises(ApiError) as error:
        check_avatar("look-999", offered)
    listed = ", ".join(offered[:AVATARS_LISTED])
    assert error.value.message.endswith(
        f"choose one of: {listed} and 5 more in the avatar marketplace"
    )


def test_an_empty_marketplace_refuses_every_avatar() -> None:
    with pytest.raises(ApiError) as error:
        check_avatar("avatar-female-45", ())
    assert error.value.message.endswith("choose one of: none")


async def test_the_offline_provider_offers_the_built_in_presenters() -> None:
    provider = OfflineVideoProvider()
    try:
        ids = await offered_avatar_ids(provider)
    finally:
        await provider.aclose()
    assert ids == tuple(a.id for a in OFFLINE_AVATARS)
    assert check_avatar("avatar-nonbinary-30", ids) == "avatar-nonbinary-30"
    with pytest.raises(ApiError):
        check_avatar("avatar-nope", ids)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_an_unreachable_provider_answers_503_not_an_empty_marketplace() -> None:
    provider = HeyGenProvider(
        "hg-key",
        base_url=f"http://127.0.0.1:{_closed_port()}",
        timeout_s=2.0,
        retry=RetryPolicy(attempts=1),
    )
    try:
        with pytest.raises(ApiError) as error:
            await marketplace_avatars(provider)
    finally:
        await provider.aclose()
    assert _refusal(error) == (503, "provider_unreachable", True)
    assert error.value.message.startswith("HeyGen could not be reached")
