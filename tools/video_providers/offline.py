"""The offline video provider: the storyboard renderer behind the provider interface.

Why a thread: rendering is CPU and ffmpeg work that blocks for seconds to minutes; it runs in
``asyncio.to_thread`` so the event loop keeps serving streams. The renderer's progress callback
fires on that worker thread, so each percent is handed to the loop with ``call_soon_threadsafe``
and awaited there, in order — the caller's async ``progress`` never runs off the loop.

Cancelling ``render`` stops waiting but not the worker thread: the encode runs to its end (or its
timeout) and leaves a complete pair that the next attempt reuses.

Idempotency: the "provider job id" is the request key. Both output files appear atomically, so a
pair already on disk is a finished render of the same key and is returned without rendering again.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tools.avatars import OFFLINE_AVATARS, find_avatar
from tools.media import (
    MediaRenderError,
    ProgressCallback,
    ScriptBeats,
    VideoSpec,
    render_storyboard_video,
)
from tools.video_providers._media import probe_video
from tools.video_providers.base import (
    OnSubmitted,
    Progress,
    ProviderAvatar,
    RenderedVideo,
    VideoProviderError,
    VideoRenderRequest,
)

__all__ = ["OfflineVideoProvider"]

_DONE = -1


class OfflineVideoProvider:
    """Renders storyboard videos locally (15–30 s, H.264, labelled offline); no keys needed."""

    name = "offline"
    offline = True

    def __init__(self, *, fps: int = 30, encode_timeout_s: float | None = None) -> None:
        if not 1 <= fps <= 60:
            raise ValueError(f"fps must be 1–60, got {fps}")
        self.fps = fps
        self.encode_timeout_s = encode_timeout_s

    async def list_avatars(self) -> list[ProviderAvatar]:
        """The built-in presenters of ``tools.avatars``."""
        return [ProviderAvatar.from_offline(a) for a in OFFLINE_AVATARS]

    async def render(
        self,
        request: VideoRenderRequest,
        dest_dir: Path,
        *,
        progress: Progress | None = None,
        provider_job_id: str | None = None,
        on_submitted: OnSubmitted | None = None,
    ) -> RenderedVideo:
        """Render the storyboard into ``dest_dir/<key>.mp4`` and ``<key>.jpg``.

        ``provider_job_id`` is accepted for interface parity; offline renders are keyed by
        ``request.key`` alone, and a finished pair on disk is reused.
        """
        job_id = request.key
        if on_submitted is not None:
            await on_submitted(job_id)
        if progress is not None:
            await progress(0)
        dest_dir.mkdir(parents=True, exist_ok=True)
        existing = await asyncio.to_thread(self._existing, request, dest_dir)
        if existing is None:
            existing = await self._render_in_thread(request, dest_dir, progress)
        if progress is not None:
            await progress(100)
        return existing

    async def aclose(self) -> None:
        """Nothing to release."""

    def _existing(self, request: VideoRenderRequest, dest_dir: Path) -> RenderedVideo | None:
        video, thumb = dest_dir / f"{request.key}.mp4", dest_dir / f"{request.key}.jpg"
        if not (video.is_file() and thumb.is_file()):
            return None
        try:
            info = probe_video(video)
        except MediaRenderError:
            return None  # unreadable leftovers are rendered again (and replaced atomically)
        return RenderedVideo(
            video, thumb, info.duration_s, info.width, info.height, self.name, request.key, True
        )

    async def _render_in_thread(
        self, request: VideoRenderRequest, dest_dir: Path, progress: Progress | None
    ) -> RenderedVideo:
        loop = asyncio.get_running_loop()
        percents: asyncio.Queue[int] = asyncio.Queue()
        last = [0]

        def on_fraction(fraction: float) -> None:  # called on the render thread
            percent = min(99, int(fraction * 100))  # 100 is sent once the result is returned
            if percent > last[0]:
                last[0] = percent
                loop.call_soon_threadsafe(percents.put_nowait, percent)

        async def forward() -> None:
            while (percent := await percents.get()) != _DONE:
                if progress is not None:
                    await progress(percent)

        forwarder = asyncio.create_task(forward())
        try:
            video = await asyncio.to_thread(self._render, request, dest_dir, on_fraction)
        except MediaRenderError as exc:
            raise VideoProviderError(
                "render_failed", f"the offline renderer failed: {exc}"[:500], retryable=True
            ) from exc
        finally:
            # Runs after the thread's last call_soon_threadsafe, so _DONE is queued last.
            percents.put_nowait(_DONE)
            await forwarder
        return video

    def _render(
        self, request: VideoRenderRequest, dest_dir: Path, on_fraction: ProgressCallback
    ) -> RenderedVideo:
        avatar = find_avatar(request.avatar_id) if request.avatar_id else None
        beats = ScriptBeats(
            hook=request.hook,
            body=request.body,
            call_to_action=request.cta,
            product_name=request.product_name,
            presenter_name=avatar.name if avatar else request.avatar_id,
            presenter_initials=avatar.initials if avatar else None,
        )
        spec = VideoSpec(width=request.width, height=request.height, fps=self.fps, seed=request.key)
        rendered = render_storyboard_video(
            beats,
            spec,
            dest_dir,
            request.key,
            on_fraction,
            timeout_s=self.encode_timeout_s,
        )
        return RenderedVideo(
            rendered.path,
            rendered.thumbnail_path,
            rendered.duration_s,
            rendered.width,
            rendered.height,
            self.name,
            request.key,
            True,
        )
