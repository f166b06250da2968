"""What media jobs carry: requests built for renders without a session, and the results recorded.

Kept apart from the worker so the wire shapes (``MediaResult`` dicts, job errors) have one home:
the worker records them, the benchmarks build the same ones, the gallery and frames read them.
"""

from __future__ import annotations

from typing import Any

from tools.ids import stable_id
from tools.image_providers import GeneratedImage, ImageProviderError
from tools.jobs import MediaJobRequest, ScriptParts, estimate_seconds
from tools.media import MediaRenderError
from tools.video_providers import RenderedVideo

__all__ = ["image_result", "job_error", "standalone_video_job", "video_result"]


def standalone_video_job(
    user_id: str, script: ScriptParts, product_name: str, resolution: str, avatar_id: str | None
) -> MediaJobRequest:
    """The render ``POST /api/videos/generate`` asks for; the same inputs give the same job id.

    The user's standalone renders share one media folder (the request's ``thread_id``); no
    workflow waits on them.
    """
    job_id = stable_id(
        "job",
        user_id,
        product_name,
        script.hook,
        *script.body,
        script.cta,
        resolution,
        avatar_id or "-",
    )
    words = len(" ".join([script.hook, *script.body, script.cta]).split())
    return MediaJobRequest(
        job_id=job_id,
        kind="video",
        thread_id=stable_id("videos", user_id),
        concept_id=job_id,
        product_name=product_name,
        title=script.hook[:80],
        script=script,
        headline=script.hook[:80],
        primary_text=" ".join(script.body),
        call_to_action=script.cta,
        resolution=resolution,
        avatar_id=avatar_id,
        estimated_seconds=estimate_seconds("video", words),
    )


def video_result(job: MediaJobRequest, video: RenderedVideo) -> dict[str, Any]:
    """The ``MediaResult`` of a rendered video, with URLs under ``/media/<thread>/``.

    ``voiceId``/``voiceSource`` name the voice the provider spoke with and why it was chosen;
    ``reframedFrom`` is the provider's frame (``"WxH"``) when it was cropped to ``resolution``.
    """
    url = f"/media/{job.thread_id}"
    return {
        "kind": "video",
        "url": f"{url}/{video.path.name}",
        "thumbnailUrl": f"{url}/{video.thumbnail_path.name}",
        "duration": round(video.duration_s, 2),
        "format": "mp4",
        "resolution": f"{video.width}x{video.height}",
        "jobId": job.job_id,
        "provider": video.provider,
        "offline": video.offline,
        "voiceId": video.voice_id,
        "voiceSource": video.voice_source,
        "reframedFrom": video.reframed_from,
    }


def image_result(thread_id: str, job_id: str, image: GeneratedImage) -> dict[str, Any]:
    """The ``MediaResult`` of a generated image, with its URL under ``/media/<thread>/``."""
    return {
        "kind": "image",
        "url": f"/media/{thread_id}/{image.path.name}",
        "format": "jpeg" if image.content_type == "image/jpeg" else "png",
        "resolution": f"{image.width}x{image.height}",
        "jobId": job_id,
        "provider": image.provider,
        "offline": image.offline,
    }


def job_error(error: ImageProviderError | MediaRenderError) -> dict[str, Any]:
    """A failed image or offline render as the job's ``error`` (code, message, retryable)."""
    if isinstance(error, ImageProviderError):
        return {k: v for k, v in error.as_dict().items() if k in ("code", "message", "retryable")}
    return {"code": "render_failed", "message": str(error)[:500], "retryable": True}
