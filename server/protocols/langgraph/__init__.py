"""The LangGraph Agent Protocol on AdForge's own server: Studio, ``langgraph_sdk``, ``useStream``.

A thin adapter over the core and the log (design invariant 8): thread routes read the
checkpoints and a fold of the log, run routes submit core runs (``RunManager``) and stream the
log's events as protocol frames. Routes sit at the protocol's standard root paths.
"""

from __future__ import annotations

from fastapi import APIRouter

from server.protocols.langgraph import assistants, meta, run_routes, thread_state, threads
from server.protocols.langgraph.studio import preflight_router

__all__ = ["router"]

router = APIRouter()
for _part in (
    preflight_router,
    meta.router,
    assistants.router,
    threads.router,
    thread_state.router,
    run_routes.router,
):
    router.include_router(_part)
