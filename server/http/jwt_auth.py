"""OAuth2/OIDC bearer tokens beside API keys: signed JWTs from the operator's identity provider.

With ``ADFORGE_JWT_ISSUER`` set, ``Authorization: Bearer <jwt>`` is accepted when the token is
signed with RS256 or ES256 by a key from ``ADFORGE_JWT_JWKS_URL`` (the provider's JWKS, cached
and refetched for an unknown ``kid``) or ``ADFORGE_JWT_PUBLIC_KEY`` (a PEM), names the configured
issuer and audience, and has not expired. The user id is the claim ``ADFORGE_JWT_USER_CLAIM``
(``sub`` by default). The algorithm list is fixed: ``alg: none`` and HMAC algorithms (which a
forger could pair with the public key as the secret) are refused before any key is looked at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jwt

from server.core.errors import ApiError

__all__ = ["ALGORITHMS", "JwtVerifier", "looks_like_jwt"]

ALGORITHMS = ("RS256", "ES256")


def looks_like_jwt(token: str) -> bool:
    """Three dot-separated parts: a JWT, not an API key."""
    return token.count(".") == 2


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


@dataclass
class JwtVerifier:
    """Checks bearer JWTs against one issuer's keys."""

    issuer: str
    audience: str | None = None
    jwks_url: str | None = None
    public_key: str | None = None
    user_claim: str = "sub"
    _jwks: jwt.PyJWKClient | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if not (self.jwks_url or self.public_key):
            raise ValueError(
                "ADFORGE_JWT_ISSUER needs ADFORGE_JWT_JWKS_URL or ADFORGE_JWT_PUBLIC_KEY"
            )
        if self.jwks_url:
            self._jwks = jwt.PyJWKClient(self.jwks_url, cache_keys=True, lifespan=600, timeout=10)

    def _key(self, token: str) -> object:
        if self._jwks is None:
            return self.public_key
        try:
            return self._jwks.get_signing_key_from_jwt(token).key
        except jwt.PyJWKClientError as error:
            raise _unauthorized(f"the token's signing key is unknown: {error}") from error

    def user_id(self, token: str) -> str:
        """The user the token names.

        Raises:
            ApiError: 401 for a malformed, unsigned, forged, expired or foreign token, or one
                without the user claim.
        """
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as error:
            raise _unauthorized("the bearer token is not a valid JWT") from error
        if header.get("alg") not in ALGORITHMS:
            raise _unauthorized(f"JWTs must be signed with one of {', '.join(ALGORITHMS)}")
        try:
            claims = jwt.decode(
                token,
                self._key(token),  # type: ignore[arg-type]
                algorithms=list(ALGORITHMS),
                issuer=self.issuer,
                audience=self.audience,
                options={"require": ["exp", "iss"], "verify_aud": self.audience is not None},
            )
        except jwt.ExpiredSignatureError as error:
            raise _unauthorized("the bearer token has expired") from error
        except jwt.InvalidTokenError as error:
            raise _unauthorized(f"the bearer token is not valid: {error}") from error
        user_id = claims.get(self.user_claim)
        if not isinstance(user_id, str) or not user_id:
            raise _unauthorized(f"the bearer token has no {self.user_claim!r} claim")
        return user_id
