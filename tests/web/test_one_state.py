"""The shop and the API serialise one design state: for random designs (clashes included),
both report the same design on screen, availability, reasons, repairs and totals (the
shop's reasons and repairs as each tile fetches them, the API's from configure and
/repair)."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from urllib.parse import urlencode

import pytest

from tests.web.conftest import PRODUCTS, html_of, selections_in, total_on

DESIGNS = 25


def random_designs(catalog_file, seed: int) -> list[dict[str, str]]:
    """Designs of 1 to 5 random choices, any combination (many of them clash)."""
    rng = random.Random(seed)
    choices = catalog_file.choices()
    designs = []
    for _ in range(DESIGNS):
        picked = rng.sample(choices, rng.randint(1, min(5, len(choices))))
        designs.append({a["id"]: rng.choice(a["options"])["id"] for a in picked})
    return designs


def api_configure(web, product_id: str, selections: dict) -> dict:
    response = web.post(
        f"/api/v1/products/{product_id}/configure",
        data=json.dumps({"selections": selections, "explain": True}),
        content_type="application/json",
    )
    assert response.status_code == 200
    return response.get_json()


def api_repair(web, product_id: str, selections: dict, attribute: str, option: str) -> list:
    response = web.post(
        f"/api/v1/products/{product_id}/repair",
        data=json.dumps({"selections": selections, "attribute": attribute, "option": option}),
        content_type="application/json",
    )
    assert response.status_code == 200
    return response.get_json()["repairs"]


def shop_tiles(document) -> dict[tuple[str, str], dict]:
    """Per (attribute, option) tile: selectable, reason text and repair link's selections."""
    tiles = {}
    for radio in document.find_all("input", type="radio"):
        key = (radio.get("name"), radio.get("value"))
        why = document.find(id=f"opt-{key[0]}-{key[1]}-why")
        link = why.find("a") if why is not None else None
        tiles[key] = {
            "selectable": "aria-disabled" not in radio,
            "checked": "checked" in radio,
            "why": why.text() if why is not None else None,
            "repair": selections_in(link.get("href")) if link is not None else None,
        }
    return tiles


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_shop_and_api_agree_on_random_designs(web, catalog_files, product_id):
    seen_conflict = seen_unavailable = False
    for selections in random_designs(catalog_files[product_id], seed=len(product_id)):
        api = api_configure(web, product_id, selections)
        page = web.get(f"/p/{product_id}?{urlencode(list(selections.items()))}")
        document = html_of(page)
        assert total_on(document) == Decimal(api["total"]), selections
        if api["conflict"] is not None:
            seen_conflict = True
            box = document.find(class_="conflict")
            assert api["conflict"]["text"] in box.text()
            assert api["repair"]["text"] in box.text()
            assert selections_in(box.find("a").get("href")) == api["repair"]["selections"]
        else:
            assert document.find(class_="conflict") is None
        tiles = shop_tiles(document)
        query = urlencode([*selections.items(), ("_order", ",".join(selections))])
        for attr in api["attributes"]:
            checked = [o for (a, o), tile in tiles.items() if a == attr["id"] and tile["checked"]]
            if attr["value"] not in (None, "none") or checked:
                assert checked == [attr["value"]], (selections, attr)  # the design on screen
            for option in attr["options"]:
                tile = tiles.get((attr["id"], option["id"]))
                if tile is None:  # "filled" and a required attribute's "none" get no tile
                    continue
                assert tile["selectable"] is option["selectable"], (selections, attr["id"], option)
                if option["selectable"]:
                    assert tile["why"] is None
                    continue
                seen_unavailable = True
                why = web.get(f"/p/{product_id}/why/{attr['id']}/{option['id']}?{query}")
                said = html_of(why)
                assert option["explanation"]["text"] in said.text()
                repairs = api_repair(web, product_id, selections, attr["id"], option["id"])
                link = said.find("a")
                if repairs:
                    assert repairs[0]["text"] in said.text()
                    assert selections_in(link.get("href")) == repairs[0]["selections"]
                else:
                    assert link is None
    assert seen_conflict and seen_unavailable  # the designs exercised both
