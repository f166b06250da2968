"""The media-job worker pool: renders queued jobs, reports progress, resumes the workflow.

design.md, "Waiting on slow work": the workflow submits a job and waits at the ``await_media``
interrupt; nothing holds a request open. After every run the worker looks at the thread; if it
waits for a job, the job's row is created (idempotent by job id) and made claimable. Workers
claim rows atomically, render through the configured provider (offline storyboard / composer,
HeyGen, OpenAI Images), append progress events the chat shows as ``status_update``, mark the row
finished, resume the thread with the outcome, and deliver the webhook if one was asked for.

Restart safety: at start-up rows a crash left ``in_progress`` are queued again (a provider job
id already stored is polled, not resubmitted; an offline file already rendered is reused) and
finished jobs whose thread still waits are resumed, so a SIGKILL at any point ends with one job,
one result and — because event ids derive from LangGraph task ids and job ids — one
``video_result``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection
from pathlib import Path
from typing import Any

from server.core.eventlog import EventStore
from server.core.events import EventType, event
from server.core.faults import crash_point
from server.core.runs import RunManager, RunRequest
from server.jobs.payloads import image_result, job_error, standalone_video_job, video_result
from server.jobs.store import JobRecord, JobStore
from server.jobs.webhooks import WebhookDispatcher, WebhookPolicy
from tools.image_providers import (
    ImageProvider,
    ImageProviderError,
    ImageRequest,
)
from tools.jobs import MediaJobRequest, ScriptParts, estimate_seconds, parse_resolution
from tools.media import MediaRenderError
from tools.video_providers import (
    VideoProvider,
    VideoProviderError,
    VideoRenderRequest,
)

__all__ = ["JobWorker"]

log = logging.getLogger(__name__)

PROGRESS_STEP = 10
"""Progress events are appended every this many percent (the row keeps the exact figure)."""


class JobWorker:
    """A pool of asyncio workers over the ``media_jobs`` table; webhooks via ``WebhookDispatcher``."""

    def __init__(
        self,
        jobs: JobStore,
        events: EventStore,
        *,
        video: VideoProvider,
        images: ImageProvider,
        media_dir: Path,
        concurrency: int = 2,
        webhook_secret: str | None = None,
        webhook_policy: WebhookPolicy | None = None,
    ) -> None:
        self.jobs = jobs
        self.events = events
        self.video = video
        self.images = images
        self.media_dir = media_dir
        self.concurrency = max(1, concurrency)
        self.webhooks = WebhookDispatcher(jobs, secret=webhook_secret, policy=webhook_policy)
        self.runs: RunManager | None = None
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._reported: dict[str, int] = {}

    # --- lifecycle ------------------------------------------------------------------------------

    async def start(self, waiting_sessions: Collection[str] = ()) -> None:
        """Requeue what a crash interrupted, resume threads still waiting, start the workers.

        ``waiting_sessions`` are the sessions whose log says they wait on a render (the
        sessions projection's ``media_generation`` step): only their finished jobs can need a
        resume a crash prevented, so start-up does not grow with the job history.
        """
        requeued = await self.jobs.requeue_unfinished()
        if requeued:
            log.warning("requeued %d media job(s) a restart interrupted", requeued)
        for record in await self.jobs.finished(sorted(waiting_sessions)):
            await self._resume_if_waiting(record)
        self._tasks = [
            asyncio.create_task(self._work(), name=f"adforge-job-worker-{n}")
            for n in range(self.concurrency)
        ]
        self._tasks.append(asyncio.create_task(self.webhooks.run(), name="adforge-webhooks"))
        self._wake.set()
        self.webhooks.wake()

    async def shutdown(self) -> None:
        """Stop the workers; unfinished jobs stay in_progress and are requeued at next start."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.webhooks.aclose()
        await self.video.aclose()
        close_images = getattr(self.images, "aclose", None)  # providers with pooled clients
        if close_images is not None:
            await close_images()

    # --- intake ---------------------------------------------------------------------------------

    async def after_run(self, request: RunRequest) -> None:
        """After each run: make sure every job the thread now waits for, or asked for, runs."""
        if request.graph == "ad_assistant":
            await self._take_image_requests(request)
            return
        snapshot = (
            await self._runs()
            .graphs["ad_workflow"]
            .aget_state({"configurable": {"thread_id": request.thread_id}})
        )
        if snapshot.next != ("await_media",):
            return
        job = MediaJobRequest.model_validate(snapshot.values["media_job"])
        await self.jobs.create(
            job.job_id,
            user_id=request.user_id,
            session_id=job.thread_id,
            kind=job.kind,
            estimated_seconds=job.estimated_seconds,
        )
        record = await self.jobs.attach_request(
            job.job_id, job.model_dump(mode="json", by_alias=True)
        )
        if record is not None and record.status in ("completed", "failed"):
            await self._resume_if_waiting(record)
        self._wake.set()

    async def _take_image_requests(self, request: RunRequest) -> None:
        """Queue the images ``generate_ad_image`` asked for (the assistant does not wait)."""
        snapshot = (
            await self._runs()
            .graphs["ad_assistant"]
            .aget_state({"configurable": {"thread_id": request.thread_id}})
        )
        requests = list(snapshot.values.get("image_requests") or [])
        known = await self.jobs.known([str(image["id"]) for image in requests])
        for image in requests:  # the list only grows: only new requests get a row
            if str(image["id"]) in known:
                continue
            await self.jobs.create(
                str(image["id"]),
                user_id=request.user_id,
                session_id=request.thread_id,
                kind="image",
                estimated_seconds=estimate_seconds("image", 0),
            )
            await self.jobs.attach_request(str(image["id"]), {"source": "assistant", **image})
        self._wake.set()

    async def submit_standalone_video(
        self,
        user_id: str,
        script: ScriptParts,
        product_name: str,
        resolution: str,
        avatar_id: str | None,
    ) -> JobRecord:
        """Queue a render with no session (``POST /api/videos/generate``); idempotent.

        The same user asking for the same script, product, size and presenter gets the same job
        (its id is derived from all of them), so a retried request never renders twice. The
        user's renders share one media folder; nothing waits on them, so nothing is resumed.
        """
        job = standalone_video_job(user_id, script, product_name, resolution, avatar_id)
        job_id, owner = job.job_id, job.thread_id
        await self.jobs.create(
            job_id,
            user_id=user_id,
            session_id=owner,
            kind="video",
            estimated_seconds=job.estimated_seconds,
        )
        record = await self.jobs.attach_request(job_id, job.model_dump(mode="json", by_alias=True))
        assert record is not None
        self._wake.set()
        return record

    # --- work -----------------------------------------------------------------------------------

    def _runs(self) -> RunManager:
        assert self.runs is not None, "JobWorker.runs is set by the runtime"
        return self.runs

    async def _work(self) -> None:
        while True:
            record = await self.jobs.claim()
            if record is None:
                self._wake.clear()
                await self._wake.wait()
                continue
            try:
                await self._run_job(record)
            except Exception:  # a bug must not kill the worker; the row says failed
                log.exception("media job %s crashed", record.job_id)
                error = {"code": "render_failed", "message": "the render crashed; try again"}
                await self._finish(record, error={**error, "retryable": True})

    async def _run_job(self, record: JobRecord) -> None:
        assert record.request is not None
        if record.request.get("source") == "assistant":
            await self._run_assistant_image(record)
            return
        job = MediaJobRequest.model_validate(record.request)
        folder = self.media_dir / job.thread_id
        folder.mkdir(parents=True, exist_ok=True)
        try:
            if job.kind == "video":
                result = await self._render_video(record, job, folder)
            else:
                result = await self._render_image(job, folder)
        except VideoProviderError as error:
            await self._finish(record, error=error.as_job_error().model_dump(mode="json"))
            return
        except (ImageProviderError, MediaRenderError) as error:
            await self._finish(record, error=job_error(error))
            return
        await self._finish(record, result=result)

    async def _render_video(
        self, record: JobRecord, job: MediaJobRequest, folder: Path
    ) -> dict[str, Any]:
        await self.jobs.set_progress(job.job_id, 0)
        await self.jobs.set_provider(job.job_id, self.video.name, None)

        async def progress(percent: int) -> None:
            await self._progress(job, percent)

        async def submitted(provider_job_id: str) -> None:
            await self.jobs.set_provider(job.job_id, self.video.name, provider_job_id)

        video = await self.video.render(
            VideoRenderRequest.from_job(job),
            folder,
            progress=progress,
            provider_job_id=record.provider_job_id,
            on_submitted=submitted,
        )
        return video_result(job, video)

    async def _render_image(self, job: MediaJobRequest, folder: Path) -> dict[str, Any]:
        await self.jobs.set_provider(job.job_id, self.images.name, None)
        width, height = parse_resolution(job.resolution)
        image = await self.images.generate(
            ImageRequest(
                prompt=f"{job.product_name} ad, {job.title}: {job.headline}",
                width=width,
                height=height,
                idempotency_key=job.job_id,
                headline=job.headline,
                primary_text=job.primary_text,
                call_to_action=job.call_to_action,
                product_name=job.product_name,
            ),
            folder,
        )
        return image_result(job.thread_id, job.job_id, image)

    async def _run_assistant_image(self, record: JobRecord) -> None:
        """Render an image the assistant queued and show it in the thread (nothing resumes)."""
        assert record.request is not None
        image = record.request
        width, height = parse_resolution(str(image["size"]))
        folder = self.media_dir / record.session_id
        folder.mkdir(parents=True, exist_ok=True)
        await self.jobs.set_provider(record.job_id, self.images.name, None)
        base = {
            "requestId": record.job_id,
            "assetId": image.get("assetId"),
            "prompt": image.get("prompt"),
            "size": image["size"],
        }
        try:
            made = await self.images.generate(
                ImageRequest(
                    prompt=str(image["prompt"]),
                    width=width,
                    height=height,
                    idempotency_key=record.job_id,
                ),
                folder,
            )
        except (ImageProviderError, MediaRenderError) as error:
            failure = job_error(error)
            await self.jobs.finish(record.job_id, error=failure)
            await self._append(
                record.session_id, EventType.IMAGE_FAILED, {**base, "error": failure}
            )
            return
        result = image_result(record.session_id, record.job_id, made)
        await self.jobs.finish(record.job_id, result=result)
        await self._append(record.session_id, EventType.IMAGE_GENERATED, {**base, **result})

    async def _append(self, thread_id: str, type_: str, data: dict[str, Any]) -> None:
        # Keyed by the request: a re-render after a restart records nothing twice.
        await self.events.append(thread_id, [event(thread_id, type_, data, data["requestId"])])

    async def _progress(self, job: MediaJobRequest, percent: int) -> None:
        await self.jobs.set_progress(job.job_id, percent)
        bucket = percent - percent % PROGRESS_STEP
        if bucket <= self._reported.get(job.job_id, 0):
            return
        self._reported[job.job_id] = bucket
        data = {"jobId": job.job_id, "kind": job.kind, "progress": bucket}
        # One event per job and bucket: a re-render after a restart repeats ids, which the
        # store's UNIQUE constraint drops, so the chat never sees progress twice.
        await self.events.append(
            job.thread_id,
            [event(job.thread_id, EventType.MEDIA_JOB_PROGRESSED, data, job.job_id, bucket)],
        )

    async def _finish(
        self,
        record: JobRecord,
        *,
        result: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
    ) -> None:
        finished = await self.jobs.finish(record.job_id, result=result, error=error)
        crash_point("mid_job_completion")  # fault-injection tests: the row is done, not the thread
        await self._resume_if_waiting(finished)
        if finished.webhook_state == "pending":
            self.webhooks.wake()

    async def _resume_if_waiting(self, record: JobRecord) -> None:
        """Resume the thread with the job's outcome if it still waits for this very job."""
        if (record.request or {}).get("source") == "assistant":
            return  # the assistant never waits for its images
        runs = self._runs()
        config: Any = {"configurable": {"thread_id": record.session_id}}
        snapshot = await runs.graph.aget_state(config)
        waiting = (
            snapshot.next == ("await_media",)
            and (snapshot.values.get("media_job") or {}).get("jobId") == record.job_id
        )
        if not waiting or runs.busy(record.session_id):
            return
        outcome: dict[str, Any] = {"jobId": record.job_id, "status": record.status}
        if record.status == "completed":
            outcome["result"] = record.result
        else:
            outcome["error"] = record.error
        product = (record.request or {}).get("productName", "")
        runs.submit(
            RunRequest(
                thread_id=record.session_id,
                user_id=record.user_id,
                kind="resume",
                payload=outcome,
                product_name=str(product),
            ),
            multitask="enqueue",
        )
