"""ASGI middleware that refuses hostile requests before any route reads them.

Routes call ``await request.body()``, which buffers whatever arrives: a 20 MB body was read
whole before anything checked it, and a chunked upload has no length to check up front. This
middleware answers every request on every protocol's HTTP routes first:

- a ``Content-Length`` over ``max_body_bytes``: 413 at once, nothing read;
- a chunked body: read until it passes ``max_body_bytes``, then 413 (the rest is never read);
- a body with a ``Content-Type`` that is not JSON (every route takes JSON): 415;
- JSON nested too deep, with an oversized array or object, or with NUL or a lone surrogate: 422;
- NUL in the path or the query string: 422.

What passes is replayed to the app byte for byte (the HeyGen webhook verifies a signature over
it). Every refusal is the Ad Forge JSON error and an ``adforge.audit`` log line (never an event in
a user's log). WebSocket frames are checked by the socket itself (``input_checks.loads_checked``).
"""

from __future__ import annotations

import logging
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.core.errors import ApiError
from server.http.errors import error_response
from server.http.input_checks import InputLimits, check_json_bytes

__all__ = ["PARSED_JSON", "RequestGuard"]

PARSED_JSON = "adforge.parsed_json"
"""The ASGI scope key under which the guard leaves the parsed JSON body for inner middleware."""

audit = logging.getLogger("adforge.audit")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _is_json(content_type: str | None) -> bool:
    # No Content-Type at all is read as JSON (curl -d, bare fetch), so it gets the JSON error.
    media = (content_type or "application/json").split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def _too_large(limit: int) -> ApiError:
    return ApiError(
        413, "payload_too_large", f"the request body is over the limit of {limit} bytes"
    )


class RequestGuard:
    """Body size, content type, JSON shape and text hygiene, checked before the route runs."""

    def __init__(
        self, app: ASGIApp, limits: InputLimits, plain_text_json: tuple[str, ...] = ()
    ) -> None:
        self.app = app
        self.limits = limits
        self.plain_text_json = plain_text_json
        """Path prefixes whose clients send JSON as ``text/plain`` (LangGraph Studio does, to
        skip a CORS preflight): there a ``text/plain`` body is read as JSON, checked the same."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a refusal, or pass the request on with its checked body."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            body = await self._check(scope, receive)
        except ApiError as error:
            audit.warning(
                "refused %s %s: %d %s",
                scope.get("method"),
                scope.get("path"),
                error.status,
                error.code,
                extra={"status": error.status, "code": error.code, "path": scope.get("path")},
            )
            response = error_response(error.status, error.code, error.message)
            response.headers["Connection"] = "close"
            await response(scope, receive, send)
            return
        if body is None:
            await self.app(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _check(self, scope: Scope, receive: Receive) -> bytes | None:
        """The body read and checked, or ``None`` when the request has none."""
        if "\x00" in scope.get("path", "") or b"\x00" in unquote_to_bytes(
            bytes(scope.get("query_string", b""))
        ):
            raise ApiError(422, "invalid_request", "the URL contains a NUL character")
        length = _header(scope, b"content-length")
        chunked = "chunked" in (_header(scope, b"transfer-encoding") or "").lower()
        if length is not None:
            if not length.strip().isdigit():
                raise ApiError(400, "bad_request", "Content-Length is not a number")
            if int(length) > self.limits.max_body_bytes:
                raise _too_large(self.limits.max_body_bytes)
        if not chunked and not int(length or 0):
            return None
        content_type = _header(scope, b"content-type")
        plain = (content_type or "").split(";", 1)[0].strip().lower() == "text/plain"
        allowed = plain and str(scope.get("path", "")).startswith(self.plain_text_json)
        if not _is_json(content_type) and not allowed:
            raise ApiError(415, "unsupported_media_type", "send the body as application/json")
        body = await self._read(receive)
        scope[PARSED_JSON] = check_json_bytes(body, self.limits)
        return body

    async def _read(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                break
            chunk = bytes(message.get("body", b""))
            size += len(chunk)
            if size > self.limits.max_body_bytes:
                raise _too_large(self.limits.max_body_bytes)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app the body already read, then waits as before."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
