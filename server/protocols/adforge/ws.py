"""``WS /ws/chat/{sessionId}``: the same chat over one WebSocket — messages in, frames out.

The guide offers a WebSocket as the bidirectional alternative to SSE. It is a thin shell over the
pieces the SSE routes use, so both protocols see one conversation: a message is read by
``server.core.commands.messages.send_message`` (409s and selections included), and frames come from the log via
``server.core.eventlog.follow`` after the client's cursor, so a reconnect with ``?lastEventId=<seq>``
replays exactly what was missed and then follows the live tail. Closing the socket never cancels
a run (design.md invariant 3).

Client → server (JSON text frames)::

    {"message": "...", "context": {...}, "selections": {...}, "currentStep": "...",
     "multitask": "reject" | "enqueue"}          # "type": "message" is optional
    {"type": "cancel", "runId": "run-..."}
    {"type": "ping"}

Server → client: every Ad Forge frame exactly as the SSE routes send it, plus ``"seq"`` (the SSE
``id:``); ``{"type": "accepted", "runId", "messageSeq"}`` once a message is recorded; ``{"type": "pong"}``;
and ``{"type": "error", "message", "code", "retryable"}`` for a message that cannot be taken — the
socket stays open. Authentication or an unknown session closes the socket with code 4000 + the
HTTP status (4401, 4404) after an error frame saying why.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import aclosing
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError

from server.core.commands.messages import MessageCreate, names_of, send_message, session_of
from server.core.eventlog import follow
from server.core.services import Services
from server.http.auth import User, authenticate, authenticator_of
from server.http.errors import ApiError
from server.http.input_checks import InputLimits, input_limits, loads_checked
from server.http.rate_limits import RateLimiter
from server.protocols.adforge.frames import to_frame
from server.protocols.adforge.sse import replay_start

__all__ = ["router"]

log = logging.getLogger(__name__)

router = APIRouter()


def _error(code: str, message: str, *, retryable: bool = False) -> dict[str, Any]:
    return {"type": "error", "message": message, "code": code, "retryable": retryable}


def _token(websocket: WebSocket) -> str | None:
    header = websocket.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return websocket.query_params.get("access_token")


def _cursor(websocket: WebSocket) -> int | None:
    raw = websocket.query_params.get("lastEventId") or websocket.headers.get("last-event-id")
    if raw is None or not raw.strip():
        return None
    if not raw.strip().isdigit():
        raise ApiError(400, "invalid_cursor", f"lastEventId must be an event seq, got {raw!r}")
    return int(raw.strip())


async def _handle(
    services: Services,
    user: User,
    session_id: str,
    raw: str,
    limits: InputLimits,
    limiter: RateLimiter,
) -> dict[str, Any]:
    """Answer one client frame; an ``ApiError`` becomes an error frame, never a closed socket."""
    try:
        payload = loads_checked(raw, limits)
    except ApiError as error:
        return _error(error.code, error.message)
    if not isinstance(payload, dict):
        return _error("invalid_request", "each WebSocket frame must be a JSON object")
    kind = payload.get("type", "message")
    try:
        if kind == "ping":
            return {"type": "pong"}
        if kind == "cancel":
            run_id = str(payload.get("runId") or "")
            if not await services.runs.cancel(session_id, run_id):
                raise ApiError(404, "not_found", f"no active run with id {run_id!r}")
            return {"type": "cancelled", "runId": run_id}
        if kind != "message":
            return _error("invalid_request", f"unknown frame type {kind!r}")
        body = MessageCreate.model_validate(payload)
        await limiter.hit("messages", user.id)  # the same per-user budget as the HTTP routes
        accepted = await send_message(services, user, session_id, body)
        return {"type": "accepted", "runId": accepted.run_id, "messageSeq": accepted.cursor}
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()[:5]
        )
        return _error("invalid_request", f"invalid message: {problems}")
    except ApiError as error:
        return _error(error.code, error.message, retryable=error.retryable)


async def _send_frames(
    websocket: WebSocket, services: Services, session_id: str, names: dict[str, str], cursor: int
) -> None:
    async with aclosing(follow(services.store, session_id, after_seq=cursor)) as events:
        async for recorded in events:
            frame = to_frame(recorded, product_name=names["product"], format_name=names["format"])
            if frame is not None:
                await websocket.send_json({**frame, "seq": recorded.seq})


async def _receive_messages(
    websocket: WebSocket, services: Services, user: User, session_id: str
) -> None:
    limits = input_limits(websocket.app.state.runtime.settings)
    limiter: RateLimiter = websocket.app.state.rate_limiter
    while True:
        raw = await websocket.receive_text()
        answer = await _handle(services, user, session_id, raw, limits, limiter)
        await websocket.send_json(answer)


@router.websocket("/ws/chat/{session_id}")
async def chat_socket(websocket: WebSocket, session_id: str) -> None:
    """One conversation over a WebSocket: replay after ``?lastEventId=``, then live frames."""
    services: Services = websocket.app.state.services
    await websocket.accept()
    try:
        auth = authenticator_of(websocket.app)
        user = authenticate(auth, _token(websocket), f"WebSocket {websocket.url.path}")
        session = session_of(services, user, session_id)
        cursor = await replay_start(services.store, session_id, _cursor(websocket))
    except ApiError as error:
        await websocket.send_json(_error(error.code, error.message, retryable=error.retryable))
        await websocket.close(code=4000 + error.status, reason=error.code)
        return
    tasks = [
        asyncio.create_task(
            _send_frames(websocket, services, session_id, names_of(session), cursor)
        ),
        asyncio.create_task(_receive_messages(websocket, services, user, session_id)),
    ]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            failure = None if task.cancelled() else task.exception()
            if failure is not None and not isinstance(failure, WebSocketDisconnect | RuntimeError):
                log.error("WebSocket of session %s failed", session_id, exc_info=failure)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
