"""Media job requests: what a workflow asks a renderer to make, named so it is submitted once.

The workflow records a ``MediaJobRequest`` and waits at an interrupt; whoever runs jobs (the
server's worker pool, a notebook, a test) renders it and resumes the thread with a
``MediaJobOutcome``. The job id is derived from the thread and the choice, so re-running the node
or re-sending the request can never start a second paid provider job.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

from tools.ids import stable_id

__all__ = [
    "IMAGE_RESOLUTIONS",
    "VIDEO_RESOLUTIONS",
    "parse_resolution",
    "JobError",
    "MediaJobOutcome",
    "MediaJobRequest",
    "MediaKind",
    "MediaResult",
    "ScriptParts",
    "estimate_seconds",
    "media_job_id",
]

MediaKind = Literal["video", "image"]
VIDEO_RESOLUTIONS = ("1080x1920", "1080x1080", "1920x1080")
IMAGE_RESOLUTIONS = ("1080x1080", "1080x1350", "1080x1920", "1200x628")


class _Wire(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)


class ScriptParts(_Wire):
    """The script as the guide's video request carries it: hook, body beats, call to action."""

    hook: str
    body: list[str]
    cta: str


class MediaJobRequest(_Wire):
    """One render the workflow wants: a video from a script or a static image ad."""

    job_id: str
    kind: MediaKind
    thread_id: str
    concept_id: str
    product_name: str
    title: str
    script: ScriptParts
    headline: str
    primary_text: str
    call_to_action: str
    resolution: str
    avatar_id: str | None = None
    voice_id: str | None = None
    estimated_seconds: int = Field(ge=1)
    compliance: dict[str, Any] | None = None
    """The copy gate's verdict on ``headline``/``primary_text``/``call_to_action``."""


class MediaResult(_Wire):
    """A finished render: the guide's ``video_result`` / ``static_ad_result`` fields."""

    kind: MediaKind
    url: str
    job_id: str | None = None
    thumbnail_url: str | None = None
    duration: float | None = None
    format: str
    resolution: str
    provider: str = "offline"
    offline: bool = True


class JobError(_Wire):
    """Why a job failed, and whether trying again may help."""

    code: str
    message: str
    retryable: bool = False


class MediaJobOutcome(_Wire):
    """How a media job ended; the value that resumes the waiting workflow."""

    job_id: str
    status: Literal["completed", "failed"]
    result: MediaResult | None = None
    error: JobError | None = None

    @model_validator(mode="after")
    def _result_or_error(self) -> MediaJobOutcome:
        """A completed job carries a result and a failed one an error: never neither."""
        if self.status == "completed" and self.result is None:
            raise ValueError("a completed job needs a result")
        if self.status == "failed" and self.error is None:
            raise ValueError("a failed job needs an error")
        return self


def media_job_id(
    thread_id: str, concept_id: str, kind: MediaKind, resolution: str, avatar_id: str | None
) -> str:
    """The idempotency key of a render: same thread, script and options → same job."""
    return stable_id("job", thread_id, concept_id, kind, resolution, avatar_id or "-")


def estimate_seconds(kind: MediaKind, words: int) -> int:
    """A rough wait to show the user: renders scale with script length."""
    return 5 if kind == "image" else max(20, min(90, 10 + words // 2))


def parse_resolution(resolution: str) -> tuple[int, int]:
    """``"1080x1350"`` (as job requests and the assistant tool carry it) → ``(1080, 1350)``."""
    width, sep, height = resolution.strip().lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise ValueError(f"resolution must look like 1080x1350, got {resolution!r}")
    return int(width), int(height)
