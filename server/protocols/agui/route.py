"""AG-UI over HTTP: ``POST /agui`` (and ``/agui/{graph}``) and the thread's rejoin stream.

``POST`` takes a ``RunAgentInput`` and answers ``text/event-stream`` with one AG-UI run (see
``server.protocols.agui.translate`` for the mapping). What is wrong with the request itself — no
or a wrong API key (401), a body that is not a ``RunAgentInput`` (422), another user's thread
(404), a thread of the other graph (409) — is a 4xx JSON error before any event. A well-formed
run that the thread refuses (busy, a bad resume payload, a message while a choice is pending) is
AG-UI's ``RUN_ERROR`` with the code, and records nothing: the choice stays pending.

``GET /agui/threads/{id}/events`` follows the thread (``Last-Event-ID`` or ``?after=``), so a
client that dropped rejoins the run it was reading, from the log.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from ag_ui.core import RunAgentInput
from fastapi import APIRouter, Header, Query, Request
from pydantic import ValidationError
from sse_starlette import EventSourceResponse

from server.core.eventlog import CursorError, CursorExpiredError
from server.core.services import Services
from server.core.users import User
from server.http.auth import CurrentUser
from server.http.deps import ServicesDep
from server.http.errors import ERROR_RESPONSES, ApiError
from server.protocols.agui.commands import Graph, Thread, fold, open_thread, run_input
from server.protocols.agui.stream import encode, sse, thread_events, turn_events
from server.protocols.agui.translate import Translator

__all__ = ["router"]

router = APIRouter(prefix="/agui", tags=["ag-ui"], responses=ERROR_RESPONSES)

_STREAM: dict[Any, Any] = {200: {"content": {"text/event-stream": {}}, "description": "AG-UI"}}


async def _input(request: Request) -> RunAgentInput:
    try:
        raw = json.loads(await request.body() or b"null")
    except ValueError as error:
        raise ApiError(400, "invalid_json", f"the body is not JSON: {error}") from error
    try:
        return RunAgentInput.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()[:5]
        )
        raise ApiError(422, "invalid_request", f"not a RunAgentInput: {problems}") from error


async def _run(
    services: Services, user: User, thread: Thread, body: RunAgentInput
) -> AsyncIterator[bytes]:
    """The run's frames: refusals as ``RUN_ERROR``, else the recorded turn from the log."""
    try:
        # Shielded: a client that drops mid-command must not cut it between record and submit.
        accepted = await asyncio.shield(run_input(services, user, thread, body))
    except ApiError as error:
        translator = Translator(thread.conversation or await fold(services, thread.thread_id))
        for frame in encode(
            translator.begin(body.run_id, None) + translator.fail(error.code, error.message)
        ):
            yield frame
        return
    if accepted is None:  # nothing to run: an empty run showing the current state
        translator = Translator(await fold(services, thread.thread_id))
        for frame in encode(translator.begin(body.run_id, None) + translator.finish_empty()):
            yield frame
        return
    translator = Translator(await fold(services, thread.thread_id, before=accepted.cursor))
    # The run's start carries its user message's seq: a rejoin from just before it starts there.
    for frame in encode(translator.begin(body.run_id, accepted.run_id), accepted.cursor):
        yield frame
    async for frame in turn_events(services, translator, accepted.cursor):
        yield frame


async def _respond(
    request: Request, services: Services, user: User, graph: Graph | None
) -> EventSourceResponse:
    body = await _input(request)
    thread = await open_thread(services, user, body, graph)
    return sse(_run(services, user, thread, body))


@router.post("", responses=_STREAM, summary="Run an AdForge agent (AG-UI RunAgentInput)")
async def run_agent(
    request: Request, services: ServicesDep, user: CurrentUser
) -> EventSourceResponse:
    """A run on the thread's graph; a new thread runs ``ad_assistant``."""
    return await _respond(request, services, user, None)


@router.post("/{graph}", responses=_STREAM, summary="Run a named AdForge graph (AG-UI)")
async def run_graph(
    graph: Graph, request: Request, services: ServicesDep, user: CurrentUser
) -> EventSourceResponse:
    """A run of ``ad_workflow`` (the guided flow) or ``ad_assistant``."""
    return await _respond(request, services, user, graph)


async def _owned(services: Services, user: User, thread_id: str) -> None:
    conversation = await fold(services, thread_id)
    if conversation.owner != user.id or conversation.deleted:
        raise ApiError(404, "not_found", f"no thread with id {thread_id!r}")


@router.post("/threads/{thread_id}/runs/{run_id}/cancel", summary="Cancel a run by id")
async def cancel_run(
    thread_id: str, run_id: str, services: ServicesDep, user: CurrentUser
) -> dict[str, str]:
    """Stop a run (``RUN_STARTED.metadata.adforge.runId``); its stream ends ``cancelled``.

    AG-UI's ``abortRun()`` only drops the connection, which never cancels (design invariant 3).
    """
    await _owned(services, user, thread_id)
    if not await services.runs.cancel(thread_id, run_id):
        raise ApiError(404, "not_found", f"no active run with id {run_id!r}")
    return {"runId": run_id, "status": "cancelled"}


@router.get("/threads/{thread_id}/events", responses=_STREAM, summary="Rejoin a thread")
async def thread_stream(
    thread_id: str,
    services: ServicesDep,
    user: CurrentUser,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    after: Annotated[int | None, Query(ge=0, description="Resume after this seq")] = None,
) -> EventSourceResponse:
    """The thread's AG-UI runs after the cursor, then its live tail (``id: <seq>`` frames)."""
    await _owned(services, user, thread_id)
    cursor = after or 0
    if last_event_id is not None and last_event_id.strip():
        if not last_event_id.strip().isdigit():
            raise ApiError(400, "invalid_cursor", "Last-Event-ID must be an event seq")
        cursor = int(last_event_id)
    try:
        await services.store.check_cursor(thread_id, cursor)
    except CursorError as error:
        status = 410 if isinstance(error, CursorExpiredError) else 409
        raise ApiError(status, error.code, str(error)) from error
    return sse(thread_events(services, thread_id, cursor))
