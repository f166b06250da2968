"""API keys and the one JSON error shape of the Ad Forge API (design invariants 10 and 11)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import NoMatchFound

from server.app import create_app
from server.core.products import open_product_store
from server.http import errors
from server.http.auth import parse_api_keys
from server.http.errors import ApiError
from server.protocols.adforge import catalog, generate
from server.settings import Settings

ERROR_KEYS = {"type", "message", "code", "retryable"}
KEYS = "sk-alice-1:alice,sk-bob-2:bob"


def _wire(app: FastAPI, settings: Settings) -> None:
    """Install what this work provides unless ``create_app`` already does (the lead wires it)."""
    try:  # FastAPI >= 0.165 keeps included routers whole: look up by name, not by path
        app.url_path_for("list_products")
    except NoMatchFound:
        errors.install(app)
        app.include_router(catalog.router)
        app.include_router(generate.router)
    original = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[Any]:
        async with original(app_) as state:
            if getattr(app_.state, "products", None) is not None:
                yield state
                return
            async with open_product_store(settings.database_path) as store:
                app_.state.products = store
                yield state

    app.router.lifespan_context = lifespan


@contextmanager
def api_client(
    data_dir: Path,
    *,
    api_keys: str | None = None,
    configure: Callable[[FastAPI], None] | None = None,
) -> Iterator[TestClient]:
    """The real app on a real SQLite file in ``data_dir``, lifespan running."""
    # Settings fields are set through their environment names (the model has no populate_by_name).
    settings = Settings(ADFORGE_DATA_DIR=str(data_dir), ADFORGE_API_KEYS=api_keys)
    assert settings.data_dir == data_dir and settings.api_keys == api_keys
    app = create_app(settings)
    _wire(app, settings)
    if configure is not None:
        configure(app)
    with TestClient(app) as client:
        yield client


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def assert_error(body: Any, code: str, *, retryable: bool = False) -> None:
    assert set(body) - {"details"} == ERROR_KEYS, body
    assert body["type"] == "error"
    assert body["code"] == code
    assert body["retryable"] is retryable
    assert isinstance(body["message"], str) and body["message"]


# --- parse_api_keys ----------------------------------------------------------------------------


def test_parse_api_keys_reads_pairs_and_ignores_blanks() -> None:
    assert parse_api_keys(" sk-a:alice , ,sk-b:bob,") == {"sk-a": "alice", "sk-b": "bob"}
    assert parse_api_keys(None) == {}
    assert parse_api_keys("") == {}


@pytest.mark.parametrize("raw", ["sk-a", "sk-a:", ":bob", "sk-a:alice,sk-a:bob"])
def test_parse_api_keys_rejects_malformed_settings(raw: str) -> None:
    with pytest.raises(ValueError, match="ADFORGE_API_KEYS"):
        parse_api_keys(raw)


# --- authentication ----------------------------------------------------------------------------


def test_without_keys_every_request_is_the_local_user(tmp_path: Path) -> None:
    with api_client(tmp_path) as client:
        assert client.get("/api/formats").status_code == 200
        created = client.post("/api/products", json={"name": "Local thing"}).json()
        # Any bearer token is ignored: there is only one user.
        got = client.get(f"/api/products/{created['id']}", headers=bearer("whatever"))
        assert got.status_code == 200


def test_keys_configured_a_request_without_a_key_is_401(tmp_path: Path) -> None:
    with api_client(tmp_path, api_keys=KEYS) as client:
        response = client.get("/api/products")
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert_error(response.json(), "unauthorized")


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer sk-nobody"},
        {"Authorization": "Bearer sk-alice-1x"},
        {"Authorization": "Basic c2stYWxpY2UtMTo="},
    ],
)
def test_keys_configured_a_wrong_key_is_401(tmp_path: Path, headers: dict[str, str]) -> None:
    with api_client(tmp_path, api_keys=KEYS) as client:
        response = client.get("/api/formats", headers=headers)
        assert response.status_code == 401
        assert_error(response.json(), "unauthorized")


def test_bearer_key_and_access_token_query_both_authenticate(tmp_path: Path) -> None:
    with api_client(tmp_path, api_keys=KEYS) as client:
        assert client.get("/api/formats", headers=bearer("sk-alice-1")).status_code == 200
        assert client.get("/api/formats", params={"access_token": "sk-bob-2"}).status_code == 200
        for wrong in ("sk-bob-3", "sk-ålice", ""):
            bad = client.get("/api/formats", params={"access_token": wrong})
            assert bad.status_code == 401, wrong
            assert_error(bad.json(), "unauthorized")


def test_the_key_decides_the_owner(tmp_path: Path) -> None:
    with api_client(tmp_path, api_keys=KEYS) as client:
        created = client.post(
            "/api/products", json={"name": "Alice's"}, headers=bearer("sk-alice-1")
        )
        assert created.status_code == 201
        product_id = created.json()["id"]
        as_alice = client.get(f"/api/products/{product_id}", params={"access_token": "sk-alice-1"})
        assert as_alice.status_code == 200
        as_bob = client.get(f"/api/products/{product_id}", headers=bearer("sk-bob-2"))
        assert as_bob.status_code == 404


def test_health_stays_open_when_keys_are_configured(tmp_path: Path) -> None:
    with api_client(tmp_path, api_keys=KEYS) as client:
        assert client.get("/health").status_code == 200


# --- the error shape ---------------------------------------------------------------------------


def test_validation_error_names_the_bad_fields(tmp_path: Path) -> None:
    with api_client(tmp_path) as client:
        response = client.post("/api/products", json={"description": "no name", "benefits": "x"})
        assert response.status_code == 422
        body = response.json()
        assert_error(body, "invalid_request")
        fields = {d["field"] for d in body["details"]}
        assert {"body.name", "body.benefits"} <= fields
        assert "body.name" in body["message"] and "body.benefits" in body["message"]
        assert all(set(d) == {"field", "message", "type"} for d in body["details"])

        query = client.get("/api/products", params={"limit": 0})
        assert query.status_code == 422
        assert [d["field"] for d in query.json()["details"]] == ["query.limit"]


def test_malformed_json_is_a_422_in_the_same_shape(tmp_path: Path) -> None:
    with api_client(tmp_path) as client:
        response = client.post(
            "/api/products", content=b'{"name": ', headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 422
        assert_error(response.json(), "invalid_request")


def test_unknown_route_and_wrong_method_answer_json(tmp_path: Path) -> None:
    with api_client(tmp_path) as client:
        missing = client.get("/api/nothing-here")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/json"
        assert_error(missing.json(), "not_found")
        assert "/api/nothing-here" in missing.json()["message"]

        wrong = client.delete("/api/formats")
        assert wrong.status_code == 405
        assert_error(wrong.json(), "method_not_allowed")
        assert "GET" in wrong.headers["allow"]


def test_api_error_carries_status_code_retryable_and_headers(tmp_path: Path) -> None:
    def configure(app: FastAPI) -> None:
        @app.get("/boom/api-error")
        async def api_error() -> None:
            raise ApiError(
                429, "slow_down", "too many requests", retryable=True, headers={"Retry-After": "3"}
            )

        @app.get("/boom/conflict")
        async def conflict() -> None:
            raise errors.conflict("run_in_progress", "a run is already going")

    with api_client(tmp_path, configure=configure) as client:
        limited = client.get("/boom/api-error")
        assert limited.status_code == 429
        assert limited.headers["Retry-After"] == "3"
        assert_error(limited.json(), "slow_down", retryable=True)
        clash = client.get("/boom/conflict")
        assert clash.status_code == 409
        assert_error(clash.json(), "run_in_progress")


def test_an_unhandled_exception_is_a_logged_json_500(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def configure(app: FastAPI) -> None:
        @app.get("/boom/bug")
        async def bug() -> None:
            raise RuntimeError("kaboom-7731")

    with api_client(tmp_path, configure=configure) as client, caplog.at_level(logging.ERROR):
        response = client.get("/boom/bug")
        assert response.status_code == 500
        assert_error(response.json(), "internal_error", retryable=True)
        assert "kaboom" not in response.json()["message"]  # internals stay in the log
        # The server keeps answering after a bug.
        assert client.get("/api/formats").status_code == 200
    logged = [r for r in caplog.records if r.exc_info and "kaboom-7731" in str(r.exc_info[1])]
    assert logged, "the 500 must be logged with its traceback"
    assert "/boom/bug" in logged[0].getMessage()


def test_openapi_documents_every_route_with_its_error_shape(tmp_path: Path) -> None:
    with api_client(tmp_path) as client:
        spec = client.get("/openapi.json").json()
    ours = {
        (method, path): op
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if path.startswith(("/api/products", "/api/formats", "/api/avatars"))
        or path.endswith("/generate")
    }
    assert len(ours) == 10
    for (method, path), op in ours.items():
        assert op.get("summary"), (method, path)
        ok = next(code for code in op["responses"] if code.startswith("2"))
        assert op["responses"][ok].get("content"), (method, path)
        error = op["responses"]["404"]["content"]["application/json"]["schema"]
        assert error == {"$ref": "#/components/schemas/ErrorPublic"}
    assert {"HTTPBearer", "APIKeyQuery"} <= set(spec["components"]["securitySchemes"])
