"""Payloads of renders and saved assets: media jobs of the workflow, images of the assistant.

The job, its result and its error are the shapes ``tools.jobs`` defines (the worker records them,
the graph resumes on them), so they are typed with those models rather than restated here.
``VideoDelivered`` and ``StaticAdDelivered`` are reserved names nothing has ever recorded; their
models accept only an empty payload until a producer gives them a shape (a new version then).
"""

from __future__ import annotations

from typing import Any, Literal

from server.core.event_types.base import ErrorInfo, EventPayload
from tools.jobs import JobError, MediaJobRequest, MediaResult

__all__ = [
    "AssetSaved",
    "ImageFailed",
    "ImageGenerated",
    "ImageRequested",
    "MediaFailure",
    "MediaJobCompleted",
    "MediaJobFailed",
    "MediaJobProgressed",
    "MediaJobRequested",
    "StaticAdDelivered",
    "VideoDelivered",
]


class _OfTurn(EventPayload):
    message_id: str
    product_name: str


class MediaJobRequested(_OfTurn):
    """The workflow asked for a render (``graph.nodes.media.submit_media_job``)."""

    type_name = "MediaJobRequested"
    job: MediaJobRequest


class MediaJobProgressed(EventPayload):
    """The worker's progress on a job, in steps of ``PROGRESS_STEP`` percent."""

    type_name = "MediaJobProgressed"
    job_id: str
    kind: Literal["video", "image"]
    progress: int


class MediaJobCompleted(_OfTurn):
    """The render the workflow waited on is done."""

    type_name = "MediaJobCompleted"
    result: MediaResult


class MediaFailure(JobError):
    """A job's error as the workflow records it: the job's id beside code, message, retryable."""

    job_id: str


class MediaJobFailed(_OfTurn):
    """The render failed; the workflow offers the script choice again."""

    type_name = "MediaJobFailed"
    error: MediaFailure


class VideoDelivered(EventPayload):
    """Reserved (never recorded)."""

    type_name = "VideoDelivered"


class StaticAdDelivered(EventPayload):
    """Reserved (never recorded)."""

    type_name = "StaticAdDelivered"


class AssetSaved(EventPayload):
    """An ad saved to the gallery: an ``AssetRecord`` wire dict, from either graph."""

    type_name = "AssetSaved"
    asset: dict[str, Any]


class _Image(EventPayload):
    request_id: str
    prompt: str
    size: str
    asset_id: str | None


class ImageRequested(_Image):
    """The assistant queued an image (its ``generate_ad_image`` tool); the worker renders it."""

    type_name = "ImageRequested"
    status: str


class ImageGenerated(_Image):
    """The worker rendered a queued image: the request plus the ``image_result`` fields."""

    type_name = "ImageGenerated"
    kind: Literal["image"]
    url: str
    format: str
    resolution: str
    job_id: str
    provider: str
    offline: bool


class ImageFailed(_Image):
    """The worker could not render a queued image."""

    type_name = "ImageFailed"
    error: ErrorInfo
