"""One design on screen, in a real browser: from the first paint and on random links
(clashes included), the checked options, the summary's lines and total, and the preview
all show the same design; optional attributes can be undone with their "No ..." tile."""

from __future__ import annotations

import random
from decimal import Decimal
from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.browser


def summary_lines(shop) -> dict[str, Decimal]:
    """The summary's price lines after the base price, as {label: amount}."""
    rows = shop.page.locator("#summary .price-lines tr:not(.total)").all()[1:]
    out = {}
    for row in rows:
        amount = row.locator("td").inner_text().replace("+", "").split()[-1]
        out[row.locator("th").inner_text()] = Decimal(amount)
    return out


def expected_lines(helmet, design: dict[str, str]) -> dict[str, Decimal]:
    """What the catalog says the summary lists for this design: each priced value."""
    out = {}
    for attribute, value in design.items():
        spec = helmet.attributes[attribute]
        price = helmet.price(attribute, value)
        if not price:
            continue
        if spec.get("kind") == "text":
            out[spec["label"]] = price
        else:
            label = next(o["label"] for o in spec["options"] if o["id"] == value)
            out[f"{spec['label']}: {label}"] = price
    return out


def assert_one_design(shop, helmet) -> None:
    shown = shop.checked()
    assert summary_lines(shop) == expected_lines(helmet, shown)
    assert shop.total() == helmet.total(shown)
    drawn = shop.page.request.get(shop.preview_src()).body()
    spelled = shop.page.request.get(
        shop.preview_src().split("?")[0] + "?" + urlencode({**shop.chosen(), **shown, "w": 800})
    ).body()
    assert drawn == spelled, "the preview draws another design than the page checks"


def test_first_paint_shows_the_defaults_checked_priced_and_drawn(shop, helmet):
    shop.open()
    shown = shop.checked()
    assert shop.chosen() == {}
    for attribute, spec in helmet.attributes.items():
        if spec.get("default"):
            assert shown[attribute] == spec["default"]
    suggested = shop.page.locator(".tile .badge.suggested")
    assert suggested.count() == len(shown)
    assert "Suggested until you choose" in shop.page.locator("#summary").inner_text()
    assert_one_design(shop, helmet)


def test_random_links_show_one_design(shop, helmet):
    rng = random.Random(5)
    choices = [a for a, spec in helmet.attributes.items() if spec.get("kind") != "text"]
    clashes = 0
    for _ in range(12):
        picked = rng.sample(choices, rng.randint(1, 5))
        design = [(a, rng.choice(helmet.attributes[a]["options"])["id"]) for a in picked]
        shop.open("/p/helmet?" + urlencode(design + [("_order", ",".join(picked))]))
        state = shop.state()
        clashes += state["conflict"]
        assert shop.chosen() == dict(design)
        assert_one_design(shop, helmet)
    assert clashes >= 2


def test_the_none_tile_takes_a_graphic_away(shop, helmet):
    shop.open()
    shop.click("graphics", "stripes")
    assert shop.chosen() == {"graphics": "stripes"}
    with_stripes = shop.total()
    none = shop.page.locator("label[for=opt-graphics-none]")
    assert "No graphics" in none.inner_text()
    shop.click("graphics", "none")
    assert shop.chosen() == {"graphics": "none"}
    assert shop.total() == with_stripes - helmet.price("graphics", "stripes")
    assert shop.url_selections() == {"graphics": "none"}
    assert_one_design(shop, helmet)
