"""Tinting and finishes on tiny synthetic artwork written to a temporary folder."""

from __future__ import annotations

from PIL import Image

from configurator.catalog.model import Attribute, Layer, Option, Product
from configurator.render import compose


def product_with_mask(
    folder, mask: Image.Image, *, effect: str | None = None, swatch="#ff8000"
) -> Product:
    mask.save(folder / "mask.png")
    layers = [Layer("front", 10, "mask.png", tint=True)]
    if effect:
        layers.append(Layer("front", 20, effect=effect))
    colour = Attribute(
        id="colour",
        label="Colour",
        options=(Option(id="c", label="C", swatch=swatch, layers=tuple(layers)),),
    )
    return Product(
        id="t",
        name="T",
        description="",
        currency="EUR",
        base_price=0,
        views=("front",),
        attributes=(colour,),
        steps=(),
        rules=(),
        folder=str(folder),
    )


def grey_mask(grey: int, alpha: int = 255, size: int = 64) -> Image.Image:
    return Image.merge(
        "LA", (Image.new("L", (size, size), grey), Image.new("L", (size, size), alpha))
    )


def test_a_tinted_mask_multiplies_its_grey_by_the_swatch(tmp_path):
    white = compose(
        product_with_mask(tmp_path, grey_mask(255)), {"colour": "c"}, "front", 64, background=None
    )
    assert white.getpixel((10, 10)) == (255, 128, 0, 255)
    half = compose(
        product_with_mask(tmp_path, grey_mask(128)), {"colour": "c"}, "front", 64, background=None
    )
    assert half.getpixel((10, 10)) == (128, 64, 0, 255)


def test_the_mask_alpha_is_kept(tmp_path):
    product = product_with_mask(tmp_path, grey_mask(255, alpha=0))
    assert compose(product, {"colour": "c"}, "front", 64, background="#102030").getpixel(
        (5, 5)
    ) == (16, 32, 48)


def test_gloss_lights_only_the_brightest_shading(tmp_path):
    mask = grey_mask(200)
    mask.paste(
        Image.merge("LA", (Image.new("L", (16, 16), 255), Image.new("L", (16, 16), 255))), (8, 8)
    )
    product = product_with_mask(tmp_path, mask, effect="gloss", swatch="#2040a0")
    image = compose(product, {"colour": "c"}, "front", 64)
    assert sum(image.getpixel((12, 12))) > 600  # the highlight is near white
    assert image.getpixel((40, 40)) == tuple((200 * c + 127) // 255 for c in (0x20, 0x40, 0xA0))


def test_matte_desaturates_and_adds_grain(tmp_path):
    product = product_with_mask(tmp_path, grey_mask(230), effect="matte", swatch="#ff0000")
    image = compose(product, {"colour": "c"}, "front", 64)
    red, green, _ = image.getpixel((20, 20))
    assert red < 230 and green > 0  # less saturated than the pure tint (230, 0, 0)
    assert len(image.crop((0, 0, 32, 32)).getcolors(4096)) > 3  # grain, not a flat fill
