"""The HeyGen provider against a faithful local fake of HeyGen's v3 API (real uvicorn, real HTTP)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.fakes.heygen_server import (
    DEFAULT_LOOKS,
    FakeHeyGen,
    FakeMedia,
    Fault,
    VideoPlan,
    make_fake_media,
)
from tests.media_probe import ffprobe, video_stream
from tools.avatars import Avatar, avatar_preview_svg
from tools.video_providers import (
    HeyGenProvider,
    RetryPolicy,
    VideoProviderError,
    VideoRenderRequest,
)

REQUEST = VideoRenderRequest(
    key="job-heygen-0001",
    hook="Wait — your glow fades by Wednesday.",
    body=("Most tanners streak as skin renews.", "This serum builds colour daily."),
    cta="Start your glow today",
    product_name="Sérum autobronzant",
    avatar_id="Brandon_casual_2024",
    width=1080,
    height=1920,
    title="Loss Aversion",
)
FAST = RetryPolicy(attempts=4, base_delay_s=0.01, max_delay_s=0.05)
SINK = "/_sink/webhook"


class Crash(Exception):
    """Stands in for a worker process dying right after the provider accepted the job."""


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> FakeMedia:
    return make_fake_media(tmp_path_factory.mktemp("fake-heygen-media"))


@pytest.fixture(scope="module")
def server(media: FakeMedia) -> Iterator[FakeHeyGen]:
    with FakeHeyGen(media) as running:
        yield running


@pytest.fixture
def fake(server: FakeHeyGen) -> FakeHeyGen:
    """The module's fake, reset: no videos, no recorded requests, default script and media."""
    server.reset()
    return server


@pytest.fixture
async def provider(fake: FakeHeyGen) -> AsyncIterator[HeyGenProvider]:
    async with make_provider(fake) as opened:
        yield opened


def make_provider(fake: FakeHeyGen, **options: Any) -> HeyGenProvider:
    api_key = options.pop("api_key", fake.api_key)
    settings: dict[str, Any] = {
        "base_url": fake.url,
        "poll_interval_s": 0.01,
        "timeout_s": 5.0,
        "retry": FAST,
        "webhook_secret": fake.script.webhook_secret,
        **options,
    }
    return HeyGenProvider(api_key, **settings)


def ffprobe_video(path: Path) -> tuple[dict[str, Any], float]:
    info = ffprobe(path)
    return video_stream(info), float(info["format"]["duration"])


async def test_render_happyPath_submitsPollsAndDownloadsPlayableFiles(
    fake: FakeHeyGen, provider: HeyGenProvider, media: FakeMedia, tmp_path: Path
) -> None:
    # Arrange
    percents: list[int] = []
    submitted: list[str] = []

    async def progress(percent: int) -> None:
        percents.append(percent)

    async def on_submitted(video_id: str) -> None:
        submitted.append(video_id)

    # Act
    video = await provider.render(
        REQUEST, tmp_path / "out", progress=progress, on_submitted=on_submitted
    )

    # Assert: what was asked of HeyGen
    (create,) = fake.calls("POST", "/v3/videos")
    body = json.loads(create.body)
    assert body["type"] == "avatar" and body["avatar_id"] == "Brandon_casual_2024"
    assert body["script"] == REQUEST.spoken_text
    assert all(part in body["script"] for part in (REQUEST.hook, *REQUEST.body, REQUEST.cta))
    assert (body["resolution"], body["aspect_ratio"]) == ("1080p", "9:16")
    assert body["callback_id"] == REQUEST.key and body["title"] == "Loss Aversion"
    assert "voice_id" not in body, "v3 falls back to the avatar's default voice"
    assert create.headers["idempotency-key"] == REQUEST.key
    assert all(r.headers["x-api-key"] == fake.api_key for r in fake.calls("GET", "/v3/"))
    files = fake.calls("GET", "/files/")
    assert len(files) == 2 and all("x-api-key" not in r.headers for r in files)
    # Assert: what came back
    assert fake.submissions == 1 and submitted == [video.provider_job_id]
    assert video.provider_job_id in fake.videos
    assert video.path == tmp_path / "out" / f"{REQUEST.key}.mp4"
    assert video.path.read_bytes() == media.video
    stream, duration = ffprobe_video(video.path)
    assert stream["codec_name"] == "h264"
    assert (stream["width"], stream["height"]) == (media.width, media.height)
    assert (video.width, video.height) == (media.width, media.height)
    assert video.duration_s == pytest.approx(duration, abs=0.1)
    with Image.open(video.thumbnail_path) as thumb:
        assert thumb.format == "JPEG"
    assert (video.provider, video.offline) == ("heygen", False)
    assert percents[0] == 0 and percents[-1] == 100 and percents == sorted(set(percents))
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


async def test_render_whenRateLimitedAndServerErrors_thenRetriesAndSubmitsOnce(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    fake.script.faults = {
        "create": [Fault(429, retry_after="0"), Fault(500)],
        "status": [Fault(503), Fault(429)],
        "file": [Fault(500)],
    }

    video = await provider.render(REQUEST, tmp_path)

    assert len(fake.calls("POST", "/v3/videos")) == 3
    assert fake.submissions == 1
    assert video.path.is_file() and video.thumbnail_path.is_file()


async def test_submit_whenAnswerLostAfterCreation_thenIdempotencyKeyPreventsASecondVideo(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    fake.script.faults = {"create": [Fault(502, after_effect=True)]}

    video = await provider.render(REQUEST, tmp_path)

    posts = fake.calls("POST", "/v3/videos")
    assert len(posts) == 2
    assert {p.headers["idempotency-key"] for p in posts} == {REQUEST.key}
    assert fake.submissions == 1 and video.provider_job_id in fake.videos


async def test_render_whenRateLimitPersists_thenRetryableError(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    fake.script.faults = {"create": [Fault(429)] * FAST.attempts}

    with pytest.raises(VideoProviderError) as caught:
        await provider.render(REQUEST, tmp_path)

    assert (caught.value.code, caught.value.retryable, caught.value.status) == (
        "provider_rate_limited",
        True,
        429,
    )
    assert len(fake.calls("POST", "/v3/videos")) == FAST.attempts and fake.submissions == 0


async def test_render_whenApiKeyIsWrong_thenNonRetryableAuthErrorWithoutRetrying(
    fake: FakeHeyGen, tmp_path: Path
) -> None:
    async with make_provider(fake, api_key="hg-wrong") as provider:
        with pytest.raises(VideoProviderError) as caught:
            await provider.render(REQUEST, tmp_path)
        with pytest.raises(VideoProviderError) as listing:
            await provider.list_avatars()

    for error in (caught.value, listing.value):
        assert (error.code, error.retryable, error.status) == ("provider_auth_failed", False, 401)
        assert "HEYGEN_API_KEY" in error.message
    assert len(fake.requests) == 2, "a wrong key is never retried"
    assert fake.submissions == 0 and not list(tmp_path.iterdir())


async def test_render_whenHeyGenFailsTheRender_thenErrorCarriesProviderMessage(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    fake.script.plan = VideoPlan(
        statuses=("pending", "processing", "failed"),
        failure_code="avatar_render_error",
        failure_message="Avatar look is not available in 9:16",
    )

    with pytest.raises(VideoProviderError) as caught:
        await provider.render(REQUEST, tmp_path)

    error = caught.value
    assert error.code == "provider_render_failed" and error.retryable is False
    assert "Avatar look is not available in 9:16" in error.message
    assert error.provider_job_id in fake.videos
    assert not list(tmp_path.glob("*.mp4"))


async def test_render_whenResumedWithProviderJobId_thenPollsTheSameJobWithoutSubmitting(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    # Arrange: the first attempt "crashes" right after HeyGen accepted the job.
    stored: list[str] = []

    async def persist_then_crash(video_id: str) -> None:
        stored.append(video_id)
        raise Crash

    with pytest.raises(Crash):
        await provider.render(REQUEST, tmp_path, on_submitted=persist_then_crash)
    assert fake.submissions == 1

    # Act: the restarted job resumes with the stored id, in a fresh provider.
    async with make_provider(fake) as restarted:
        video = await restarted.render(REQUEST, tmp_path, provider_job_id=stored[0])

    # Assert
    assert len(fake.calls("POST", "/v3/videos")) == 1 and fake.submissions == 1
    assert video.provider_job_id == stored[0] and video.path.is_file()
    assert fake.videos[stored[0]].polls >= 3


async def test_render_whenResumedAfterDownload_thenNoNetworkAtAll(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    first = await provider.render(REQUEST, tmp_path)
    before = len(fake.requests)

    again = await provider.render(REQUEST, tmp_path, provider_job_id=first.provider_job_id)

    assert len(fake.requests) == before
    assert again == first


async def test_render_whenResumedJobIsUnknown_thenNotFoundError(
    provider: HeyGenProvider, tmp_path: Path
) -> None:
    with pytest.raises(VideoProviderError) as caught:
        await provider.render(REQUEST, tmp_path, provider_job_id="no-such-video")

    assert (caught.value.code, caught.value.retryable) == ("provider_job_not_found", False)


async def test_render_whenAvatarUnknown_thenRejectedWithProviderMessage(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    request = replace(REQUEST, avatar_id="avatar-female-45")

    with pytest.raises(VideoProviderError) as caught:
        await provider.render(request, tmp_path)

    assert (caught.value.code, caught.value.retryable) == ("provider_rejected_request", False)
    assert "avatar-female-45" in caught.value.message and "avatar_not_found" in caught.value.message
    assert len(fake.calls("POST", "/v3/videos")) == 1


async def test_render_whenNoAvatarChosen_thenFirstLookWithItsDefaultVoice(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    await provider.render(replace(REQUEST, avatar_id=None, width=1080, height=1080), tmp_path)

    body = json.loads(fake.calls("POST", "/v3/videos")[0].body)
    assert body["avatar_id"] == DEFAULT_LOOKS[0]["id"]
    assert body["voice_id"] == DEFAULT_LOOKS[0]["default_voice_id"]
    assert (body["aspect_ratio"], body["resolution"]) == ("1:1", "1080p")


async def test_render_whenNoThumbnailUrl_thenStillCutFromTheVideo(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    fake.script.plan = VideoPlan(thumbnail=False)

    video = await provider.render(REQUEST, tmp_path)

    with Image.open(video.thumbnail_path) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.size == (fake.media.width, fake.media.height)


async def test_render_whenFileIsNotAVideo_thenBadMediaAndNothingKept(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    fake.media = replace(fake.media, video=b"<html>Access Denied</html>")

    with pytest.raises(VideoProviderError) as caught:
        await provider.render(REQUEST, tmp_path)

    assert (caught.value.code, caught.value.retryable) == ("provider_bad_media", True)
    assert not list(tmp_path.glob("*.mp4"))


async def test_render_whenRenderNeverEnds_thenRetryableTimeoutNamingTheJob(
    fake: FakeHeyGen, tmp_path: Path
) -> None:
    fake.script.plan = VideoPlan(statuses=("pending", "processing"))

    async with make_provider(fake, render_timeout_s=0.1) as provider:
        with pytest.raises(VideoProviderError) as caught:
            await provider.render(REQUEST, tmp_path)

    assert (caught.value.code, caught.value.retryable) == ("provider_timeout", True)
    assert caught.value.provider_job_id in fake.videos


async def test_render_whenHeyGenUnreachable_thenRetryableUnreachable(tmp_path: Path) -> None:
    async with HeyGenProvider("k", base_url="http://127.0.0.1:9", retry=FAST) as provider:
        with pytest.raises(VideoProviderError) as caught:
            await provider.render(REQUEST, tmp_path)

    assert (caught.value.code, caught.value.retryable) == ("provider_unreachable", True)


async def test_list_avatars_mapsLooksToPresenters(provider: HeyGenProvider) -> None:
    avatars = await provider.list_avatars()

    assert [a.id for a in avatars] == [look["id"] for look in DEFAULT_LOOKS]
    abigail, brandon, twin = avatars
    assert isinstance(abigail, Avatar) and abigail.provider == "heygen"
    assert (abigail.name, abigail.gender) == ("Abigail Office Front", "Female")
    assert abigail.style == "Studio avatar, business, professional"
    assert abigail.preview_image_url == DEFAULT_LOOKS[0]["preview_image_url"]
    assert brandon.default_voice_id == DEFAULT_LOOKS[1]["default_voice_id"]
    assert (twin.gender, twin.preview_image_url, twin.initials) == ("Unspecified", None, "MD")
    assert abigail.color.startswith("#") and "Abigail" in avatar_preview_svg(abigail)


async def test_list_avatars_followsPagination(fake: FakeHeyGen, provider: HeyGenProvider) -> None:
    fake.script.looks = tuple({"id": f"look_{i:03d}", "name": f"Look {i}"} for i in range(120))

    avatars = await provider.list_avatars()

    assert [a.id for a in avatars] == [f"look_{i:03d}" for i in range(120)]
    assert len(fake.calls("GET", "/v3/avatars/looks")) == 3


async def test_webhook_whenSignedBySecret_thenAcceptedAndParsed(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    video = await provider.render(REQUEST, tmp_path)

    answer = fake.send_webhook(fake.url + SINK, video.provider_job_id)

    assert answer.status_code == 200
    (delivery,) = fake.deliveries
    event = provider.verify_webhook(delivery.body, delivery.headers)
    assert (event.event_type, event.outcome) == ("avatar_video.success", "success")
    assert (event.video_id, event.callback_id) == (video.provider_job_id, REQUEST.key)
    assert event.video_url and "/files/" in event.video_url and event.event_id


async def test_webhook_whenRenderFailed_thenFailEventWithMessage(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    fake.script.plan = VideoPlan(statuses=("failed",), failure_message="Script too long")
    with pytest.raises(VideoProviderError) as caught:
        await provider.render(REQUEST, tmp_path)

    fake.send_webhook(fake.url + SINK, str(caught.value.provider_job_id))

    event = provider.verify_webhook(fake.deliveries[0].body, fake.deliveries[0].headers)
    assert (event.outcome, event.message) == ("fail", "Script too long")


@pytest.mark.parametrize(
    ("tamper", "code"),
    [
        ("body", "webhook_signature_invalid"),
        ("secret", "webhook_signature_invalid"),
        ("header", "webhook_signature_missing"),
        ("unconfigured", "webhook_not_configured"),
    ],
)
async def test_webhook_whenNotSignedBySecret_thenRejected(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path, tamper: str, code: str
) -> None:
    video = await provider.render(REQUEST, tmp_path)
    secret = "whsec_someone_else" if tamper == "secret" else None
    fake.send_webhook(fake.url + SINK, video.provider_job_id, secret=secret)
    body, headers = fake.deliveries[0].body, dict(fake.deliveries[0].headers)
    if tamper == "body":
        body = body.replace(b"avatar_video.success", b"avatar_video.fail")
    if tamper == "header":
        headers.pop("signature")
    if tamper == "unconfigured":
        provider.webhook_secret = None

    with pytest.raises(VideoProviderError) as caught:
        provider.verify_webhook(body, headers)

    assert (caught.value.code, caught.value.retryable) == (code, False)
