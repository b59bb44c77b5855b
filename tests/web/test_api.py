"""The JSON API (/api/v1) over real HTTP: products, configure, explain, repair, complete, OpenAPI.

Whatever the API hands out (repairs, completions) is sent back to configure, which must agree.
Expected prices come from the YAML (`catalog_files`).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from openapi_spec_validator import validate

from tests.web.conftest import PRODUCTS, decode_image

API = "/api/v1"
POST_ENDPOINTS = ("configure", "explain", "repair", "complete")
WANTED = {"attribute": "visor", "option": "iridium"}  # a valid body for explain and repair


def post(web, product_id: str, endpoint: str, body, status: int = 200) -> dict:
    """POST `body` as JSON keeping its key order (the order of selections is their recency)."""
    response = web.post(
        f"{API}/products/{product_id}/{endpoint}",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == status, (response.status_code, response.get_json())
    assert response.mimetype == "application/json"
    return response.get_json()


def configure(web, product_id: str, selections: dict, explain: bool = False) -> dict:
    body = {"selections": selections, **({"explain": True} if explain else {})}
    return post(web, product_id, "configure", body)


def options_of(configured: dict, attribute: str) -> dict[str, dict]:
    found = next(a for a in configured["attributes"] if a["id"] == attribute)
    return {o["id"]: o for o in found["options"]}


def assert_consistent(configured: dict) -> None:
    assert configured["consistent"] is True
    assert configured["conflict"] is None
    assert configured["repair"] is None


# -- products -------------------------------------------------------------------------------------


def test_products_lists_every_product(web, catalog_files):
    response = web.get(f"{API}/products")
    assert response.status_code == 200
    products = {p["id"]: p for p in response.get_json()["products"]}
    assert set(products) == set(PRODUCTS)
    for product_id, source in catalog_files.items():
        brief = products[product_id]
        assert brief["name"] == source.product["name"]
        assert brief["base_price"] == source.product["base_price"]
        assert brief["currency"] == source.product["currency"]
        assert brief["views"] == source.views
        assert brief["url"] == f"{API}/products/{product_id}"
        assert web.get(brief["url"]).status_code == 200


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_product_describes_attributes_options_steps_and_views(web, catalog_files, product_id):
    source = catalog_files[product_id]
    product = web.get(f"{API}/products/{product_id}").get_json()
    assert product["id"] == product_id
    assert product["base_price"] == source.product["base_price"]
    assert product["views"] == source.views
    assert product["version"]
    assert product["steps"] == [
        {"id": s["id"], "label": s["label"], "attributes": s["attributes"]}
        for s in source.source["steps"]
    ]
    assert [a["id"] for a in product["attributes"]] == [a["id"] for a in source.attributes]
    for described, written in zip(product["attributes"], source.attributes, strict=True):
        assert described["label"] == written["label"]
        assert described["default"] == written.get("default")
        if written.get("kind") == "text":
            assert described["kind"] == "text"
            assert described["max_length"] == written["max_length"]
            assert described["pattern"] == written["pattern"]
            assert described["price"] == written["price"]
            continue
        assert [
            (o["id"], o["label"], o["price_delta"], o["sku"]) for o in described["options"]
        ] == [(o["id"], o["label"], o["price"], o["sku"]) for o in written["options"]]
        assert all(isinstance(o["price_delta"], str) for o in described["options"])


@pytest.mark.parametrize(
    ("method", "address"),
    [("get", "/products/nope")] + [("post", f"/products/nope/{e}") for e in POST_ENDPOINTS],
)
def test_unknown_product_is_a_json_404(web, method, address):
    response = getattr(web, method)(f"{API}{address}", json={"selections": {}, **WANTED})
    assert response.status_code == 404
    assert response.get_json() == {
        "error": "Not Found",
        "message": "There is no product called “nope”.",
    }


def test_unknown_api_path_is_a_json_404(web):
    response = web.get(f"{API}/nothing/here")
    assert response.status_code == 404
    assert response.get_json()["error"] == "Not Found"


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_get_on_a_post_endpoint_is_a_json_405(web, endpoint):
    response = web.get(f"{API}/products/helmet/{endpoint}")
    assert response.status_code == 405
    assert response.get_json()["error"] == "Method Not Allowed"


# -- configure ------------------------------------------------------------------------------------


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_configure_nothing_chosen_yet(web, catalog_files, product_id):
    source = catalog_files[product_id]
    configured = configure(web, product_id, {})
    assert_consistent(configured)
    assert configured["complete"] is True  # with our suggestions: a design to start from
    assert configured["selections"] == {}
    design = configured["design"]
    for attr in configured["attributes"]:
        assert attr["source"] in (None, "forced", "suggested")
        assert attr["value"] == design.get(attr["id"])
        default = source.attribute(attr["id"]).get("default")
        if default:
            assert design[attr["id"]] == default
    assert configured["total"] == str(source.price(design))
    assert configured["currency"] == "EUR"
    assert [a["id"] for a in configured["attributes"]] == [a["id"] for a in source.attributes]
    for attr in source.choices():
        options = options_of(configured, attr["id"])
        for option in attr["options"]:
            assert options[option["id"]]["price_delta"] == option["price"]


@pytest.mark.parametrize(
    ("product_id", "selections", "attribute", "option", "rule"),
    [
        ("helmet", {"shell_type": "modular"}, "visor", "iridium", "iridium-needs-full-face"),
        ("helmet", {"shell_type": "modular"}, "size", "xs", "size-by-shell"),
        ("helmet", {"shell_colour": "chrome"}, "monogram", "filled", "no-monogram-on-chrome"),
        ("jacket", {"hide": "lambskin"}, "finish", "waxed", "no-waxed-lambskin"),
        ("jacket", {"collar": "band"}, "fur", "grey", "fur-only-with-shearling"),
    ],
)
def test_configure_explains_each_unselectable_option(
    web, catalog_files, product_id, selections, attribute, option, rule
):
    source = catalog_files[product_id]
    configured = configure(web, product_id, selections, explain=True)
    assert_consistent(configured)
    assert configured["selections"] == selections
    entry = options_of(configured, attribute)[option]
    assert entry["available"] is False
    assert entry["selectable"] is False
    assert source.rules[rule] in entry["explanation"]["text"]
    assert rule in [r["id"] for r in entry["explanation"]["rules"]]
    for attr in configured["attributes"]:
        for each in attr["options"]:
            if each["selectable"]:
                assert "explanation" not in each
            else:
                rules = each["explanation"]["rules"]
                assert rules and all(r["message"] == source.rules[r["id"]] for r in rules)
                assert any(r["message"] in each["explanation"]["text"] for r in rules)


def test_configure_says_why_only_when_asked(web):
    """Reasons cost a solver search each: by default none (POST .../explain for one)."""
    lean = configure(web, "helmet", {"shell_type": "modular"})
    assert all("explanation" not in o for a in lean["attributes"] for o in a["options"])
    explained = post(
        web,
        "helmet",
        "explain",
        {"selections": {"shell_type": "modular"}, "attribute": "visor", "option": "iridium"},
    )
    full = configure(web, "helmet", {"shell_type": "modular"}, explain=True)
    assert options_of(full, "visor")["iridium"]["explanation"] == explained["explanation"]


def test_configure_lets_a_selected_attribute_switch(web):
    """A chosen shell shows its siblings as selectable (a radio group), not as ruled out."""
    configured = configure(web, "helmet", {"shell_type": "modular"})
    shells = options_of(configured, "shell_type")
    assert shells["modular"]["available"] is True
    assert all(o["selectable"] for o in shells.values())
    assert next(a for a in configured["attributes"] if a["id"] == "shell_type")["selected"] == (
        "modular"
    )


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_every_amount_has_the_two_decimals_of_the_catalog(web, product_id):
    """Money strings keep one scale: an empty choice costs "0.00", like a free option."""
    configured = configure(web, product_id, {})
    amounts = [o["price_delta"] for a in configured["attributes"] for o in a["options"]]
    amounts.append(configured["total"])
    assert [a for a in amounts if Decimal(a).as_tuple().exponent != -2] == []


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_configure_a_complete_design(web, catalog_files, product_id):
    source = catalog_files[product_id]
    design = {**source.defaults(), **_texts(product_id)}
    configured = configure(web, product_id, design)
    assert_consistent(configured)
    assert configured["complete"] is True
    assert configured["selections"] == design
    assert configured["total"] == str(source.price(design))
    assert Decimal(configured["total"]).as_tuple().exponent == -2


def test_configure_total_counts_what_the_selections_force(web, catalog_files):
    """Iridium forces the full-face shell: the API and the shop quote the same price."""
    helmet = catalog_files["helmet"]
    configured = configure(web, "helmet", {"visor": "iridium"})
    assert [o for o, e in options_of(configured, "shell_type").items() if e["available"]] == [
        "full_face"
    ]
    expected = helmet.price({"visor": "iridium", "shell_type": "full_face"})
    shop = web.get("/p/helmet?visor=iridium", headers={"HX-Request": "true"})
    assert json.loads(shop.headers["HX-Trigger"])["design-changed"]["total"] == str(expected)
    assert configured["total"] == str(expected)


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_configure_preview_urls_return_images(web, versions, product_id):
    selections = {"helmet": {"shell_type": "modular"}, "jacket": {"cut": "bomber"}}[product_id]
    configured = configure(web, product_id, selections)
    assert set(configured["previews"]) == set(web.get(f"{API}/products/{product_id}").json["views"])
    for view, address in configured["previews"].items():
        assert address.startswith(f"/preview/{product_id}/{view}.webp?")
        response = web.get(address)
        assert response.status_code == 200
        assert response.mimetype == "image/webp"
        assert decode_image(response).size == (800, 800)
        assert "immutable" in response.headers["Cache-Control"]
        assert f"v={versions[product_id]}" in address


@pytest.mark.parametrize(
    ("product_id", "selections", "rules"),
    [
        (
            "helmet",
            {"shell_type": "open_face", "visor": "iridium"},
            {"visor-only-on-closed-shells", "iridium-needs-full-face"},
        ),
        ("helmet", {"shell_colour": "chrome", "finish": "matte"}, {"chrome-only-gloss"}),
        ("helmet", {"monogram": "AB", "shell_colour": "chrome"}, {"no-monogram-on-chrome"}),
        ("jacket", {"cut": "biker", "initials": "AB"}, {"no-initials-on-biker"}),
        ("jacket", {"cut": "cafe_racer", "size": "xxl"}, {"cafe-racer-up-to-xl"}),
    ],
)
def test_configure_contradiction_has_a_conflict_and_a_repair_that_works(
    web, catalog_files, product_id, selections, rules
):
    source = catalog_files[product_id]
    configured = configure(web, product_id, selections)
    assert configured["consistent"] is False
    assert configured["complete"] is False
    conflict = configured["conflict"]
    assert {r["id"] for r in conflict["rules"]} <= rules
    assert any(source.rules[r] in conflict["text"] for r in rules)
    assert {(s["attribute"], s["option"]) for s in conflict["selections"]} <= {
        (k, "filled" if source.attribute(k).get("kind") == "text" else v)
        for k, v in selections.items()
    }
    repair = configured["repair"]
    assert repair["changes"] and repair["text"]
    newest, value = list(selections.items())[-1]
    assert repair["selections"][newest] == value
    assert_consistent(configure(web, product_id, repair["selections"]))


# -- explain, repair, complete --------------------------------------------------------------------


def test_explain_an_available_option(web):
    body = {"selections": {"shell_type": "modular"}, "attribute": "visor", "option": "tinted"}
    assert post(web, "helmet", "explain", body) == {
        "attribute": "visor",
        "option": "tinted",
        "available": True,
        "explanation": None,
    }


@pytest.mark.parametrize(
    ("product_id", "selections", "attribute", "option", "rule"),
    [
        ("helmet", {"shell_type": "modular"}, "visor", "iridium", "iridium-needs-full-face"),
        ("helmet", {"shell_colour": "racing_red"}, "graphics", "flames", "no-flames-on-red"),
        ("helmet", {"monogram": "AB"}, "graphics", "race_number", "monogram-not-with-race-number"),
        ("jacket", {"hide": "horsehide"}, "leather_colour", "navy", "hide-colours"),
        ("jacket", {"cut": "bomber"}, "size", "xs", "bomber-from-s"),
    ],
)
def test_explain_an_unavailable_option(
    web, catalog_files, product_id, selections, attribute, option, rule
):
    body = {"selections": selections, "attribute": attribute, "option": option}
    explained = post(web, product_id, "explain", body)
    assert explained["available"] is False
    assert catalog_files[product_id].rules[rule] in explained["explanation"]["text"]
    assert [r["id"] for r in explained["explanation"]["rules"]] == [rule]


def test_explain_agrees_with_configure(web):
    """For every option of one design, explain says available exactly when configure says
    selectable (for a chosen attribute: could it switch to this option)."""
    selections = {"shell_type": "modular", "shell_colour": "cobalt_blue"}
    configured = configure(web, "helmet", selections)
    for attr in configured["attributes"]:
        for option in attr["options"]:
            body = {"selections": selections, "attribute": attr["id"], "option": option["id"]}
            explained = post(web, "helmet", "explain", body)
            assert explained["available"] is option["selectable"], (attr["id"], option["id"])
            assert (explained["explanation"] is None) is option["selectable"]


@pytest.mark.parametrize(
    ("product_id", "selections", "attribute", "option"),
    [
        ("helmet", {"shell_type": "modular"}, "visor", "iridium"),
        ("helmet", {"shell_type": "modular", "shell_colour": "racing_red"}, "graphics", "flames"),
        ("helmet", {"shell_colour": "arctic_white", "finish": "satin"}, "finish", "matte"),
        ("helmet", {"monogram": "AB", "finish": "matte"}, "shell_colour", "chrome"),
        ("jacket", {"cut": "biker", "hide": "lambskin"}, "finish", "waxed"),
        ("jacket", {"cut": "cafe_racer"}, "fur", "black"),
    ],
)
def test_repairs_make_the_wanted_option_possible(web, product_id, selections, attribute, option):
    body = {"selections": selections, "attribute": attribute, "option": option, "limit": 3}
    repaired = post(web, product_id, "repair", body)
    assert (repaired["attribute"], repaired["option"]) == (attribute, option)
    assert 1 <= len(repaired["repairs"]) <= 3
    for repair in repaired["repairs"]:
        assert repair["selections"][attribute] == option
        assert repair["text"].startswith("To get ")
        for change in repair["changes"]:
            assert change["attribute"] in selections
        kept = {k: v for k, v in selections.items() if k not in _changed(repair) | {attribute}}
        assert kept.items() <= repair["selections"].items()
        configured = configure(web, product_id, repair["selections"])
        assert_consistent(configured)
        assert configured["selections"][attribute] == option


def test_repairs_respect_the_limit(web):
    body = {"selections": {"shell_type": "modular"}, "attribute": "size", "option": "xs"}
    assert len(post(web, "helmet", "repair", {**body, "limit": 1})["repairs"]) == 1


def test_repair_of_an_available_option_changes_nothing(web):
    body = {"selections": {"shell_type": "modular"}, "attribute": "visor", "option": "clear"}
    (repair,) = post(web, "helmet", "repair", body)["repairs"]
    assert repair["changes"] == []
    assert repair["selections"] == {"shell_type": "modular", "visor": "clear"}


def test_repair_for_a_text_gives_selections_configure_accepts(web):
    """Asking for a monogram on chrome: the repair's selections must be sendable as they are."""
    body = {"selections": {"shell_colour": "chrome"}, "attribute": "monogram", "option": "filled"}
    repairs = post(web, "helmet", "repair", body)["repairs"]
    assert repairs
    for repair in repairs:
        assert repair["selections"]["shell_colour"] != "chrome"
        assert_consistent(configure(web, "helmet", repair["selections"]))


@pytest.mark.parametrize(
    ("product_id", "selections"),
    [
        ("helmet", {}),
        ("helmet", {"shell_type": "modular", "monogram": "AB"}),
        ("helmet", {"shell_colour": "chrome"}),
        ("jacket", {"cut": "cafe_racer"}),
        ("jacket", {"collar": "shearling", "back_lettering": "RIDE ON"}),
    ],
)
def test_complete_keeps_the_selections_and_is_complete_when_sent_back(
    web, catalog_files, product_id, selections
):
    source = catalog_files[product_id]
    completed = post(web, product_id, "complete", {"selections": selections})
    assert selections.items() <= completed["selections"].items()
    assert completed["currency"] == "EUR"
    assert completed["total"] == str(source.price(completed["selections"]))
    configured = configure(web, product_id, completed["selections"])
    assert_consistent(configured)
    assert configured["complete"] is True
    assert configured["total"] == completed["total"]


def test_complete_prefers_the_defaults(web, catalog_files):
    completed = post(web, "helmet", "complete", {"selections": {}})
    assert completed["selections"] == catalog_files["helmet"].defaults()


def test_complete_of_a_contradiction_is_consistent(web):
    selections = {"shell_type": "open_face", "visor": "iridium"}
    completed = post(web, "helmet", "complete", {"selections": selections})
    assert completed["selections"]["visor"] == "iridium"
    configured = configure(web, "helmet", completed["selections"])
    assert_consistent(configured)
    assert configured["complete"] is True


# -- refusals -------------------------------------------------------------------------------------


def _bodies(endpoint: str) -> dict:
    return WANTED if endpoint in ("explain", "repair") else {}


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
@pytest.mark.parametrize(
    ("selections", "fields"),
    [
        ({"bogus": "x"}, {"bogus": ["There is no choice called “bogus”."]}),
        ({"shell_type": "zzz"}, {"shell_type": ["Shell type has no option “zzz”."]}),
        ({"shell_type": 3}, {"shell_type": ["Must be a string."]}),
        ({"shell_type": ["modular"]}, {"shell_type": ["Must be a string."]}),
        (
            {"monogram": "abc"},
            {"monogram": ["Monogram contains characters that are not allowed."]},
        ),
    ],
    ids=["unknown-attribute", "unknown-option", "int", "list", "bad-text"],
)
def test_bad_selections_are_422_per_field(web, endpoint, selections, fields):
    body = {"selections": {"size": "m", **selections}, **_bodies(endpoint)}
    refused = post(web, "helmet", endpoint, body, status=422)
    assert refused["error"] == "Unprocessable Entity"
    assert refused["fields"] == {"selections": fields}


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"selections": ["shell_type"]}, "selections"),
        ({"selections": "shell_type=modular"}, "selections"),
        ({"selections": None}, "selections"),
        ({"selections": {}, "colour": "red"}, "colour"),
        ([{"selections": {}}], "_body"),
        ("selections", "_body"),
        (None, "_body"),
    ],
    ids=["list", "string", "null", "unknown-key", "array-body", "string-body", "null-body"],
)
def test_malformed_bodies_are_422(web, endpoint, body, field):
    if isinstance(body, dict):
        body = {**_bodies(endpoint), **body}
    refused = post(web, "helmet", endpoint, body, status=422)
    assert field in refused["fields"]
    assert all(isinstance(m, str) for m in refused["fields"][field])


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"", None),
        (b"", "application/json"),
        (b"{not json", "application/json"),
        (b'{"selections": {}}', "text/plain"),
        (b"selections=x", "application/x-www-form-urlencoded"),
        (b"\xff\xfe", "application/json"),
    ],
    ids=["no-body", "empty-json", "broken-json", "text-plain", "form", "bad-bytes"],
)
def test_a_body_that_is_not_a_json_object_is_422(web, endpoint, data, content_type):
    response = web.post(f"{API}/products/helmet/{endpoint}", data=data, content_type=content_type)
    assert response.status_code == 422
    assert response.get_json()["fields"] == {
        "_body": ["Send a JSON object (Content-Type: application/json)."]
    }


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_a_deeply_nested_body_under_the_size_limit_is_refused(web, endpoint):
    """20,000 nested arrays fit in 40 KB; parsing them must end in a 4xx, not a crash."""
    nested = "[" * 20_000 + "]" * 20_000
    response = web.post(
        f"{API}/products/helmet/{endpoint}",
        data=f'{{"selections": {nested}}}',
        content_type="application/json",
    )
    assert 400 <= response.status_code < 500
    assert response.get_json()["message"]


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_oversize_body_is_a_json_413(web, endpoint):
    body = {"selections": {"monogram": "A" * (70 * 1024)}, **_bodies(endpoint)}
    response = web.post(f"{API}/products/helmet/{endpoint}", json=body)
    assert response.status_code == 413
    assert response.get_json()["error"] == "Request Entity Too Large"
    assert response.get_json()["message"]


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_a_null_selection_is_refused_by_field(web, endpoint):
    body = {"selections": {"shell_type": None}, **_bodies(endpoint)}
    refused = post(web, "helmet", endpoint, body, status=422)
    assert list(refused["fields"]["selections"]) == ["shell_type"]


def test_a_long_attribute_name_is_refused_by_field(web):
    refused = post(web, "helmet", "configure", {"selections": {"a" * 65: "x"}}, status=422)
    assert refused["fields"]["selections"]["a" * 65]["key"] == ["Longer than maximum length 64."]


@pytest.mark.parametrize("endpoint", ["explain", "repair"])
@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"attribute": "bogus", "option": "x"}, "attribute", "There is no choice called “bogus”."),
        ({"attribute": "visor", "option": "zzz"}, "option", "Visor has no option “zzz”."),
        ({"option": "iridium"}, "attribute", "Missing data for required field."),
        ({"attribute": "visor"}, "option", "Missing data for required field."),
        ({"attribute": "", "option": "iridium"}, "attribute", None),
        ({"attribute": 7, "option": "iridium"}, "attribute", "Not a valid string."),
    ],
    ids=["unknown-attribute", "unknown-option", "no-attribute", "no-option", "empty", "int"],
)
def test_explain_and_repair_refuse_a_bad_wanted_option(web, endpoint, body, field, message):
    refused = post(web, "helmet", endpoint, {"selections": {}, **body}, status=422)
    assert list(refused["fields"]) == [field]
    if message:
        assert refused["fields"][field] == [message]


@pytest.mark.parametrize(
    "limit", [0, -1, 11, 1000, "abc", None, "3", "٣", "３", "²", 3.0, 1e3, True, 10**400]
)
def test_repair_limit_out_of_range_or_not_a_json_integer_is_422(web, limit):
    body = {"selections": {"shell_type": "modular"}, **WANTED, "limit": limit}
    refused = post(web, "helmet", "repair", body, status=422)
    assert list(refused["fields"]) == ["limit"]


# -- OpenAPI --------------------------------------------------------------------------------------


def test_openapi_is_a_valid_description_of_every_api_path(web, shared_app):
    response = web.get(f"{API}/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert spec["servers"] == [{"url": API}]
    # every served path is documented: GETs as templates, POSTs once per product, since
    # each product's selections have their own schema
    served = set()
    for rule in shared_app.url_map.iter_rules():
        if not rule.rule.startswith(API) or rule.endpoint == "api.openapi":
            continue
        path = rule.rule.removeprefix(API)
        if "POST" in rule.methods and "<product_id>" in path:
            served |= {path.replace("<product_id>", p) for p in PRODUCTS}
        else:
            served.add(re.sub(r"<([a-z_]+)>", r"{\1}", path))
    assert set(spec["paths"]) == served
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert {"200", "201", "204"} & set(operation["responses"]), (path, method)
            if method in ("post", "put") and "requestBody" in operation:
                assert "422" in operation["responses"] and "413" in operation["responses"]
            if "{token}" in path:
                assert "404" in operation["responses"], (path, method)
    refs = {
        f"{body}_{p}" for body in ("SelectionsBody", "OptionBody", "RepairBody") for p in PRODUCTS
    }
    assert refs | {"Error"} <= set(spec["components"]["schemas"])


def _changed(repair: dict) -> set[str]:
    return {c["attribute"] for c in repair["changes"]}


def _texts(product_id: str) -> dict[str, str]:
    return {"helmet": {"monogram": "K9"}, "jacket": {"back_lettering": "ACE"}}[product_id]


def _untyped(name: str, schema: dict, path: str, out: list[str], *, describe: bool) -> None:
    """Properties with neither a type nor a reference, or (with `describe`) no description."""
    if "$ref" in schema:
        return
    if "anyOf" in schema or "oneOf" in schema or "allOf" in schema:
        for each in schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", []):
            _untyped(name, each, path, out, describe=False)
        return
    if "type" not in schema:
        out.append(f"{name}{path}: no type")
    for key, prop in schema.get("properties", {}).items():
        if describe and "description" not in prop:
            out.append(f"{name}{path}.{key}: no description")
        _untyped(name, prop, f"{path}.{key}", out, describe=describe)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            _untyped(name, schema[key], f"{path}[]", out, describe=False)


def test_openapi_types_and_describes_every_response_property(web):
    spec = web.get(f"{API}/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    responses = {
        ref["$ref"].rsplit("/", 1)[1]
        for operations in spec["paths"].values()
        for operation in operations.values()
        for response in operation["responses"].values()
        if "content" in response  # a 204 has none
        for ref in [response["content"]["application/json"]["schema"]]
    }
    assert {"Configuration", "Explained", "Repaired", "Completed", "Error"} <= responses
    problems: list[str] = []
    seen, todo = set(), sorted(responses)
    while todo:  # every schema a response reaches
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        _untyped(name, schemas[name], "", problems, describe=name != "FieldErrors")
        todo += [r.rsplit("/", 1)[1] for r in _refs(schemas[name])]
    assert problems == []
    assert {"Explanation", "Repair", "OptionState", "FieldErrors"} <= seen


def _refs(schema) -> list[str]:
    if isinstance(schema, dict):
        found = [schema["$ref"]] if "$ref" in schema else []
        return found + [r for v in schema.values() for r in _refs(v)]
    if isinstance(schema, list):
        return [r for v in schema for r in _refs(v)]
    return []


def test_selection_values_are_documented_as_strings(web):
    spec = web.get(f"{API}/openapi.json").get_json()
    for product in PRODUCTS:
        properties = spec["components"]["schemas"][f"Selections_{product}"]["properties"]
        assert properties and all(p["type"] == "string" for p in properties.values())
    repair = spec["components"]["schemas"]["Repair"]["properties"]["selections"]
    assert repair["additionalProperties"]["type"] == "string"


@pytest.mark.parametrize(
    ("selections", "refused"),
    [
        ({"visor": "none"}, "visor"),  # required: "none" is not one of its options
        ({"shell_type": "none"}, "shell_type"),
        ({"visor": "filled"}, "visor"),  # never an option id
        ({"graphics": "filled"}, "graphics"),
    ],
)
def test_internal_values_are_not_option_ids(web, selections, refused):
    body = post(web, "helmet", "configure", {"selections": selections}, status=422)
    message = body["fields"]["selections"][refused][0]
    assert "has no option" in message and selections[refused] in message


def test_none_is_the_choice_of_no_option_of_an_optional_attribute(web):
    configured = configure(web, "helmet", {"graphics": "none"})
    graphics = next(a for a in configured["attributes"] if a["id"] == "graphics")
    assert graphics["selected"] == "none" and graphics["source"] == "chosen"
    assert configured["design"]["graphics"] == "none"


def test_a_boolean_is_json_true_or_false_only(web):
    """The document says boolean: 0, 1 and "true" are refused, not read as truthy."""
    for value in (0, 1, "true", "yes"):
        response = web.post(f"{API}/products/helmet/configure", json={"explain": value})
        assert response.status_code == 422, value
        assert response.get_json()["fields"] == {"explain": ["Not a valid boolean."]}
