"""What the lifespan opens and the routes use: the checkpointer and the compiled graphs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.graph.state import CompiledStateGraph

from graph.assistant import build_assistant
from graph.workflow import build_workflow
from server.persistence import open_checkpointer
from server.settings import Settings

__all__ = ["ServerRuntime", "open_runtime"]


@dataclass(slots=True)
class ServerRuntime:
    """Long-lived resources shared by every request."""

    settings: Settings
    saver: AsyncSqliteSaver
    graphs: dict[str, CompiledStateGraph[Any, Any, Any, Any]]


@asynccontextmanager
async def open_runtime(settings: Settings) -> AsyncIterator[ServerRuntime]:
    """Open SQLite, attach the checkpointer to both graphs; close everything on exit."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    async with open_checkpointer(
        settings.database_path, busy_timeout_ms=settings.sqlite_busy_timeout_ms
    ) as saver:
        graphs: dict[str, CompiledStateGraph[Any, Any, Any, Any]] = {
            "ad_workflow": build_workflow().compile(checkpointer=saver, name="ad_workflow"),
            "ad_assistant": build_assistant().compile(checkpointer=saver, name="ad_assistant"),
        }
        yield ServerRuntime(settings=settings, saver=saver, graphs=graphs)
