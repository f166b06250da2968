"""Durable media-job rows: queued → in_progress (progress, estimate) → completed | failed.

Why a table and not only events: a job is a unit of work a worker claims, and claiming must be
atomic across a crash (``UPDATE … WHERE status='queued' RETURNING``); the row also keeps what a
restart needs — the provider's own job id so a render is polled, never submitted twice, and the
webhook delivery state. The chat still learns everything from the event log: the worker appends
progress events and resumes the workflow, whose events carry the result.

The job id is the idempotency key (``tools.jobs.media_job_id``): the same thread, script and
options name the same job, so a repeated request finds its row instead of queuing a second one.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import aiosqlite

from server.core.migrations import migrate_connection
from server.core.persistence import connect_sqlite

__all__ = ["JobRecord", "JobStatus", "JobStore", "open_job_store"]

JobStatus = Literal["queued", "in_progress", "completed", "failed"]
WebhookState = Literal["none", "pending", "delivered", "failed"]

_COLUMNS = (
    "job_id, user_id, session_id, kind, status, progress, estimated_seconds, request, result,"
    " error, provider, provider_job_id, callback_url, attempts, webhook_state, webhook_attempts,"
    " created_at, updated_at"
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class JobRecord:
    """One row of ``media_jobs``."""

    job_id: str
    user_id: str
    session_id: str
    kind: str
    status: JobStatus
    progress: int
    estimated_seconds: int
    request: dict[str, Any] | None
    result: dict[str, Any] | None
    error: dict[str, Any] | None
    provider: str | None
    provider_job_id: str | None
    callback_url: str | None
    attempts: int
    webhook_state: WebhookState
    webhook_attempts: int
    created_at: str
    updated_at: str

    @classmethod
    def _of(cls, row: Any) -> JobRecord:
        values = list(row)
        for index in (7, 8, 9):  # request, result, error
            values[index] = json.loads(values[index]) if values[index] else None
        return cls(*values)

    def to_public(self) -> dict[str, Any]:
        """The guide's job record (``GET /api/jobs/{id}`` and the webhook body)."""
        body: dict[str, Any] = {
            "jobId": self.job_id,
            "sessionId": self.session_id,
            "kind": self.kind,
            "status": self.status,
            "progress": self.progress,
            "estimatedTime": f"{self.estimated_seconds}s",
            "provider": self.provider,
            "attempts": self.attempts,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        }
        if self.result is not None:
            body["result"] = self.result
        if self.error is not None:
            body["error"] = self.error
        return body


class JobStore:
    """The ``media_jobs`` table on its own aiosqlite connection (the caller owns it)."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()

    async def setup(self) -> None:
        """Migrate the file's schema (``server.core.migrations``); safe on every start."""
        await migrate_connection(self._conn)

    async def _write(self, sql: str, params: tuple[Any, ...]) -> list[JobRecord]:
        async with self._lock:
            cursor = await self._conn.execute(sql, params)
            rows = await cursor.fetchall()
            await self._conn.commit()
        return [JobRecord._of(r) for r in rows]

    async def _read(self, where: str, params: tuple[Any, ...] = ()) -> list[JobRecord]:
        # Under the write lock and fully fetched: a statement left open on this connection while
        # a write commits would fail that commit (see server/http/health.py).
        async with self._lock:
            rows = await self._conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM media_jobs WHERE {where}", params
            )
        return [JobRecord._of(r) for r in rows]

    async def get(self, job_id: str) -> JobRecord | None:
        """The job, or None."""
        found = await self._read("job_id = ?", (job_id,))
        return found[0] if found else None

    async def count_by_status(self) -> dict[str, int]:
        """How many jobs are in each status (for ``/metrics``)."""
        async with self._lock:
            rows = await self._conn.execute_fetchall(
                "SELECT status, COUNT(*) FROM media_jobs GROUP BY status"
            )
        return {str(status): int(count) for status, count in rows}

    async def known(self, job_ids: list[str]) -> set[str]:
        """Which of ``job_ids`` have a row already."""
        if not job_ids:
            return set()
        marks = ", ".join("?" * len(job_ids))
        return {r.job_id for r in await self._read(f"job_id IN ({marks})", tuple(job_ids))}

    async def create(
        self,
        job_id: str,
        *,
        user_id: str,
        session_id: str,
        kind: str,
        estimated_seconds: int,
        callback_url: str | None = None,
    ) -> JobRecord:
        """Record a queued job once; a second call with the same id returns the first row.

        A later call may add the callback URL the first one lacked (the chat path creates the
        row without one, ``POST /video`` with one).
        """
        now = _now()
        async with self._lock:
            await self._conn.execute(
                "INSERT INTO media_jobs (job_id, user_id, session_id, kind, status,"
                " estimated_seconds, callback_url, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?) ON CONFLICT (job_id) DO UPDATE SET"
                " callback_url = COALESCE(media_jobs.callback_url, excluded.callback_url)",
                (job_id, user_id, session_id, kind, estimated_seconds, callback_url, now, now),
            )
            await self._conn.commit()
        record = await self.get(job_id)
        assert record is not None
        return record

    async def attach_request(self, job_id: str, request: dict[str, Any]) -> JobRecord | None:
        """Give the job what to render, making it claimable.

        A failed job asked for again (the user picked the same script and options) is queued
        again for another attempt; a queued, running or completed job is left as it is.
        """
        rows = await self._write(
            "UPDATE media_jobs SET request = ?, updated_at = ?,"
            " status = CASE WHEN status = 'failed' THEN 'queued' ELSE status END,"
            " progress = CASE WHEN status = 'failed' THEN 0 ELSE progress END,"
            " error = CASE WHEN status = 'failed' THEN NULL ELSE error END,"
            " webhook_state = CASE WHEN status = 'failed' THEN 'none' ELSE webhook_state END"
            f" WHERE job_id = ? RETURNING {_COLUMNS}",
            (_json(request), _now(), job_id),
        )
        return rows[0] if rows else None

    async def claim(self) -> JobRecord | None:
        """Atomically move the oldest claimable queued job to in_progress and return it."""
        rows = await self._write(
            "UPDATE media_jobs SET status = 'in_progress', attempts = attempts + 1,"
            " updated_at = ? WHERE job_id = (SELECT job_id FROM media_jobs WHERE"
            " status = 'queued' AND request IS NOT NULL ORDER BY created_at LIMIT 1)"
            f" RETURNING {_COLUMNS}",
            (_now(),),
        )
        return rows[0] if rows else None

    async def requeue_unfinished(self) -> int:
        """At start-up: jobs a crash left in_progress are queued again (provider id kept)."""
        rows = await self._write(
            "UPDATE media_jobs SET status = 'queued', updated_at = ?"
            f" WHERE status = 'in_progress' RETURNING {_COLUMNS}",
            (_now(),),
        )
        return len(rows)

    async def set_progress(self, job_id: str, progress: int) -> None:
        """Record progress 0–100 of a running job (never backwards)."""
        await self._write(
            "UPDATE media_jobs SET progress = MAX(progress, ?), updated_at = ?"
            f" WHERE job_id = ? AND status = 'in_progress' RETURNING {_COLUMNS}",
            (max(0, min(100, progress)), _now(), job_id),
        )

    async def set_provider(self, job_id: str, provider: str, provider_job_id: str | None) -> None:
        """Remember which provider renders the job and under which id of its own."""
        await self._write(
            "UPDATE media_jobs SET provider = ?, provider_job_id = COALESCE(?, provider_job_id),"
            f" updated_at = ? WHERE job_id = ? RETURNING {_COLUMNS}",
            (provider, provider_job_id, _now(), job_id),
        )

    async def finish(
        self,
        job_id: str,
        *,
        result: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
    ) -> JobRecord:
        """Mark the job completed (with ``result``) or failed (with ``error``)."""
        status: JobStatus = "completed" if error is None else "failed"
        rows = await self._write(
            "UPDATE media_jobs SET status = ?, result = ?, error = ?,"
            " progress = CASE WHEN ? = 'completed' THEN 100 ELSE progress END,"
            " webhook_state = CASE WHEN callback_url IS NULL THEN 'none' ELSE 'pending' END,"
            f" webhook_attempts = 0, updated_at = ? WHERE job_id = ? RETURNING {_COLUMNS}",
            (status, _json(result), _json(error), status, _now(), job_id),
        )
        return rows[0]

    async def finished(self, session_ids: list[str]) -> list[JobRecord]:
        """The completed or failed jobs of these sessions (start-up reconciliation)."""
        if not session_ids:
            return []
        marks = ", ".join("?" * len(session_ids))
        return await self._read(
            f"status IN ('completed', 'failed') AND session_id IN ({marks})", tuple(session_ids)
        )

    async def pending_webhooks(self) -> list[JobRecord]:
        """Finished jobs whose callback has not been delivered yet."""
        return await self._read("webhook_state = 'pending'")

    async def set_webhook(self, job_id: str, state: WebhookState, attempts: int) -> None:
        """Record a delivery attempt's outcome."""
        await self._write(
            "UPDATE media_jobs SET webhook_state = ?, webhook_attempts = ?, updated_at = ?"
            f" WHERE job_id = ? RETURNING {_COLUMNS}",
            (state, attempts, _now(), job_id),
        )


@asynccontextmanager
async def open_job_store(path: Path, *, busy_timeout_ms: int = 30_000) -> AsyncIterator[JobStore]:
    """A ready ``JobStore`` on its own connection to ``path``, closed on exit."""
    conn = await connect_sqlite(path, busy_timeout_ms=busy_timeout_ms)
    try:
        store = JobStore(conn)
        await store.setup()
        yield store
    finally:
        await conn.close()
