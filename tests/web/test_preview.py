"""GET /preview/<product>/<view>.<png|webp>?<selections>&w=<width> over real HTTP.

Images are decoded with Pillow; caching is checked through the headers the endpoint sends
(ETag, Cache-Control, X-Render-Source). Tests that count renders use the per-test `client`;
the others share one app (`web`).
"""

from __future__ import annotations

import shutil
from urllib.parse import parse_qsl, quote, urlencode

import pytest
from PIL import ImageChops

from tests.web.conftest import PRODUCTS, checked_client, checked_radios, decode_image, html_of

WIDTHS = (200, 400, 800, 1600)
FORMATS = {"png": ("PNG", "image/png"), "webp": ("WEBP", "image/webp")}
YEAR = "public, max-age=31536000, immutable"


def preview(web, address: str, status: int = 200, **kwargs):
    response = web.get(address, **kwargs)
    assert response.status_code == status, (address, response.status_code, response.data[:300])
    return response


def refusal(response) -> dict:
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"] and body["message"]
    return body


def max_age(response) -> int:
    directives = dict(
        part.strip().partition("=")[::2] for part in response.headers["Cache-Control"].split(",")
    )
    return int(directives["max-age"])


# -- the picture ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("width", WIDTHS)
def test_preview_is_an_image_of_the_asked_format_and_width(web, fmt, width):
    response = preview(web, f"/preview/helmet/front.{fmt}?shell_type=modular&w={width}")
    pillow_format, media_type = FORMATS[fmt]
    assert response.mimetype == media_type
    image = decode_image(response)
    assert image.format == pillow_format
    assert image.size == (width, width)


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_every_view_of_every_product_renders(web, catalog_files, product_id):
    for view in catalog_files[product_id].views:
        response = preview(web, f"/preview/{product_id}/{view}.png?w=200")
        assert decode_image(response).size == (200, 200)


def test_width_defaults_to_800(web):
    assert decode_image(preview(web, "/preview/helmet/side.webp")).size == (800, 800)


NOT_ASCII_DIGITS = [
    "²",
    "٣",
    "３",
    "٤٠٠",
    "４００",
    "-1",
    "1e3",
    " 400",
    "400 ",
    "+400",
    "9" * 5000,
]


@pytest.mark.parametrize(
    "width", ["99999", "abc", "0", "-200", "201", "", "800.0", "0x320", *NOT_ASCII_DIGITS]
)
def test_other_widths_are_a_400_with_the_allowed_ones(web, width):
    """Only ASCII digits are a width: w=² was a 500 (int('²') raises) and w=٤٠٠ a 400-wide image."""
    body = refusal(preview(web, f"/preview/helmet/front.png?w={quote(width)}", status=400))
    assert body["message"] == "w must be one of 200, 400, 800, 1600."


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("/preview/helmet/top.png?w=200", "has no view “top”; views: front, side."),
        ("/preview/helmet/back.png?w=200", "has no view “back”"),
        ("/preview/helmet/front.gif?w=200", "Format must be one of png, webp."),
        ("/preview/helmet/front.PNG?w=200", "Format must be one of png, webp."),
        ("/preview/jacket/side.webp?w=200", "has no view “side”; views: front, back."),
    ],
)
def test_unknown_view_or_format_is_refused(web, address, message):
    response = web.get(address)
    assert 400 <= response.status_code < 500
    assert message in refusal(response)["message"]


def test_unknown_product_is_a_404(web):
    assert web.get("/preview/nope/front.png?w=200").status_code == 404


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("shell_type=zzz", "shell_type", "Shell type has no option “zzz”."),
        ("bogus=1", "bogus", "There is no choice called “bogus”."),
        ("monogram=abc", "monogram", "Monogram contains characters that are not allowed."),
        ("monogram=" + "A" * 5000, "monogram", "Monogram takes at most 3 characters."),
    ],
    ids=["unknown-option", "unknown-attribute", "lowercase-text", "5000-char-text"],
)
def test_unusable_selections_are_a_422_per_field(web, query, field, message):
    body = refusal(preview(web, f"/preview/helmet/front.png?w=200&{query}", status=422))
    assert message in body["fields"][field]


def test_a_ten_megabyte_query_string_is_refused(web):
    response = web.get("/preview/helmet/front.png?w=200&monogram=" + "A" * (10 * 1024 * 1024))
    assert response.status_code == 414
    assert "too long" in refusal(response)["message"]


@pytest.mark.parametrize(
    ("product_id", "query", "rule"),
    [
        ("helmet", "shell_type=open_face&visor=iridium", "visor-only-on-closed-shells"),
        ("helmet", "shell_colour=chrome&monogram=AB", "no-monogram-on-chrome"),
        ("jacket", "cut=biker&initials=AB", "no-initials-on-biker"),
    ],
)
def test_a_clash_is_drawn_as_the_page_checks_it(web, catalog_files, product_id, query, rule):
    """The page shows a clash checked as asked (saying it cannot be made): its preview draws
    exactly those checked options, as the same design spelled out in full would."""
    view = catalog_files[product_id].views[0]
    page = html_of(web.get(f"/p/{product_id}?{query}"))
    assert catalog_files[product_id].rules[rule] in page.find(class_="conflict").text()
    assert "Cannot be made as it is" in page.by_id("preview").text()
    drawn = preview(web, f"/preview/{product_id}/{view}.png?w=200&{query}")
    shown = {**checked_radios(page), **dict(parse_qsl(query))}
    spelled = preview(web, f"/preview/{product_id}/{view}.png?w=200&{urlencode(shown)}")
    assert drawn.data == spelled.data


# -- same input, same bytes; different input, different bytes --------------------------------------


def test_same_input_gives_identical_bytes_even_after_a_fresh_render(make_app, tmp_path):
    address = "/preview/helmet/front.png?w=400&shell_colour=cobalt_blue&graphics=stripes"
    first = preview(checked_client(make_app()), address)
    assert first.headers["X-Render-Source"] == "render"
    shutil.rmtree(tmp_path / "instance" / "renders")
    again = preview(checked_client(make_app()), address)
    assert again.headers["X-Render-Source"] == "render"
    assert again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]


def test_different_selections_give_different_bytes_and_etags(web):
    red = preview(web, "/preview/helmet/front.png?w=200&shell_colour=racing_red")
    blue = preview(web, "/preview/helmet/front.png?w=200&shell_colour=cobalt_blue")
    assert red.data != blue.data
    assert red.headers["ETag"] != blue.headers["ETag"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("shell_type=modular&size=l", "size=l&shell_type=modular"),
        ("shell_type=modular&size=l&_order=size,shell_type", "shell_type=modular&size=l"),
        ("", "shell_type=full_face&size=m&shell_colour=racing_red&finish=gloss&visor=clear"),
    ],
    ids=["order", "order-parameter", "defaults"],
)
def test_the_same_design_written_differently_is_the_same_picture(web, first, second):
    one = preview(web, f"/preview/helmet/front.png?w=200&{first}")
    two = preview(web, f"/preview/helmet/front.png?w=200&{second}")
    assert one.headers["ETag"] == two.headers["ETag"]
    assert one.data == two.data


def test_each_width_and_format_has_its_own_etag(web):
    etags = {
        preview(web, f"/preview/helmet/front.{fmt}?w={w}").headers["ETag"]
        for fmt in FORMATS
        for w in (200, 400)
    }
    assert len(etags) == 4


@pytest.mark.parametrize(
    ("product_id", "view", "attribute", "base"),
    [
        ("helmet", "front", "monogram", "shell_colour=carbon_black"),
        ("helmet", "side", "monogram", "shell_colour=carbon_black"),
        ("jacket", "back", "back_lettering", "cut=bomber"),
        ("jacket", "front", "initials", "cut=bomber"),
    ],
)
def test_typed_text_is_painted_where_the_catalog_puts_it(
    web, catalog_files, product_id, view, attribute, base
):
    width = 400
    address = f"/preview/{product_id}/{view}.png?w={width}&{base}"
    plain = decode_image(preview(web, address)).convert("RGB")
    with_ab = decode_image(preview(web, f"{address}&{attribute}=AB")).convert("RGB")
    with_xy = decode_image(preview(web, f"{address}&{attribute}=XY")).convert("RGB")
    changed = ImageChops.difference(plain, with_ab).getbbox()
    assert changed is not None
    place = next(
        t for t in catalog_files[product_id].attribute(attribute)["text"] if t["view"] == view
    )
    x, y = place["x"] * width // 1600, place["y"] * width // 1600
    left, top, right, bottom = changed
    assert left <= x < right and top <= y < bottom, (changed, (x, y))
    assert ImageChops.difference(with_ab, with_xy).getbbox() is not None


# -- HTTP caching ---------------------------------------------------------------------------------


def test_etag_and_if_none_match_give_an_empty_304(web):
    address = "/preview/helmet/front.webp?w=200&shell_type=modular"
    first = preview(web, address)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = preview(web, address, status=304, headers={"If-None-Match": etag})
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert "Cache-Control" in again.headers


def test_a_stale_etag_gets_the_full_image(web):
    address = "/preview/helmet/front.webp?w=200&shell_type=modular"
    response = preview(web, address, headers={"If-None-Match": '"not-the-etag"'})
    assert decode_image(response).size == (200, 200)


def test_a_versioned_url_is_cached_for_a_year(web, versions):
    response = preview(web, f"/preview/helmet/front.webp?w=200&v={versions['helmet']}")
    assert response.headers["Cache-Control"] == YEAR


@pytest.mark.parametrize("version", [None, "0000000000000000", ""])
def test_an_unversioned_or_stale_url_is_cached_briefly(web, version):
    query = "w=200" + ("" if version is None else f"&v={version}")
    response = preview(web, f"/preview/helmet/front.webp?{query}")
    assert "immutable" not in response.headers["Cache-Control"]
    assert 0 < max_age(response) < 31536000


def test_the_version_is_not_a_selection(web, versions):
    """`v` and `w` are reserved: they change caching and size, never the design."""
    plain = preview(web, "/preview/helmet/front.png?w=200")
    versioned = preview(web, f"/preview/helmet/front.png?w=200&v={versions['helmet']}")
    assert versioned.headers["ETag"] == plain.headers["ETag"]
    assert versioned.data == plain.data


def test_render_then_memory_then_disk_for_a_fresh_app(client, make_app):
    address = "/preview/helmet/front.webp?w=200&shell_colour=gunmetal&finish=satin"
    first = preview(client, address)
    assert first.headers["X-Render-Source"] == "render"
    second = preview(client, address)
    assert second.headers["X-Render-Source"] == "memory"
    assert second.data == first.data
    restarted = checked_client(make_app())  # same instance folder, empty memory
    third = preview(restarted, address)
    assert third.headers["X-Render-Source"] == "disk"
    assert third.data == first.data
    assert third.headers["ETag"] == first.headers["ETag"]
    assert preview(restarted, address).headers["X-Render-Source"] == "memory"


def test_a_304_is_answered_without_rendering(client, make_app, tmp_path):
    address = "/preview/helmet/front.webp?w=200&shell_colour=burnt_orange"
    etag = preview(client, address).headers["ETag"]
    shutil.rmtree(tmp_path / "instance" / "renders")
    restarted = checked_client(make_app())
    preview(restarted, address, status=304, headers={"If-None-Match": etag})
    assert preview(restarted, address).headers["X-Render-Source"] == "render"
