"""Catalog routes against the real app and a real SQLite file: products, formats, avatars."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_auth_errors import KEYS, api_client, assert_error, bearer
from tools.avatars import OFFLINE_AVATARS, find_avatar
from tools.catalog import DEMO_PRODUCTS

PRODUCT_KEYS = {"id", "name", "description", "category", "benefits", "price", "source"}


def test_list_starts_with_the_demo_catalog(tmp_path: Path) -> None:
    with api_client(tmp_path) as client:
        body = client.get("/api/products").json()
    assert body["count"] == len(DEMO_PRODUCTS) == len(body["data"])
    assert [p["id"] for p in body["data"]] == [p.id for p in DEMO_PRODUCTS]
    assert all(set(p) == PRODUCT_KEYS and p["source"] == "demo" for p in body["data"])
    assert body["data"][0]["name"] == "Sérum autobronzant progressif"


def test_create_then_get_and_list(tmp_path: Path) -> None:
    with api_client(tmp_path) as client:
        response = client.post(
            "/api/products",
            json={
                "name": "  Glow Drops  ",
                "description": "Face drops for a gradual tan.",
                "benefits": ["Gradual", " ", "Hydrating"],
                "price": "€24",
            },
        )
        assert response.status_code == 201
        created = response.json()
        assert set(created) == PRODUCT_KEYS
        assert re.fullmatch(r"prod-[0-9a-f]{16}", created["id"])
        assert created["name"] == "Glow Drops"
        assert created["benefits"] == ["Gradual", "Hydrating"]
        assert created["category"] == "" and created["source"] == "custom"
        assert response.headers["location"].endswith(f"/api/products/{created['id']}")

        assert client.get(f"/api/products/{created['id']}").json() == created
        listing = client.get("/api/products").json()
        assert listing["count"] == len(DEMO_PRODUCTS) + 1
        assert listing["data"][-1] == created

        demo = client.get("/api/products/1").json()
        assert demo["source"] == "demo" and demo["price"] == "€29"


def test_products_survive_a_restart(tmp_path: Path) -> None:
    with api_client(tmp_path) as client:
        product_id = client.post("/api/products", json={"name": "Durable"}).json()["id"]
    with api_client(tmp_path) as client:
        assert client.get(f"/api/products/{product_id}").json()["name"] == "Durable"


def test_pagination_spans_demo_and_custom_products(tmp_path: Path) -> None:
    with api_client(tmp_path) as client:
        ids = [client.post("/api/products", json={"name": f"P{i}"}).json()["id"] for i in range(3)]
        full = [p["id"] for p in client.get("/api/products", params={"limit": 100}).json()["data"]]
        assert full == [p.id for p in DEMO_PRODUCTS] + ids

        seen: list[str] = []
        for offset in range(0, 10, 3):
            page = client.get("/api/products", params={"limit": 3, "offset": offset}).json()
            assert page["count"] == len(DEMO_PRODUCTS) + 3
            seen += [p["id"] for p in page["data"]]
        assert seen == full

        straddle = client.get("/api/products", params={"limit": 2, "offset": 4}).json()["data"]
        assert [p["source"] for p in straddle] == ["demo", "custom"]
        assert [p["id"] for p in straddle] == [DEMO_PRODUCTS[-1].id, ids[0]]
        beyond = client.get("/api/products", params={"offset": 50}).json()
        assert beyond == {"data": [], "count": len(DEMO_PRODUCTS) + 3}

        assert client.get("/api/products", params={"limit": 101}).status_code == 422
        assert client.get("/api/products", params={"offset": -1}).status_code == 422


def test_unknown_product_is_a_json_404(tmp_path: Path) -> None:
    with api_client(tmp_path) as client:
        response = client.get("/api/products/prod-doesnotexist")
    assert response.status_code == 404
    assert_error(response.json(), "not_found")
    assert "prod-doesnotexist" in response.json()["message"]


def test_products_are_private_to_their_owner(tmp_path: Path) -> None:
    alice, bob = bearer("sk-alice-1"), bearer("sk-bob-2")
    with api_client(tmp_path, api_keys=KEYS) as client:
        mine = client.post("/api/products", json={"name": "Alice only"}, headers=alice).json()
        theirs = client.post("/api/products", json={"name": "Bob only"}, headers=bob).json()

        response = client.get(f"/api/products/{mine['id']}", headers=bob)
        assert response.status_code == 404
        assert_error(response.json(), "not_found")

        alice_list = client.get("/api/products", headers=alice).json()
        bob_list = client.get("/api/products", headers=bob).json()
        assert alice_list["count"] == bob_list["count"] == len(DEMO_PRODUCTS) + 1
        assert alice_list["data"][-1]["id"] == mine["id"]
        assert bob_list["data"][-1]["id"] == theirs["id"]


def test_create_rejects_a_blank_name(tmp_path: Path) -> None:
    with api_client(tmp_path) as client:
        response = client.post("/api/products", json={"name": "   "})
        assert response.status_code == 422
        assert [d["field"] for d in response.json()["details"]] == ["body.name"]
        assert client.get("/api/products").json()["count"] == len(DEMO_PRODUCTS)


def test_formats_list_the_hybrid_format(tmp_path: Path) -> None:
    with api_client(tmp_path) as client:
        formats = client.get("/api/formats").json()["data"]
    assert {f["name"] for f in formats} >= {"Hybrid Format", "Static Carousel"}
    assert all(set(f) == {"name", "description", "mediaTypes", "aspectRatios"} for f in formats)
    hybrid = next(f for f in formats if f["name"] == "Hybrid Format")
    assert hybrid["mediaTypes"] == ["video", "image"] and "9:16" in hybrid["aspectRatios"]


def test_avatar_marketplace_offers_offline_presenters(tmp_path: Path) -> None:
    with api_client(tmp_path) as client:
        body = client.get("/api/avatars/marketplace").json()
        assert body["provider"] == "offline"
        avatars = body["data"]
        assert 6 <= len(avatars) <= 8
        assert len({a["id"] for a in avatars}) == len(avatars)
        assert "avatar-female-45" in {a["id"] for a in avatars}
        keys = {"id", "name", "gender", "ageRange", "style", "previewUrl", "provider", "offline"}
        for avatar in avatars:
            assert set(avatar) == keys
            assert avatar["provider"] == "offline" and avatar["offline"] is True
            preview = client.get(avatar["previewUrl"])
            assert preview.status_code == 200
            assert preview.headers["content-type"].startswith("image/svg+xml")
            assert avatar["name"] in preview.text and "offline" in preview.text
        missing = client.get("/api/avatars/avatar-nobody/preview.svg")
        assert missing.status_code == 404
        assert_error(missing.json(), "not_found")


def test_avatar_preview_needs_no_key_but_the_marketplace_does(tmp_path: Path) -> None:
    with api_client(tmp_path, api_keys=KEYS) as client:
        assert client.get("/api/avatars/marketplace").status_code == 401
        assert client.get("/api/avatars/avatar-female-45/preview.svg").status_code == 200


def test_find_avatar() -> None:
    assert find_avatar("avatar-female-45") is OFFLINE_AVATARS[0]
    assert find_avatar("avatar-none") is None
