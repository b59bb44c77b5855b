"""Which layers a design paints, in which order: products built from the dataclasses, no files."""

from __future__ import annotations

from configurator.catalog.model import Attribute, Layer, Option, Product, TextStyle
from configurator.render.stack import (
    EffectItem,
    ImageItem,
    TextItem,
    expand_placeholders,
    normalise_colour,
    paint_stack,
)


def make_product() -> Product:
    shape = Attribute(
        id="shape",
        label="Shape",
        options=(
            Option(id="round", label="Round", layers=(Layer("front", 40, "shape/round-trim.png"),)),
            Option(id="square", label="Square"),
        ),
    )
    colour = Attribute(
        id="colour",
        label="Colour",
        options=(
            Option(
                id="red",
                label="Red",
                swatch="#F00",
                layers=(
                    Layer("front", 20, "shape/{shape}-front.png", tint=True),
                    Layer("side", 20, "shape/{shape}-side.png", tint=True),
                    Layer("front", 40, "shape/red-badge.png"),
                ),
            ),
        ),
    )
    finish = Attribute(
        id="finish",
        label="Finish",
        options=(Option(id="gloss", label="Gloss", layers=(Layer("front", 30, effect="gloss"),)),),
    )
    name = Attribute(
        id="name",
        label="Name",
        kind="text",
        required=False,
        max_length=3,
        text_styles=(TextStyle("front", 800, 500, 60, order=25),),
    )
    return Product(
        id="thing",
        name="Thing",
        description="",
        currency="EUR",
        base_price=0,
        views=("front", "side"),
        attributes=(shape, colour, finish, name),
        steps=(),
        rules=(),
    )


PRODUCT = make_product()


def test_layers_are_sorted_by_order_and_stable_on_ties():
    stack = paint_stack(
        PRODUCT, {"shape": "round", "colour": "red", "finish": "gloss", "name": "AB"}, "front"
    )
    assert [type(item).__name__ for item in stack] == [
        "ImageItem",
        "TextItem",
        "EffectItem",
        "ImageItem",
        "ImageItem",
    ]
    assert [item.order for item in stack] == [20, 25, 30, 40, 40]
    # order 40 twice: the shape attribute comes first in the product, so its layer does too
    assert stack[3].image == "shape/round-trim.png" and stack[4].image == "shape/red-badge.png"


def test_placeholders_take_the_chosen_option_and_tints_the_swatch():
    (shell,) = [i for i in paint_stack(PRODUCT, {"shape": "square", "colour": "red"}, "side")]
    assert shell == ImageItem(order=20, image="shape/square-side.png", tint="#ff0000", opacity=1.0)


def test_a_placeholder_with_nothing_chosen_skips_the_layer():
    stack = paint_stack(PRODUCT, {"colour": "red"}, "front")
    assert [item.image for item in stack] == ["shape/red-badge.png"]
    assert expand_placeholders(PRODUCT, {"shape": "oval"}, "x/{shape}.png") is None
    assert expand_placeholders(PRODUCT, {"shape": "round"}, "x/{nothing}.png") is None


def test_missing_or_unknown_selections_contribute_nothing():
    assert paint_stack(PRODUCT, {}, "front") == []
    assert paint_stack(PRODUCT, {"shape": "hexagon", "finish": ""}, "front") == []


def test_text_is_drawn_only_when_typed_and_only_in_its_views():
    assert paint_stack(PRODUCT, {"name": ""}, "front") == []
    assert paint_stack(PRODUCT, {"name": "ABC"}, "side") == []
    (item,) = paint_stack(PRODUCT, {"name": "ABC"}, "front")
    assert isinstance(item, TextItem) and item.text == "ABC"


def test_effects_are_items_too():
    assert paint_stack(PRODUCT, {"finish": "gloss"}, "front") == [EffectItem(30, "gloss")]


def test_colours_are_normalised():
    assert normalise_colour("#ABC") == "#aabbcc"
    assert normalise_colour("#A0b1C2") == "#a0b1c2"
