"""The strict HeyGen fake refuses what edition 2026-07-21 does not document, as HeyGen answers.

One test per documented refusal, sent as raw HTTP (not through the client, which never sends
them: ``tests/test_heygen_provider.py`` checks that after every render). A valid request is
accepted first, so each refusal is caused by the one thing the test changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.fakes.heygen_server import DEFAULT_LOOKS, FakeHeyGen

VALID: dict[str, Any] = {
    "type": "avatar",
    "avatar_id": "Brandon_casual_2024",
    "script": "Hello there.",
    "voice_id": "2d5b0e6cf36f460aa7fc47e3eee4ba54",
    "resolution": "1080p",
    "aspect_ratio": "9:16",
    "title": "t",
    "callback_id": "job-1",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeHeyGen]:
    with FakeHeyGen(tmp_path_factory.mktemp("refusals-media")) as running:
        yield running


@pytest.fixture
def api(server: FakeHeyGen) -> Iterator[httpx.Client]:
    server.reset()
    headers = {"x-api-key": server.api_key}
    with httpx.Client(base_url=server.url, headers=headers, timeout=10) as client:
        yield client


def refusal(response: httpx.Response, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["doc_url"].startswith("https://developers.heygen.com/docs/error-codes#")
    return error


def test_a_documented_request_is_accepted(api: httpx.Client, server: FakeHeyGen) -> None:
    answer = api.post("/v3/videos", json=VALID, headers={"Idempotency-Key": "job-1"})

    assert answer.status_code == 200 and answer.json()["data"]["status"] == "pending"
    assert server.submissions == 1 and server.refusals == []


@pytest.mark.parametrize("field", ["dimension", "video_inputs", "test", "voice"])
def test_an_unknown_field_is_refused(api: httpx.Client, server: FakeHeyGen, field: str) -> None:
    error = refusal(api.post("/v3/videos", json={**VALID, field: "x"}))

    assert (error["code"], error["param"]) == ("invalid_parameter", field)
    assert server.submissions == 0 and len(server.refusals) == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("aspect_ratio", "3:2"), ("aspect_ratio", "4k"), ("resolution", "8k"), ("fit", "fill")],
)
def test_an_unsupported_enum_value_is_refused(api: httpx.Client, field: str, value: str) -> None:
    error = refusal(api.post("/v3/videos", json={**VALID, field: value}))

    assert (error["code"], error["param"]) == ("invalid_parameter", field)
    assert "must be one of" in error["message"]


@pytest.mark.parametrize("field", ["type", "avatar_id"])
def test_a_missing_required_field_is_refused(api: httpx.Client, field: str) -> None:
    body = {k: v for k, v in VALID.items() if k != field}

    error = refusal(api.post("/v3/videos", json=body))

    assert (error["code"], error["param"]) == ("invalid_parameter", field)


def test_a_script_without_voice_for_a_look_without_default_voice_is_refused(
    api: httpx.Client,
) -> None:
    no_voice = [look["id"] for look in DEFAULT_LOOKS if look["default_voice_id"] is None]
    assert len(no_voice) >= 2, "the fake's data has looks without a default voice"
    body = {k: v for k, v in VALID.items() if k != "voice_id"}

    for look_id in no_voice:
        error = refusal(api.post("/v3/videos", json={**body, "avatar_id": look_id}))
        assert (error["code"], error["param"]) == ("invalid_parameter", "voice_id")
    # The edition lets a look with a default voice speak without voice_id.
    assert api.post("/v3/videos", json=body).status_code == 200


def test_a_wrong_json_type_is_refused(api: httpx.Client) -> None:
    error = refusal(api.post("/v3/videos", json={**VALID, "script": 42}))

    assert (error["code"], error["param"]) == ("invalid_parameter", "script")


def test_an_unknown_voice_is_refused(api: httpx.Client) -> None:
    error = refusal(api.post("/v3/videos", json={**VALID, "voice_id": "no-such-voice"}))

    assert error["param"] == "voice_id"


def test_an_unknown_avatar_is_not_found(api: httpx.Client) -> None:
    error = refusal(api.post("/v3/videos", json={**VALID, "avatar_id": "nobody"}), 404)

    assert error["code"] == "not_found"


def test_a_malformed_idempotency_key_is_refused(api: httpx.Client) -> None:
    answer = api.post("/v3/videos", json=VALID, headers={"Idempotency-Key": "has spaces/slash"})

    assert refusal(answer)["param"] == "Idempotency-Key"


@pytest.mark.parametrize(
    ("path", "query", "param"),
    [
        ("/v3/avatars/looks", {"limit": "51"}, "limit"),
        ("/v3/avatars/looks", {"page": "2"}, "page"),
        ("/v3/avatars/looks", {"avatar_type": "cartoon"}, "avatar_type"),
        ("/v3/voices", {"limit": "0"}, "limit"),
        ("/v3/voices", {"type": "shared"}, "type"),
        ("/v3/voices", {"locale": "en-US"}, "locale"),
    ],
)
def test_list_calls_refuse_undocumented_queries(
    api: httpx.Client, path: str, query: dict[str, str], param: str
) -> None:
    error = refusal(api.get(path, params=query))

    assert (error["code"], error["param"]) == ("invalid_parameter", param)


def test_a_wrong_key_is_unauthorized(api: httpx.Client) -> None:
    answer = api.get("/v3/voices", headers={"x-api-key": "wrong"})

    assert refusal(answer, 401)["code"] == "unauthorized"


def test_the_voice_list_filters_by_language_and_gender(api: httpx.Client) -> None:
    voices = api.get("/v3/voices", params={"language": "French", "gender": "female"}).json()

    assert [(v["language"], v["gender"]) for v in voices["data"]] == [("French", "female")]
    assert voices["has_more"] is False
