"""Bearer JWTs beside API keys (issue 13), with real signed tokens and a local JWKS server.

An RSA and an EC key play the identity provider; a real HTTP server publishes their JWKS. Valid
RS256 and ES256 tokens name the user (their ``sub``, or the configured claim); expired tokens,
another audience or issuer, a key not in the JWKS, ``alg: none`` and HS256 signed with the public
key are all 401. A real AdForge server accepts the provider's tokens and its API keys side by side.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from server.core.errors import ApiError
from server.http.jwt_auth import JwtVerifier
from tests._processes import AdForgeServer, adforge_server

ISSUER = "https://idp.test/"
AUDIENCE = "adforge"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
STRANGER = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwks() -> dict[str, Any]:
    rsa_jwk = json.loads(RSAAlgorithm.to_jwk(RSA_KEY.public_key()))
    ec_jwk = json.loads(ECAlgorithm.to_jwk(EC_KEY.public_key()))
    return {"keys": [{**rsa_jwk, "kid": "rsa-1", "use": "sig"}, {**ec_jwk, "kid": "ec-1"}]}


class _JwksHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps(_jwks()).encode()
        self.send_response(200 if self.path == "/jwks.json" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def jwks_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _JwksHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    finally:
        server.shutdown()
        server.server_close()


def token(key: Any = RSA_KEY, alg: str = "RS256", kid: str = "rsa-1", **claims: Any) -> str:
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": AUDIENCE, "sub": "carol", "iat": now, "exp": now + 300}
    payload.update(claims)
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid})


def _unsigned() -> str:
    return jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "sub": "carol", "exp": 2**31}, None, "none")


def _hs256_with_the_public_key() -> str:
    """The classic forgery: HMAC over the token with the (public) PEM as the secret."""
    pem = RSA_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )

    def part(value: dict[str, Any]) -> bytes:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=")

    header = {"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "carol", "exp": 2**31}
    signing_input = part(header) + b"." + part(claims)
    mac = base64.urlsafe_b64encode(hmac.new(pem, signing_input, hashlib.sha256).digest())
    return (signing_input + b"." + mac.rstrip(b"=")).decode()


@pytest.fixture
def verifier(jwks_url: str) -> JwtVerifier:
    return JwtVerifier(issuer=ISSUER, audience=AUDIENCE, jwks_url=jwks_url)


def test_rs256_and_es256_tokens_name_their_user(verifier: JwtVerifier) -> None:
    assert verifier.user_id(token()) == "carol"
    assert verifier.user_id(token(EC_KEY, "ES256", "ec-1", sub="dave")) == "dave"


def test_the_user_id_comes_from_the_configured_claim(jwks_url: str) -> None:
    by_email = JwtVerifier(issuer=ISSUER, audience=AUDIENCE, jwks_url=jwks_url, user_claim="email")
    assert by_email.user_id(token(email="carol@example.com")) == "carol@example.com"
    with pytest.raises(ApiError) as missing:
        by_email.user_id(token())
    assert missing.value.status == 401


def test_a_static_public_key_works_without_a_jwks() -> None:
    pem = RSA_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    static = JwtVerifier(issuer=ISSUER, audience=AUDIENCE, public_key=pem.decode())
    assert static.user_id(token()) == "carol"


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(lambda: token(exp=int(time.time()) - 60), id="expired"),
        pytest.param(lambda: token(aud="someone-else"), id="wrong-audience"),
        pytest.param(lambda: token(iss="https://evil.test/"), id="wrong-issuer"),
        pytest.param(lambda: token(STRANGER), id="wrong-key"),
        pytest.param(lambda: token(STRANGER, kid="unknown-kid"), id="unknown-kid"),
        pytest.param(_unsigned, id="alg-none"),
        pytest.param(_hs256_with_the_public_key, id="hs256-with-public-key"),
        pytest.param(lambda: "not.a.jwt", id="garbage"),
    ],
)
def test_bad_tokens_are_401(verifier: JwtVerifier, bad: Any) -> None:
    with pytest.raises(ApiError) as refused:
        verifier.user_id(bad())
    assert refused.value.status == 401 and refused.value.code == "unauthorized"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, jwks_url: str) -> Iterator[AdForgeServer]:
    tmp: Path = tmp_path_factory.mktemp("jwt")
    env = {
        "ADFORGE_JWT_ISSUER": ISSUER,
        "ADFORGE_JWT_AUDIENCE": AUDIENCE,
        "ADFORGE_JWT_JWKS_URL": jwks_url,
        "ADFORGE_API_KEYS": "sk-a:alice",
    }
    with adforge_server(tmp / "data", tmp / "server.log", **env) as running:
        yield running


@pytest.mark.integration
def test_the_server_takes_jwts_and_api_keys_side_by_side(server: AdForgeServer) -> None:
    def as_(credential: str) -> httpx.Client:
        headers = {"Authorization": f"Bearer {credential}"}
        return httpx.Client(base_url=server.base_url, headers=headers, timeout=60)

    with as_(token()) as carol, as_("sk-a") as alice:
        sid = carol.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"]
        assert carol.get(f"/api/chat/sessions/{sid}").json()["userId"] == "carol"
        assert alice.get(f"/api/chat/sessions/{sid}").status_code == 404  # carol's, not alice's
        assert alice.get("/api/usage").json()["userId"] == "alice"
    for bad in (token(exp=int(time.time()) - 60), _unsigned(), token(STRANGER)):
        with as_(bad) as client:
            answer = client.get("/api/chat/sessions")
            assert answer.status_code == 401 and answer.json()["code"] == "unauthorized"
    assert httpx.get(f"{server.base_url}/api/chat/sessions").status_code == 401
