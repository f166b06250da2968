"""Image providers: the offline composer and the OpenAI Images API against the local fake server.

The OpenAI tests drive the real `openai.AsyncOpenAI` client over HTTP against
`tests.fakes.running_fake_openai`, which validates sizes with the gpt-image rules, so "the fake
accepted it" means the request would be well-formed for the real API too.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.fakes import (
    FakeError,
    FakeImageReply,
    FakeOpenAI,
    FakeScript,
    default_images,
    fail_then,
    invalid_request,
    moderation_blocked,
    running_fake_openai,
    scripted,
)
from tools.http_retry import RetryPolicy
from tools.image_providers import (
    DEFAULT_IMAGE_MODEL,
    GeneratedImage,
    ImageProvider,
    ImageProviderError,
    ImageRequest,
    OfflineImageProvider,
    OpenAIImageProvider,
    image_provider_from_env,
    output_path,
    parse_resolution,
    plan_generation_size,
)
from tools.media import PLATFORM_SIZES, safe_zone
from tools.media.layout import box_within

IMAGES = "/v1/images/generations"
SIZES = sorted(PLATFORM_SIZES.values())
SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]
FAKE_COLOUR = (10, 20, 30)
_IMAGE_ENV = (
    "ADFORGE_IMAGE_PROVIDER",
    "ADFORGE_IMAGE_MODEL",
    "ADFORGE_IMAGE_TIMEOUT_S",
    "ADFORGE_IMAGE_MAX_RETRIES",
    "ADFORGE_IMAGE_QUALITY",
)


@pytest.fixture(autouse=True)
def no_image_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _IMAGE_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with running_fake_openai() as server:
        yield server


def make_request(size: tuple[int, int] = (1080, 1080), **overrides: Any) -> ImageRequest:
    fields: dict[str, Any] = {
        "prompt": "A glass serum bottle on warm sand at golden hour, soft shadows",
        "width": size[0],
        "height": size[1],
        "idempotency_key": "img-thread1-call1",
        "headline": "Made for every stage of your glow",
        "primary_text": "A gradual, even tan in a few days. No streaks, no orange tint.",
        "call_to_action": "Shop the serum",
        "product_name": "Glow Serum",
    }
    fields.update(overrides)
    return ImageRequest(**fields)


def provider_for(fake: FakeOpenAI, **overrides: Any) -> OpenAIImageProvider:
    options: dict[str, Any] = {
        "api_key": "sk-local",
        "base_url": fake.base_url,
        "timeout_s": 10.0,
        "max_retries": 0,
    }
    options.update(overrides)
    # The shared retry policy with test-sized backoff (production: 0.5 s → 8 s).
    options.setdefault(
        "retry",
        RetryPolicy(attempts=options["max_retries"] + 1, base_delay_s=0.01, max_delay_s=0.02),
    )
    return OpenAIImageProvider(**options)


def assert_valid_image(result: GeneratedImage, dest: Path, size: tuple[int, int]) -> Image.Image:
    assert result.path.parent == dest
    assert (result.width, result.height) == size
    with Image.open(result.path) as image:
        image.verify()
    image = Image.open(result.path)
    image.load()
    expected = {"image/png": "PNG", "image/jpeg": "JPEG"}[result.content_type]
    assert (image.format, image.size, image.mode) == (expected, size, "RGB")
    zone = safe_zone(*size)
    for role, box in zip(result.text_roles, result.text_boxes, strict=True):
        assert box_within(box, zone), f"{role} {box} outside safe zone {zone}"
    return image


def image_files(dest: Path) -> list[str]:
    return sorted(p.name for p in dest.iterdir() if p.suffix in (".png", ".jpg"))


# --- offline provider -------------------------------------------------------------------------


@pytest.mark.parametrize("image_format", ["png", "jpeg"])
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_offline_renders_finished_ad_at_exact_size(
    tmp_path: Path, size: tuple[int, int], image_format: str
) -> None:
    provider = OfflineImageProvider()

    result = await provider.generate(make_request(size, image_format=image_format), tmp_path)

    assert_valid_image(result, tmp_path, size)
    assert result.path == output_path(make_request(size, image_format=image_format), tmp_path)
    assert (result.provider, result.offline, result.source_size) == ("offline", True, None)
    assert result.content_type == f"image/{image_format}"
    assert {"offline_label", "headline", "primary_text", "call_to_action"} <= set(result.text_roles)


async def test_offline_is_deterministic(tmp_path: Path) -> None:
    provider = OfflineImageProvider()
    first = await provider.generate(make_request(), tmp_path / "a")
    second = await provider.generate(make_request(), tmp_path / "b")

    assert first.path.read_bytes() == second.path.read_bytes()


async def test_offline_without_copy_shows_prompt_and_offline_tag(tmp_path: Path) -> None:
    request = make_request(
        (1080, 1920), headline="", primary_text="", call_to_action="", product_name=""
    )

    result = await OfflineImageProvider().generate(request, tmp_path)

    assert_valid_image(result, tmp_path, (1080, 1920))
    assert result.text_roles == ("offline_label", "prompt")


# --- OpenAI provider against the fake ---------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "requested"),
    [
        ((1080, 1080), "1088x1088"),
        ((1080, 1350), "1088x1360"),
        ((1080, 1920), "1088x1920"),
        ((1200, 628), "1200x640"),
    ],
    ids=SIZE_IDS,
)
async def test_openai_composes_ad_at_exact_size_from_supported_request_size(
    fake: FakeOpenAI, tmp_path: Path, size: tuple[int, int], requested: str
) -> None:
    fake.script.images = scripted([FakeImageReply(color=FAKE_COLOUR)])

    result = await provider_for(fake).generate(make_request(size), tmp_path)

    image = assert_valid_image(result, tmp_path, size)
    [body] = fake.bodies(IMAGES)
    assert body["model"] == DEFAULT_IMAGE_MODEL
    assert body["size"] == requested
    assert "response_format" not in body  # GPT image models refuse it and always send base64
    assert (result.provider, result.model, result.offline) == ("openai", DEFAULT_IMAGE_MODEL, False)
    assert result.source_size == requested
    assert "offline_label" not in result.text_roles
    assert {"headline", "primary_text", "call_to_action"} <= set(result.text_roles)
    # The provider's picture is the background: its colour shows in the untouched corner.
    red, green, blue = image.getpixel((3, 3))  # type: ignore[misc]
    assert abs(red - 10) + abs(green - 20) + abs(blue - 30) < 12
    assert fake.errors == []


def test_default_model_is_a_current_flexible_size_model() -> None:
    assert not DEFAULT_IMAGE_MODEL.startswith("gpt-image-1")
    assert plan_generation_size(DEFAULT_IMAGE_MODEL, 1080, 1920) == "1088x1920"


@pytest.mark.parametrize(
    ("model", "size", "expected"),
    [
        ("gpt-image-2", (1080, 1350), "1088x1360"),
        ("gpt-image-2.5-flare", (1200, 628), "1200x640"),
        ("gpt-image-1.5", (1080, 1080), "1024x1024"),
        ("gpt-image-1.5", (1080, 1350), "1024x1536"),
        ("gpt-image-1-mini", (1080, 1920), "1024x1536"),
        ("chatgpt-image-latest", (1200, 628), "1536x1024"),
        ("some-compatible-model", (1080, 1920), "1024x1536"),
    ],
)
def test_plan_generation_size(model: str, size: tuple[int, int], expected: str) -> None:
    assert plan_generation_size(model, *size) == expected


async def test_one_pooled_client_serves_every_image_and_sends_only_documented_fields(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    provider = provider_for(fake, quality="low")
    try:
        for n in range(3):
            await provider.generate(make_request(idempotency_key=f"img-pool-{n}"), tmp_path)
    finally:
        await provider.aclose()

    images = [r for r in fake.requests if r.path == IMAGES]
    assert len(images) == 3
    assert len({r.client for r in images}) == 1, "each image opened a new connection"
    for request in images:  # openai-python 3.54.0 ImageGenerateParams, GPT image subset
        assert set(request.body) == {"model", "prompt", "size", "n", "quality"}


async def test_fixed_size_model_is_cropped_to_the_placement(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    provider = provider_for(fake, model="gpt-image-1.5")

    result = await provider.generate(make_request((1080, 1920)), tmp_path)

    assert_valid_image(result, tmp_path, (1080, 1920))
    assert [(b["model"], b["size"]) for b in fake.bodies(IMAGES)] == [
        ("gpt-image-1.5", "1024x1536")
    ]


async def test_without_copy_the_picture_is_delivered_bare(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.script.images = scripted([FakeImageReply(color=FAKE_COLOUR, revised_prompt="A bottle")])
    request = make_request(
        (1200, 628),
        headline="",
        primary_text="",
        call_to_action="",
        product_name="",
        image_format="jpeg",
    )

    result = await provider_for(fake).generate(request, tmp_path)

    image = assert_valid_image(result, tmp_path, (1200, 628))
    assert result.text_roles == ()
    assert result.revised_prompt == "A bottle"
    red, green, blue = image.getpixel((600, 40))  # type: ignore[misc]
    assert abs(red - 10) + abs(green - 20) + abs(blue - 30) < 12


async def test_env_selects_openai_with_configured_model_and_key(
    fake: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    monkeypatch.setenv("ADFORGE_IMAGE_MODEL", "gpt-image-2")
    monkeypatch.setenv("ADFORGE_IMAGE_QUALITY", "low")
    monkeypatch.setenv("ADFORGE_IMAGE_MAX_RETRIES", "0")

    provider = image_provider_from_env()
    result = await provider.generate(make_request((1080, 1350)), tmp_path)

    assert isinstance(provider, OpenAIImageProvider)
    assert (provider.name, provider.offline, provider.max_retries) == ("openai", False, 0)
    assert result.model == "gpt-image-2"
    [request] = [r for r in fake.requests if r.path == IMAGES]
    assert request.headers["authorization"] == "Bearer sk-from-env"
    assert (request.body["model"], request.body["size"]) == ("gpt-image-2", "1088x1360")
    assert request.body["quality"] == "low"


@pytest.mark.parametrize("status", [429, 500])
async def test_retries_after_rate_limit_or_server_error(
    fake: FakeOpenAI, tmp_path: Path, status: int
) -> None:
    fake.script.images = fail_then(2, status, then=default_images)

    result = await provider_for(fake, max_retries=2).generate(make_request(), tmp_path)

    assert_valid_image(result, tmp_path, (1080, 1080))
    assert len(fake.bodies(IMAGES)) == 3


@pytest.mark.parametrize(
    ("status", "code"), [(429, "image_provider_rate_limited"), (500, "image_provider_unavailable")]
)
async def test_exhausted_retries_are_reported_as_retryable(
    fake: FakeOpenAI, tmp_path: Path, status: int, code: str
) -> None:
    fake.script.images = fail_then(5, status, then=default_images)

    with pytest.raises(ImageProviderError) as caught:
        await provider_for(fake, max_retries=1).generate(make_request(), tmp_path)

    assert (caught.value.code, caught.value.retryable) == (code, True)
    assert len(fake.bodies(IMAGES)) == 2
    assert image_files(tmp_path) == []


async def test_moderation_block_asks_the_user_to_rephrase_and_is_not_retried(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    fake.script.images = scripted([moderation_blocked()])

    with pytest.raises(ImageProviderError) as caught:
        await provider_for(fake, max_retries=3).generate(make_request(), tmp_path)

    error = caught.value
    assert (error.code, error.retryable, error.user_action) == (
        "image_moderation_blocked",
        False,
        "rephrase_prompt",
    )
    assert "Rephrase the prompt" in error.message
    assert error.as_dict() == {
        "type": "error",
        "code": "image_moderation_blocked",
        "message": error.message,
        "retryable": False,
        "userAction": "rephrase_prompt",
    }
    assert len(fake.bodies(IMAGES)) == 1
    assert image_files(tmp_path) == []


async def test_wrong_api_key_is_a_non_retryable_auth_error(tmp_path: Path) -> None:
    with running_fake_openai(FakeScript(api_key="sk-right")) as fake:
        with pytest.raises(ImageProviderError) as caught:
            await provider_for(fake, api_key="sk-wrong", max_retries=3).generate(
                make_request(), tmp_path
            )
        assert len(fake.bodies(IMAGES)) == 1

    assert (caught.value.code, caught.value.retryable) == ("image_provider_auth_failed", False)
    assert caught.value.user_action is None


async def test_timeout_is_honoured(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.script.images_delay = 1.0

    started = time.monotonic()
    with pytest.raises(ImageProviderError) as caught:
        await provider_for(fake, timeout_s=0.2, max_retries=0).generate(make_request(), tmp_path)
    elapsed = time.monotonic() - started

    assert (caught.value.code, caught.value.retryable) == ("image_provider_timeout", True)
    assert len(fake.bodies(IMAGES)) == 1
    assert elapsed < 0.9, f"took {elapsed:.2f}s: the 0.2 s timeout was not applied"
    assert image_files(tmp_path) == []


async def test_refused_size_falls_back_to_a_standard_size(fake: FakeOpenAI, tmp_path: Path) -> None:
    replies: list[FakeImageReply | FakeError] = [
        invalid_request("Invalid size '1088x1920'.", param="size", code="invalid_value"),
        FakeImageReply(),
    ]
    fake.script.images = scripted(replies)

    result = await provider_for(fake).generate(make_request((1080, 1920)), tmp_path)

    assert_valid_image(result, tmp_path, (1080, 1920))
    assert [b["size"] for b in fake.bodies(IMAGES)] == ["1088x1920", "1024x1536"]
    assert result.source_size == "1024x1536"


async def test_same_request_is_not_paid_for_twice(fake: FakeOpenAI, tmp_path: Path) -> None:
    provider = provider_for(fake)
    first = await provider.generate(make_request(), tmp_path)
    again = await provider_for(fake).generate(make_request(), tmp_path)

    assert again == first
    assert len(fake.bodies(IMAGES)) == 1

    changed = await provider.generate(make_request(prompt="A serum bottle on marble"), tmp_path)
    assert changed.path == first.path
    assert len(fake.bodies(IMAGES)) == 2


# --- selection, requests, errors --------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "offline"),
        ({"OPENAI_API_KEY": "sk-x"}, "openai"),
        ({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}, "openai"),
        ({"OPENAI_API_KEY": "sk-x", "ADFORGE_IMAGE_PROVIDER": "offline"}, "offline"),
        ({"ADFORGE_IMAGE_PROVIDER": "OpenAI"}, "openai"),
    ],
)
def test_image_provider_from_env_selection(env: dict[str, str], expected: str) -> None:
    provider = image_provider_from_env(env)

    assert isinstance(provider, ImageProvider)
    assert provider.name == expected
    assert provider.offline is (expected == "offline")
    if isinstance(provider, OpenAIImageProvider):
        assert provider.model == DEFAULT_IMAGE_MODEL
        assert (provider.timeout_s, provider.max_retries, provider.quality) == (180.0, 3, None)


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"ADFORGE_IMAGE_PROVIDER": "dalle"}, "ADFORGE_IMAGE_PROVIDER"),
        ({"OPENAI_API_KEY": "k", "ADFORGE_IMAGE_TIMEOUT_S": "soon"}, "ADFORGE_IMAGE_TIMEOUT_S"),
        ({"OPENAI_API_KEY": "k", "ADFORGE_IMAGE_MAX_RETRIES": "1.5"}, "ADFORGE_IMAGE_MAX_RETRIES"),
        ({"OPENAI_API_KEY": "k", "ADFORGE_IMAGE_QUALITY": "ultra"}, "ADFORGE_IMAGE_QUALITY"),
    ],
)
def test_malformed_configuration_fails_at_startup(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        image_provider_from_env(env)


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"width": 1024, "height": 1024}, "not a platform size"),
        ({"prompt": "  "}, "prompt must not be empty"),
        ({"prompt": "x" * 32001}, "limit is 32000"),
        ({"idempotency_key": ""}, "idempotency_key"),
    ],
)
def test_image_request_rejects_bad_input(overrides: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        make_request(**overrides)


def test_output_path_keeps_unsafe_keys_inside_dest(tmp_path: Path) -> None:
    safe = output_path(make_request(idempotency_key="img-abc_1.v2"), tmp_path)
    unsafe = output_path(
        make_request(idempotency_key="../../etc/passwd", image_format="jpeg"), tmp_path
    )

    assert safe == tmp_path / "img-abc_1.v2.png"
    assert unsafe.parent == tmp_path
    assert unsafe.suffix == ".jpg" and ".." not in unsafe.name
    assert parse_resolution("1080x1350") == (1080, 1350)
    with pytest.raises(ValueError):
        parse_resolution("square")
