"""Errors a core command raises on purpose: an HTTP-style status, a stable code, a message.

Every protocol AdForge speaks runs over HTTP, so the status travels with the error; each adapter
decides how to show it (the Ad Forge JSON error shape, a ChatKit error, an AG-UI ``RUN_ERROR``).
The FastAPI handlers that answer these live in ``server.http.errors``.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["ApiError", "conflict", "invalid", "not_found"]


class ApiError(Exception):
    """An error a command or route answers on purpose, with its HTTP status and stable code."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        retryable: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retryable = retryable
        self.headers = dict(headers or {})


def not_found(what: str, id_: str) -> ApiError:
    """404 for an unknown id; also the answer for another user's id (invariant 11)."""
    return ApiError(404, "not_found", f"no {what} with id {id_!r}")


def conflict(code: str, message: str) -> ApiError:
    """409, e.g. a second message while a run is in progress (invariant 4)."""
    return ApiError(409, code, message)


def invalid(message: str, code: str = "invalid_request") -> ApiError:
    """422 for a request that is well-formed but asks for something not on offer."""
    return ApiError(422, code, message)
