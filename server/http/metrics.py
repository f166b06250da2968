"""``GET /metrics``: the Prometheus exposition of ``server.core.metrics``, behind a setting.

Off by default (answers 404 as an unknown route would). ``ADFORGE_METRICS=on`` serves it to
anyone who can reach the port, for a scraper on a private network; ``ADFORGE_METRICS_TOKEN``
serves it only with ``Authorization: Bearer <token>``, for a port that is reachable by others.
The media-job gauge is read from the database at each scrape, so it is right after a restart.
"""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from server.core.errors import ApiError
from server.core.metrics import JOB_STATES, MEDIA_JOBS, REGISTRY
from server.http.deps import RuntimeDep

__all__ = ["router"]

router = APIRouter(tags=["operations"])


def _authorize(request: Request, runtime: RuntimeDep) -> None:
    settings = runtime.settings
    token = settings.metrics_token
    if token is None:
        if settings.metrics != "on":
            raise ApiError(404, "not_found", "metrics are off: set ADFORGE_METRICS=on")
        return
    header = request.headers.get("authorization", "")
    sent = header[7:].strip() if header.lower().startswith("bearer ") else ""
    if not hmac.compare_digest(sent.encode(), token.encode()):
        raise ApiError(
            401,
            "unauthorized",
            "metrics need Authorization: Bearer <ADFORGE_METRICS_TOKEN>",
            headers={"WWW-Authenticate": "Bearer"},
        )


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request, runtime: RuntimeDep) -> Response:
    """Every AdForge metric in the Prometheus text format."""
    _authorize(request, runtime)
    counts = await runtime.services.jobs.count_by_status()
    for state in JOB_STATES:
        MEDIA_JOBS.labels(state).set(counts.get(state, 0))
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
