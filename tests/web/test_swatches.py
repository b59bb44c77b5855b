"""GET /p/<product>/swatches.css: one rule per swatch on `.swatch-<attribute>-<option>`, colours
checked so no catalog text can become CSS, cached by catalog version."""

from __future__ import annotations

import dataclasses
import re
from types import SimpleNamespace

import pytest

from configurator.services import swatches
from configurator.services.memo import Memos
from tests import factories
from tests.web.conftest import html_of

YEAR = "public, max-age=31536000, immutable"
RULE = re.compile(r"\.(swatch-[a-z0-9_-]+-[a-z0-9_-]+) \{ background: ([^;{}]+); \}")


def rules(css: str) -> dict[str, str]:
    return dict(RULE.findall(css))


@pytest.mark.parametrize("product_id", ["helmet", "jacket"])
def test_one_rule_per_swatch_as_the_yaml_gives_it(web, catalog_files, versions, product_id):
    response = web.get(f"/p/{product_id}/swatches.css?v={versions[product_id]}")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    expected = {
        f"swatch-{attr['id']}-{option['id']}": option["swatch"]
        for attr in catalog_files[product_id].choices()
        for option in attr["options"]
        if option.get("swatch")
    }
    assert expected
    assert rules(response.get_data(as_text=True)) == expected
    assert response.headers["Cache-Control"] == YEAR
    assert response.headers["ETag"]


def test_without_the_current_version_it_is_cached_briefly(web):
    for address in ("/p/helmet/swatches.css", "/p/helmet/swatches.css?v=old"):
        assert web.get(address).headers["Cache-Control"] == "public, max-age=300"


def test_if_none_match_gives_an_empty_304(web, versions):
    address = f"/p/helmet/swatches.css?v={versions['helmet']}"
    etag = web.get(address).headers["ETag"]
    again = web.get(address, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["Cache-Control"] == YEAR


def test_an_unknown_product_is_a_404(web):
    assert web.get("/p/nope/swatches.css").status_code == 404


@pytest.mark.parametrize("product_id", ["helmet", "jacket"])
def test_the_configurator_links_its_versioned_stylesheet(web, versions, product_id):
    document = html_of(web.get(f"/p/{product_id}"))
    links = [e.get("href") for e in document.find_all("link", rel="stylesheet")]
    assert f"/p/{product_id}/swatches.css?v={versions[product_id]}" in links


@pytest.mark.parametrize(
    "colour",
    ["#c0392b", "#FFF", "#c0392b80", "red", "RebeccaPurple", "rgb(1, 2, 3)", "rgba(1,2,3,0.5)"],
)
def test_plain_colours_are_kept(colour):
    assert swatches.safe_colour(colour) == colour


@pytest.mark.parametrize(
    "colour",
    [
        None,
        "",
        "red; } body { display: none",
        "#c0392b;}",
        "#c0392b }",
        "url(https://example.com/x.png)",
        "expression(alert(1))",
        "red</style><script>alert(1)</script>",
        "#ggg",
        "#c0392b\n}",
        "rgb(1,2,3) url(x)",
        "rgb(1,2)",
        "var(--x)",
        "red /* */",
        "rеd",  # a Cyrillic е
    ],
)
def test_anything_else_is_left_out(colour):
    assert swatches.safe_colour(colour) is None


def test_surrounding_spaces_are_trimmed():
    assert swatches.safe_colour("  #c0392b\n") == "#c0392b"


def test_a_bad_colour_or_id_never_reaches_the_stylesheet():
    thing = factories.product({"colour": ["red", "blue", "green"]})
    colour = thing.attributes[0]
    options = (
        dataclasses.replace(colour.options[0], swatch="#ff0000"),
        dataclasses.replace(colour.options[1], swatch="blue; } body { display: none"),
        dataclasses.replace(colour.options[2], id="g{reen", swatch="#00ff00"),
    )
    thing = dataclasses.replace(thing, attributes=(dataclasses.replace(colour, options=options),))
    ctx = SimpleNamespace(catalogs=SimpleNamespace(product=lambda _id: thing), memos=Memos())
    css = swatches.stylesheet(ctx, "thing").css
    assert rules(css) == {"swatch-colour-red": "#ff0000"}
    assert "{" not in css.replace(".swatch-colour-red { ", "")


def test_the_class_name_scheme():
    assert swatches.class_name("shell_colour", "racing_red") == "swatch-shell_colour-racing_red"
