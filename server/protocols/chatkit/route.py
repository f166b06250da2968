"""``POST /chatkit``: the ChatKit protocol endpoint (openai-chatkit 1.6 request types).

One URL for every operation, as ChatKit clients expect. The preflight answers what cannot succeed
as a 4xx JSON error in the Ad Forge shape; the rest is ``ChatKitServer.process``: streaming
operations answer ``text/event-stream`` framed exactly as openai-chatkit frames it (``data:
<json>`` per event, no ids, no pings), the others ``application/json``.

A stream that ends early (the client's stop button aborts the request) cancels the run it started:
ChatKit has no other way to say stop. Work already done stays (see ``server.protocols.chatkit.server``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import StreamingResponse

import server.protocols.chatkit as chatkit_protocol
from server.http.auth import CurrentUser
from server.protocols.chatkit import NotFoundError, prepare

if TYPE_CHECKING:
    from chatkit.server import StreamingResult

    from server.protocols.chatkit.server import AdForgeChatKitServer
from server.core.services import Services
from server.http.deps import ServicesDep
from server.http.errors import ERROR_RESPONSES, ApiError
from server.protocols.chatkit.context import RequestContext
from server.protocols.chatkit.stream import replay_turn

__all__ = ["router"]

router = APIRouter(tags=["chatkit"], responses=ERROR_RESPONSES)

_REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {"type": "object", "required": ["type"]},
            "example": {
                "type": "threads.create",
                "params": {
                    "input": {
                        "content": [{"type": "input_text", "text": "Hi"}],
                        "attachments": [],
                        "inference_options": {},
                    }
                },
            },
        }
    },
}


def get_chatkit_server(request: Request, services: ServicesDep) -> AdForgeChatKitServer:
    """One ChatKit server per app (and per set of services the lifespan opened)."""
    server: AdForgeChatKitServer | None = getattr(request.app.state, "chatkit_server", None)
    if server is None or server.services is not services:
        server = chatkit_protocol.AdForgeChatKitServer(services)
        request.app.state.chatkit_server = server
    return server


ChatKitServerDep = Annotated[Any, Depends(get_chatkit_server)]
"""``Any`` for FastAPI, which evaluates the annotation when the route is defined; the class is
imported on first use (see ``server.protocols.chatkit.__getattr__``)."""


async def _cancel_when_cut(
    chunks: StreamingResult, server: AdForgeChatKitServer, ctx: RequestContext
) -> AsyncIterator[bytes]:
    """Pass the stream through; if it stops before its end, cancel the run it started.

    ChatKit's own hook sees a cancellation only when the server cancels the response task; a
    stream closed another way (the response iterator dropped after a failed send) lands here.
    """
    finished = False
    try:
        async for chunk in chunks:
            yield chunk
        finished = True
    finally:
        if ctx.reservation is not None:  # a stream that ended before its run was submitted
            server.services.runs.release(ctx.reservation)
        if not finished and ctx.started_run is not None and ctx.turn is not None:
            server.cancel_in_background(ctx.turn.run.thread_id, ctx.started_run)


def _encoded(stream_event: Any) -> bytes:
    """A stream event as ChatKit's server encodes it."""
    encoded: bytes = stream_event.model_dump_json(
        by_alias=True, exclude_none=True, context={"exclude_metadata": True}
    ).encode()
    return encoded


def _release(services: Services, ctx: RequestContext) -> None:
    if ctx.reservation is not None:
        services.runs.release(ctx.reservation)


@router.post(
    "/chatkit",
    summary="ChatKit protocol: every openai-chatkit 1.6 request type",
    openapi_extra={"requestBody": _REQUEST_BODY},
    responses={
        200: {
            "description": "JSON for non-streaming requests; ChatKit's SSE for streaming ones",
            "content": {"text/event-stream": {}},
        },
        400: {"description": "Malformed JSON, an unknown request type, or a feature not offered"},
        409: {"description": "A run is active, or the choice answered is no longer pending"},
    },
)
async def chatkit(
    request: Request, user: CurrentUser, services: ServicesDep, server: ChatKitServerDep
) -> Response:
    """Dispatch one ChatKit request."""
    body = await request.body()
    key = request.headers.get("idempotency-key")
    ctx = await prepare(services, user, body, str(request.base_url), idempotency_key=key)
    if ctx.replay is not None:  # a retry: the turn it recorded first, and nothing new
        seq, run_id = ctx.replay
        thread_id = ctx.request.params.thread_id
        replay = replay_turn(services, thread_id, seq, run_id, ctx.base_url)
        return StreamingResponse(
            (b"data: " + _encoded(e) + b"\n\n" async for e in replay),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    try:
        result = await server.process(body, ctx)
    except NotFoundError as error:
        _release(services, ctx)
        raise ApiError(404, "not_found", str(error)) from error
    except BaseException:
        _release(services, ctx)
        raise
    if isinstance(result, chatkit_protocol.StreamingResult):  # the stream releases the hold
        return StreamingResponse(
            _cancel_when_cut(result, server, ctx),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    _release(services, ctx)
    return Response(content=result.json, media_type="application/json")
