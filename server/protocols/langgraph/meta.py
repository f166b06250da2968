"""``GET /info`` and ``GET /ok``: what Studio checks before it talks to a server."""

from __future__ import annotations

from typing import Any

import langgraph.version
from fastapi import APIRouter

from server.protocols.langgraph.studio import StudioRoute
from server.version import VERSION

__all__ = ["PROTOCOL_VERSION", "router"]

PROTOCOL_VERSION = "0.16.7"
"""The langgraph-api release whose protocol this adapter speaks (Studio checks ``version``)."""

router = APIRouter(tags=["langgraph: meta"], route_class=StudioRoute)


@router.get("/info")
async def info() -> dict[str, Any]:
    """Version and feature flags, as langgraph-api reports them."""
    return {
        "version": PROTOCOL_VERSION,
        "langgraph_py_version": langgraph.version.__version__,
        "adforge_version": VERSION,
        "flags": {
            "assistants": True,
            "crons": False,
            "langsmith": False,
            "langsmith_tracing_replicas": False,
            "langsmith_tracing_session_on_runs": False,
        },
        "host": {
            "kind": "self-hosted",
            "project_id": None,
            "host_revision_id": None,
            "revision_id": None,
            "tenant_id": None,
        },
    }


@router.get("/ok")
async def ok() -> dict[str, bool]:
    """Liveness, as langgraph-api answers it."""
    return {"ok": True}
