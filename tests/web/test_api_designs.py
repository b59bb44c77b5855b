"""The API's saved-design verbs, as a headless storefront uses them, on both databases."""

from __future__ import annotations

import pytest


@pytest.fixture
def api(make_app, database_url):
    return make_app(database_url=database_url).test_client()


def consent(api) -> dict:
    notice = api.get("/api/v1/notices/keep-designs").get_json()
    assert notice["purpose"] == "keep-designs" and "What we keep" in notice["text"]
    return {"granted": True, "notice_sha256": notice["sha256"]}


def test_save_read_update_share_revoke_delete(api):
    body = {
        "selections": {"shell_type": "open_face", "monogram": "AB"},
        "name": "Headless",
        "consent": consent(api),
        "share_days": 7,
    }
    made = api.post("/api/v1/products/helmet/designs", json=body)
    assert made.status_code == 201, made.get_json()
    saved = made.get_json()
    token, keyring, share = saved["design"]["token"], saved["keyring"], saved["share_token"]
    assert len(keyring) >= 43 and len(token) >= 22 and share
    assert "Set-Cookie" not in made.headers  # the API holds no cookie
    assert saved["design"]["selections"] == {"shell_type": "open_face", "monogram": "AB"}
    assert api.get(f"/api/v1/designs/{token}").get_json()["name"] == "Headless"
    # a second save into the same keyring makes no new keyring
    again = api.post(
        "/api/v1/products/helmet/designs",
        json={"selections": {}, "keyring": keyring, "consent": consent(api)},
    )
    assert again.status_code == 201 and again.get_json()["keyring"] is None
    # update: refused selections are a 422 with a message per field
    refused = api.put(f"/api/v1/designs/{token}", json={"selections": {"size": "zz"}})
    assert refused.status_code == 422
    assert refused.get_json()["fields"]["selections"]["size"] == ["Size has no option “zz”."]
    changed = api.put(
        f"/api/v1/designs/{token}", json={"selections": {"shell_type": "full_face"}, "name": "New"}
    ).get_json()
    assert (changed["name"], changed["selections"]) == ("New", {"shell_type": "full_face"})
    shared = api.get(f"/api/v1/shared/{share}").get_json()
    assert shared == {
        "product": "helmet",
        "selections": {"shell_type": "full_face"},
        "total": changed["total"],
        "currency": "EUR",
    }
    forever = api.post(f"/api/v1/designs/{token}/shares", json={"days": None})
    assert forever.status_code == 201 and forever.get_json()["expires_at"] is None
    assert api.delete(f"/api/v1/designs/{token}/shares/{share}").status_code == 204
    assert api.get(f"/api/v1/shared/{share}").status_code == 404
    assert api.delete(f"/api/v1/designs/{token}").status_code == 204
    for url in (f"/api/v1/designs/{token}", f"/api/v1/shared/{forever.get_json()['token']}"):
        gone = api.get(url)
        assert gone.status_code == 404 and gone.get_json()["error"] == "Not Found"


def test_nothing_is_saved_without_consent_to_the_current_notice(api):
    url = "/api/v1/products/helmet/designs"
    missing = api.post(url, json={"selections": {}})
    assert missing.status_code == 422 and "consent" in missing.get_json()["fields"]
    stale = api.post(url, json={"consent": {"granted": True, "notice_sha256": "0" * 64}})
    assert stale.status_code == 422
    assert "notice changed" in stale.get_json()["fields"]["consent"][0]
    declined = api.post(url, json={"consent": {**consent(api), "granted": False}})
    assert declined.status_code == 422
    unknown = api.post(url, json={"keyring": "k" * 43, "consent": consent(api)})
    assert unknown.status_code == 404
    assert api.post("/api/v1/products/nope/designs", json={}).status_code == 404


ORDER = {
    "selections": {"shell_type": "full_face", "monogram": "KZ7"},
    "quantity": 1,
    "terms_accepted": True,
    "customer": {
        "name": "Zoë Example",
        "email": "zoe@example.org",
        "address": {
            "line1": "Hauptstraße 1",
            "postcode": "10115",
            "city": "Berlin",
            "country": "DE",
        },
    },
}


def test_an_order_through_the_api_is_idempotent(api):
    url = "/api/v1/products/helmet/orders"
    missing = api.post(url, json=ORDER)
    assert missing.status_code == 422 and "Idempotency-Key" in missing.get_json()["fields"]
    first = api.post(url, json=ORDER, headers={"Idempotency-Key": "order-1"})
    assert first.status_code == 201, first.get_json()
    made = first.get_json()
    assert made["status"] == "awaiting_payment" and made["number"].startswith("HLM-")
    assert {
        "attribute": "monogram",
        "label": "Monogram",
        "option": None,
        "option_label": None,
        "text": "KZ7",
        "sku": made["lines"][-1]["sku"],
        "chosen": None,
    } in made["lines"]
    again = api.post(url, json=ORDER, headers={"Idempotency-Key": "order-1"})
    assert again.status_code == 201 and again.get_json() == made  # a retry: the same order
    other = api.post(url, json={**ORDER, "quantity": 2}, headers={"Idempotency-Key": "order-1"})
    assert other.status_code == 409
    stale = api.post(
        url, json={**ORDER, "expected_total": "1.00"}, headers={"Idempotency-Key": "o2"}
    )
    assert stale.status_code == 409 and "price changed" in stale.get_json()["message"]
    assert api.get(f"/api/v1/orders/{made['token']}").get_json() == made
    assert api.get("/api/v1/orders/" + "x" * 32).status_code == 404
