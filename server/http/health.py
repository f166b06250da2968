"""``GET /health``: is the server up, which model is it using, is the database usable."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from pydantic import BaseModel

from server.http.deps import RuntimeDep
from server.version import VERSION

__all__ = ["router"]

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


class DatabaseHealth(BaseModel):
    """The SQLite file's state."""

    ok: bool
    path: str
    journal_mode: str | None = None
    error: str | None = None


class Health(BaseModel):
    """What an operator or a load balancer needs to know at a glance."""

    status: str
    version: str
    model: str
    offline: bool
    database: DatabaseHealth


@router.get("/health", response_model=Health, summary="Liveness, model in use, database state")
async def health(runtime: RuntimeDep) -> Health:
    """Report status; ``degraded`` (still HTTP 200) when the database cannot be read."""
    settings = runtime.settings
    database = DatabaseHealth(ok=False, path=str(settings.database_path))
    try:
        # Under the saver's lock: a statement open on its connection while a run commits a
        # checkpoint fails that commit ("SQL statements in progress") and wedges the run.
        async with runtime.saver.lock, runtime.saver.conn.execute("PRAGMA journal_mode") as cursor:
            row = await cursor.fetchone()
        database = DatabaseHealth(
            ok=True, path=database.path, journal_mode=str(row[0]) if row else None
        )
    except Exception as error:  # any failure means "not ok"; reported to the caller
        log.warning("health: database check failed: %s", error)
        database.error = str(error)
    return Health(
        status="ok" if database.ok else "degraded",
        version=VERSION,
        model=settings.model_spec,
        offline=settings.offline,
        database=database,
    )
