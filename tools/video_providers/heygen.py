"""HeyGen avatar videos (API v3, edition 2026-07-21): submit a script, poll, download, reframe.

This is the only module that knows HeyGen's endpoint paths. It targets one dated edition of the
v3 reference, HeyGen's OpenAPI spec as synced into heygen-com/heygen-cli ``gen/video.go`` on
2026-07-21 (:mod:`._heygen_edition` says what that edition documents), and sends only fields and
values documented there:

- ``POST /v3/videos`` ``{"type": "avatar", "avatar_id", "script", "voice_id", "resolution",
  "aspect_ratio", "title", "callback_id", "callback_url"?}`` with ``Idempotency-Key`` →
  ``{"data": {"video_id", "status"}}``. This is the only call that costs credits.
- ``GET /v3/videos/{video_id}`` → ``{"data": {"id", "status": pending|processing|completed|
  failed, "video_url", "thumbnail_url", "duration", "failure_code", "failure_message"}}``
- ``GET /v3/avatars/looks?limit=&token=``, ``GET /v3/avatars/looks/{look_id}`` and
  ``GET /v3/voices?type=&language=&gender=&limit=`` (:mod:`._heygen_catalog`: the voice is
  always chosen before the paid call).
- errors: ``{"error": {"code", "message", "param"?, "doc_url"}}`` with 400 ``invalid_parameter``,
  401 bad key, 402 no credit, 429, 5xx.

Every call sends ``X-Api-Key``. The file links HeyGen returns are presigned CDN URLs: they are
fetched with a second client that carries no key, so the key never leaves api.heygen.com. Both
clients are created once per provider and reused (connection pooling). The status call reports
no percentage (ads.md §4), so progress is an estimate from elapsed time. A frame HeyGen renders
at another size than requested is reframed with ffmpeg (:func:`._media.reframe_video`) and the
result says ``reframed_from``. Webhook verification lives in :mod:`.heygen_webhook`.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx

from tools.media import MediaRenderError
from tools.video_providers._heygen_catalog import AVATAR_CACHE_S, ChosenVoice, HeyGenCatalog
from tools.video_providers._heygen_edition import EDITION, RenderPlan, plan_render
from tools.video_providers._heygen_files import (
    conform,
    finished_video,
    notes_path,
    read_notes,
    write_notes,
)
from tools.video_providers._heygen_wire import (
    Status,
    api_error,
    bad_response,
    parse_status,
    unreachable,
)
from tools.video_providers._http import DownloadTooLarge, RetryPolicy
from tools.video_providers._http import download as _download
from tools.video_providers._http import send as _send
from tools.video_providers._media import ensure_jpeg
from tools.video_providers.base import (
    OnSubmitted,
    Progress,
    ProgressReporter,
    ProviderAvatar,
    RenderedVideo,
    VideoProviderError,
    VideoRenderRequest,
)
from tools.video_providers.heygen_webhook import WebhookEvent, verify_heygen_webhook

__all__ = [
    "AVATAR_CACHE_S",
    "DEFAULT_BASE_URL",
    "DEFAULT_VOICE_LANGUAGE",
    "EDITION",
    "HeyGenProvider",
]

DEFAULT_BASE_URL = "https://api.heygen.com"
DEFAULT_VOICE_LANGUAGE = "English"
"""The ``language`` filter of ``GET /v3/voices`` when a look has no default voice."""
_CREATE_VIDEO, _VIDEO = "/v3/videos", "/v3/videos/{video_id}"
_SUBMIT_EXTRA_STATUSES = (409,)
"""409 ``request_in_progress``: the first try with this Idempotency-Key is still being handled."""


class HeyGenProvider:
    """Renders presenter videos with HeyGen; configure with arguments or ``heygen_from_env``."""

    name = "heygen"
    offline = False

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        poll_interval_s: float = 10.0,
        timeout_s: float = 30.0,
        render_timeout_s: float = 1200.0,
        expected_render_s: float = 180.0,
        default_avatar_id: str | None = None,
        voice_id: str | None = None,
        voice_language: str = DEFAULT_VOICE_LANGUAGE,
        callback_url: str | None = None,
        webhook_secret: str | None = None,
        retry: RetryPolicy | None = None,
        max_download_bytes: int = 500 * 1024 * 1024,
    ) -> None:
        if not api_key.strip():
            raise ValueError("a HeyGen API key is required")
        if poll_interval_s < 0 or timeout_s <= 0 or render_timeout_s <= 0:
            raise ValueError("intervals and timeouts must be positive")
        self.base_url = base_url.rstrip("/")
        self.poll_interval_s = poll_interval_s
        self.render_timeout_s = render_timeout_s
        self.expected_render_s = max(1.0, expected_render_s)
        self.default_avatar_id = default_avatar_id
        self.voice_id = voice_id
        self.callback_url = callback_url
        self.webhook_secret = webhook_secret
        self.retry = retry or RetryPolicy()
        self.max_download_bytes = max_download_bytes
        timeout = httpx.Timeout(timeout_s, connect=min(10.0, timeout_s))
        headers = {"X-Api-Key": api_key, "Accept": "application/json"}
        self._api = httpx.AsyncClient(base_url=self.base_url, headers=headers, timeout=timeout)
        self._files = httpx.AsyncClient(timeout=timeout, follow_redirects=True)
        self.catalog = HeyGenCatalog(self._call, voice_language=voice_language)
        self._nudges: dict[str, asyncio.Event] = {}

    async def list_avatars(self) -> list[ProviderAvatar]:
        """Every avatar look on the account, all pages; cached for ``AVATAR_CACHE_S``."""
        return await self.catalog.avatars()

    async def render(
        self,
        request: VideoRenderRequest,
        dest_dir: Path,
        *,
        progress: Progress | None = None,
        provider_job_id: str | None = None,
        on_submitted: OnSubmitted | None = None,
    ) -> RenderedVideo:
        """Submit (or resume ``provider_job_id``), poll until done, download into ``dest_dir``.

        Before the paid call: the size is planned from the edition and the voice chosen, so a
        render that cannot succeed fails without costing anything.
        """
        report = ProgressReporter(progress)
        await report(0)
        video, thumb = dest_dir / f"{request.key}.mp4", dest_dir / f"{request.key}.jpg"
        notes = notes_path(dest_dir, request.key)
        if provider_job_id and video.is_file() and thumb.is_file() and notes.is_file():
            done = await finished_video(video, thumb, provider_job_id, None, read_notes(notes))
            await report(100)
            return done
        plan = plan_render(request.width, request.height)
        try:
            look = await self.catalog.look(request.avatar_id or self.default_avatar_id)
            voice = await self.catalog.voice(
                look, requested=request.voice_id, configured=self.voice_id
            )
        except VideoProviderError:
            if provider_job_id is None:
                raise  # nothing submitted yet: fail before paying
            look, voice = None, None  # a paid render exists: finish it, voice unknown
        if provider_job_id is None:
            assert look is not None and voice is not None
            provider_job_id = await self._submit(request, plan, look, voice)
        video_id = provider_job_id
        if on_submitted is not None:
            await on_submitted(video_id)
        await report(5)
        status = await self._wait(video_id, report)
        if not status.video_url:
            raise bad_response("the completed video has no video_url", video_id)
        dest_dir.mkdir(parents=True, exist_ok=True)
        await self._fetch(status.video_url, video, video_id, "video")
        await report(95)
        if status.thumbnail_url:
            await self._fetch_thumbnail(status.thumbnail_url, thumb, video_id)
        facts = await conform(video, thumb, plan, video_id)
        if voice is not None:
            facts |= {"voiceId": voice.voice_id, "voiceSource": voice.source}
        done = await finished_video(video, thumb, video_id, status.duration_s, facts)
        await write_notes(notes, facts)
        await report(100)
        return done

    async def _submit(
        self,
        request: VideoRenderRequest,
        plan: RenderPlan,
        look: ProviderAvatar,
        voice: ChosenVoice,
    ) -> str:
        """Start a render and return HeyGen's ``video_id`` (the one paid call).

        Retried on 429, 5xx, 409 and transport errors although it is a paid POST, because every
        submit carries ``Idempotency-Key: <request.key>``: HeyGen replays the original response to
        a repeat within 24 h (and answers 409 while the first is in flight), so a retry after a
        lost answer gets the same ``video_id`` rather than a second render. Past those 24 h only
        ``provider_job_id`` protects a resumed job — which is why ``render`` hands the id out
        through ``on_submitted`` before it waits.
        """
        payload: dict[str, Any] = {
            "type": "avatar",
            "avatar_id": look.id,
            "script": request.spoken_text,
            "voice_id": voice.voice_id,
            "title": request.title or f"{request.product_name} ({request.key})",
            "resolution": plan.resolution,
            "aspect_ratio": plan.aspect_ratio,
            "callback_id": request.key,
        }
        if self.callback_url:
            payload["callback_url"] = self.callback_url
        body = await self._call(
            "POST",
            _CREATE_VIDEO,
            retry=True,
            extra_statuses=_SUBMIT_EXTRA_STATUSES,
            json=payload,
            headers={"Idempotency-Key": request.key},
        )
        data = body.get("data")
        video_id = data.get("video_id") if isinstance(data, dict) else None
        if not isinstance(video_id, str) or not video_id:
            raise bad_response("HeyGen accepted the video but returned no video_id")
        return video_id

    def verify_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        """Check a webhook delivery against ``webhook_secret`` and parse it."""
        return verify_heygen_webhook(body, headers, self.webhook_secret)

    async def aclose(self) -> None:
        """Close both HTTP clients."""
        await self._api.aclose()
        await self._files.aclose()

    async def __aenter__(self) -> HeyGenProvider:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _status(self, video_id: str) -> Status:
        path = _VIDEO.format(video_id=quote(video_id, safe=""))  # a stored id is still input
        body = await self._call("GET", path, retry=True, job=video_id)
        return parse_status(body, video_id)

    async def _wait(self, video_id: str, report: ProgressReporter) -> Status:
        """Poll until the render completes; raise on failure or past ``render_timeout_s``."""
        self._nudges[video_id] = asyncio.Event()
        try:
            return await self._poll(video_id, report)
        finally:
            self._nudges.pop(video_id, None)

    async def _poll(self, video_id: str, report: ProgressReporter) -> Status:
        started = time.monotonic()
        while True:
            status = await self._status(video_id)
            elapsed = time.monotonic() - started
            if status.status == "completed":
                await report(90)
                return status
            if status.status == "failed":
                reason = status.failure_message or status.failure_code or "no reason given"
                raise VideoProviderError(
                    "provider_render_failed",
                    f"HeyGen could not render the video: {reason}",
                    retryable=False,
                    provider_job_id=video_id,
                )
            if status.status == "processing":
                # No percentage from HeyGen: approach 89 % asymptotically over the expected time.
                await report(10 + int(79 * (1 - math.exp(-elapsed / self.expected_render_s))))
            if elapsed >= self.render_timeout_s:
                raise VideoProviderError(
                    "provider_timeout",
                    f"HeyGen has not finished after {self.render_timeout_s:g} s; it may still "
                    "finish, and trying again resumes the same render.",
                    retryable=True,
                    provider_job_id=video_id,
                )
            nudge = self._nudges[video_id]
            try:
                await asyncio.wait_for(nudge.wait(), self.poll_interval_s)
            except TimeoutError:
                pass
            nudge.clear()

    def nudge(self, video_id: str) -> bool:
        """Poll ``video_id`` now instead of at the next interval (a webhook said it changed).

        The status is still read from the API, so a forged or replayed webhook can at most
        cause one extra status call. Returns False when no render waits on that video.
        """
        event = self._nudges.get(video_id)
        if event is None:
            return False
        event.set()
        return True

    async def _fetch(self, url: str, dest: Path, video_id: str, what: str) -> None:
        try:
            result = await _download(
                self._files, url, dest, policy=self.retry, max_bytes=self.max_download_bytes
            )
        except DownloadTooLarge as exc:
            raise VideoProviderError(
                "provider_bad_media", f"the {what} is too large ({exc})", retryable=False
            ) from exc
        except httpx.TransportError as exc:
            raise unreachable(exc, video_id) from exc
        if isinstance(result, httpx.Response):
            raise VideoProviderError(
                "provider_download_failed",
                f"downloading the {what} failed with HTTP {result.status_code}",
                retryable=True,
                status=result.status_code,
                provider_job_id=video_id,
            )

    async def _fetch_thumbnail(self, url: str, thumb: Path, video_id: str) -> None:
        """Download the thumbnail as JPEG; on any failure leave it to be cut from the video."""
        raw = thumb.with_name(f".{thumb.name}.download")
        try:
            await self._fetch(url, raw, video_id, "thumbnail")
            await asyncio.to_thread(ensure_jpeg, raw.read_bytes(), thumb)
        except (VideoProviderError, MediaRenderError, OSError):
            thumb.unlink(missing_ok=True)
        finally:
            raw.unlink(missing_ok=True)

    async def _call(
        self,
        method: str,
        path: str,
        *,
        retry: bool,
        job: str | None = None,
        extra_statuses: tuple[int, ...] = (),
        **kwargs: Any,
    ) -> dict[str, Any]:
        """One API call with retries; a non-2xx answer becomes a :class:`VideoProviderError`."""
        try:
            response = await _send(
                self._api,
                method,
                path,
                policy=self.retry,
                retry=retry,
                extra_statuses=extra_statuses,
                **kwargs,
            )
        except httpx.TransportError as exc:
            raise unreachable(exc, job) from exc
        if response.is_success:
            try:
                body = response.json()
            except ValueError:
                body = None
            if not isinstance(body, dict):
                raise bad_response(f"{method} {path} did not answer a JSON object", job)
            return body
        raise api_error(response, job)
