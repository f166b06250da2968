"""Per-user rate limits on what costs money: chat messages and renders.

The integration guide allows 10 messages a minute per user; renders (a provider job each) get
their own hourly budget. Counting uses the ``limits`` package (moving windows): in memory by
default, in Redis when ``ADFORGE_REDIS_URL`` is set so several server processes share one count.
A request over its budget is a 429 with ``Retry-After`` and the JSON error (``retryable: true``),
refused before the route runs, so it records nothing (invariant 12).

What counts, on every protocol's HTTP routes: a message is ``POST …/messages``, a
``GET …/stream`` with ``?message=``, or a ChatKit ``threads.create`` / ``threads.add_user_message``
(the WebSocket counts its message frames with the same ``RateLimiter``);
a render is ``POST …/video`` or ``POST /api/videos/generate``. The ChatKit body was parsed by ``RequestGuard``, which hands it on
in the ASGI scope. ``GET /api/usage`` shows a caller their budgets.
"""

from __future__ import annotations

import logging
import math
import re
import time
from dataclasses import dataclass
from typing import Any, Literal

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from starlette.datastructures import QueryParams
from starlette.types import ASGIApp, Receive, Scope, Send

from server.core.errors import ApiError
from server.core.users import User
from server.http.auth import scope_user
from server.http.errors import error_response
from server.http.request_guard import PARSED_JSON

__all__ = ["Budget", "RateLimiter", "RateLimits", "Usage"]

audit = logging.getLogger("adforge.audit")


Budget = Literal["messages", "renders"]
_SESSION = r"^/api/chat/sessions/[^/]+"
_RENDER = "/api/videos/generate"
_MESSAGE_TYPES = ("threads.create", "threads.add_user_message")


@dataclass(frozen=True, slots=True)
class Usage:
    """One budget of one user right now."""

    limit: str
    remaining: int
    reset_at: int


class RateLimiter:
    """The budgets and their counters."""

    def __init__(self, messages: str, renders: str, redis_url: str | None = None) -> None:
        self.items: dict[Budget, RateLimitItem] = {
            "messages": parse(messages),
            "renders": parse(renders),
        }
        self.storage = _storage(redis_url)
        self.window = MovingWindowRateLimiter(self.storage)

    async def hit(self, budget: Budget, user_id: str) -> None:
        """Count one use.

        Raises:
            ApiError: 429 ``rate_limited`` with ``Retry-After`` when the budget is spent.
        """
        item = self.items[budget]
        if await self.window.hit(item, budget, user_id):
            return
        stats = await self.window.get_window_stats(item, budget, user_id)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        raise ApiError(
            429,
            "rate_limited",
            f"too many {budget}: the limit is {item}; retry in {retry_after}s",
            retryable=True,
            headers={"Retry-After": str(retry_after)},
        )

    async def usage(self, user_id: str) -> dict[str, Usage]:
        """Every budget of ``user_id``: the limit, what is left, when the window resets."""
        out: dict[str, Usage] = {}
        for budget, item in self.items.items():
            stats = await self.window.get_window_stats(item, budget, user_id)
            out[budget] = Usage(str(item), stats.remaining, math.ceil(stats.reset_time))
        return out


def _storage(redis_url: str | None) -> Storage:
    """Redis (``async+redis://…``, needs the ``redis`` package) when configured, else memory."""
    if not redis_url:
        return MemoryStorage()
    storage = storage_from_string(f"async+{redis_url}")
    if not isinstance(storage, Storage):  # pragma: no cover - the async+ scheme always is
        raise ValueError(f"ADFORGE_REDIS_URL: not an async storage: {redis_url!r}")
    return storage


def _budget(scope: Scope) -> Budget | None:
    method, path = scope.get("method"), scope.get("path", "")
    if method == "POST" and re.match(_SESSION + r"/messages$", path):
        return "messages"
    if method == "POST" and (re.match(_SESSION + r"/video$", path) or path == _RENDER):
        return "renders"
    if method == "GET" and re.match(_SESSION + r"/stream$", path):
        return "messages" if "message" in QueryParams(scope.get("query_string", b"")) else None
    if method == "POST" and path == "/chatkit":
        body: Any = scope.get(PARSED_JSON)
        if isinstance(body, dict) and body.get("type") in _MESSAGE_TYPES:
            return "messages"
    return None


class RateLimits:
    """ASGI middleware: count a message or a render against the caller's budget first."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a request over budget with a 429; pass everything else on."""
        budget = _budget(scope) if scope["type"] == "http" else None
        user: User | None = scope_user(scope) if budget else None
        if budget is not None and user is not None:
            try:
                await self.limiter.hit(budget, user.id)
            except ApiError as error:
                audit.warning(
                    "refused %s %s: 429 rate_limited (%s of %s)",
                    scope.get("method"),
                    scope.get("path"),
                    budget,
                    user.id,
                )
                response = error_response(
                    error.status,
                    error.code,
                    error.message,
                    retryable=True,
                    headers=error.headers,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
