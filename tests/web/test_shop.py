"""The shop over real HTTP: product list, configurator pages, htmx regions, finish/surprise/review.

Expected prices, defaults and SKUs come from the YAML (`catalog_files`), never from the app.
Every response passes `check_response` (no 5xx, no traceback, same-origin URLs only).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode, urlsplit

import pytest

from configurator.web.urls import MAX_QUERY_BYTES
from tests.web.conftest import (
    PRODUCTS,
    checked_radios,
    chosen_radios,
    decode_image,
    follow,
    html_of,
    query_of,
    selections_in,
    shown_design,
    total_on,
)

HTMX = {"HX-Request": "true"}
SWATCHES = re.compile(r"/p/[a-z0-9_-]+/swatches\.css\?v=[0-9a-f]+")
MAX_VALUE_CHARS = 200  # the longest value the shop echoes back into a field

FULL_DESIGNS = {
    "helmet": {
        "shell_type": "modular",
        "size": "l",
        "shell_colour": "cobalt_blue",
        "finish": "satin",
        "graphics": "stripes",
        "visor": "tinted",
        "lining": "tan",
        "monogram": "JB7",
    },
    "jacket": {
        "cut": "cafe_racer",
        "size": "l",
        "hide": "lambskin",
        "leather_colour": "cognac",
        "finish": "aniline",
        "collar": "band",
        "lining": "old_gold",
        "hardware": "brass",
        "back_patch": "star",
        "back_lettering": "RIDE FREE",
        "initials": "JD",
    },
}

# (product, design so far, attribute, option it rules out, the rule that does it)
UNAVAILABLE = [
    ("helmet", {"shell_type": "modular"}, "visor", "iridium", "iridium-needs-full-face"),
    ("helmet", {"shell_type": "modular"}, "size", "xs", "size-by-shell"),
    (
        "helmet",
        {"shell_type": "modular", "shell_colour": "cobalt_blue"},
        "shell_colour",
        "chrome",
        "no-chrome-modular",
    ),
    ("helmet", {"shell_colour": "racing_red"}, "graphics", "flames", "no-flames-on-red"),
    ("helmet", {"shell_colour": "arctic_white"}, "finish", "matte", "finish-by-colour"),
    ("jacket", {"cut": "cafe_racer"}, "size", "xxl", "cafe-racer-up-to-xl"),
    ("jacket", {"hide": "lambskin"}, "finish", "waxed", "no-waxed-lambskin"),
    ("jacket", {"collar": "band"}, "fur", "natural", "fur-only-with-shearling"),
    ("jacket", {"hide": "horsehide"}, "leather_colour", "navy", "hide-colours"),
]

# (product, contradictory design in choice order, rules any one of which explains it)
CONFLICTS = [
    (
        "helmet",
        {"shell_type": "open_face", "visor": "iridium"},
        {"visor-only-on-closed-shells", "iridium-needs-full-face"},
    ),
    ("helmet", {"shell_colour": "chrome", "finish": "matte"}, {"chrome-only-gloss"}),
    ("helmet", {"monogram": "AB", "shell_colour": "chrome"}, {"no-monogram-on-chrome"}),
    ("helmet", {"graphics": "race_number", "monogram": "AB"}, {"monogram-not-with-race-number"}),
    ("jacket", {"cut": "biker", "initials": "AB"}, {"no-initials-on-biker"}),
    ("jacket", {"hide": "lambskin", "finish": "waxed"}, {"no-waxed-lambskin"}),
    ("jacket", {"cut": "cafe_racer", "size": "xxl"}, {"cafe-racer-up-to-xl"}),
]


def url(product: str, design: dict[str, str] | None = None, suffix: str = "") -> str:
    query = urlencode(list((design or {}).items()))
    return f"/p/{product}{suffix}" + (f"?{query}" if query else "")


def canonical(design: dict[str, str]) -> list[tuple[str, str]]:
    """The query pairs of a design's canonical URL: choice order, then `_order` when 2+ choices."""
    pairs = list(design.items())
    return pairs + ([("_order", ",".join(design))] if len(design) > 1 else [])


def page(web, address: str, **kwargs):
    response = web.get(address, **kwargs)
    assert response.status_code == 200, (address, response.status_code)
    return html_of(response)


def assert_consistent(document) -> None:
    """The page shows a design with no conflict and no unusable choice."""
    assert document.find(class_="conflict") is None, document.find(class_="conflict").text()
    assert document.find(class_="problems") is None, document.find(class_="problems").text()
    assert "Some choices need changing" not in document.by_id("summary").text()


# -- product list ---------------------------------------------------------------------------------


def test_product_list_shows_every_product_with_its_preview_thumbnail(web, catalog_files, versions):
    document = page(web, "/")
    for product_id, source in catalog_files.items():
        card = document.by_id(f"product-{product_id}")
        assert source.product["name"] in card.text()
        assert f"EUR {source.product['base_price']}" in card.text()
        assert card.find("a", href=f"/p/{product_id}") is not None
        thumbnail = card.find("img")
        src = thumbnail.get("src")
        assert urlsplit(src).path == f"/preview/{product_id}/{source.views[0]}.webp"
        assert dict(query_of(src)) == {"v": versions[product_id], "w": "400"}
        assert thumbnail.get("alt") == ""  # decorative: the name is the link's heading
        image = web.get(src)
        assert image.status_code == 200
        assert image.mimetype == "image/webp"
        assert decode_image(image).size == (400, 400)


# -- the configurator page ------------------------------------------------------------------------


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_configurator_has_a_labelled_radio_group_per_choice(web, catalog_files, product_id):
    source = catalog_files[product_id]
    document = page(web, f"/p/{product_id}")
    form = document.by_id("design")
    assert form.tag == "form"
    assert form.get("action") == f"/p/{product_id}"
    assert form.get("method") == "get"
    for attr in source.choices():
        group = form.by_id(f"attr-{attr['id']}")
        assert group.tag == "fieldset"
        assert group.find("legend").text().startswith(attr["label"])
        radios = group.find_all("input", type="radio")
        optional = attr.get("required") is False  # its last tile chooses none of the options
        none = [{"id": "none", "label": attr.get("none_label") or f"No {attr['label'].lower()}"}]
        options = attr["options"] + (none if optional else [])
        assert [r.get("value") for r in radios] == [o["id"] for o in options]
        assert {r.get("name") for r in radios} == {attr["id"]}
        for radio, option in zip(radios, options, strict=True):
            labels = document.find_all("label", for_=radio.get("id"))
            assert len(labels) == 1, radio
            assert option["label"] in labels[0].text()
    assert chosen_radios(document) == {}  # nothing chosen yet: every checked tile is suggested


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_an_untouched_page_shows_the_default_design_checked_and_priced(
    web, catalog_files, product_id
):
    """The defaults are on screen from the first paint: checked, marked as suggested, priced,
    and the same design the preview draws; the shopper's first click keeps the rest."""
    source = catalog_files[product_id]
    document = page(web, f"/p/{product_id}")
    shown = checked_radios(document)
    for attr in source.choices():
        if attr.get("default"):
            assert shown[attr["id"]] == attr["default"], attr["id"]
        if attr["id"] not in shown:  # not applicable to this design: no tile checked
            continue
        tag = document.by_id(f"opt-{attr['id']}-{shown[attr['id']]}-tag")
        assert tag.text() == "Suggested"
    assert total_on(document) == source.price(shown)
    assert "Suggested" in document.by_id("summary").text()
    image = document.by_id("preview").find("img").get("src")
    assert {k for k in selections_in(image)} == {"v", "w"}  # completed the same way: no choice
    first = source.choices()[0]
    other = next(o["id"] for o in first["options"] if o["id"] != shown[first["id"]])
    form = {**shown, "_suggested": ",".join(f"{a}:{v}" for a, v in shown.items())}
    form[first["id"]] = other  # the form sends every checked radio; only this one changed
    clicked = web.get(
        f"/p/{product_id}?{urlencode(form)}", headers={**HTMX, "HX-Trigger-Name": first["id"]}
    )
    assert chosen_radios(html_of(clicked)) == {first["id"]: other}


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_configurator_has_a_labelled_field_per_text(web, catalog_files, product_id):
    document = page(web, f"/p/{product_id}")
    for attr in catalog_files[product_id].texts():
        field = document.by_id(f"field-{attr['id']}")
        assert field.tag == "input"
        assert field.get("type") == "text"
        assert field.get("name") == attr["id"]
        assert field.get("value") == ""
        assert field.get("maxlength") == str(attr["max_length"])
        assert "aria-invalid" not in field
        label = document.find("label", for_=f"field-{attr['id']}")
        assert label.text().startswith(attr["label"])
        assert f"+EUR {attr['price']}" in label.text()


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_configurator_summary_starts_with_the_suggested_design(web, catalog_files, product_id):
    source = catalog_files[product_id]
    document = page(web, f"/p/{product_id}")
    summary = document.by_id("summary")
    assert source.product["name"] in summary.text()
    assert total_on(document) == source.price(checked_radios(document))
    assert "Ready to review, with our suggestions" in summary.text()
    links = {a.text(): urlsplit(a.get("href")).path for a in summary.find_all("a")}
    assert links["Review my design"] == f"/p/{product_id}/review"
    assert links["Surprise me"] == f"/p/{product_id}/surprise"
    assert links["Start over"] == f"/p/{product_id}"


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_configurator_preview_has_a_srcset_of_real_images(web, catalog_files, versions, product_id):
    source = catalog_files[product_id]
    image = page(web, f"/p/{product_id}").by_id("preview").find("img")
    assert urlsplit(image.get("src")).path == f"/preview/{product_id}/{source.views[0]}.webp"
    assert dict(query_of(image.get("src")))["v"] == versions[product_id]
    candidates = [entry.split() for entry in image.get("srcset").split(",")]
    assert [descriptor for _, descriptor in candidates] == ["400w", "800w", "1600w"]
    for address, descriptor in candidates:
        response = web.get(address)
        assert response.status_code == 200
        width = int(descriptor.removesuffix("w"))
        assert decode_image(response).size == (width, width)


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_configurator_offers_every_view(web, catalog_files, product_id):
    source = catalog_files[product_id]
    other = source.views[1]
    document = page(web, f"/p/{product_id}?_view={other}")
    src = document.by_id("preview").find("img").get("src")
    assert urlsplit(src).path == f"/preview/{product_id}/{other}.webp"
    links = document.by_id("preview").find_all("a")
    assert [a.text() for a in links] == [v.capitalize() for v in source.views]
    assert [a.get("aria-current") for a in links] == [None, "true"]


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_a_design_url_restores_exactly_that_design(web, catalog_files, product_id):
    source = catalog_files[product_id]
    design = FULL_DESIGNS[product_id]
    document = page(web, url(product_id, design))
    choices = {k: v for k, v in design.items() if source.attribute(k).get("kind") != "text"}
    assert checked_radios(document) == choices
    for attr in source.texts():
        assert document.by_id(f"field-{attr['id']}").get("value") == design[attr["id"]]
        assert "aria-invalid" not in document.by_id(f"field-{attr['id']}")
    assert total_on(document) == source.price(design)
    assert_consistent(document)
    assert "Your design is complete." in document.by_id("summary").text()
    link = document.find("link", rel="canonical")
    assert urlsplit(link.get("href")).path == f"/p/{product_id}"
    assert query_of(link.get("href")) == canonical(design)
    review = document.by_id("summary").find("a", class_="primary")
    assert review.text() == "Review my design"
    assert selections_in(review.get("href")) == design


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_a_design_url_prices_each_choice_from_the_catalog(web, catalog_files, product_id):
    source = catalog_files[product_id]
    design = {}
    for key, value in FULL_DESIGNS[product_id].items():
        design[key] = value
        document = page(web, url(product_id, design))
        assert chosen_radios(document) == {
            k: v for k, v in design.items() if source.attribute(k).get("kind") != "text"
        }
        assert total_on(document) == source.price(shown_design(document)), design


def test_a_forced_choice_is_shown_checked_and_priced(web, catalog_files):
    """Iridium is made for the full-face shell only, so choosing it settles the shell too."""
    helmet = catalog_files["helmet"]
    document = page(web, url("helmet", {"visor": "iridium"}))
    assert chosen_radios(document) == {"visor": "iridium"}
    assert checked_radios(document)["shell_type"] == "full_face"
    assert total_on(document) == helmet.price(shown_design(document))
    assert_consistent(document)


def test_order_parameter_sets_the_choice_order(web):
    document = page(web, "/p/helmet?shell_type=full_face&visor=tinted&_order=visor,shell_type")
    href = document.find("link", rel="canonical").get("href")
    assert query_of(href) == canonical({"visor": "tinted", "shell_type": "full_face"})
    assert document.find("input", name="_order").get("value") == "visor,shell_type"


def test_the_last_value_of_a_repeated_choice_wins(web):
    document = page(web, "/p/helmet?shell_type=open_face&shell_type=modular")
    assert chosen_radios(document) == {"shell_type": "modular"}


# -- htmx: only the regions that change -----------------------------------------------------------


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_htmx_request_gets_only_the_regions(web, catalog_files, product_id):
    source = catalog_files[product_id]
    design = dict(list(FULL_DESIGNS[product_id].items())[:3])
    response = web.get(url(product_id, design), headers=HTMX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body and "<body" not in body and "<head" not in body
    regions = html_of(response).top_level()
    assert [(e.tag, e.get("id")) for e in regions] == [
        ("div", "options"),
        ("div", None),  # the announcement, swapped into the page's live region
        ("section", "summary"),
        ("section", "preview"),
        ("div", "bar"),  # the total bar of narrow screens
    ]
    assert "hx-swap-oob" not in regions[0]
    assert regions[1].get("hx-swap-oob") == "innerHTML:#announcer"
    price = source.price(shown_design(regions[0]))
    assert f"Total EUR {price}" in regions[1].text()
    assert regions[2].get("hx-swap-oob") == "true"
    assert regions[3].get("hx-swap-oob") == "true"
    assert regions[4].get("hx-swap-oob") == "true"
    assert chosen_radios(regions[0]) == design
    assert total_on(regions[2]) == price
    assert f"Total EUR {price}" in regions[4].text()


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_htmx_response_pushes_the_canonical_url_and_announces_the_total(
    web, catalog_files, product_id
):
    source = catalog_files[product_id]
    design = dict(reversed(list(FULL_DESIGNS[product_id].items())[:3]))
    response = web.get(url(product_id, design), headers=HTMX)
    pushed = response.headers["HX-Push-Url"]
    assert urlsplit(pushed).path == f"/p/{product_id}"
    assert query_of(pushed) == canonical(design)
    trigger = json.loads(response.headers["HX-Trigger"])
    shown = shown_design(html_of(response))
    assert trigger == {"design-changed": {"total": str(source.price(shown))}}


def test_htmx_pushes_the_bare_url_for_an_empty_design(web):
    response = web.get("/p/helmet", headers=HTMX)
    assert response.headers["HX-Push-Url"] == "/p/helmet"


def test_htmx_trigger_name_makes_that_choice_the_newest(web):
    design = {"shell_type": "full_face", "visor": "tinted", "size": "l"}
    response = web.get(url("helmet", design), headers={**HTMX, "HX-Trigger-Name": "shell_type"})
    newest_last = {"visor": "tinted", "size": "l", "shell_type": "full_face"}
    assert query_of(response.headers["HX-Push-Url"]) == canonical(newest_last)
    order = html_of(response).find("input", name="_order").get("value")
    assert order == "visor,size,shell_type"


def test_htmx_trigger_name_of_an_unchosen_attribute_keeps_the_order(web):
    design = {"shell_type": "full_face", "visor": "tinted"}
    response = web.get(url("helmet", design), headers={**HTMX, "HX-Trigger-Name": "lining"})
    assert query_of(response.headers["HX-Push-Url"]) == canonical(design)


def test_the_newest_choice_survives_a_conflict(web):
    """The order decides which choice yields: after the trigger, the shell is the newest."""
    response = web.get(
        "/p/helmet?shell_type=open_face&visor=iridium",
        headers={**HTMX, "HX-Trigger-Name": "shell_type"},
    )
    repaired = selections_in(html_of(response).find(class_="conflict").find("a").get("href"))
    assert repaired["shell_type"] == "open_face"
    assert "visor" not in repaired


# -- unavailable options: reason and a way to get them --------------------------------------------


@pytest.mark.parametrize(
    ("product_id", "design", "attribute", "option", "rule"),
    UNAVAILABLE,
    ids=[f"{p}-{a}-{o}" for p, _, a, o, _ in UNAVAILABLE],
)
def test_unavailable_option_says_why_and_can_be_made_possible(
    web, catalog_files, product_id, design, attribute, option, rule
):
    address = url(product_id, design)
    document = page(web, address)
    radio = document.by_id(f"opt-{attribute}-{option}")
    assert radio.get("aria-disabled") == "true"
    assert "checked" not in radio
    why = document.by_id(radio.get("aria-describedby"))
    assert "hidden" not in why and "sr-only" not in why.get("class", "")
    # the page says why only when asked: the tile's button (no JavaScript) or its fetch
    asking = why.find("button")
    assert (asking.get("name"), asking.get("value")) == ("_focus", radio.get("id"))
    assert why.get("hx-get") == f"/p/{product_id}/why/{attribute}/{option}"
    why = explained(web, address, radio.get("id"))
    assert catalog_files[product_id].rules[rule] in why.text()
    fetched = html_of(web.get(f"{radio_why(product_id, radio)}?{urlsplit(address).query}"))
    assert catalog_files[product_id].rules[rule] in fetched.text()
    link = why.find("a")
    assert link.text().startswith("Make it possible")

    fixed_address = follow(address, link.get("href"))
    assert selections_in(fixed_address)[attribute] == option
    fixed = page(web, fixed_address)
    assert_consistent(fixed)
    assert checked_radios(fixed)[attribute] == option
    assert "aria-disabled" not in fixed.by_id(f"opt-{attribute}-{option}")


@pytest.mark.parametrize(
    ("product_id", "design"),
    [
        ("helmet", {"shell_type": "open_face", "shell_colour": "chrome"}),
        ("jacket", {"cut": "cafe_racer", "hide": "horsehide", "hardware": "matte_black"}),
    ],
)
def test_every_unavailable_option_has_a_reason_and_a_working_repair(
    web, catalog_files, product_id, design
):
    messages = catalog_files[product_id].rules.values()
    address = url(product_id, design)
    document = page(web, address)
    unavailable = document.find_all("input", type="radio", aria_disabled="true")
    assert len(unavailable) >= 5
    for radio in unavailable:
        attribute, option = radio.get("name"), radio.get("value")
        why = explained(web, address, radio.get("id"))
        assert any(message in why.text() for message in messages), why.text()
        link = why.find("a")
        assert link is not None, (attribute, option)  # every option is possible in some design
        fixed = page(web, follow(address, link.get("href")))
        assert_consistent(fixed)
        assert checked_radios(fixed).get(attribute) == option, (attribute, option)


def explained(web, address: str, tile_id: str):
    """The tile's text once the shopper asks why (the page with `_focus` on that tile)."""
    document = page(web, f"{address}{'&' if '?' in address else '?'}_focus={tile_id}")
    return document.by_id(f"{tile_id}-why")


def radio_why(product_id: str, radio) -> str:
    return f"/p/{product_id}/why/{radio.get('name')}/{radio.get('value')}"


# -- contradictory selections ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("product_id", "design", "rules"),
    CONFLICTS,
    ids=[f"{p}-{'-'.join(d)}" for p, d, _ in CONFLICTS],
)
def test_contradictory_design_is_explained_with_a_repair_that_works(
    web, catalog_files, product_id, design, rules
):
    address = url(product_id, design)
    document = page(web, address)
    conflict = document.find(class_="conflict")
    assert conflict is not None and conflict.get("role") == "alert"
    assert any(catalog_files[product_id].rules[rule] in conflict.text() for rule in rules)
    assert "This design cannot be made as it is" in document.by_id("summary").text()
    assert "Cannot be made as it is" in document.by_id("preview").text()

    repair = conflict.find("a")
    repaired_address = follow(address, repair.get("href"))
    newest, value = list(design.items())[-1]
    assert selections_in(repaired_address)[newest] == value
    repaired = page(web, repaired_address)
    assert_consistent(repaired)
    assert repaired.by_id("preview").find("img") is not None


# -- what the link cannot use is shown, never a crash ---------------------------------------------


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("bogus=1", "There is no choice called “bogus”."),
        ("lining=zzz", "Lining has no option “zzz”."),
        ("lining=%FF%FE", "Lining has no option"),
        ("lining=" + "x" * 300, "Lining: Longer than maximum length 200."),
        ("a" * 5000 + "=1", "There is no choice called “" + "a" * 60 + "”."),
    ],
    ids=["unknown-attribute", "unknown-option", "bad-utf8", "long", "long-key"],
)
def test_unusable_choices_in_a_link_are_shown_and_the_rest_kept(web, query, shown):
    """(Keys starting with "_" are the page's own, e.g. `_view`, and never choices.)"""
    document = page(web, f"/p/helmet?shell_type=modular&{query}&size=l")
    problems = document.find(class_="problems")
    assert problems is not None and problems.get("role") == "alert"
    assert shown in problems.text()
    assert chosen_radios(document) == {"shell_type": "modular", "size": "l"}


@pytest.mark.parametrize(
    ("product_id", "attribute", "typed", "message"),
    [
        ("helmet", "monogram", "abc", "Monogram contains characters that are not allowed."),
        ("helmet", "monogram", "ABCD", "Monogram takes at most 3 characters."),
        ("helmet", "monogram", "A" * 5000, "Monogram takes at most 3 characters."),
        ("helmet", "monogram", "A<B", "Monogram contains characters that are not allowed."),
        ("jacket", "initials", "jd", "Chest initials contains characters that are not allowed."),
        ("jacket", "back_lettering", "X" * 15, "Back lettering takes at most 14 characters."),
    ],
    ids=["lowercase", "too-long", "5000-chars", "markup", "jacket-initials", "jacket-lettering"],
)
def test_invalid_text_shows_its_message_beside_the_field_and_keeps_the_text(
    web, catalog_files, product_id, attribute, typed, message
):
    response = web.get(url(product_id, {attribute: typed}))
    assert response.status_code == 200
    document = html_of(response)
    field = document.by_id(f"field-{attribute}")
    assert field.get("value") == typed[:MAX_VALUE_CHARS]
    assert field.get("aria-invalid") == "true"
    error = document.by_id(f"field-{attribute}-error")
    assert error.parent is field.parent  # beside the field, not in a list at the top
    assert f"field-{attribute}-error" in field.get("aria-describedby").split()
    assert message in error.text()
    assert document.find(class_="problems") is None
    assert total_on(document) == catalog_files[product_id].price(shown_design(document))
    assert attribute not in shown_design(document)  # a refused text is not priced
    assert "A<B" not in response.get_data(as_text=True)


def test_valid_text_is_kept_priced_and_not_flagged(web, catalog_files):
    document = page(web, url("helmet", {"monogram": "AB1"}))
    assert document.by_id("field-monogram").get("value") == "AB1"
    assert "aria-invalid" not in document.by_id("field-monogram")
    assert document.by_id("field-monogram-error").text() == ""
    assert total_on(document) == catalog_files["helmet"].price(shown_design(document))
    assert shown_design(document)["monogram"] == "AB1"


def test_a_text_that_cannot_apply_is_read_only(web):
    """Chrome shells take no monogram: the field says so instead of accepting text."""
    field = page(web, url("helmet", {"shell_colour": "chrome"})).by_id("field-monogram")
    assert field.get("aria-disabled") == "true"
    assert "readonly" in field


# -- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [MAX_QUERY_BYTES + 1, 64 * 1024])
def test_a_query_string_over_the_limit_is_refused(web, size):
    response = web.get("/p/helmet?monogram=" + "A" * (size - len("monogram=")))
    assert response.status_code == 414
    assert "too long" in html_of(response).find("main").text()


def test_a_query_string_of_exactly_the_limit_is_served(web):
    response = web.get("/p/helmet?bogus=" + "x" * (MAX_QUERY_BYTES - len("bogus=")))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "address", ["/p/nope", "/p/nope/complete", "/p/nope/surprise", "/p/nope/review?x=1"]
)
def test_unknown_product_is_a_404_page(web, address):
    response = web.get(address)
    assert response.status_code == 404
    main = html_of(response).find("main")
    assert "There is no product called “nope”." in main.text()
    assert main.find("a", href="/") is not None


def test_unknown_product_over_htmx_is_a_404(web):
    assert web.get("/p/nope?x=1", headers=HTMX).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "shell_type=",
        "_order=,,,shell_type,,",
        "_order=" + ",".join(["size"] * 500),
        "_view=%3Cscript%3Ealert(1)%3C/script%3E",
        "_view=" + "x" * 100,
        "monogram=%00%01",
        "shell_type=open_face&shell_type=",
        "&&&==&",
        "shell_type[]=modular",
        "monogram=AB&monogram=abc",
    ],
)
def test_odd_links_never_break_the_page(web, query):
    response = web.get(f"/p/helmet?{query}")
    assert response.status_code == 200
    assert "<script>alert" not in response.get_data(as_text=True)


# -- finish for me, surprise me, review -----------------------------------------------------------


def test_finish_for_me_keeps_the_choices_and_fills_in_the_defaults(web, catalog_files):
    helmet = catalog_files["helmet"]
    response = web.get("/p/helmet/complete?shell_type=modular&monogram=AB")
    assert response.status_code == 303
    target = response.headers["Location"]
    assert urlsplit(target).path == "/p/helmet"
    design = selections_in(target)
    assert list(design)[:2] == ["shell_type", "monogram"]
    assert design == {**helmet.defaults(), "shell_type": "modular", "monogram": "AB"}
    finished = page(web, target)
    assert_consistent(finished)
    assert "Your design is complete." in finished.by_id("summary").text()
    assert total_on(finished) == helmet.price(design)


def test_finish_for_me_skips_a_default_the_choices_rule_out(web, catalog_files):
    """The café racer has no notch lapels (the default collar): another collar is chosen."""
    jacket = catalog_files["jacket"]
    target = web.get("/p/jacket/complete?cut=cafe_racer").headers["Location"]
    design = selections_in(target)
    assert design["collar"] in {"band", "shirt"}
    others = {k: v for k, v in jacket.defaults().items() if k not in ("cut", "collar")}
    assert {k: design[k] for k in others} == others
    assert "Your design is complete." in page(web, target).by_id("summary").text()


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_finish_for_me_from_nothing_is_the_default_design(web, catalog_files, product_id):
    target = web.get(f"/p/{product_id}/complete").headers["Location"]
    assert selections_in(target) == catalog_files[product_id].defaults()


@pytest.mark.parametrize(
    ("product_id", "design", "rules"),
    CONFLICTS,
    ids=[f"{p}-{'-'.join(d)}" for p, d, _ in CONFLICTS],
)
def test_finish_for_me_on_a_contradictory_design_gives_a_consistent_one(
    web, product_id, design, rules
):
    response = web.get(url(product_id, design, "/complete"))
    assert response.status_code == 303
    finished = page(web, response.headers["Location"])
    assert_consistent(finished)
    assert "Your design is complete." in finished.by_id("summary").text()


def test_finish_for_me_over_htmx_redirects_the_browser(web):
    plain = web.get("/p/helmet/complete?shell_type=modular")
    response = web.get("/p/helmet/complete?shell_type=modular", headers=HTMX)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == plain.headers["Location"]


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_surprise_me_gives_a_valid_complete_design(web, catalog_files, product_id):
    source = catalog_files[product_id]
    for _ in range(5):
        response = web.get(f"/p/{product_id}/surprise")
        assert response.status_code == 303
        target = response.headers["Location"]
        assert urlsplit(target).path == f"/p/{product_id}"
        design = selections_in(target)
        for key, value in design.items():
            if source.attribute(key).get("kind") != "text":
                source.option(key, value)  # a real option of a real attribute
        surprise = page(web, target)
        assert_consistent(surprise)
        assert "Your design is complete." in surprise.by_id("summary").text()
        assert total_on(surprise) == source.price(design)


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_review_shows_the_sku_and_the_total(web, catalog_files, product_id):
    source = catalog_files[product_id]
    design = FULL_DESIGNS[product_id]
    document = page(web, url(product_id, design, "/review"))
    assert document.find("code", class_="sku").text() == source.sku(design)
    assert total_on(document) == source.price(design)
    listed = document.find("dl").text()
    for key, value in design.items():
        attr = source.attribute(key)
        shown = value if attr.get("kind") == "text" else source.option(key, value)["label"]
        assert shown in listed
    back = [a for a in document.find_all("a") if a.text() == "Change something"]
    assert selections_in(back[0].get("href")) == design


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_review_of_a_design_with_a_refused_text_goes_back_to_the_field(
    web, catalog_files, product_id
):
    """Never a review (or later an order) that silently drops what the shopper typed."""
    text = catalog_files[product_id].texts()[0]["id"]
    design = {**dict(list(FULL_DESIGNS[product_id].items())[:2]), text: "a<b"}
    response = web.get(url(product_id, design, "/review"))
    assert response.status_code == 303
    target = response.headers["Location"]
    assert urlsplit(target).path == f"/p/{product_id}"
    assert selections_in(target) == design
    document = page(web, follow(url(product_id, design, "/review"), target))
    assert document.by_id(f"field-{text}").get("aria-invalid") == "true"
    assert document.by_id(f"field-{text}-error").text()


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_review_of_a_few_choices_shows_them_with_our_suggestions(web, product_id):
    design = dict(list(FULL_DESIGNS[product_id].items())[:2])
    response = web.get(url(product_id, design, "/review"))
    assert response.status_code == 200
    assert "SKU" in response.get_data(as_text=True)


def test_review_of_a_link_with_unusable_choices_goes_back_to_the_configurator(web):
    """The link comes back as it was, so the configurator can say what it could not use."""
    design = {**FULL_DESIGNS["helmet"], "bogus": "1"}
    response = web.get(url("helmet", design, "/review"))
    assert response.status_code == 303
    assert selections_in(response.headers["Location"]) == design
    document = page(web, follow(url("helmet", design, "/review"), response.headers["Location"]))
    assert "There is no choice called “bogus”." in document.find(class_="problems").text()


def test_review_of_a_contradictory_design_goes_back_to_the_configurator(web):
    """Open face + iridium visor, everything else filled in: nothing may be quietly swapped."""
    design = {
        "shell_type": "open_face",
        "size": "m",
        "shell_colour": "racing_red",
        "finish": "gloss",
        "visor": "iridium",
        "lining": "black",
    }
    response = web.get(url("helmet", design, "/review"))
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == "/p/helmet"


# -- every page: same-origin assets that exist ----------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "/",
        "/p/helmet",
        "/p/jacket?_view=back",
        url("helmet", FULL_DESIGNS["helmet"], "/review"),
        url("jacket", FULL_DESIGNS["jacket"], "/review"),
        "/p/helmet?shell_type=open_face&visor=iridium",
        "/p/nope",
        "/p/helmet?monogram=" + "A" * 9000,
    ],
)
def test_pages_use_only_same_origin_assets_that_exist(web, address):
    response = web.get(address)  # the client refuses any URL to another origin
    document = html_of(response)
    assets = [e.get("href") for e in document.find_all("link", rel="stylesheet")]
    assets += [e.get("src") for e in document.find_all("script")]
    assert assets
    for asset in assets:
        assert asset.startswith("/static/") or SWATCHES.fullmatch(asset), asset
        with web.get(asset) as served:
            assert served.status_code == 200


def test_total_is_an_exact_decimal(web, catalog_files):
    """Prices are summed as decimals: 29.00 + 12.00 + 19.00 on top of the base, no float drift."""
    design = {"graphics": "pinstripe", "lining": "tan", "monogram": "X"}
    document = page(web, url("helmet", design))
    shown = shown_design(document)
    assert {k: shown[k] for k in design} == design
    assert total_on(document) == catalog_files["helmet"].price(shown)
    assert document.by_id("total").text() == f"EUR {catalog_files['helmet'].price(shown)}"


def test_why_for_a_tile_the_page_does_not_have_is_a_404_with_a_message(web):
    response = web.get("/p/helmet/why/visor/bogus")
    assert response.status_code == 404
    assert "bogus" in response.get_data(as_text=True)


def test_why_for_a_tile_that_can_be_picked_says_nothing(web):
    response = web.get("/p/helmet/why/visor/clear?shell_type=full_face")
    assert response.status_code == 200 and response.get_data(as_text=True) == ""
