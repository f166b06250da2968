"""FastAPI dependencies as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from server.runtime import ServerRuntime

__all__ = ["RuntimeDep", "get_runtime"]


def get_runtime(request: Request) -> ServerRuntime:
    """The resources the lifespan opened."""
    runtime: ServerRuntime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[ServerRuntime, Depends(get_runtime)]
