"""The Ad Forge chat API: sessions, messages (SSE or JSON), the session stream, video, jobs.

Routes parse requests and read projections; runs do the work (``server.core.runs``); frames come from
the log (``server.protocols.adforge.sse``). A session is a LangGraph thread of ``ad_workflow``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel
from sse_starlette import EventSourceResponse

from server.core.commands.messages import (
    MessageCreate,
    names_of,
    pending_of,
    send_message,
    session_of,
)
from server.core.commands.renders import RenderRequest, request_render
from server.core.commands.sessions import start_session
from server.core.events import EventType
from server.core.retention import is_expired
from server.http.auth import CurrentUser
from server.http.deps import ServicesDep
from server.http.errors import ApiError, not_found
from server.http.openapi import error_responses
from server.protocols.adforge.frame_schemas import frame_responses
from server.protocols.adforge.frames import to_frame, transcript
from server.protocols.adforge.session_schemas import JobPublic, SessionPublic
from server.protocols.adforge.sse import check_cursor, cursor_from, replay_start, stream_session
from tools.catalog import AD_FORMATS
from tools.urls import check_public_url

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["chat"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="A retry with the same key records nothing new and gets the same answer "
        "(honoured for 24 h); the same key with another body is a 422",
    ),
]


class _Body(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class SessionCreate(_Body):
    """``POST /api/chat/sessions``: the guide's session request."""

    user_id: str | None = Field(
        default=None, description="Ignored when API keys identify the caller"
    )
    product_id: str = Field(min_length=1, max_length=100)
    format: str = Field(
        default="Hybrid Format",
        description="One of GET /api/formats (any letter case)",
        json_schema_extra={"enum": [f.name for f in AD_FORMATS]},
    )
    media_type: Literal["video", "image"] = "video"


class SessionCreated(_Body):
    """The guide's session response."""

    session_id: str
    status: str
    created_at: str


class VideoCreate(_Body):
    """``POST /api/chat/sessions/{id}/video`` (also used for static image ads)."""

    script_id: str = Field(min_length=1, max_length=60)
    context: dict[str, Any] = Field(default_factory=dict)
    avatar: str | None = Field(default=None, max_length=120)
    resolution: str | None = None
    callback_url: AnyHttpUrl | None = Field(
        default=None,
        description="Receives the final job record by POST, signed when ADFORGE_WEBHOOK_SECRET is set",
    )
    acknowledge_findings: bool = Field(
        default=False, description="Render a script whose copy check blocks it; records who did"
    )

    @field_validator("callback_url")
    @classmethod
    def _public_callback(cls, value: AnyHttpUrl | None) -> AnyHttpUrl | None:
        """SSRF guard (``tools.urls``): http(s) to public addresses only, a 422 otherwise."""
        if value is not None:
            check_public_url(str(value))
        return value


class JobQueued(_Body):
    """The guide's async-job answer."""

    job_id: str
    status: str
    estimated_time: str


@router.post(
    "/chat/sessions",
    status_code=201,
    response_model=SessionCreated,
    summary="Create a chat session",
    responses=error_responses(404),
)
async def create_session(
    body: SessionCreate,
    user: CurrentUser,
    services: ServicesDep,
    idempotency_key: IdempotencyKey = None,
) -> SessionCreated:
    """Start a session for a product, a format and a media type; nothing runs until a message."""
    accepted = await start_session(
        services,
        user,
        product_id=body.product_id,
        format_name=body.format,
        media_type=body.media_type,
        idempotency_key=idempotency_key,
    )
    return SessionCreated(
        session_id=accepted.session_id, status="active", created_at=accepted.created_at
    )


@router.get("/chat/sessions", summary="List the caller's sessions, newest first")
async def list_sessions(
    user: CurrentUser,
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Paginated ``{"data": [...], "count": N}``."""
    mine = [s for s in services.projections.view("sessions").values() if s["userId"] == user.id]
    mine.sort(key=lambda s: s["updatedAt"], reverse=True)
    return {"data": mine[offset : offset + limit], "count": len(mine)}


@router.get(
    "/chat/sessions/{session_id}",
    summary="A session: product, step, selections, active run",
    responses={200: {"model": SessionPublic}},
)
async def get_session(session_id: str, user: CurrentUser, services: ServicesDep) -> dict[str, Any]:
    """The session record, with the choice it waits for taken from graph state."""
    session = session_of(services, user, session_id)
    interrupts, _ = await pending_of(services, session_id)
    session["pendingChoice"] = interrupts[0].value if interrupts else None
    session["activeRunId"] = services.runs.active_run(session_id)
    if is_expired(session, services.session_ttl_h):
        session["status"] = "expired"
    return session


@router.get(
    "/chat/sessions/{session_id}/context",
    summary="Product, format, selections, current step, history",
)
async def get_context(session_id: str, user: CurrentUser, services: ServicesDep) -> dict[str, Any]:
    """Everything a client needs to rebuild the conversation."""
    session = session_of(services, user, session_id)
    names = names_of(session)
    return {
        "sessionId": session_id,
        "product": session["product"],
        "format": session["format"],
        "mediaType": session["mediaType"],
        "selections": session["selections"],
        "currentStep": session["currentStep"],
        "history": transcript(
            await services.store.read_thread(session_id),
            product_name=names["product"],
            format_name=names["format"],
        ),
    }


def _ends(run_id: str) -> Any:
    return lambda e: e.type == EventType.RESPONSE_COMPLETED and e.run_id == run_id


@router.post(
    "/chat/sessions/{session_id}/messages",
    summary="Send a message; SSE when the client accepts text/event-stream",
    responses={**frame_responses(json_reply=True), **error_responses(409, 410)},
)
async def post_message(
    session_id: str,
    body: MessageCreate,
    user: CurrentUser,
    services: ServicesDep,
    accept: Annotated[str | None, Header()] = None,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Start the turn as a background run; stream its frames or answer them as JSON when done.

    A retry (same ``Idempotency-Key`` or ``messageId``) replays the first attempt's turn.
    """
    accepted = await send_message(services, user, session_id, body, idempotency_key=idempotency_key)
    names = names_of(session_of(services, user, session_id))
    run_id, cursor = accepted.run_id, accepted.cursor
    if accept and "text/event-stream" in accept:
        return stream_session(services.store, session_id, cursor, names=names, stop=_ends(run_id))
    await services.runs.wait(run_id, timeout=600)
    events = await services.store.read_thread(session_id, after_seq=cursor)
    frames = [
        f
        for e in events
        if e.run_id == run_id
        and (f := to_frame(e, product_name=names["product"], format_name=names["format"]))
    ]
    return JSONResponse({"sessionId": session_id, "runId": run_id, "messages": frames})


@router.get(
    "/chat/sessions/{session_id}/stream",
    response_class=EventSourceResponse,
    summary="EventSource-compatible turn stream",
    responses={**frame_responses(), **error_responses(400, 409, 410)},
)
async def stream_message(
    session_id: str,
    request: Request,
    user: CurrentUser,
    services: ServicesDep,
    message: Annotated[str | None, Query(max_length=4000)] = None,
    step: str | None = None,
) -> EventSourceResponse:
    """Send ``message`` and stream the turn; a reconnect with Last-Event-ID only resumes reading."""
    session = session_of(services, user, session_id)
    resume = cursor_from(request, -1)
    if resume >= 0:
        await check_cursor(services.store, session_id, resume)
        active = services.runs.active_run(session_id)
        stop = _ends(active) if active else (lambda e: e.type == EventType.RESPONSE_COMPLETED)
        return stream_session(
            services.store, session_id, resume, names=names_of(session), stop=stop
        )
    if not message:
        raise ApiError(422, "invalid_request", "pass the message as ?message=...")
    accepted = await send_message(
        services, user, session_id, MessageCreate(message=message, current_step=step)
    )
    return stream_session(
        services.store,
        session_id,
        accepted.cursor,
        names=names_of(session),
        stop=_ends(accepted.run_id),
    )


@router.get(
    "/chat/sessions/{session_id}/events",
    response_class=EventSourceResponse,
    summary="The session's whole stream: replay, then live",
    responses={**frame_responses(), **error_responses(400, 409, 410)},
)
async def session_events(
    session_id: str, request: Request, user: CurrentUser, services: ServicesDep
) -> EventSourceResponse:
    """Every frame of the session after the cursor, then new ones as they happen (any number of tabs)."""
    session = session_of(services, user, session_id)
    given = cursor_from(request, -1)
    cursor = await replay_start(services.store, session_id, None if given < 0 else given)
    return stream_session(services.store, session_id, cursor, names=names_of(session))


@router.post("/chat/sessions/{session_id}/runs/{run_id}/cancel", summary="Cancel a run by id")
async def cancel_run(
    session_id: str, run_id: str, user: CurrentUser, services: ServicesDep
) -> dict[str, Any]:
    """Cancel by run id (a client disconnect never cancels); completed steps are kept."""
    session_of(services, user, session_id)
    if not await services.runs.cancel(session_id, run_id):
        raise not_found("active run", run_id)
    return {"runId": run_id, "status": "cancelled"}


@router.post(
    "/chat/sessions/{session_id}/video",
    status_code=202,
    response_model=JobQueued,
    summary="Render the chosen script as a video (or a static ad in image sessions)",
    responses=error_responses(409, 410),
)
async def create_video(
    session_id: str,
    body: VideoCreate,
    user: CurrentUser,
    services: ServicesDep,
    idempotency_key: IdempotencyKey = None,
) -> JobQueued:
    """Answer the script choice with a render action; the job id is known before the run ends."""
    render = RenderRequest(
        script_id=body.script_id,
        avatar=body.avatar,
        resolution=body.resolution,
        acknowledge_findings=body.acknowledge_findings,
        callback_url=str(body.callback_url) if body.callback_url else None,
    )
    accepted = await request_render(
        services, user, session_id, render, idempotency_key=idempotency_key
    )
    return JobQueued(
        job_id=accepted.job_id,
        status=accepted.status,
        estimated_time=f"{accepted.estimated_seconds}s",
    )


@router.get(
    "/jobs/{job_id}",
    summary="A media job: queued → in_progress → completed | failed",
    responses={200: {"model": JobPublic}},
)
async def get_job(job_id: str, user: CurrentUser, services: ServicesDep) -> dict[str, Any]:
    """Poll a job: status, progress 0–100, estimate, its result or error (another user's: 404)."""
    record = await services.jobs.get(job_id)
    if record is None or record.user_id != user.id:
        raise not_found("job", job_id)
    return record.to_public()
