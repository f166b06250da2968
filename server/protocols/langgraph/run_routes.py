"""Run routes: create (background, stream, wait), list, get, join, rejoin, cancel; stateless runs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from server.core.errors import ApiError, conflict, not_found
from server.core.services import Services
from server.core.users import User
from server.http.deps import ServicesDep
from server.protocols.langgraph.auth import AgentUser
from server.protocols.langgraph.frames import FrameMaker, parse_modes, query_modes, run_snapshots
from server.protocols.langgraph.lookup import graph_of, thread_or_404
from server.protocols.langgraph.run_book import (
    RunBook,
    book_of,
    run_json,
    runs_of_thread,
    terminal_of,
)
from server.protocols.langgraph.start import RunCreate, Started, start_run
from server.protocols.langgraph.streams import (
    Cursor,
    cursor_from_header,
    run_headers,
    stream_response,
    thread_stream_response,
)
from server.protocols.langgraph.studio import StudioRoute
from server.protocols.langgraph.threads import create_thread
from server.protocols.langgraph.wire import interrupt_json, jsonable

__all__ = ["router"]

router = APIRouter(tags=["langgraph: runs"], route_class=StudioRoute)


async def _output(services: Services, graph: str, thread_id: str, run_id: str) -> dict[str, Any]:
    """What ``wait``/``join`` answer: the run's last values and pending interrupt, or its error."""
    ended = await terminal_of(services.store, thread_id, run_id)
    if ended is not None and ended.data.get("error"):
        error = ended.data["error"]
        return {"__error__": {"error": error.get("code"), "message": error.get("message")}}
    _, own = await run_snapshots(services.runs.graphs[graph], thread_id, run_id)
    if not own:
        return {}
    values: dict[str, Any] = jsonable(own[-1].values)
    if own[-1].interrupts:
        values["__interrupt__"] = [interrupt_json(i) for i in own[-1].interrupts]
    return values


async def _wait(services: Services, started: Started) -> dict[str, Any]:
    await services.runs.wait(started.run_id)
    return await _output(services, started.graph, started.thread_id, started.run_id)


def _maker(services: Services, started: Started) -> FrameMaker:
    graph = services.runs.graphs[started.graph]
    return FrameMaker(graph, started.thread_id, started.run_id, started.modes)


async def _start(
    request: Request, services: Services, user: User, thread_id: str, body: RunCreate
) -> Started:
    book = book_of(request)
    return await start_run(request, services, book, user, thread_id, body, default_modes=["values"])


@router.post("/threads/{thread_id}/runs/stream")
async def stream_run(
    request: Request, services: ServicesDep, user: AgentUser, thread_id: str, body: RunCreate
) -> Response:
    """Start a run and stream its frames (``Location`` to rejoin, ids to resume from)."""
    started = await _start(request, services, user, thread_id, body)
    cancel = body.on_disconnect == "cancel"
    return stream_response(
        services, _maker(services, started), (started.cursor, -1), cancel_on_disconnect=cancel
    )


@router.post("/threads/{thread_id}/runs")
async def create_run(
    request: Request, services: ServicesDep, user: AgentUser, thread_id: str, body: RunCreate
) -> JSONResponse:
    """Start a run in the background; the Run, with ``Content-Location``."""
    started = await _start(request, services, user, thread_id, body)
    run = await run_json(services, book_of(request), thread_id, started.run_id)
    return JSONResponse(run, headers=run_headers(thread_id, started.run_id))


@router.post("/threads/{thread_id}/runs/wait")
async def wait_run(
    request: Request, services: ServicesDep, user: AgentUser, thread_id: str, body: RunCreate
) -> JSONResponse:
    """Start a run and answer its final values (``__interrupt__`` included) when it ends."""
    started = await _start(request, services, user, thread_id, body)
    output = await _wait(services, started)
    return JSONResponse(output, headers=run_headers(thread_id, started.run_id, wait=True))


@router.get("/threads/{thread_id}/runs")
async def list_runs(
    request: Request,
    services: ServicesDep,
    user: AgentUser,
    thread_id: str,
    limit: Annotated[int, Query(ge=1, le=1000)] = 10,
    offset: Annotated[int, Query(ge=0)] = 0,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """The thread's runs, newest first (those of every protocol)."""
    await thread_or_404(request, services, user, thread_id)
    book = book_of(request)
    found = []
    for run_id in await runs_of_thread(services, book, thread_id):
        run = await run_json(services, book, thread_id, run_id)
        if run is not None and status in (None, run["status"]):
            found.append(run)
    return found[offset : offset + limit]


async def _run_or_404(
    request: Request, services: Services, user: User, thread_id: str, run_id: str
) -> tuple[RunBook, dict[str, Any]]:
    await thread_or_404(request, services, user, thread_id)
    book = book_of(request)
    run = await run_json(services, book, thread_id, run_id)
    if run is None:
        raise not_found("run", run_id)
    return book, run


@router.get("/threads/{thread_id}/runs/{run_id}")
async def get_run(
    request: Request, services: ServicesDep, user: AgentUser, thread_id: str, run_id: str
) -> dict[str, Any]:
    """One run of the thread."""
    return (await _run_or_404(request, services, user, thread_id, run_id))[1]


@router.get("/threads/{thread_id}/runs/{run_id}/join")
async def join_run(
    request: Request, services: ServicesDep, user: AgentUser, thread_id: str, run_id: str
) -> dict[str, Any]:
    """Wait for the run to end; its final values."""
    await _run_or_404(request, services, user, thread_id, run_id)
    record = await thread_or_404(request, services, user, thread_id)
    await services.runs.wait(run_id)
    return await _output(services, record.graph or "ad_workflow", thread_id, run_id)


@router.get("/threads/{thread_id}/runs/{run_id}/stream")
async def join_run_stream(
    request: Request,
    services: ServicesDep,
    user: AgentUser,
    thread_id: str,
    run_id: str,
    stream_mode: Annotated[list[str] | None, Query()] = None,
    cancel_on_disconnect: bool = False,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> Response:
    """Rejoin a run: the frames after ``Last-Event-ID`` (``-1``: all), then the live ones."""
    book, _ = await _run_or_404(request, services, user, thread_id, run_id)
    record = await thread_or_404(request, services, user, thread_id)
    known = book.runs.get(run_id)
    modes = parse_modes(query_modes(stream_mode), known.stream_mode if known else ["values"])
    maker = FrameMaker(graph_of(services, record), thread_id, run_id, modes)
    cursor = await cursor_from_header(services, thread_id, run_id, last_event_id)
    return stream_response(services, maker, cursor, cancel_on_disconnect=cancel_on_disconnect)


_THREAD_MODES = {"lifecycle": [], "state_update": ["values"]}
"""Thread stream modes other than ``run_modes`` (each run's own modes) → run stream modes."""


@router.get("/threads/{thread_id}/stream")
async def join_thread_stream(
    request: Request,
    services: ServicesDep,
    user: AgentUser,
    thread_id: str,
    stream_mode: Annotated[list[str] | None, Query()] = None,
    stream_modes: str | None = None,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> Response:
    """Follow every run on the thread (any protocol's) from ``Last-Event-ID``, or live."""
    record = await thread_or_404(request, services, user, thread_id)
    wanted = query_modes([*(stream_mode or []), stream_modes or ""])
    book = book_of(request)

    def modes_of(run_id: str) -> list[str]:
        if wanted and "run_modes" not in wanted:
            return sorted({m for w in wanted for m in _THREAD_MODES.get(w.strip(), [])})
        known = book.runs.get(run_id)
        return known.stream_mode if known else ["values"]

    raw = (last_event_id or "").strip()
    if raw == "-1":
        cursor: Cursor = (0, -1)
    else:
        cursor = await cursor_from_header(services, thread_id, "", raw)
    return thread_stream_response(
        services, thread_id, record.graph or "ad_workflow", cursor, modes_of
    )


@router.post("/threads/{thread_id}/runs/{run_id}/cancel")
async def cancel_run(
    request: Request,
    services: ServicesDep,
    user: AgentUser,
    thread_id: str,
    run_id: str,
    wait: bool = False,
    action: str = "interrupt",
) -> Response:
    """Cancel a pending or running run (``rollback`` also hides it); 409 once it has ended."""
    book, run = await _run_or_404(request, services, user, thread_id, run_id)
    if run["status"] not in ("pending", "running"):
        raise conflict("run_finished", f"run {run_id} has already ended ({run['status']})")
    cancelled = await services.runs.cancel(thread_id, run_id)
    if cancelled and action == "rollback":
        book.rolled_back.add(run_id)
    if not wait:
        return Response(status_code=202)
    record = await thread_or_404(request, services, user, thread_id)
    return JSONResponse(await _output(services, record.graph or "ad_workflow", thread_id, run_id))


@router.delete("/threads/{thread_id}/runs/{run_id}", status_code=204)
async def delete_run(
    request: Request, services: ServicesDep, user: AgentUser, thread_id: str, run_id: str
) -> Response:
    """Hide an ended run from the protocol's lists (the log keeps it); 409 while it runs."""
    book, run = await _run_or_404(request, services, user, thread_id, run_id)
    if run["status"] in ("pending", "running"):
        raise conflict("run_active", "cancel the run before deleting it")
    book.rolled_back.add(run_id)
    return Response(status_code=204)


async def _stateless(request: Request, services: Services, user: User, body: RunCreate) -> str:
    if body.command and "resume" in body.command:
        raise ApiError(400, "bad_request", "You must provide a thread_id when resuming.")
    return await create_thread(request, services, user, None, {})


@router.post("/runs/stream")
async def stream_stateless(
    request: Request, services: ServicesDep, user: AgentUser, body: RunCreate
) -> Response:
    """A run on a new thread, streamed."""
    thread_id = await _stateless(request, services, user, body)
    return await stream_run(request, services, user, thread_id, body)


@router.post("/runs/wait")
async def wait_stateless(
    request: Request, services: ServicesDep, user: AgentUser, body: RunCreate
) -> JSONResponse:
    """A run on a new thread; its final values."""
    thread_id = await _stateless(request, services, user, body)
    return await wait_run(request, services, user, thread_id, body)
