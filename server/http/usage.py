"""``GET /api/usage``: the caller's rate-limit budgets, so a client can pace itself."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from server.http.auth import CurrentUser
from server.http.errors import ERROR_RESPONSES
from server.http.rate_limits import RateLimiter

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["usage"], responses=ERROR_RESPONSES)


@router.get("/usage", summary="The caller's rate limits: limit, remaining, reset time")
async def get_usage(request: Request, user: CurrentUser) -> dict[str, Any]:
    """``{"limits": {"messages": {...}, "renders": {...}}}`` for the caller."""
    limiter: RateLimiter = request.app.state.rate_limiter
    usage = await limiter.usage(user.id)
    return {
        "userId": user.id,
        "limits": {
            name: {"limit": u.limit, "remaining": u.remaining, "resetAt": u.reset_at}
            for name, u in usage.items()
        },
    }
