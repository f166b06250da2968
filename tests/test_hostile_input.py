"""Hostile input against a real uvicorn server: every finding of issue 13 gets a clear 4xx.

Each test is named after what a hostile client measured (design invariant 10): bodies over the
limit, JSON nested 10,000 deep, lone surrogates and NUL bytes, ChatKit messages that used to be
cut, a ``text/plain`` body on ``/chatkit``, huge pagination offsets, a 1 MB ``?message=``. Each
asserts the Ad Forge JSON error and, where something could have been written, that nothing was.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from tests._processes import AdForgeServer, adforge_server
from tests.http_flows import chatkit_create

pytestmark = pytest.mark.integration

ERROR_KEYS = {"type", "message", "code", "retryable"}
LIMIT = 200_000  # ADFORGE_MAX_BODY_BYTES for this server


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="module")
def server(tmp: Path) -> Iterator[AdForgeServer]:
    env = {"ADFORGE_MAX_BODY_BYTES": str(LIMIT), "ADFORGE_MAX_JSON_ITEMS": "50"}
    with adforge_server(tmp / "data", tmp / "server.log", **env) as running:
        yield running


@pytest.fixture
def api(server: AdForgeServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


def _error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) - {"details"} == ERROR_KEYS, body
    assert body["type"] == "error" and body["code"] == code and body["retryable"] is False
    return body


def _raw(server: AdForgeServer, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes httpx would refuse to build; return status, headers and body."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), {k.lower(): v for k, v in headers.items()}, body


def _session_count(api: httpx.Client) -> int:
    return int(api.get("/api/chat/sessions").json()["count"])


def _thread_count(api: httpx.Client) -> int:
    listed = api.post("/chatkit", json={"type": "threads.list", "params": {}})
    assert listed.status_code == 200, listed.text
    return len(listed.json()["data"])


def test_a_body_over_the_limit_is_413_before_it_is_read(server: AdForgeServer) -> None:
    # Content-Length announces 20 MB and nothing follows: the answer cannot wait for the body.
    status, headers, body = _raw(
        server,
        b"POST /chatkit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 20000000\r\nConnection: close\r\n\r\n",
    )
    assert status == 413 and headers["content-type"] == "application/json"
    assert json.loads(body)["code"] == "payload_too_large"


def test_a_20mb_chunked_session_create_is_413(api: httpx.Client) -> None:
    before = _session_count(api)

    def chunks() -> Iterator[bytes]:
        yield b'{"productId": "1", "format": "'
        for _ in range(40):
            yield b"a" * 500_000
        yield b'"}'

    response = api.post(
        "/api/chat/sessions", content=chunks(), headers={"Content-Type": "application/json"}
    )
    _error(response, 413, "payload_too_large")
    assert _session_count(api) == before


def test_the_heygen_webhook_refuses_an_oversized_body_unread(server: AdForgeServer) -> None:
    status, _, body = _raw(
        server,
        b"POST /api/webhooks/heygen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 20000000\r\nConnection: close\r\n\r\n",
    )
    assert status == 413 and json.loads(body)["code"] == "payload_too_large"


def test_json_nested_10000_deep_on_chatkit_is_422(api: httpx.Client) -> None:
    nested = b'{"type": "threads.create", "params": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    response = api.post("/chatkit", content=nested, headers={"Content-Type": "application/json"})
    assert "nested" in _error(response, 422, "invalid_request")["message"]


def test_a_lone_surrogate_in_a_chatkit_message_is_422(api: httpx.Client) -> None:
    before = _thread_count(api)
    body = json.dumps(chatkit_create("hello \ud800")).encode()  # ensure_ascii keeps it escaped
    response = api.post("/chatkit", content=body, headers={"Content-Type": "application/json"})
    assert "surrogate" in _error(response, 422, "invalid_request")["message"]
    assert _thread_count(api) == before


def test_nul_in_a_message_is_422_and_records_nothing(api: httpx.Client) -> None:
    sid = api.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"]
    response = api.post(f"/api/chat/sessions/{sid}/messages", json={"message": "hi\x00there"})
    assert "NUL" in _error(response, 422, "invalid_request")["message"]
    assert api.get(f"/api/chat/sessions/{sid}/context").json()["history"] == []


def test_nul_in_a_product_name_is_422(api: httpx.Client) -> None:
    before = api.get("/api/products").json()["count"]
    response = api.post(
        "/api/products",
        json={"name": "Glow\x00Serum", "category": "beauty", "description": "A serum."},
    )
    _error(response, 422, "invalid_request")
    assert api.get("/api/products").json()["count"] == before


def test_nul_in_the_url_is_422(api: httpx.Client) -> None:
    _error(api.get("/api/products/a%00b"), 422, "invalid_request")
    _error(api.get("/api/assets", params={"sessionId": "a\x00b"}), 422, "invalid_request")


@pytest.mark.parametrize("length", [200_000 // 2, 4001])
def test_chatkit_over_long_messages_are_refused_not_cut(api: httpx.Client, length: int) -> None:
    before = _thread_count(api)
    response = api.post("/chatkit", json=chatkit_create("a" * length))
    assert "at most 4000" in _error(response, 422, "invalid_request")["message"]
    assert _thread_count(api) == before


def test_a_chatkit_body_over_the_limit_is_413(api: httpx.Client) -> None:
    response = api.post("/chatkit", json=chatkit_create("a" * (LIMIT + 1)))
    _error(response, 413, "payload_too_large")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_non_json_body_on_chatkit_is_415(api: httpx.Client, content_type: str) -> None:
    body = json.dumps(chatkit_create("hi")).encode()
    response = api.post("/chatkit", content=body, headers={"Content-Type": content_type})
    _error(response, 415, "unsupported_media_type")


def test_context_and_selections_over_the_item_limit_are_422(api: httpx.Client) -> None:
    sid = api.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"]
    for field in ("context", "selections"):
        big = {f"k{i}": i for i in range(51)}
        response = api.post(
            f"/api/chat/sessions/{sid}/messages", json={"message": "hi", field: big}
        )
        assert "51 items" in _error(response, 422, "invalid_request")["message"]
    assert api.get(f"/api/chat/sessions/{sid}/context").json()["history"] == []


@pytest.mark.parametrize("offset", [str(2**63), str(2**64), "99999999999999999999"])
@pytest.mark.parametrize("route", ["/api/products", "/assets"])
def test_pagination_offsets_beyond_the_bound_are_422(
    api: httpx.Client, route: str, offset: str
) -> None:
    response = api.get(route, params={"offset": offset})
    assert _error(response, 422, "invalid_request")["details"][0]["field"] == "query.offset"


def test_a_1mb_stream_message_answers_the_json_error_shape(server: AdForgeServer) -> None:
    target = "/api/chat/sessions/sess-x/stream?message=" + "a" * 1_000_000
    status, headers, body = _raw(
        server, f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
    )
    assert status == 400 and headers["content-type"] == "application/json"
    error = json.loads(body)
    assert set(error) == ERROR_KEYS and error["code"] == "bad_request"


def test_a_websocket_frame_with_hostile_json_answers_an_error_frame(
    server: AdForgeServer, api: httpx.Client
) -> None:
    sid = api.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"]
    frames = [
        "[" * 10_000 + "]" * 10_000,
        json.dumps({"type": "message", "message": "hi \ud800"}),
        json.dumps({"type": "message", "message": "hi\x00"}),
    ]
    with connect(f"ws://127.0.0.1:{server.port}/ws/chat/{sid}", open_timeout=10) as ws:
        for frame in frames:
            ws.send(frame)
            while (answer := json.loads(ws.recv(timeout=10)))["type"] != "error":
                pass
            assert answer["code"] == "invalid_request", answer
        ws.send(json.dumps({"type": "ping"}))  # the socket stays open
        while json.loads(ws.recv(timeout=10))["type"] != "pong":
            pass
    assert api.get(f"/api/chat/sessions/{sid}/context").json()["history"] == []


def test_refusals_are_audit_log_lines(api: httpx.Client, tmp: Path) -> None:
    api.post("/chatkit", content=b"x", headers={"Content-Type": "text/plain"})
    text = (tmp / "server.log").read_text()  # JSON lines: the server's stdout is not a terminal
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    audit = [line["message"] for line in lines if line.get("logger") == "adforge.audit"]
    assert "refused POST /chatkit: 415 unsupported_media_type" in audit
