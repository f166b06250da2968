"""The ``request_render`` command: answer the script choice with a render of the chosen script.

The job id is known before the run reaches the media node (it derives from thread, script and
options), so the job's row is created at once and a client can poll it immediately. Like every
command it reserves the thread before it reads or records anything, and a retry with the same
idempotency key answers the same job without recording a second "Selected script" message.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Literal

from server.core.catalog_rules import check_avatar, offered_avatar_ids
from server.core.commands.keys import keyed_id, replayed, request_hash
from server.core.commands.messages import session_of, user_message_event_id
from server.core.errors import conflict, invalid
from server.core.events import EventType, event
from server.core.runs import RunRequest, ThreadBusyError
from server.core.selection import selection_summary
from server.core.services import Services
from server.core.users import User
from tools.creative.models import word_count
from tools.jobs import VIDEO_RESOLUTIONS, estimate_seconds, media_job_id

__all__ = ["RenderAccepted", "RenderRequest", "request_render"]


@dataclass(frozen=True, slots=True)
class RenderRequest:
    """What to render: the script, the presenter, the size, where to report the end."""

    script_id: str
    avatar: str | None = None
    resolution: str | None = None
    callback_url: str | None = None
    acknowledge_findings: bool = False
    """Render a script whose copy the compliance gate blocked (the acknowledgement is recorded)."""


@dataclass(frozen=True, slots=True)
class RenderAccepted:
    """The queued job (or, for a retry, the job the first request queued)."""

    job_id: str
    status: str
    estimated_seconds: int
    replayed: bool = False


async def request_render(
    services: Services,
    user: User,
    session_id: str,
    render: RenderRequest,
    *,
    idempotency_key: str | None = None,
) -> RenderAccepted:
    """Resume the script choice with a render action; the job row exists when this returns.

    Raises:
        ApiError: 404 for another user's session, 409 when the session is not at the script
            choice or a response is running, 422 for a script or size not on offer.
    """
    session = session_of(services, user, session_id)
    digest = request_hash(
        {"render": [render.script_id, render.avatar, render.resolution, render.acknowledge_findings]}
    )
    message_id = (
        keyed_id("msg", user.id, f"render:{session_id}", idempotency_key)
        if idempotency_key
        else f"msg-{secrets.token_hex(6)}"
    )
    if idempotency_key and (
        found := await replayed(
            services.store,
            user_message_event_id(session_id, message_id),
            digest,
            thread_id=session_id,
        )
    ):
        job = await services.jobs.get(str(found.data["jobId"]))
        status = job.status if job else "queued"
        seconds = int(found.data.get("estimatedSeconds") or 0)
        return RenderAccepted(str(found.data["jobId"]), status, seconds, replayed=True)
    if session["mediaType"] == "video" and render.avatar is not None:
        check_avatar(render.avatar, await offered_avatar_ids(services.worker.video))
    try:
        async with services.runs.reserve(session_id) as reservation:
            snapshot = await services.runs.graph.aget_state(
                {"configurable": {"thread_id": session_id}}
            )
            interrupts = list(snapshot.interrupts)
            if not interrupts or interrupts[0].value.get("kind") != "script_selection":
                raise conflict(
                    "not_at_script_selection",
                    "generate a video once the scripts are shown and no response is running",
                )
            pending = interrupts[0].value
            options = {o["id"]: o for o in pending["options"]}
            if render.script_id not in options:
                raise invalid(f"scriptId must be one of {sorted(options)}", code="unknown_option")
            video = session["mediaType"] == "video"
            resolution = render.resolution or ("1080x1920" if video else "1080x1080")
            sizes = pending.get("resolutions", VIDEO_RESOLUTIONS)
            if resolution not in sizes:
                raise invalid(f"resolution must be one of {sizes}", code="invalid_resolution")
            concept = next(
                c for c in snapshot.values.get("concepts") or [] if c["id"] == render.script_id
            )
            verdict = concept.get("compliance") or {}
            if verdict.get("status") == "blocked" and not render.acknowledge_findings:
                raise invalid(
                    "this script's copy is blocked by the copy check; see its findings, or send "
                    "acknowledgeFindings: true to render it anyway",
                    code="copy_blocked",
                )
            answer: dict[str, Any] = {
                "optionId": render.script_id,
                "action": pending["action"],
                "resolution": resolution,
                "acknowledgeFindings": render.acknowledge_findings,
            }
            if video and render.avatar:
                answer["avatarId"] = render.avatar
            kind: Literal["video", "image"] = "video" if video else "image"
            job_id = media_job_id(session_id, render.script_id, kind, resolution, render.avatar)
            # The same script-length estimate the workflow records on the job.
            seconds = estimate_seconds(kind, word_count(concept.get("fullScript", "")))
            label = str(options[render.script_id]["label"])
            run = RunRequest(
                thread_id=session_id,
                user_id=user.id,
                kind="resume",
                payload=answer,
                interrupt_id=interrupts[0].id,
                product_name=session["product"]["name"],
            )
            message = {
                "messageId": message_id,
                "text": f"Selected script: {label}",
                "selection": selection_summary("script_selection", label),
                "step": "media_generation",
                "runId": run.run_id,
                "jobId": job_id,
                "estimatedSeconds": seconds,
                "requestHash": digest,
            }
            await services.store.append(
                session_id, [event(session_id, EventType.USER_MESSAGE_SENT, message, message_id)]
            )
            services.runs.submit(run, reservation=reservation)
    except ThreadBusyError as error:
        raise conflict(
            "not_at_script_selection",
            "generate a video once the scripts are shown and no response is running",
        ) from error
    # The row exists long before the run reaches the job, so polling the id at once finds it.
    record = await services.jobs.create(
        job_id,
        user_id=user.id,
        session_id=session_id,
        kind=kind,
        estimated_seconds=seconds,
        callback_url=render.callback_url,
    )
    return RenderAccepted(job_id, record.status, seconds)
