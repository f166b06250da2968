"""The server's Prometheus metrics: one registry, the metric objects, and the watches that move them.

The core and the job worker update these objects at a few points (a run starts, shows its first
frame, ends; a job ends; the event log commits); the HTTP layer counts requests and live streams in
a middleware and exposes the registry at ``/metrics`` (``server.http.metrics``). Nothing here knows
HTTP, so the core stays free of it (``lint-imports``).

A run's or a job's watch also binds its ids to the log context (``server.core.logcontext``) and
logs its start and end: every log line of a run then carries its run, session and user ids, and
the request id of the request that started it.
"""

from __future__ import annotations

import logging
import time
from typing import Final

from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
)

from server.core.logcontext import bind, unbind

__all__ = [
    "EVENT_APPEND_SECONDS",
    "EVENTS_APPENDED",
    "HTTP_REQUESTS",
    "HTTP_REQUEST_SECONDS",
    "JOB_STATES",
    "LIVE_CONNECTIONS",
    "MEDIA_JOBS",
    "MEDIA_JOBS_FINISHED",
    "MEDIA_JOB_SECONDS",
    "REGISTRY",
    "RUNS_ACTIVE",
    "RUNS_FINISHED",
    "RUNS_STARTED",
    "RUN_FIRST_FRAME_SECONDS",
    "RUN_SECONDS",
    "JobWatch",
    "RunWatch",
]

log = logging.getLogger("adforge.metrics")

# No ``*_created`` series: they double the output and nobody graphs them.
disable_created_metrics()  # type: ignore[no-untyped-call]
REGISTRY: Final = CollectorRegistry()
"""AdForge's own registry (not the library's global one): only what ``/metrics`` should show."""
for _collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
    REGISTRY.register(_collector)

_SECONDS_FAST = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)
_SECONDS_TURN = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)
_SECONDS_JOB = (0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0)

HTTP_REQUESTS: Final = Counter(
    "adforge_http_requests",
    "HTTP requests answered, by method, route template (not the raw path) and status.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_REQUEST_SECONDS: Final = Histogram(
    "adforge_http_request_duration_seconds",
    "Time to answer an HTTP request in full; event streams are left out (see live connections).",
    ["method", "route"],
    buckets=_SECONDS_FAST + (2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
LIVE_CONNECTIONS: Final = Gauge(
    "adforge_live_connections",
    "Open event streams: SSE responses and accepted WebSockets.",
    ["protocol"],
    registry=REGISTRY,
)
RUNS_STARTED: Final = Counter(
    "adforge_runs_started",
    "Runs started (new turns, resumes, recoveries).",
    ["graph"],
    registry=REGISTRY,
)
RUNS_FINISHED: Final = Counter(
    "adforge_runs_finished",
    "Runs ended, by outcome: completed, failed or cancelled.",
    ["graph", "outcome"],
    registry=REGISTRY,
)
RUNS_ACTIVE: Final = Gauge("adforge_runs_active", "Runs executing now.", registry=REGISTRY)
RUN_FIRST_FRAME_SECONDS: Final = Histogram(
    "adforge_run_first_frame_seconds",
    "From a run's start to the first frame its graph produced (time to first frame).",
    ["graph"],
    buckets=_SECONDS_TURN,
    registry=REGISTRY,
)
RUN_SECONDS: Final = Histogram(
    "adforge_run_duration_seconds",
    "From a run's start to its end (turn duration), by outcome.",
    ["graph", "outcome"],
    buckets=_SECONDS_TURN,
    registry=REGISTRY,
)
JOB_STATES: Final = ("queued", "in_progress", "completed", "failed")
MEDIA_JOBS: Final = Gauge(
    "adforge_media_jobs",
    "Media jobs in the database by state, counted when /metrics is scraped.",
    ["state"],
    registry=REGISTRY,
)
MEDIA_JOBS_FINISHED: Final = Counter(
    "adforge_media_jobs_finished",
    "Media jobs this process ran to an end, by kind and final state.",
    ["kind", "state"],
    registry=REGISTRY,
)
MEDIA_JOB_SECONDS: Final = Histogram(
    "adforge_media_job_duration_seconds",
    "From a worker claiming a media job to its final state, by kind and state.",
    ["kind", "state"],
    buckets=_SECONDS_JOB,
    registry=REGISTRY,
)
EVENT_APPEND_SECONDS: Final = Histogram(
    "adforge_event_append_seconds",
    "Time for one event-log append (lock wait, transaction and commit).",
    buckets=_SECONDS_FAST,
    registry=REGISTRY,
)
EVENTS_APPENDED: Final = Counter(
    "adforge_events_appended", "Events recorded in the event log.", registry=REGISTRY
)

_OUTCOMES: Final = {
    "RunCompleted": "completed",
    "RunFailed": "failed",
    "RunCancelled": "cancelled",
}


class RunWatch:
    """One run's metrics and log context, created in the run's own task (its context is its own)."""

    def __init__(self, graph: str, run_id: str, session_id: str, user_id: str) -> None:
        self.graph = graph
        self._started = time.perf_counter()
        self._framed = False
        bind(run_id=run_id, session_id=session_id, user_id=user_id)
        RUNS_STARTED.labels(graph).inc()
        RUNS_ACTIVE.inc()
        log.info("run started on %s", graph)

    def frame(self) -> None:
        """The graph produced frames; the first call records the time to first frame."""
        if not self._framed:
            self._framed = True
            RUN_FIRST_FRAME_SECONDS.labels(self.graph).observe(time.perf_counter() - self._started)

    def finish(self, terminal_type: str) -> None:
        """The run ended with ``terminal_type`` (``RunCompleted``, ``RunFailed``, ``RunCancelled``)."""
        outcome = _OUTCOMES.get(terminal_type, "failed")
        seconds = time.perf_counter() - self._started
        RUNS_FINISHED.labels(self.graph, outcome).inc()
        RUN_SECONDS.labels(self.graph, outcome).observe(seconds)
        RUNS_ACTIVE.dec()
        log.info("run %s in %.3fs", outcome, seconds)


class JobWatch:
    """One media job's duration and log context; the worker task reuses its context, so unbind."""

    def __init__(self, kind: str, job_id: str, session_id: str, user_id: str) -> None:
        self.kind = kind
        self._started = time.perf_counter()
        self._tokens = bind(job_id=job_id, session_id=session_id, user_id=user_id)
        log.info("media job started (%s)", kind)

    def finish(self, state: str) -> None:
        """The job reached ``state`` (``completed`` or ``failed``); unbinds its ids."""
        seconds = time.perf_counter() - self._started
        MEDIA_JOBS_FINISHED.labels(self.kind, state).inc()
        MEDIA_JOB_SECONDS.labels(self.kind, state).observe(seconds)
        log.info("media job %s in %.3fs", state, seconds)
        unbind(self._tokens)
