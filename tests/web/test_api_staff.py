"""The fulfillment API with bearer tokens, on SQLite and PostgreSQL: who may read and move
orders, what each role sees, field errors, conflicts, revoked tokens; and its place in the
OpenAPI document."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from configurator.services import staff as accounts
from tests.web.staffing import place_order


@pytest.fixture
def shop(make_app, database_url):
    return make_app(database_url=database_url)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_orders_for_tokens_by_role(shop):
    ctx = shop.extensions["configurator"]
    workshop = accounts.create_token(ctx, "Workshop system", "fulfillment")
    merch = accounts.create_token(ctx, "Reports", "merchandiser")
    made = place_order(shop, "k-a")
    client = shop.test_client()
    anonymous = client.get("/api/v1/orders")
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"].startswith(
        "Bearer"
    )
    assert client.get("/api/v1/orders", headers=bearer("cfg_forged")).status_code == 401
    listed = client.get(
        "/api/v1/orders?status=awaiting_payment", headers=bearer(workshop)
    ).get_json()
    (order,) = listed["orders"]
    assert order["number"] == made["number"] and order["customer"]["name"] == "Zoë Example"
    assert any(line["text"] == "KZ7" for line in order["lines"])
    assert (
        client.get("/api/v1/orders?status=paid", headers=bearer(workshop)).get_json()["total"] == 0
    )
    bad = client.get("/api/v1/orders?status=lost", headers=bearer(workshop))
    assert bad.status_code == 422 and "status" in bad.get_json()["fields"]
    seen = client.get("/api/v1/orders", headers=bearer(merch)).get_json()["orders"][0]
    assert seen["customer"] is None and seen["note"] is None
    url = f"/api/v1/orders/{made['number']}/status"
    assert client.post(url, json={"status": "paid"}, headers=bearer(merch)).status_code == 403
    paid = client.post(
        url, json={"status": "paid", "seen": "awaiting_payment"}, headers=bearer(workshop)
    )
    assert paid.status_code == 200 and paid.get_json()["status"] == "paid"
    again = client.post(
        url, json={"status": "paid", "seen": "awaiting_payment"}, headers=bearer(workshop)
    )
    assert again.status_code == 409
    ship = client.post(url, json={"status": "shipped"}, headers=bearer(workshop))
    assert ship.status_code == 409  # paid cannot be shipped before production
    client.post(url, json={"status": "in_production"}, headers=bearer(workshop))
    missing = client.post(url, json={"status": "shipped"}, headers=bearer(workshop))
    assert missing.status_code == 422 and {"carrier", "tracking"} <= set(
        missing.get_json()["fields"]
    )
    shipped = client.post(
        url,
        json={"status": "shipped", "carrier": "DHL", "tracking": "JD1"},
        headers=bearer(workshop),
    ).get_json()
    assert shipped["history"][-1] == {**shipped["history"][-1], "carrier": "DHL", "tracking": "JD1"}
    unknown = client.post(
        "/api/v1/orders/HLM-2026-999999/status", json={"status": "paid"}, headers=bearer(workshop)
    )
    assert unknown.status_code == 404
    (row,) = [t for t in accounts.tokens(ctx) if t["name"] == "Workshop system"]
    accounts.revoke_token(ctx, row["id"])
    assert client.get("/api/v1/orders", headers=bearer(workshop)).status_code == 401


def test_the_openapi_document_declares_the_bearer_operations(shop):
    document = shop.test_client().get("/api/v1/openapi.json").get_json()
    validate(document)
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    listing = document["paths"]["/orders"]["get"]
    assert listing["security"] == [{"bearer": []}] and {"401", "403", "422"} <= set(
        listing["responses"]
    )
    assert {p["name"] for p in listing["parameters"]} == {"status", "q", "page"}
    change = document["paths"]["/orders/{number}/status"]["post"]
    assert {"401", "403", "404", "409", "422"} <= set(change["responses"])
