"""The HeyGen provider against the strict local fake of HeyGen's v3 API, edition 2026-07-21.

Real uvicorn, real HTTP. Every test ends by checking that the fake refused no request as
undocumented (the autouse ``no_refused_requests``), so each one also proves the client sends
only what the edition documents.
"""

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
    DEFAULT_VOICES,
    FakeHeyGen,
    FakeMedia,
    Fault,
    VideoPlan,
    make_fake_media,
)
from tests.media_probe import ffprobe, video_stream
from tools.avatars import Avatar, avatar_preview_svg
from tools.jobs import VIDEO_RESOLUTIONS, parse_resolution
from tools.video_providers import (
    HeyGenProvider,
    RetryPolicy,
    VideoProviderError,
    VideoRenderRequest,
)
from tools.video_providers._heygen_edition import CREATE_VIDEO_FIELDS

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
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeHeyGen]:
    with FakeHeyGen(tmp_path_factory.mktemp("fake-heygen-media")) as running:
        yield running


@pytest.fixture
def fake(server: FakeHeyGen) -> Iterator[FakeHeyGen]:
    """The module's fake, reset; afterwards, no request may have been refused as invalid."""
    server.reset()
    yield server
    assert [r for _, r in server.refusals if r.status == 400] == []


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
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
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
    assert body["voice_id"] == DEFAULT_LOOKS[1]["default_voice_id"], "always sent"
    assert set(body) <= set(CREATE_VIDEO_FIELDS)
    assert create.headers["idempotency-key"] == REQUEST.key
    assert all(r.headers["x-api-key"] == fake.api_key for r in fake.calls("GET", "/v3/"))
    files = fake.calls("GET", "/files/")
    assert len(files) == 2 and all("x-api-key" not in r.headers for r in files)
    # Assert: what came back
    assert fake.submissions == 1 and submitted == [video.provider_job_id]
    assert video.provider_job_id in fake.videos
    assert video.path == tmp_path / "out" / f"{REQUEST.key}.mp4"
    stream, duration = ffprobe_video(video.path)
    assert stream["codec_name"] == "h264"
    assert (stream["width"], stream["height"]) == (1080, 1920) == (video.width, video.height)
    assert (video.voice_id, video.voice_source) == (body["voice_id"], "avatar_default")
    assert video.reframed_from is None
    assert video.duration_s == pytest.approx(duration, abs=0.1)
    with Image.open(video.thumbnail_path) as thumb:
        assert thumb.format == "JPEG"
    assert (video.provider, video.offline) == ("heygen", False)
    assert percents[0] == 0 and percents[-1] == 100 and percents == sorted(set(percents))
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]
    assert [r.path for r in fake.calls("GET", "/v3/voices")] == [], "the look has a voice"


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
    assert not fake.calls("POST", "/v3/videos"), "refused on the look lookup, before paying"
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


async def test_render_whenAvatarUnknown_thenRefusedBeforeAnyPaidCall(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    request = replace(REQUEST, avatar_id="avatar-female-45")

    with pytest.raises(VideoProviderError) as caught:
        await provider.render(request, tmp_path)

    assert (caught.value.code, caught.value.retryable) == ("provider_avatar_not_found", False)
    assert "avatar-female-45" in caught.value.message
    assert fake.calls("GET", "/v3/avatars/looks/avatar-female-45")
    assert not fake.calls("POST", "/v3/videos")


async def test_render_whenNoAvatarChosen_thenFirstLookWithItsDefaultVoice(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    video = await provider.render(replace(REQUEST, avatar_id=None), tmp_path)

    body = json.loads(fake.calls("POST", "/v3/videos")[0].body)
    assert body["avatar_id"] == DEFAULT_LOOKS[0]["id"]
    assert body["voice_id"] == DEFAULT_LOOKS[0]["default_voice_id"] == video.voice_id


async def test_render_whenNoThumbnailUrl_thenStillCutFromTheVideo(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    fake.script.plan = VideoPlan(thumbnail=False)

    video = await provider.render(REQUEST, tmp_path)

    with Image.open(video.thumbnail_path) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.size == (1080, 1920)


async def test_render_whenFileIsNotAVideo_thenBadMediaAndNothingKept(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    fake.script.media = FakeMedia(b"<html>Access Denied</html>", b"", 1.0, 1080, 1920)

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
    abigail, brandon, daisy, twin = avatars
    assert isinstance(abigail, Avatar) and abigail.provider == "heygen"
    assert (abigail.name, abigail.gender) == ("Abigail Office Front", "Female")
    assert abigail.style == "Studio avatar, business, professional"
    assert abigail.preview_image_url == DEFAULT_LOOKS[0]["preview_image_url"]
    assert brandon.default_voice_id == DEFAULT_LOOKS[1]["default_voice_id"]
    assert daisy.default_voice_id is None and twin.default_voice_id is None
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


@pytest.mark.parametrize("resolution", VIDEO_RESOLUTIONS)
async def test_render_everyOfferedSize_thenAFileOfExactlyThatSizeWithNoReframe(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path, resolution: str
) -> None:
    width, height = parse_resolution(resolution)

    video = await provider.render(replace(REQUEST, width=width, height=height), tmp_path)

    stream, _ = ffprobe_video(video.path)
    assert (stream["width"], stream["height"]) == (width, height)
    assert video.reframed_from is None
    body = json.loads(fake.calls("POST", "/v3/videos")[0].body)
    expected = {"1080x1920": "9:16", "1080x1080": "1:1", "1920x1080": "16:9"}[resolution]
    assert (body["aspect_ratio"], body["resolution"]) == (expected, "1080p")


async def test_render_whenRatioNotInTheEdition_thenNearestRatioCentreCroppedToTheSize(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    # 1200x628 (1.91:1, a link-ad size) is none of the edition's ratios: 16:9 is nearest, and
    # 720p (1280x720) is the smallest tier that covers it, so the crop only scales down.
    video = await provider.render(replace(REQUEST, width=1200, height=628), tmp_path)

    body = json.loads(fake.calls("POST", "/v3/videos")[0].body)
    assert (body["aspect_ratio"], body["resolution"]) == ("16:9", "720p")
    stream, _ = ffprobe_video(video.path)
    assert (stream["width"], stream["height"]) == (1200, 628) == (video.width, video.height)
    assert video.reframed_from == "1280x720"
    assert [s["codec_type"] for s in ffprobe(video.path)["streams"]] == ["video", "audio"]
    with Image.open(video.thumbnail_path) as thumb:
        assert thumb.size == (1200, 628)


async def test_render_whenHeyGenDeliversAnotherFrame_thenReframedAndSaidSo(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    fake.script.media = make_fake_media(tmp_path / "media", width=320, height=320)

    video = await provider.render(REQUEST, tmp_path / "out")

    stream, _ = ffprobe_video(video.path)
    assert (stream["width"], stream["height"]) == (1080, 1920)
    assert video.reframed_from == "320x320"


async def test_render_whenLookHasNoDefaultVoice_thenAVoiceFromTheListForItsGender(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    daisy = replace(REQUEST, avatar_id="Daisy_studio_nodefault")

    first = await provider.render(daisy, tmp_path / "a")
    second = await provider.render(replace(daisy, key="job-heygen-0002"), tmp_path / "b")

    english_female = [
        v["voice_id"]
        for v in DEFAULT_VOICES
        if (v["language"], v["gender"]) == ("English", "female")
    ]
    assert first.voice_id == english_female[0] and first.voice_source == "voice_list"
    assert second.voice_id == first.voice_id
    (listing,) = fake.calls("GET", "/v3/voices")  # cached like the avatar list
    assert listing.query == {
        "type": "public",
        "language": "English",
        "gender": "female",
        "limit": "100",
    }
    bodies = [json.loads(p.body) for p in fake.calls("POST", "/v3/videos")]
    assert [b["voice_id"] for b in bodies] == [first.voice_id] * 2


async def test_render_whenLookHasNoGenderNorVoice_thenAnyVoiceOfTheLanguage(
    fake: FakeHeyGen, provider: HeyGenProvider, tmp_path: Path
) -> None:
    video = await provider.render(replace(REQUEST, avatar_id="lk_my_twin_01"), tmp_path)

    assert video.voice_id == DEFAULT_VOICES[0]["voice_id"]
    assert "gender" not in fake.calls("GET", "/v3/voices")[0].query


async def test_render_whenNoVoiceCanBeFound_thenClearErrorBeforeAnyPaidCall(
    fake: FakeHeyGen, tmp_path: Path
) -> None:
    request = replace(REQUEST, avatar_id="Daisy_studio_nodefault")

    async with make_provider(fake, voice_language="Klingon") as provider:
        with pytest.raises(VideoProviderError) as caught:
            await provider.render(request, tmp_path)

    assert (caught.value.code, caught.value.retryable) == ("provider_no_voice", False)
    assert "HEYGEN_VOICE_ID" in caught.value.message and "Klingon" in caught.value.message
    assert fake.calls("GET", "/v3/voices") and not fake.calls("POST", "/v3/videos")


@pytest.mark.parametrize(
    ("configured", "picked", "expected", "source"),
    [
        (
            "73c0b6a2e29d4d38aca41454bf58c955",
            None,
            "73c0b6a2e29d4d38aca41454bf58c955",
            "configured",
        ),
        (
            "73c0b6a2e29d4d38aca41454bf58c955",
            "f38a635bee7a4d1f9b0a654a31d050d2",
            "f38a635bee7a4d1f9b0a654a31d050d2",
            "request",
        ),
    ],
)
async def test_render_voiceOrder_userThenConfiguredBeforeTheLookDefault(
    fake: FakeHeyGen,
    tmp_path: Path,
    configured: str,
    picked: str | None,
    expected: str,
    source: str,
) -> None:
    async with make_provider(fake, voice_id=configured) as provider:
        video = await provider.render(replace(REQUEST, voice_id=picked), tmp_path)

    assert (video.voice_id, video.voice_source) == (expected, source)
    assert json.loads(fake.calls("POST", "/v3/videos")[0].body)["voice_id"] == expected
    assert not fake.calls("GET", "/v3/voices")


async def test_render_whenResumedAndTheLookIsGone_thenThePaidRenderStillFinishes(
    fake: FakeHeyGen, tmp_path: Path
) -> None:
    stored: list[str] = []

    async def persist_then_crash(video_id: str) -> None:
        stored.append(video_id)
        raise Crash

    async with make_provider(fake) as first:
        with pytest.raises(Crash):
            await first.render(REQUEST, tmp_path, on_submitted=persist_then_crash)
    fake.script.looks = tuple(x for x in DEFAULT_LOOKS if x["id"] != REQUEST.avatar_id)

    async with make_provider(fake) as restarted:
        video = await restarted.render(REQUEST, tmp_path, provider_job_id=stored[0])

    assert video.provider_job_id == stored[0] and video.path.is_file()
    assert fake.submissions == 1 and video.voice_id is None
