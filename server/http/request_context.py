"""ASGI middleware giving every request an id (``X-Request-ID``) and binding it for the logs.

A client's or a proxy's ``X-Request-ID`` is kept when it is a sane token (letters, digits and
``._:-``, at most 128 characters) and replaced by a fresh one otherwise, so a log line can never be
forged through it; the id is sent back on every response (and on a WebSocket's accept). The
caller's user id is bound too, derived from its API key the way the routes do; the key itself is
never bound nor logged. Session, run and job ids come from the matched route's path.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.core.errors import ApiError
from server.core.logcontext import bind, bind_scope, unbind, unbind_scope
from server.http.auth import parse_api_keys, user_for_token

__all__ = ["REQUEST_ID_HEADER", "RequestContextMiddleware"]

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def _request_id(headers: Headers) -> str:
    sent = headers.get(REQUEST_ID_HEADER, "").strip()
    return sent if _SANE_ID.fullmatch(sent) else f"req-{uuid.uuid4().hex}"


def _user_id(scope: Scope, headers: Headers) -> str | None:
    runtime = getattr(getattr(scope.get("app"), "state", None), "runtime", None)
    if runtime is None:
        return None
    authorization = headers.get("authorization", "")
    token = authorization[7:].strip() if authorization.lower().startswith("bearer ") else None
    if token is None:
        query = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1"))
        token = next(iter(query.get("access_token", [])), None)
    try:
        return user_for_token(parse_api_keys(runtime.settings.api_keys), token).id
    except ApiError:
        return None  # the route answers 401; the log line says no user


class RequestContextMiddleware:
    """Binds ``request_id`` and ``user_id`` for the request and echoes ``X-Request-ID``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request with its ids bound; add ``X-Request-ID`` to the response."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        request_id = _request_id(headers)
        echoed = (REQUEST_ID_HEADER.lower().encode(), request_id.encode())

        async def echoing_send(message: Message) -> None:
            if message["type"] in ("http.response.start", "websocket.accept"):
                message = {**message, "headers": [*message.get("headers", ()), echoed]}
            await send(message)

        tokens = bind(request_id=request_id, user_id=_user_id(scope, headers))
        scope_token = bind_scope(scope)
        try:
            await self.app(scope, receive, echoing_send)
        finally:
            unbind_scope(scope_token)
            unbind(tokens)
