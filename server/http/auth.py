"""Who is calling: optional API keys that map a bearer token to a user id.

Every session, job, asset and custom product belongs to a user (design invariant 11), so routes
take ``CurrentUser`` and scope every lookup by it. With ``ADFORGE_API_KEYS`` unset the server is a
single-user local tool and every request is ``local``; with it set (``sk-a:alice,sk-b:bob``) a key
is required, as ``Authorization: Bearer <key>`` or, for ``EventSource`` clients that cannot set
headers, as ``?access_token=<key>``.
"""

from __future__ import annotations

import hmac
import logging
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyQuery, HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import Headers, QueryParams
from starlette.types import Scope

from server.core.errors import ApiError
from server.core.users import LOCAL_USER, User

__all__ = [
    "LOCAL_USER",
    "CurrentUser",
    "User",
    "authenticate",
    "current_user",
    "parse_api_keys",
    "scope_user",
    "user_for_token",
]


_bearer = HTTPBearer(auto_error=False, description="An API key from ADFORGE_API_KEYS")
_query_token = APIKeyQuery(
    name="access_token",
    auto_error=False,
    description="The same key as a query parameter, for EventSource clients",
)

audit = logging.getLogger("adforge.audit")


@lru_cache(maxsize=8)
def parse_api_keys(raw: str | None) -> dict[str, str]:
    """Parse ``key:user_id`` pairs separated by commas into ``{key: user_id}``.

    Cached by the raw string, so a request does not re-parse the setting.

    Raises:
        ValueError: for a pair without both parts, or a key listed twice; the server should fail
            at startup rather than lock someone out (or in) by a typo.
    """
    keys: dict[str, str] = {}
    for pair in (raw or "").split(","):
        if not pair.strip():
            continue
        key, sep, user_id = pair.strip().rpartition(":")
        if not sep or not key.strip() or not user_id.strip():
            raise ValueError(f"ADFORGE_API_KEYS: expected key:user_id, got {pair.strip()!r}")
        if key.strip() in keys:
            raise ValueError("ADFORGE_API_KEYS: a key is listed twice")
        keys[key.strip()] = user_id.strip()
    return keys


def _match(token: str, keys: dict[str, str]) -> str | None:
    # Compare against every key without stopping early, so timing reveals nothing about which
    # prefix matched; bytes because compare_digest refuses non-ASCII str.
    wanted = token.encode()
    found: str | None = None
    for key, user_id in keys.items():
        if hmac.compare_digest(wanted, key.encode()):
            found = user_id
    return found


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


def user_for_token(keys: dict[str, str], token: str | None) -> User:
    """The user ``token`` stands for under ``keys``; shared by HTTP routes and the WebSocket.

    Raises:
        ApiError: 401 when keys are configured and the token is missing or unknown.
    """
    if not keys:
        return LOCAL_USER
    if not token:
        raise _unauthorized("an API key is required: send Authorization: Bearer <key>")
    user_id = _match(token, keys)
    if user_id is None:
        raise _unauthorized("the API key is not valid")
    return User(id=user_id)


def authenticate(keys: dict[str, str], token: str | None, where: str) -> User:
    """``user_for_token``, with an ``adforge.audit`` line for a failure (never the token).

    ``where`` names the request (``GET /api/...``, ``WebSocket /ws/chat/...``).
    """
    try:
        return user_for_token(keys, token)
    except ApiError as error:
        audit.warning(
            "authentication failed on %s: %s",
            where,
            "no API key" if not token else "unknown API key",
            extra={"status": error.status, "code": error.code},
        )
        raise


def _scope_token(scope: Scope) -> str | None:
    authorization = Headers(scope=scope).get("authorization", "")
    if authorization[:7].lower() == "bearer ":
        return authorization[7:].strip()
    return QueryParams(scope.get("query_string", b"")).get("access_token")


def scope_user(scope: Scope, api_keys: str | None) -> User | None:
    """The user of a raw ASGI request, for middleware; ``None`` when it does not authenticate.

    The same rule as ``current_user`` (bearer key, else ``?access_token=``), without the audit
    line: the route that runs next answers the 401 and logs it.
    """
    try:
        return user_for_token(parse_api_keys(api_keys), _scope_token(scope))
    except ApiError:
        return None


def current_user(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    access_token: Annotated[str | None, Depends(_query_token)],
) -> User:
    """The user a request acts for; 401 when keys are configured and none matches."""
    keys = parse_api_keys(request.app.state.runtime.settings.api_keys)
    token = bearer.credentials if bearer else access_token
    return authenticate(keys, token, f"{request.method} {request.url.path}")


CurrentUser = Annotated[User, Depends(current_user)]
