"""The video-provider interface and its offline implementation: real files, progress, selection."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.media_probe import ffprobe
from tools.avatars import OFFLINE_AVATARS, Avatar, avatar_preview_svg
from tools.jobs import MediaJobRequest, ScriptParts
from tools.media import ScriptBeats, VideoSpec, planned_duration
from tools.video_providers import (
    HeyGenProvider,
    OfflineVideoProvider,
    ProviderAvatar,
    VideoProvider,
    VideoProviderError,
    VideoRenderRequest,
    heygen_from_env,
    provider_from_env,
)

REQUEST = VideoRenderRequest(
    key="job-0123456789abcdef",
    hook="Wait — if your glow fades by Wednesday, your routine is working against you.",
    body=(
        "Most self-tanners go on in one thick coat, then streak as your skin renews.",
        "This serum builds colour a little each day.",
    ),
    cta="Start your progressive glow today",
    product_name="Sérum autobronzant progressif",
    avatar_id="avatar-female-45",
    width=360,
    height=640,
)


class Recorder:
    """Collects progress percents and submitted ids, as a job worker would persist them."""

    def __init__(self) -> None:
        self.percents: list[int] = []
        self.submitted: list[str] = []

    async def progress(self, percent: int) -> None:
        self.percents.append(percent)

    async def on_submitted(self, job_id: str) -> None:
        self.submitted.append(job_id)


async def test_offline_render_whenSmallRequest_thenH264Mp4JpegAndMonotonicProgress(
    tmp_path: Path,
) -> None:
    # Arrange
    provider = OfflineVideoProvider(fps=8)
    seen = Recorder()

    # Act
    video = await provider.render(
        REQUEST, tmp_path, progress=seen.progress, on_submitted=seen.on_submitted
    )

    # Assert: the files
    assert video.path == tmp_path / f"{REQUEST.key}.mp4"
    assert video.thumbnail_path == tmp_path / f"{REQUEST.key}.jpg"
    info = ffprobe(video.path)
    stream = next(s for s in info["streams"] if s["codec_type"] == "video")
    assert stream["codec_name"] == "h264"
    assert (stream["width"], stream["height"]) == (360, 640)
    probed = float(info["format"]["duration"])
    assert 15.0 <= probed <= 30.5
    assert video.duration_s == pytest.approx(probed, abs=0.3)
    expected = planned_duration(
        ScriptBeats(REQUEST.hook, REQUEST.body, REQUEST.cta, REQUEST.product_name), VideoSpec()
    )
    assert video.duration_s == pytest.approx(expected, abs=0.2)
    with Image.open(video.thumbnail_path) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.size == (360, 640)
    # Assert: the result and the callbacks
    assert (video.width, video.height) == (360, 640)
    assert (video.provider, video.provider_job_id, video.offline) == ("offline", REQUEST.key, True)
    assert seen.submitted == [REQUEST.key]
    assert seen.percents[0] == 0 and seen.percents[-1] == 100
    assert seen.percents == sorted(set(seen.percents)), "strictly increasing"
    assert len(seen.percents) > 10, "progress is reported while frames are written"


async def test_offline_render_whenFilesAlreadyThere_thenReusedWithoutRendering(
    tmp_path: Path,
) -> None:
    provider = OfflineVideoProvider(fps=4)
    first = await provider.render(REQUEST, tmp_path)
    mtime = first.path.stat().st_mtime_ns
    seen = Recorder()

    started = time.monotonic()
    again = await provider.render(REQUEST, tmp_path, progress=seen.progress)

    assert time.monotonic() - started < 5
    assert again.path.stat().st_mtime_ns == mtime
    assert again.duration_s == pytest.approx(first.duration_s, abs=0.1)
    assert seen.percents == [0, 100]


async def test_offline_render_whenEncoderTimesOut_thenRetryableProviderError(
    tmp_path: Path,
) -> None:
    provider = OfflineVideoProvider(fps=8, encode_timeout_s=0.01)

    with pytest.raises(VideoProviderError) as caught:
        await provider.render(REQUEST, tmp_path)

    assert caught.value.code == "render_failed"
    assert caught.value.retryable is True
    assert not list(tmp_path.glob("*.mp4")), "no partial file is left behind"
    assert caught.value.as_job_error().model_dump(by_alias=True) == {
        "code": "render_failed",
        "message": caught.value.message,
        "retryable": True,
    }


async def test_offline_list_avatars_isTheBuiltInMarketplace() -> None:
    avatars = await OfflineVideoProvider().list_avatars()

    assert [a.id for a in avatars] == [a.id for a in OFFLINE_AVATARS]
    assert all(isinstance(a, Avatar) and a.provider == "offline" for a in avatars)
    assert all(a.preview_image_url is None for a in avatars)
    assert "Claire" in avatar_preview_svg(avatars[0])


async def test_providers_satisfy_the_protocol() -> None:
    offline = OfflineVideoProvider()
    async with HeyGenProvider("hg-key") as heygen:
        assert isinstance(heygen, VideoProvider) and not heygen.offline
        assert heygen.name == "heygen"
    assert isinstance(offline, VideoProvider) and offline.offline and offline.name == "offline"


def test_request_defaults_and_spoken_text() -> None:
    request = VideoRenderRequest(
        key="k1", hook="Hook.", body=("One.", " ", "Two."), cta="Buy.", product_name="P"
    )

    assert (request.width, request.height) == (1080, 1920)
    assert request.spoken_text == "Hook.\n\nOne.\n\nTwo.\n\nBuy."


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"key": "../etc/passwd"}, "key"),
        ({"key": ""}, "key"),
        ({"width": 361}, "width"),
        ({"height": 64}, "height"),
        ({"hook": " ", "body": (), "cta": ""}, "empty"),
    ],
)
def test_request_rejects_bad_input(changes: dict[str, Any], problem: str) -> None:
    fields: dict[str, Any] = {
        "key": "k1",
        "hook": "Hook",
        "body": ("Body",),
        "cta": "CTA",
        "product_name": "P",
        **changes,
    }
    with pytest.raises(ValueError, match=problem):
        VideoRenderRequest(**fields)


def test_request_from_job() -> None:
    job = MediaJobRequest(
        job_id="job-abc",
        kind="video",
        thread_id="t1",
        concept_id="psych-1",
        product_name="Serum",
        title="Loss Aversion",
        script=ScriptParts(hook="H", body=["B1", "B2"], cta="C"),
        headline="h",
        primary_text="p",
        call_to_action="c",
        resolution="1080x1080",
        avatar_id="avatar-male-35",
        estimated_seconds=40,
    )

    request = VideoRenderRequest.from_job(job)

    assert request == VideoRenderRequest(
        key="job-abc",
        hook="H",
        body=("B1", "B2"),
        cta="C",
        product_name="Serum",
        avatar_id="avatar-male-35",
        width=1080,
        height=1080,
        title="Loss Aversion",
    )


def test_provider_from_env_whenNoKey_thenOffline() -> None:
    provider = provider_from_env({"HEYGEN_API_KEY": "  "}, offline_fps=12)

    assert isinstance(provider, OfflineVideoProvider)
    assert provider.fps == 12


async def test_provider_from_env_whenKey_thenHeyGenConfigured() -> None:
    env = {
        "HEYGEN_API_KEY": "hg-secret",
        "HEYGEN_BASE_URL": "http://127.0.0.1:9/",
        "HEYGEN_POLL_INTERVAL_S": "2.5",
        "HEYGEN_TIMEOUT_S": "7",
        "HEYGEN_RENDER_TIMEOUT_S": "600",
        "HEYGEN_AVATAR_ID": "Abigail",
        "HEYGEN_WEBHOOK_SECRET": "whsec_x",
        "HEYGEN_VOICE_LANGUAGE": "French",
    }

    provider = provider_from_env(env)

    assert isinstance(provider, HeyGenProvider)
    assert provider.base_url == "http://127.0.0.1:9"
    assert (provider.poll_interval_s, provider.render_timeout_s) == (2.5, 600.0)
    assert (provider.default_avatar_id, provider.webhook_secret) == ("Abigail", "whsec_x")
    assert provider.voice_id is None and provider.callback_url is None
    assert provider.catalog.voice_language == "French"
    await provider.aclose()
    async with heygen_from_env({"HEYGEN_API_KEY": "k"}) as default:
        assert default.catalog.voice_language == "English"


async def test_provider_from_env_readsProcessEnvironment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEYGEN_API_KEY", raising=False)
    assert isinstance(provider_from_env(), OfflineVideoProvider)
    monkeypatch.setenv("HEYGEN_API_KEY", "hg-from-env")
    provider = provider_from_env()
    assert isinstance(provider, HeyGenProvider)
    await provider.aclose()


def test_provider_from_env_whenMalformedNumber_thenNamesTheVariable() -> None:
    with pytest.raises(ValueError, match="HEYGEN_POLL_INTERVAL_S"):
        provider_from_env({"HEYGEN_API_KEY": "k", "HEYGEN_POLL_INTERVAL_S": "soon"})


def test_provider_avatar_from_offline_keepsEveryField() -> None:
    source = OFFLINE_AVATARS[0]
    wrapped = ProviderAvatar.from_offline(source)
    assert (wrapped.id, wrapped.name, wrapped.color, wrapped.initials) == (
        source.id,
        source.name,
        source.color,
        source.initials,
    )
