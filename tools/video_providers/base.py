"""The video-provider interface: what a render asks for, what it returns, how it fails.

Why one interface: the server's job worker must not care whether a video comes from the offline
storyboard renderer or a paid avatar provider (design.md invariant 9: real providers are
configuration, not code changes). Both implementations take a :class:`VideoRenderRequest`, write
an MP4 and a JPEG thumbnail into a directory the caller owns, report progress as whole percents,
and fail with one exception type, :class:`VideoProviderError`, whose ``code``/``message``/
``retryable`` map one-to-one onto the Ad Forge error shape (``JobError``).

Idempotency (invariant 2): a durable job may crash after the provider accepted the render. The
provider therefore reports the provider-side job id through ``on_submitted`` *before* it waits,
the caller stores it, and a restarted job passes it back as ``provider_job_id`` so the provider
resumes polling that render instead of paying for a second one.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from tools.avatars import Avatar
from tools.jobs import JobError, MediaJobRequest, parse_resolution

__all__ = [
    "OnSubmitted",
    "Progress",
    "ProgressReporter",
    "ProviderAvatar",
    "RenderedVideo",
    "VideoProvider",
    "VideoProviderError",
    "VideoRenderRequest",
]

Progress = Callable[[int], Awaitable[None]]
"""Receives whole percents, 0–100, never decreasing; the last call of a success is 100."""
OnSubmitted = Callable[[str], Awaitable[None]]
"""Receives the provider's job id once the provider has accepted the render."""

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


class VideoProviderError(Exception):
    """A render or provider call failed in a way the user can act on.

    ``code`` is stable and machine-readable (``provider_auth_failed``, ``provider_rate_limited``,
    ``provider_render_failed``, …); ``message`` is shown to the user as is; ``retryable`` says
    whether trying the same thing again later may succeed (a wrong key never will, a 503 may).
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        retryable: bool,
        status: int | None = None,
        provider_job_id: str | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.retryable = retryable
        self.status = status
        """HTTP status of the provider answer that caused it, when there was one."""
        self.provider_job_id = provider_job_id
        """The provider's job, when the failure happened after it was accepted."""

    def as_job_error(self) -> JobError:
        """The Ad Forge wire shape of this failure (``{"code", "message", "retryable"}``)."""
        return JobError(code=self.code, message=self.message[:500], retryable=self.retryable)


@dataclass(frozen=True, slots=True)
class ProviderAvatar(Avatar):
    """A presenter as a provider offers it: the offline fields plus where it comes from.

    A subclass of :class:`tools.avatars.Avatar`, so every existing consumer (the catalog route,
    ``avatar_preview_svg``) accepts provider avatars unchanged.
    """

    provider: str = "offline"
    preview_image_url: str | None = None
    """The provider's own preview picture; None for offline presenters (drawn as SVG)."""
    default_voice_id: str | None = None

    @classmethod
    def from_offline(cls, avatar: Avatar) -> ProviderAvatar:
        """Wrap one of ``tools.avatars.OFFLINE_AVATARS``."""
        return cls(
            avatar.id, avatar.name, avatar.gender, avatar.age_range, avatar.style, avatar.color
        )


@dataclass(frozen=True, slots=True)
class VideoRenderRequest:
    """One video to render: the script as spoken, the presenter, the frame size.

    ``key`` names the render everywhere: the output files (``key.mp4``, ``key.jpg``), the
    provider's idempotency key and the webhook's ``callback_id``. Use the job id, which is
    already derived from the thread and the choice (``tools.jobs.media_job_id``).
    """

    key: str
    hook: str
    body: tuple[str, ...]
    cta: str
    product_name: str
    avatar_id: str | None = None
    width: int = 1080
    height: int = 1920
    title: str = ""
    voice_id: str | None = None
    """The voice the user picked; None lets the provider choose one (and say which)."""

    def __post_init__(self) -> None:
        if not _KEY.match(self.key):
            raise ValueError(f"key must be a plain file name ([A-Za-z0-9._-]), got {self.key!r}")
        for name, value in (("width", self.width), ("height", self.height)):
            if not 128 <= value <= 3840 or value % 2:
                raise ValueError(f"{name} must be an even number of px in 128–3840, got {value}")
        if not self.spoken_text:
            raise ValueError("the script is empty")

    @property
    def spoken_text(self) -> str:
        """What the presenter says: hook, body beats, call to action, one paragraph each."""
        parts = (self.hook, *self.body, self.cta)
        return "\n\n".join(p.strip() for p in parts if p.strip())

    @classmethod
    def from_job(cls, job: MediaJobRequest) -> VideoRenderRequest:
        """The render a workflow's video job asks for."""
        width, height = parse_resolution(job.resolution)
        return cls(
            key=job.job_id,
            hook=job.script.hook,
            body=tuple(job.script.body),
            cta=job.script.cta,
            product_name=job.product_name,
            avatar_id=job.avatar_id,
            width=width,
            height=height,
            title=job.title,
            voice_id=job.voice_id,
        )


@dataclass(frozen=True, slots=True)
class RenderedVideo:
    """A finished render on local disk: both files are complete when this exists."""

    path: Path
    """The MP4, inside the ``dest_dir`` given to ``render``."""
    thumbnail_path: Path
    """A JPEG still, beside the MP4."""
    duration_s: float
    width: int
    height: int
    provider: str
    provider_job_id: str
    offline: bool
    voice_id: str | None = None
    """The provider voice the presenter speaks with (None for the silent offline storyboard)."""
    voice_source: str | None = None
    """Why that voice: ``request``, ``configured``, ``avatar_default`` or ``voice_list``."""
    reframed_from: str | None = None
    """``"WxH"`` the provider rendered when it was cropped to the requested size, else None."""


@runtime_checkable
class VideoProvider(Protocol):
    """Renders a script into a presenter video; see the module docstring for the contract."""

    @property
    def name(self) -> str:
        """Short provider name shown with results (``offline``, ``heygen``)."""
        ...

    @property
    def offline(self) -> bool:
        """True when output is made locally with no provider (labelled offline in the UI)."""
        ...

    async def list_avatars(self) -> list[ProviderAvatar]:
        """The presenters this provider can render."""
        ...

    async def render(
        self,
        request: VideoRenderRequest,
        dest_dir: Path,
        *,
        progress: Progress | None = None,
        provider_job_id: str | None = None,
        on_submitted: OnSubmitted | None = None,
    ) -> RenderedVideo:
        """Render ``request`` into ``dest_dir``; resume ``provider_job_id`` instead of submitting.

        ``on_submitted`` is awaited with the provider's job id before any waiting starts; persist
        it so a restarted job can pass it back. Raises :class:`VideoProviderError`.
        """
        ...

    async def aclose(self) -> None:
        """Release connections; the provider is unusable afterwards."""
        ...


class ProgressReporter:
    """Forwards whole percents to a :data:`Progress` callback, clamped and only when they rise.

    Providers estimate progress from different signals (frames written, elapsed time); this keeps
    the promise of :data:`Progress` — never decreasing — in one place.
    """

    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress
        self._last = -1

    async def __call__(self, percent: int) -> None:
        """Report ``percent`` if it is above the last figure reported."""
        percent = max(0, min(100, percent))
        if self._progress is not None and percent > self._last:
            self._last = percent
            await self._progress(percent)
