"""Every route of the app, for every kind of visitor, against the intended access matrix:
anonymous, a shopper holding a keyring, and each staff role (signed in on /staff, with an
API token of that role on /api). A new route fails here until it is added below."""

from __future__ import annotations

import pytest
from werkzeug.routing import Rule

from configurator.services import exports, webhooks
from configurator.services import staff as accounts
from tests.web.staffing import add_people, place_order, sign_in
from tests.web.test_saving import save

ANYONE = frozenset({"anonymous", "shopper", "fulfillment", "merchandiser", "admin"})
STAFF = frozenset({"fulfillment", "merchandiser", "admin"})
WORKSHOP = frozenset({"fulfillment", "admin"})
ADMIN = frozenset({"admin"})
CATALOG_PEOPLE = frozenset({"merchandiser", "admin"})
RESTRICTED = {
    "api.list_orders": STAFF,
    "api.change_status": WORKSHOP,
    "staff.home": STAFF,
    "staff.queue": STAFF,
    "staff.order": STAFF,
    "staff.picture": STAFF,
    "staff.font": STAFF,
    "staff.sign_out": STAFF,
    "staff.move": WORKSHOP,
    "staff.exports_page": WORKSHOP,
    "staff.export": WORKSHOP,
    "staff.export_file": WORKSHOP,
    "staff.work_order": WORKSHOP,
    "staff.audit_log": ADMIN,
    "staff.webhooks_page": ADMIN,
    "staff.disable_webhook": ADMIN,
    "staff.catalog_page": CATALOG_PEOPLE,
    "staff.publish": CATALOG_PEOPLE,
    "staff.contact_sheet": CATALOG_PEOPLE,
    "staff.try_product": CATALOG_PEOPLE,
    "staff.catalog_preview": CATALOG_PEOPLE,
}
PUBLIC = {  # everyone, shoppers and visitors alike
    *(
        f"api.{e}"
        for e in (
            "complete",
            "configure",
            "delete_design",
            "explain",
            "keep_designs_notice",
            "openapi",
            "place_order",
            "product",
            "products",
            "read_design",
            "read_order",
            "read_shared",
            "repair",
            "revoke_share",
            "save_design",
            "share_design",
            "update_design",
        )
    ),
    *(
        f"designs.{e}"
        for e in (
            "bring_up_to_date",
            "checkout",
            "checkout_form",
            "declare",
            "delete",
            "delete_keyring",
            "duplicate",
            "email_link",
            "erase",
            "export_json",
            "export_zip",
            "keyring_link",
            "keyring_page",
            "notice",
            "order_page",
            "order_preview",
            "preferences_page",
            "privacy_centre",
            "private_page",
            "receipt",
            "rename",
            "revoke",
            "save",
            "save_form",
            "share",
            "shared_page",
            "use_keyring",
            "withdraw",
            "withdraw_preference",
        )
    ),
    *(f"shop.{e}" for e in ("complete", "configure", "product_list", "review", "surprise", "why")),
    "preview.image",
    "swatches.stylesheet",
    "static",
    "favicon",
    "staff.sign_in",
    "staff.setup",
}
MATRIX = {**{e: ANYONE for e in PUBLIC}, **RESTRICTED}
LIMITS = {f"RATELIMIT_{k}": "1000000 per minute" for k in ("SAVE", "LOOKUP", "EMAIL", "SIGNIN")}


@pytest.fixture
def world(make_app, database_url):
    app = make_app(database_url=database_url, **LIMITS)
    ctx = app.extensions["configurator"]
    add_people(app)
    order = place_order(app, "k-matrix")
    batch = exports.create_batch(ctx, status="awaiting_payment", actor="cli")
    endpoint = webhooks.add_endpoint(
        ctx, url="https://workshop.example/hooks", events=["order.placed"], actor="cli"
    )
    tokens = {role: accounts.create_token(ctx, role, role) for role in STAFF}
    values = {
        "product_id": "helmet",
        "token": "T" * 32,
        "share_token": "S" * 32,
        "secret": "K" * 43,
        "number": order["number"],
        "view": "front",
        "fmt": "webp",
        "attribute": "shell_type",
        "option": "open_face",
        "key": "head_size",
        "purpose": "keep-designs",
        "sha256": "0" * 64,
        "consent_id": 1,
        "ref": batch.ref,
        "name": "orders.csv",
        "endpoint_id": endpoint.id,
        "filename": "css/app.css",
    }
    return app, tokens, values


def visitor(app, who: str):
    client = app.test_client()
    if who == "shopper":
        assert save(client).status_code == 303  # holds a keyring cookie now
    elif who in STAFF:
        assert sign_in(client, who).status_code == 303
    return client


def refused(response) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]


def test_every_route_is_in_the_matrix(make_app):
    app = make_app(**LIMITS)
    assert set(app.view_functions) == set(MATRIX)


@pytest.mark.parametrize("who", sorted(ANYONE))
def test_every_route_for_every_visitor(world, who):
    app, tokens, values = world
    client = visitor(app, who)
    outcomes = {}
    rules: list[Rule] = sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule))
    for rule in rules:
        url = app.url_map.bind("localhost").build(
            rule.endpoint, {k: values[k] for k in rule.arguments}
        )
        headers = {}
        if rule.endpoint.startswith("api.") and who in tokens:
            headers["Authorization"] = f"Bearer {tokens[who]}"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            own = visitor(app, who) if rule.endpoint == "staff.sign_out" else client
            with own.open(url, method=method, headers=headers) as response:
                outcomes[(rule.endpoint, method)] = (response.status_code, refused(response))
            assert response.status_code < 500, (rule.endpoint, method, response.status_code)
    for (endpoint, method), (code, was_refused) in outcomes.items():
        allowed = who in MATRIX[endpoint]
        assert was_refused != allowed, f"{who} {method} {endpoint}: {code}"
