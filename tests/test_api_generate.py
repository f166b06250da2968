"""The stateless generate routes with the offline model: the guide's message shapes, end to end."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

import graph.steps as graph_steps
from graph.structured import CreativeGenerationError
from server.protocols.adforge.generate_schemas import (
    AnglePublic,
    ConceptPublic,
    PersonaPublic,
)
from tests.test_auth_errors import KEYS, api_client, assert_error, bearer
from tools.catalog import find_product
from tools.compliance import attach
from tools.creative.engine import generate as offline_generate
from tools.creative.models import (
    AngleSet,
    ConceptSet,
    CreativeBrief,
    PersonaSet,
    angle_to_wire,
    concept_to_wire,
    persona_to_wire,
)

PERSONA_KEYS = {
    "id", "name", "avatar", "label", "category", "labelColor", "age", "ageRange", "gender",
    "location", "description", "traits", "keyTraits", "painPoints", "desires", "features",
    "compliance",
}  # fmt: skip
ANGLE_KEYS = {"id", "title", "score", "description", "metrics", "reason", "compliance"}
CONCEPT_KEYS = {
    "id", "title", "score", "description", "hook", "fullScript", "callToAction",
    "visualDirection", "metrics", "compliance",
}  # fmt: skip
OFFLINE = {"model": "offline:adforge-creative-1", "offline": True}
VIDEO = {
    "script": {"hook": "Wait—", "body": ["Beat one.", "Beat two."], "cta": "Try it today"},
    "productName": "Sérum autobronzant progressif",
}


@pytest.fixture
def client(tmp_path: Path) -> Any:
    with api_client(tmp_path) as opened:
        yield opened


def _personas(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/api/personas/generate", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def test_personas_by_product_id_have_the_guide_shape(client: TestClient) -> None:
    body = _personas(client, productId="1", format="Hybrid Format")
    assert body["type"] == "audience_group"
    data = body["data"]
    assert data["productName"] == "Sérum autobronzant progressif"
    assert data["generation"] == OFFLINE
    assert data["reasoning"] and all(isinstance(r, str) for r in data["reasoning"])
    audiences = data["audiences"]
    assert [a["id"] for a in audiences] == ["aud-1", "aud-2", "aud-3", "aud-4"]
    for persona in audiences:
        assert set(persona) == PERSONA_KEYS
        assert persona["label"] == persona["category"] and persona["age"] == persona["ageRange"]
        assert persona["traits"] == persona["keyTraits"] and len(persona["painPoints"]) >= 2


def test_personas_match_what_the_workflow_writes(client: TestClient) -> None:
    product = find_product("4")
    assert product is not None
    expected = offline_generate(CreativeBrief(task="personas", product=product, hint="runners"))
    assert isinstance(expected, PersonaSet)
    data = _personas(client, productId="4", hint="runners")["data"]
    category = product.category
    assert data["audiences"] == [
        attach("persona", persona_to_wire(d, i), product=product.name, category=category)
        for i, d in enumerate(expected.personas)
    ]


def test_hint_steers_the_personas(client: TestClient) -> None:
    plain = _personas(client, productId="4")["data"]
    steered = _personas(client, productId="4", hint="runners over 40")["data"]
    assert steered["audiences"][0]["name"] == "Runners Over 40"
    assert plain["audiences"][0]["name"] != "Runners Over 40"
    assert any("runners over 40" in line for line in steered["reasoning"])


def test_personas_for_an_inline_product(client: TestClient) -> None:
    product = {
        "name": "Trail Mix Bars",
        "description": "Oat and nut bars for long hikes.",
        "category": "Food",
    }
    data = _personas(client, product=product, mediaType="image")["data"]
    assert data["productName"] == "Trail Mix Bars" and len(data["audiences"]) == 4


def test_personas_for_the_callers_own_product(tmp_path: Path) -> None:
    with api_client(tmp_path, api_keys=KEYS) as client:
        alice, bob = bearer("sk-alice-1"), bearer("sk-bob-2")
        created = client.post("/api/products", json={"name": "Alice Tea"}, headers=alice).json()
        ok = client.post("/api/personas/generate", json={"productId": created["id"]}, headers=alice)
        assert ok.status_code == 200 and ok.json()["data"]["productName"] == "Alice Tea"
        other = client.post(
            "/api/personas/generate", json={"productId": created["id"]}, headers=bob
        )
        assert other.status_code == 404
        assert_error(other.json(), "not_found")
        assert client.post("/api/personas/generate", json={"productId": "1"}).status_code == 401


@pytest.mark.parametrize(
    "path", ["/api/personas/generate", "/api/angles/generate", "/api/scripts/generate"]
)
def test_unknown_product_id_is_404(client: TestClient, path: str) -> None:
    body = {"productId": "no-such-product", "persona": "Runners", "angle": "Speed"}
    response = client.post(path, json=body)
    assert response.status_code == 404
    assert_error(response.json(), "not_found")
    assert "no-such-product" in response.json()["message"]


@pytest.mark.parametrize(
    "body",
    [{}, {"productId": "1", "product": {"name": "Both"}}, {"productId": "1", "mediaType": "audio"}],
)
def test_personas_request_must_name_one_product(client: TestClient, body: dict[str, Any]) -> None:
    response = client.post("/api/personas/generate", json=body)
    assert response.status_code == 422
    assert_error(response.json(), "invalid_request")


def test_angles_for_a_persona_object_or_name(client: TestClient) -> None:
    persona = _personas(client, productId="1")["data"]["audiences"][0]
    response = client.post("/api/angles/generate", json={"productId": "1", "persona": persona})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["type"] == "marketing_angle"
    data = body["data"]
    assert data["productName"] == "Sérum autobronzant progressif"
    assert data["personaName"] == persona["name"] and data["generation"] == OFFLINE
    assert 2 <= len(data["angles"]) <= 3
    for i, angle in enumerate(data["angles"]):
        assert set(angle) == ANGLE_KEYS and angle["id"] == f"ang-{i + 1}"
        assert set(angle["metrics"]) == {"emotion", "proof", "differentiation"}

    by_name = client.post(
        "/api/angles/generate", json={"productId": "1", "persona": {"name": "Busy Parents"}}
    )
    assert by_name.status_code == 200
    as_string = client.post(
        "/api/angles/generate", json={"productId": "1", "persona": "Busy Parents"}
    )
    assert as_string.json()["data"]["angles"] == by_name.json()["data"]["angles"]
    assert client.post("/api/angles/generate", json={"productId": "1"}).status_code == 422


def test_scripts_carry_the_script_details(client: TestClient) -> None:
    persona = _personas(client, productId="2")["data"]["audiences"][1]
    angles = client.post("/api/angles/generate", json={"productId": "2", "persona": persona}).json()
    angle = angles["data"]["angles"][0]
    response = client.post(
        "/api/scripts/generate",
        json={"productId": "2", "persona": persona, "angle": angle, "format": "hybrid format"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["type"] == "psychology_selection"
    data = body["data"]
    assert data["productName"] == "Flora Balance Daily Probiotic"
    assert data["formatName"] == "Hybrid Format" and data["generation"] == OFFLINE
    assert 2 <= len(data["concepts"]) <= 3
    for i, concept in enumerate(data["concepts"]):
        assert set(concept) == CONCEPT_KEYS and concept["id"] == f"psych-{i + 1}"
        assert concept["score"].endswith("/10")
        assert len(concept["fullScript"].split()) >= 30
        assert concept["callToAction"] and concept["visualDirection"]

    product = find_product("2")
    assert product is not None
    brief = CreativeBrief(task="concepts", product=product, persona=persona, angle=angle)
    expected = offline_generate(brief)
    assert isinstance(expected, ConceptSet)
    shown = [{k: v for k, v in c.items() if k != "compliance"} for c in data["concepts"]]
    assert shown == [concept_to_wire(d, i) for i, d in enumerate(expected.concepts)]


def test_a_failed_generation_is_a_retryable_502(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def failing(
        model: object, schema: type[BaseModel], brief: CreativeBrief, **_: object
    ) -> BaseModel:
        raise CreativeGenerationError(
            brief.task, 3, ["personas: List should have at least 4 items"]
        )

    monkeypatch.setattr(
        graph_steps, "generate_structured", failing
    )  # the shared step the route runs
    for path in ("/api/personas/generate", "/api/angles/generate", "/api/scripts/generate"):
        response = client.post(path, json={"productId": "1", "persona": "P", "angle": "A"})
        assert response.status_code == 502, path
        assert_error(response.json(), "ai_generation_error", retryable=True)
        assert "after 3 attempts" in response.json()["message"]


def test_public_models_carry_every_wire_field() -> None:
    """A field added to a *_to_wire helper must be added to the response model too."""
    product = find_product("1")
    assert product is not None
    personas = offline_generate(CreativeBrief(task="personas", product=product))
    angles = offline_generate(CreativeBrief(task="angles", product=product))
    concepts = offline_generate(CreativeBrief(task="concepts", product=product))
    assert isinstance(personas, PersonaSet) and isinstance(angles, AngleSet)
    assert isinstance(concepts, ConceptSet)
    risky = {"hook": "Are you perimenopausal?", "compliance": None}
    pairs: list[tuple[type[BaseModel], dict[str, Any]]] = [
        (PersonaPublic, attach("persona", persona_to_wire(personas.personas[0], 0))),
        (AnglePublic, attach("angle", angle_to_wire(angles.angles[0], 0))),
        (ConceptPublic, attach("concept", concept_to_wire(concepts.concepts[0], 0) | risky)),
    ]
    assert pairs[2][1]["compliance"]["findings"], "a finding's every field is in the model"
    for model, wire in pairs:
        assert model.model_validate(wire).model_dump(by_alias=True) == wire


# --- videos ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"productName": "X"},
        {**VIDEO, "resolution": "640x480"},
        {**VIDEO, "script": {"hook": "h", "body": [], "cta": "c"}},
        {**VIDEO, "productName": ""},
    ],
)
def test_video_request_is_validated_first(client: TestClient, body: dict[str, Any]) -> None:
    response = client.post("/api/videos/generate", json=body)
    assert response.status_code == 422
    assert_error(response.json(), "invalid_request")


def test_video_with_an_unknown_avatar_is_404(client: TestClient) -> None:
    response = client.post("/api/videos/generate", json={**VIDEO, "avatarId": "avatar-nobody"})
    assert response.status_code == 404
    assert_error(response.json(), "not_found")


def test_a_video_without_a_session_renders_once_as_a_durable_job(client: TestClient) -> None:
    body = {**VIDEO, "script": {**VIDEO["script"], "body": "One string body."}}  # type: ignore[dict-item]
    response = client.post("/api/videos/generate", json=body)
    assert response.status_code == 202
    queued = response.json()
    assert queued["status"] in {"queued", "running"} and queued["estimatedTime"].endswith("s")
    again = client.post("/api/videos/generate", json=body).json()
    assert again["jobId"] == queued["jobId"]  # the same request is the same job

    deadline = time.monotonic() + 120
    while (job := client.get(f"/api/jobs/{queued['jobId']}").json())["status"] != "completed":
        assert job["status"] in {"queued", "in_progress"}, job
        assert time.monotonic() < deadline, "the render never finished"
        time.sleep(0.2)
    assert job["attempts"] == 1 and job["result"]["resolution"] == "1080x1920"
    video = client.get(job["result"]["url"])
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
