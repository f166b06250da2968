"""What ``/openapi.json`` says about errors: the server's real shape, never FastAPI's default.

FastAPI documents every route's 422 as ``HTTPValidationError`` (``{"detail": [...]}``) while the
server answers ``ErrorPublic`` (``{"type": "error", "code", "message", "retryable"}``, see
``server.http.errors``); ``install`` rewrites those 422s (and drops them where no input can be
invalid), documents the 401 of every route that takes an API key and the 404 of every route with
an id in its path (every path parameter of this API is an id looked up), and drops the unused
default schemas. Routes document their other errors with
``error_responses(404, 409, ...)``; ``tests/test_openapi_errors.py`` provokes every documented
error and compares it with what the server sends.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from server.http.schemas import ErrorPublic

__all__ = ["ERROR_DESCRIPTIONS", "error_responses", "install"]

ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "Malformed cursor (`invalid_cursor`)",
    401: "Missing or unknown API key (`unauthorized`), when ADFORGE_API_KEYS is set",
    404: "Unknown id, or another user's (`not_found`)",
    409: "Conflicts with the session's state: a run in progress, the wrong step, a cursor ahead",
    410: "Gone: the session expired, or the cursor is below the retention floor",
    422: "Malformed request (`invalid_request`); `details` names the fields",
    429: "Too many requests (`rate_limited`); retry later",
}
_ERROR_REF = {"$ref": "#/components/schemas/ErrorPublic"}
_FASTAPI_DEFAULTS = ("HTTPValidationError", "ValidationError")


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` documenting ``statuses`` with the one error shape."""
    return {
        status: {"model": ErrorPublic, "description": ERROR_DESCRIPTIONS[status]}
        for status in statuses
    }


def _error_content() -> dict[str, Any]:
    return {"application/json": {"schema": dict(_ERROR_REF)}}


def _unconstrained(schema: dict[str, Any]) -> bool:
    """A parameter schema any string satisfies (``str`` or ``str | None`` without bounds)."""
    branches = schema.get("anyOf", [schema])
    loose = {"type", "title", "description", "default"}
    return all(set(b) <= loose and b.get("type") in ("string", "null") for b in branches)


def _can_be_invalid(operation: dict[str, Any]) -> bool:
    """Whether FastAPI can refuse the operation's input with a 422."""
    if "requestBody" in operation:
        return True
    return any(
        (p.get("required") and p.get("in") != "path") or not _unconstrained(p.get("schema", {}))
        for p in operation.get("parameters", [])
    )


def _fix_operation(operation: dict[str, Any], path: str) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    added: dict[int, bool] = {
        401: bool(operation.get("security")),
        404: "{" in path,
        422: "422" in responses and _can_be_invalid(operation),
    }
    responses.pop("422", None)
    for status, applies in added.items():
        if applies:
            responses.setdefault(
                str(status),
                {"description": ERROR_DESCRIPTIONS[status], "content": _error_content()},
            )
    for code, response in responses.items():  # every error answer has the one shape
        if code.isdigit() and int(code) >= 400 and "content" not in response:
            response["content"] = _error_content()
    operation["responses"] = dict(sorted(responses.items()))


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` document the server's errors as it sends them."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=app.description,
            routes=app.routes,
        )
        for path, path_item in schema.get("paths", {}).items():
            for operation in path_item.values():
                if isinstance(operation, dict) and "responses" in operation:
                    _fix_operation(operation, path)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorPublic", ErrorPublic.model_json_schema(by_alias=True))
        for name in _FASTAPI_DEFAULTS:
            components.pop(name, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
