"""The renderer on the shipped catalog: decode the images and look at the pixels."""

from __future__ import annotations

import colorsys
import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from configurator.catalog import load_product
from configurator.render import compose, default_selections, render_preview, thumbnail
from configurator.render.artwork import cache_clear
from configurator.render.stack import paint_stack, rgb

CATALOG = Path(__file__).resolve().parents[2] / "catalog"
HELMET = load_product(CATALOG / "helmet.yaml")
JACKET = load_product(CATALOG / "jacket.yaml")
TEXT_SAMPLES = {"monogram": "AB7", "back_lettering": "ROAD CREW", "initials": "JD"}


def helmet(**changes: str) -> dict[str, str]:
    return {**default_selections(HELMET), **changes}


def decode(body: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(body))
    image.load()
    return image


def mean_colour(image: Image.Image, x: int, y: int, radius: int = 12) -> tuple[float, float, float]:
    """Mean RGB round (x, y), given in 1600-px canvas coordinates."""
    scale = image.width / 1600
    box = tuple(round(v * scale) for v in (x - radius, y - radius, x + radius, y + radius))
    return tuple(ImageStat.Stat(image.convert("RGB").crop(box)).mean)


def hue_degrees(colour) -> float:
    h, _, _ = colorsys.rgb_to_hsv(*(c / 255 for c in colour))
    return h * 360


def hue_distance(a: float, b: float) -> float:
    return min(abs(a - b), 360 - abs(a - b))


def brightness(colour) -> float:
    return sum(colour) / 3


# --- colours land where they should ------------------------------------------------------


@pytest.mark.parametrize(
    "colour", ["racing_red", "cobalt_blue", "signal_yellow", "racing_green", "burnt_orange"]
)
@pytest.mark.parametrize("view, point", [("front", (440, 1000)), ("side", (520, 900))])
def test_shell_region_has_the_shell_colour(colour, view, point):
    swatch = rgb(HELMET.attribute("shell_colour").option(colour).swatch)
    image = decode(render_preview(HELMET, helmet(shell_colour=colour), view, 400, "png"))
    seen = mean_colour(image, *point)
    assert hue_distance(hue_degrees(seen), hue_degrees(swatch)) < 12, (seen, swatch)


@pytest.mark.parametrize("lining", ["crimson", "royal_blue", "olive", "tan"])
def test_lining_region_has_the_lining_colour(lining):
    swatch = rgb(HELMET.attribute("lining").option(lining).swatch)
    selections = helmet(shell_type="open_face", visor="", lining=lining)
    image = decode(render_preview(HELMET, selections, "front", 400, "png"))
    seen = mean_colour(image, 1010, 960)
    assert hue_distance(hue_degrees(seen), hue_degrees(swatch)) < 15, (seen, swatch)


def test_white_and_black_shells_differ_everywhere_on_the_shell():
    white = compose(HELMET, helmet(shell_colour="arctic_white"), "front", 400)
    black = compose(HELMET, helmet(shell_colour="carbon_black"), "front", 400)
    assert (
        brightness(mean_colour(white, 440, 1000)) > brightness(mean_colour(black, 440, 1000)) + 120
    )


# --- finishes -----------------------------------------------------------------------------

HIGHLIGHT = {"front": (610, 430), "side": (640, 420)}


@pytest.mark.parametrize("view", HELMET.views)
def test_gloss_has_a_highlight_that_matte_does_not(view):
    def shine(finish: str) -> float:
        image = compose(HELMET, helmet(shell_colour="cobalt_blue", finish=finish), view, 800)
        return brightness(mean_colour(image, *HIGHLIGHT[view], radius=20))

    gloss, satin, matte = shine("gloss"), shine("satin"), shine("matte")
    assert gloss > matte + 60
    assert gloss > satin > matte


def test_finishes_leave_the_background_alone():
    gloss = compose(HELMET, helmet(finish="gloss"), "front", 400)
    matte = compose(HELMET, helmet(finish="matte"), "front", 400)
    corner = (0, 0, 60, 60)
    assert ImageChops.difference(gloss.crop(corner), matte.crop(corner)).getbbox() is None


def test_matte_grain_is_deterministic_but_present():
    first = compose(HELMET, helmet(finish="matte"), "front", 400)
    again = compose(HELMET, helmet(finish="matte"), "front", 400)
    assert ImageChops.difference(first, again).getbbox() is None
    patch = first.convert("L").crop((100, 230, 130, 260))
    low, high = patch.getextrema()
    assert high - low >= 4  # grain, not a flat fill


# --- text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("view", HELMET.views)
def test_monogram_pixels_appear_only_with_a_monogram(view):
    plain = compose(HELMET, helmet(), view, 800)
    lettered = compose(HELMET, helmet(monogram="JS7"), view, 800)
    changed = (
        ImageChops.difference(plain, lettered).convert("L").point(lambda v: 255 if v > 24 else 0)
    )
    box = changed.getbbox()
    assert box is not None
    style = next(s for s in HELMET.attribute("monogram").text_styles if s.view == view)
    centre_x, centre_y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    assert abs(centre_x - style.x / 2) < 12 and abs(centre_y - style.y / 2) < 12
    assert box[2] - box[0] < style.size * 2  # three letters, nothing else changed
    assert changed.histogram()[255] > 500


def test_jacket_lettering_is_on_the_back_only():
    plain = default_selections(JACKET)
    lettered = {**plain, "back_lettering": "ROAD CREW"}
    for view, expect_change in (("front", False), ("back", True)):
        difference = ImageChops.difference(
            compose(JACKET, plain, view, 400), compose(JACKET, lettered, view, 400)
        )
        assert (difference.getbbox() is not None) is expect_change


# --- every option, every view -------------------------------------------------------------


def _every_choice():
    for product in (HELMET, JACKET):
        for attribute in product.attributes:
            values = (
                [TEXT_SAMPLES[attribute.id]]
                if attribute.kind == "text"
                else list(attribute.option_ids)
            )
            for value in values:
                for view in product.views:
                    yield pytest.param(
                        product,
                        attribute.id,
                        value,
                        view,
                        id=f"{product.id}-{attribute.id}-{value}-{view}",
                    )


@pytest.mark.parametrize("product, attribute_id, value, view", list(_every_choice()))
def test_every_option_renders_in_every_view(product, attribute_id, value, view):
    selections = {**default_selections(product), attribute_id: value}
    image = compose(product, selections, view, 240)
    assert image.size == (240, 240)
    without = {k: v for k, v in selections.items() if k != attribute_id}
    # its own layers, text, or a "{attribute}" placeholder in another option's layer
    shows = paint_stack(product, selections, view) != paint_stack(product, without, view)
    differs = (
        ImageChops.difference(image, compose(product, without, view, 240)).getbbox() is not None
    )
    assert differs is shows, (
        "a choice that changes the layers must be visible, one that does not must not"
    )


def test_every_layer_file_of_the_catalog_is_used_and_present():
    for product in (HELMET, JACKET):
        folder = Path(product.folder)
        on_disk = {p.relative_to(folder).as_posix() for p in (folder / product.id).glob("*.png")}
        declared = set()
        for attribute in product.attributes:
            for option in attribute.options:
                for layer in option.layers:
                    if layer.image:
                        declared |= _expansions(product, layer.image)
        assert declared == on_disk


def _expansions(product, image: str) -> set[str]:
    if "{" not in image:
        return {image}
    name = image.split("{", 1)[1].split("}", 1)[0]
    return {
        found
        for option_id in product.attribute(name).option_ids
        for found in _expansions(product, image.replace("{" + name + "}", option_id))
    }


# --- robustness ---------------------------------------------------------------------------


def test_missing_attributes_just_skip_their_layers():
    empty = compose(HELMET, {}, "front", 200)
    assert empty.getcolors() is not None and len(empty.getcolors()) == 1  # the backdrop only
    colour_alone = compose(HELMET, {"shell_colour": "racing_red"}, "front", 200)
    assert ImageChops.difference(empty, colour_alone).getbbox() is None  # no shell type: no shell
    unknown = compose(HELMET, helmet(graphics="tartan", visor="gold"), "front", 200)
    assert unknown.size == (200, 200)


@pytest.mark.parametrize("fmt", ["png", "webp"])
def test_same_input_gives_identical_bytes(fmt):
    selections = helmet(shell_type="modular", graphics="flames", finish="matte", monogram="ABC")
    first = render_preview(HELMET, selections, "front", 640, fmt)
    cache_clear()
    assert render_preview(HELMET, selections, "front", 640, fmt) == first


@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG"), ("webp", b"RIFF")])
@pytest.mark.parametrize("width", [64, 400, 801])
def test_images_decode_to_the_requested_width(fmt, magic, width):
    body = render_preview(JACKET, default_selections(JACKET), "back", width, fmt)
    assert body.startswith(magic)
    assert decode(body).size == (width, width)


@pytest.mark.parametrize("fmt", ["png", "webp"])
def test_busy_designs_stay_small_at_800(fmt):
    busy = helmet(
        shell_type="modular", graphics="flames", visor="tinted", finish="matte", monogram="ABC"
    )
    assert len(render_preview(HELMET, busy, "front", 800, fmt)) < 150_000
    jacket = {
        **default_selections(JACKET),
        "cut": "bomber",
        "collar": "shearling",
        "fur": "natural",
        "back_patch": "winged_wheel",
        "back_lettering": "CAFE RACERS",
        "finish": "waxed",
    }
    for view in JACKET.views:
        assert len(render_preview(JACKET, jacket, view, 800, fmt)) < 150_000


def test_thumbnail_is_the_default_design_in_the_first_view():
    body = thumbnail(HELMET, 300, "png")
    assert body == render_preview(HELMET, default_selections(HELMET), "front", 300, "png")
    assert decode(body).size == (300, 300)


def test_transparent_background_on_request():
    image = compose(HELMET, helmet(), "front", 200, background=None)
    assert image.mode == "RGBA"
    assert image.getpixel((2, 2))[3] == 0
    assert image.getpixel((55, 125))[3] == 255  # on the shell
    assert (
        decode(render_preview(HELMET, helmet(), "front", 200, "webp", background=None)).mode
        == "RGBA"
    )


def test_bad_requests_raise_value_error():
    with pytest.raises(ValueError):
        compose(HELMET, helmet(), "back", 200)
    with pytest.raises(ValueError):
        compose(HELMET, helmet(), "front", 0)
    with pytest.raises(ValueError):
        render_preview(HELMET, helmet(), "front", 200, "gif")
