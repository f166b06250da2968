"""Inbound provider webhooks: HeyGen tells us a render finished, so we poll it now.

The webhook only wakes the render's poll loop (``HeyGenProvider.nudge``); the outcome is still
read from HeyGen's API, so a forged or replayed delivery can cause at most one extra status call.
HeyGen cannot send our API keys, so the route is authenticated by the delivery's signature
(``HEYGEN_WEBHOOK_SECRET``) instead of ``Authorization``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from server.http.deps import ServicesDep
from server.http.errors import ApiError
from tools.video_providers import HeyGenProvider, VideoProviderError

__all__ = ["router"]

router = APIRouter(prefix="/api/webhooks", tags=["webhooks"])


@router.post("/heygen", summary="HeyGen render events (signed); wakes the render's polling")
async def heygen_webhook(request: Request, services: ServicesDep) -> dict[str, Any]:
    """Verify the delivery's signature, then poll the video it names at once."""
    provider = services.worker.video
    if not isinstance(provider, HeyGenProvider):
        raise ApiError(404, "not_found", "HeyGen is not configured here (set HEYGEN_API_KEY)")
    try:
        event = provider.verify_webhook(await request.body(), request.headers)
    except VideoProviderError as error:
        raise ApiError(401, error.code, error.message) from error
    polled = (
        bool(event.video_id) and event.outcome != "other" and provider.nudge(str(event.video_id))
    )
    return {
        "received": True,
        "eventType": event.event_type,
        "jobId": event.callback_id,
        "polledNow": polled,
    }
