"""Who is calling: optional API keys that map a bearer token to a user id.

Every session, job, asset and custom product belongs to a user (design invariant 11), so routes
take ``CurrentUser`` and scope every lookup by it. With neither ``ADFORGE_API_KEYS`` nor
``ADFORGE_JWT_ISSUER`` set the server is a single-user local tool and every request is ``local``;
with keys (``sk-a:alice,sk-b:bob``) and/or an identity provider's JWTs (``server.http.jwt_auth``)
a credential is required, as ``Authorization: Bearer <key or jwt>`` or, for ``EventSource``
clients that cannot set headers, as ``?access_token=``. ``Authenticator`` (one per app, on
``app.state.authenticator``) holds both.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyQuery, HTTPAuthorizationCredentials, HTTPBearer
from starlette.applications import Starlette
from starlette.datastructures import Headers, QueryParams
from starlette.types import Scope

from server.core.errors import ApiError
from server.core.users import LOCAL_USER, User
from server.http.jwt_auth import JwtVerifier, looks_like_jwt
from server.settings import Settings

__all__ = [
    "LOCAL_USER",
    "Authenticator",
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


def user_for_token(keys: dict[str, str], token: str | None, jwt: JwtVerifier | None = None) -> User:
    """The user ``token`` stands for: an API key under ``keys``, or a JWT ``jwt`` verifies.

    Raises:
        ApiError: 401 when credentials are configured and the token is missing or not valid.
    """
    if not keys and jwt is None:
        return LOCAL_USER
    if not token:
        what = "an API key" if jwt is None else "an API key or a JWT"
        raise _unauthorized(f"{what} is required: send Authorization: Bearer <credential>")
    if jwt is not None and looks_like_jwt(token):
        return User(id=jwt.user_id(token))
    user_id = _match(token, keys)
    if user_id is None:
        raise _unauthorized("the API key is not valid")
    return User(id=user_id)


@dataclass(frozen=True)
class Authenticator:
    """The credentials an app accepts: API keys and, when configured, an issuer's JWTs."""

    keys: dict[str, str] = field(default_factory=dict)
    jwt: JwtVerifier | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Authenticator:
        """Parse the settings once, at start-up (a malformed one fails there)."""
        verifier = None
        if settings.jwt_issuer:
            verifier = JwtVerifier(
                issuer=settings.jwt_issuer,
                audience=settings.jwt_audience,
                jwks_url=settings.jwt_jwks_url,
                public_key=settings.jwt_public_key,
                user_claim=settings.jwt_user_claim,
            )
        return cls(parse_api_keys(settings.api_keys), verifier)

    def user(self, token: str | None) -> User:
        """``user_for_token`` with this app's credentials."""
        return user_for_token(self.keys, token, self.jwt)


def authenticator_of(app: Starlette) -> Authenticator:
    """The app's ``Authenticator`` (``create_app`` sets it)."""
    found: Authenticator = app.state.authenticator
    return found


def authenticate(auth: Authenticator, token: str | None, where: str) -> User:
    """``Authenticator.user``, with an ``adforge.audit`` line for a failure (never the token).

    ``where`` names the request (``GET /api/...``, ``WebSocket /ws/chat/...``).
    """
    try:
        return auth.user(token)
    except ApiError as error:
        audit.warning(
            "authentication failed on %s: %s",
            where,
            "no credential" if not token else error.message,
            extra={"status": error.status, "code": error.code},
        )
        raise


def _scope_token(scope: Scope) -> str | None:
    authorization = Headers(scope=scope).get("authorization", "")
    if authorization[:7].lower() == "bearer ":
        return authorization[7:].strip()
    return QueryParams(scope.get("query_string", b"")).get("access_token")


def scope_user(scope: Scope) -> User | None:
    """The user of a raw ASGI request, for middleware; ``None`` when it does not authenticate.

    The same rule as ``current_user`` (bearer key, else ``?access_token=``), without the audit
    line: the route that runs next answers the 401 and logs it.
    """
    try:
        return authenticator_of(scope["app"]).user(_scope_token(scope))
    except ApiError:
        return None


def current_user(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    access_token: Annotated[str | None, Depends(_query_token)],
) -> User:
    """The user a request acts for; 401 when keys are configured and none matches."""
    token = bearer.credentials if bearer else access_token
    return authenticate(
        authenticator_of(request.app), token, f"{request.method} {request.url.path}"
    )


CurrentUser = Annotated[User, Depends(current_user)]
