"""The ids every log line carries: request, user, session, run and job, held in contextvars.

The HTTP middleware binds the request id (and the user and session it can see); a run's task
inherits them when the request creates it (``asyncio.create_task`` copies the context) and binds
its own run id; the job worker binds the job's ids around each job. The log formatter
(``server.logs``) reads ``current()`` for every record, so no call site passes ids by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar, Token
from typing import Any, Final

__all__ = ["FIELDS", "bind", "bind_scope", "current", "unbind", "unbind_scope"]

FIELDS: Final = ("request_id", "user_id", "session_id", "run_id", "job_id")

_VARS: Final[dict[str, ContextVar[str | None]]] = {
    name: ContextVar(f"adforge_{name}", default=None) for name in FIELDS
}

_SCOPE: Final[ContextVar[Mapping[str, Any] | None]] = ContextVar("adforge_scope", default=None)
"""The request's ASGI scope: routing fills its ``path_params`` after the middleware has run."""

Bound = list[tuple[ContextVar[str | None], Token[str | None]]]


def bind(**ids: str | None) -> Bound:
    """Set the given ids in the current context; returns what ``unbind`` needs to undo it.

    Raises:
        KeyError: an id that is not one of ``FIELDS`` (a typo would otherwise vanish silently).
    """
    return [(_VARS[name], _VARS[name].set(value)) for name, value in ids.items()]


def unbind(tokens: Bound) -> None:
    """Restore the ids ``bind`` replaced, most recent first."""
    for var, token in reversed(tokens):
        var.reset(token)


def bind_scope(scope: Mapping[str, Any]) -> Token[Mapping[str, Any] | None]:
    """Read ``session_id``/``run_id``/``job_id`` from the request's path parameters, lazily.

    The middleware binds before routing has matched the path; reading at log time sees the
    ``{session_id}`` of the route that answers. Ids bound with ``bind`` take precedence.
    """
    return _SCOPE.set(scope)


def unbind_scope(token: Token[Mapping[str, Any] | None]) -> None:
    """Forget the scope ``bind_scope`` bound (the request is over)."""
    _SCOPE.reset(token)


def current() -> dict[str, str]:
    """The ids bound in this context (only those that are set)."""
    ids = {name: value for name, var in _VARS.items() if (value := var.get()) is not None}
    scope = _SCOPE.get()
    params = scope.get("path_params") if scope is not None else None
    if isinstance(params, Mapping):
        for name in ("session_id", "run_id", "job_id"):
            if name not in ids and isinstance(value := params.get(name), str):
                ids[name] = value
    return ids
