"""ASGI middleware counting HTTP requests and live event streams for ``/metrics``.

Requests are labelled by their route template (``/api/chat/sessions/{session_id}``), never the raw
path, so the number of series stays bounded; paths that match no route share ``unmatched``. An
SSE response (``text/event-stream``) or an accepted WebSocket counts as a live connection until it
ends; a stream's lifetime says nothing about the server's speed, so streams stay out of the
duration histogram.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.core.metrics import HTTP_REQUEST_SECONDS, HTTP_REQUESTS, LIVE_CONNECTIONS

__all__ = ["MetricsMiddleware"]


def _route_of(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


def _is_event_stream(message: Message) -> bool:
    for name, value in message.get("headers", ()):
        if name.lower() == b"content-type":
            return bytes(value).startswith(b"text/event-stream")
    return False


class MetricsMiddleware:
    """Counts every HTTP request by route and status; gauges open SSE and WebSocket streams."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, watching what the app sends."""
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500
        streaming = False

        async def watching_send(message: Message) -> None:
            nonlocal status, streaming
            if message["type"] == "http.response.start":
                status = int(message["status"])
                streaming = _is_event_stream(message)
                if streaming:
                    LIVE_CONNECTIONS.labels("sse").inc()
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        finally:
            method, route = str(scope.get("method", "")), _route_of(scope)
            HTTP_REQUESTS.labels(method, route, str(status)).inc()
            if streaming:
                LIVE_CONNECTIONS.labels("sse").dec()
            else:
                HTTP_REQUEST_SECONDS.labels(method, route).observe(time.perf_counter() - started)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        accepted = False

        async def watching_send(message: Message) -> None:
            nonlocal accepted
            if message["type"] == "websocket.accept" and not accepted:
                accepted = True
                LIVE_CONNECTIONS.labels("websocket").inc()
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        finally:
            if accepted:
                LIVE_CONNECTIONS.labels("websocket").dec()
