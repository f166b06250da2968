"""CORS, secure headers, the cross-site guard on ``GET …/stream?message=``, tokens kept out of the
access log, and audit lines for failed authentication (issue 13), against a real uvicorn server.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.http.security_headers import CONTENT_SECURITY_POLICY
from tests._processes import AdForgeServer, adforge_server
from tests.test_auth_errors import KEYS, api_client, bearer

pytestmark = pytest.mark.integration

ALLOWED = "https://app.example"
EVIL = "https://evil.example"


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("security")


@pytest.fixture(scope="module")
def server(tmp: Path) -> Iterator[AdForgeServer]:
    with adforge_server(tmp / "data", tmp / "server.log", ADFORGE_CORS_ORIGINS=ALLOWED) as running:
        yield running


@pytest.fixture
def api(server: AdForgeServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        yield client


def _history(api: httpx.Client, sid: str) -> list[object]:
    return list(api.get(f"/api/chat/sessions/{sid}/context").json()["history"])


def test_cors_answers_the_configured_origin_only(api: httpx.Client) -> None:
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = api.options("/api/chat/sessions", headers={"Origin": ALLOWED, **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ALLOWED
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    evil = api.options("/api/chat/sessions", headers={"Origin": EVIL, **preflight})
    assert "access-control-allow-origin" not in evil.headers
    listed = api.get("/api/products", headers={"Origin": EVIL})
    assert listed.status_code == 200 and "access-control-allow-origin" not in listed.headers


def test_the_web_app_has_a_csp_without_inline_script(api: httpx.Client) -> None:
    page = api.get("/")
    csp = page.headers["content-security-policy"]
    assert csp == CONTENT_SECURITY_POLICY and "unsafe-inline" not in csp
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    scripts = re.findall(r"<script\b[^>]*>", page.text)
    assert scripts and all("src=" in tag for tag in scripts), scripts  # no inline script
    assert re.search(r"\sstyle=", page.text) is None and " on" not in page.text.split("<body")[0]


def test_json_answers_carry_nosniff_and_referrer_policy(api: httpx.Client) -> None:
    answer = api.get("/api/nothing-here")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"
    assert "content-security-policy" not in answer.headers


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": EVIL},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://sub.example"},
    ],
)
def test_csrf_a_cross_site_get_stream_message_starts_no_run(
    api: httpx.Client, headers: dict[str, str]
) -> None:
    sid = api.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"]
    answer = api.get(
        f"/api/chat/sessions/{sid}/stream", params={"message": "Generate ads"}, headers=headers
    )
    assert answer.status_code == 403 and answer.json()["code"] == "cross_site_request"
    assert _history(api, sid) == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},
        {"Origin": ALLOWED, "Sec-Fetch-Site": "cross-site"},  # allowed by ADFORGE_CORS_ORIGINS
        {},  # curl, SDKs: no browser, nothing to forge
    ],
)
def test_a_same_origin_or_non_browser_get_stream_message_runs(
    api: httpx.Client, headers: dict[str, str]
) -> None:
    sid = api.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"]
    with api.stream(
        "GET",
        f"/api/chat/sessions/{sid}/stream",
        params={"message": "Generate ads"},
        headers=headers,
    ) as stream:
        assert stream.status_code == 200
        stream.read()
    assert _history(api, sid) != []


def test_access_tokens_never_reach_the_access_log(api: httpx.Client, tmp: Path) -> None:
    assert api.get("/api/products", params={"access_token": "sk-secret-1234"}).status_code == 200
    logged = (tmp / "server.log").read_text()
    assert "sk-secret-1234" not in logged
    # The request is still logged, with the token masked (the log formatter masks it too).
    assert "/api/products?access_token=***" in logged or "access_token=[redacted]" in logged


def test_authentication_failures_are_audit_log_lines(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.WARNING, logger="adforge.audit"),
        api_client(tmp_path, api_keys=KEYS) as client,
    ):
        assert client.get("/api/products").status_code == 401
        assert client.get("/api/products", headers=bearer("sk-wrong")).status_code == 401
    lines = [r.getMessage() for r in caplog.records if r.name == "adforge.audit"]
    assert "authentication failed on GET /api/products: no credential" in lines
    assert "authentication failed on GET /api/products: the API key is not valid" in lines
    assert not any("sk-wrong" in line for line in lines)
