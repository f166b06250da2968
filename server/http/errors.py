"""Every error of the Ad Forge API as one JSON shape: ``{type, message, code, retryable}``.

Design invariant 10: a malformed or unauthorized request gets a clear 4xx answer, and even a bug
(a 500) answers JSON, so a chat frontend can always show ``message`` and decide on a retry from
``retryable`` without parsing HTML or guessing. Routes raise ``ApiError`` (or the helpers below);
``install`` maps it, FastAPI's validation errors, Starlette's HTTP errors (unknown route, wrong
method) and anything unhandled to that shape.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.core.errors import ApiError, conflict, not_found
from server.http.schemas import ErrorDetail, ErrorPublic

__all__ = [
    "ERROR_RESPONSES",
    "ApiError",
    "conflict",
    "error_response",
    "install",
    "not_found",
]

log = logging.getLogger(__name__)

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorPublic, "description": "Missing or unknown API key"},
    404: {"model": ErrorPublic, "description": "Unknown id, or another user's"},
    422: {"model": ErrorPublic, "description": "Malformed request; `details` names the fields"},
}
"""``responses=`` for routers, so ``/docs`` shows the error shape next to each route."""

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    503: "unavailable",
}
_RETRYABLE_STATUSES = frozenset({408, 429, 502, 503, 504})


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    retryable: bool = False,
    details: list[ErrorDetail] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """The JSON response of an error, for handlers and for routes that answer errors directly."""
    body = ErrorPublic(message=message, code=code, retryable=retryable, details=details)
    return JSONResponse(body.to_json(), status_code=status, headers=dict(headers or {}))


def _field(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc) or "request"


def _validation_details(errors: Sequence[Any]) -> list[ErrorDetail]:
    # Only location, message and type: the offending input may be large or secret.
    return [
        ErrorDetail(field=_field(e.get("loc", ())), message=str(e.get("msg", "")), type=e["type"])
        for e in errors
        if isinstance(e, Mapping) and "type" in e
    ]


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(
        exc.status, exc.code, exc.message, retryable=exc.retryable, headers=exc.headers
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = _validation_details(exc.errors())
    problems = "; ".join(f"{d.field}: {d.message}" for d in details[:5])
    more = f" (and {len(details) - 5} more)" if len(details) > 5 else ""
    return error_response(
        422, "invalid_request", f"invalid request: {problems}{more}", details=details
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    if status == 404 and exc.detail == "Not Found":
        message = f"no route {request.method} {request.url.path}"
    elif status == 405:
        message = f"method {request.method} is not allowed on {request.url.path}"
    else:
        message = str(exc.detail)
    return error_response(
        status,
        _HTTP_CODES.get(status, f"http_{status}"),
        message,
        retryable=status in _RETRYABLE_STATUSES,
        headers=exc.headers,
    )


def _internal_error_response() -> JSONResponse:
    return error_response(
        500, "internal_error", "internal server error; the failure was logged", retryable=True
    )


async def _unhandled_error(request: Request, exc: Exception) -> JSONResponse:
    # Reached only for errors raised outside _CatchAll (middleware added after install).
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _internal_error_response()


class _CatchAll:
    """ASGI middleware: an unhandled exception becomes a logged JSON 500.

    Starlette's own ``Exception`` handler answers, then re-raises to the server, which logs the
    same traceback twice and makes ``TestClient`` raise; catching here answers once. After the
    response has started (an SSE stream), nothing can be answered, so the error propagates.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if started:
                raise
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            await _internal_error_response()(scope, receive, send)


def install(app: FastAPI) -> None:
    """Register the handlers; call before the app starts (it adds a middleware)."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unhandled_error)
    app.add_middleware(_CatchAll)
