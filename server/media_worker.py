"""Renders the media a workflow waits for, then resumes the workflow with the outcome.

After every run the worker looks at the thread: if it waits at ``await_media`` for a job that is
not rendering yet, the job is rendered with the offline renderers (in a thread: rendering is CPU
and ffmpeg work) and the outcome resumes the thread as a new run. Job ids are idempotency keys:
a job already rendering or rendered is never started twice in this process, and a finished file
on disk is reused rather than rendered again.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from server.runs import RunManager, RunRequest
from tools.jobs import MediaJobRequest
from tools.media import (
    MediaRenderError,
    ScriptBeats,
    StaticAdSpec,
    VideoSpec,
    render_static_ad,
    render_storyboard_video,
)

__all__ = ["MediaWorker"]

log = logging.getLogger(__name__)


class MediaWorker:
    """Starts renders for threads waiting on media and resumes them when done."""

    def __init__(self, media_dir: Path, *, fps: int = 24) -> None:
        self.media_dir = media_dir
        self.fps = fps
        self.runs: RunManager | None = None
        self._started: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def after_run(self, request: RunRequest) -> None:
        """Start the render the thread now waits for, if any."""
        assert self.runs is not None
        config: Any = {"configurable": {"thread_id": request.thread_id}}
        snapshot = await self.runs.graph.aget_state(config)
        if snapshot.next != ("await_media",):
            return
        job = MediaJobRequest.model_validate(snapshot.values["media_job"])
        if job.job_id in self._started:
            return
        self._started.add(job.job_id)
        task = asyncio.create_task(self._render_and_resume(request, job))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def shutdown(self) -> None:
        """Cancel renders in flight; their threads resume them at the next start-up."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _render_and_resume(self, request: RunRequest, job: MediaJobRequest) -> None:
        try:
            result = await asyncio.to_thread(self._render, job)
            outcome: dict[str, Any] = {"jobId": job.job_id, "status": "completed", "result": result}
        except MediaRenderError as error:
            log.error("render of %s failed: %s", job.job_id, error)
            outcome = {
                "jobId": job.job_id,
                "status": "failed",
                "error": {"code": "render_failed", "message": str(error)[:500], "retryable": True},
            }
        assert self.runs is not None
        resume = RunRequest(
            thread_id=request.thread_id,
            user_id=request.user_id,
            kind="resume",
            payload=outcome,
            product_name=request.product_name,
        )
        self.runs.submit(resume, multitask="enqueue")

    def _render(self, job: MediaJobRequest) -> dict[str, Any]:
        folder = self.media_dir / job.thread_id
        folder.mkdir(parents=True, exist_ok=True)
        width, height = (int(v) for v in job.resolution.split("x"))
        url = f"/media/{job.thread_id}"
        if job.kind == "image":
            spec = StaticAdSpec(
                headline=job.headline,
                primary_text=job.primary_text,
                call_to_action=job.call_to_action,
                product_name=job.product_name,
                width=width,
                height=height,
                seed=job.job_id,
            )
            image = render_static_ad(spec, folder / f"{job.job_id}.png")
            return {
                "kind": "image",
                "url": f"{url}/{image.path.name}",
                "format": "png",
                "resolution": job.resolution,
                "jobId": job.job_id,
            }
        beats = ScriptBeats(
            hook=job.script.hook,
            body=tuple(job.script.body),
            call_to_action=job.script.cta,
            product_name=job.product_name,
            presenter_name=job.avatar_id,
        )
        video = render_storyboard_video(
            beats,
            VideoSpec(width=width, height=height, fps=self.fps, seed=job.job_id),
            folder,
            job.job_id,
        )
        return {
            "kind": "video",
            "url": f"{url}/{video.path.name}",
            "thumbnailUrl": f"{url}/{video.thumbnail_path.name}",
            "duration": round(video.duration_s, 2),
            "format": "mp4",
            "resolution": job.resolution,
            "jobId": job.job_id,
        }
