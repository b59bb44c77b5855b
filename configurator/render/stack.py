"""Which layers a design shows in one view, in paint order. Pure: no images are opened here.

Glossary
--------
selections  {attribute id: option id} for choice attributes, {attribute id: typed
            text} for text attributes; an attribute left out contributes nothing.
item        one thing to paint: an image layer, an effect or a text.
placeholder "{attribute_id}" inside an image path, replaced with the option id
            chosen for that attribute ("helmet/shell-{shell_type}-front.png").
            If that attribute has no option chosen, the layer is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter

from configurator.catalog.model import Layer, Option, Product, TextStyle


@dataclass(frozen=True)
class ImageItem:
    order: int
    image: str  # relative to the product folder, placeholders filled in
    tint: str | None  # "#rrggbb" swatch when the layer is a tinted mask
    opacity: float


@dataclass(frozen=True)
class EffectItem:
    order: int
    effect: str


@dataclass(frozen=True)
class TextItem:
    order: int
    text: str
    style: TextStyle


Item = ImageItem | EffectItem | TextItem


def paint_stack(product: Product, selections: dict[str, str], view: str) -> list[Item]:
    """Every selected option's layers for `view`, sorted by order.

    The sort is stable, so equal orders keep attribute order, then declaration order.
    """
    items: list[Item] = []
    for attribute in product.attributes:
        chosen = selections.get(attribute.id)
        if not chosen:
            continue
        if attribute.kind == "text":
            items += [TextItem(s.order, chosen, s) for s in attribute.text_styles if s.view == view]
            continue
        option = attribute.option(chosen)
        if option is None:
            continue
        for layer in option.layers:
            if layer.view == view:
                item = _layer_item(product, selections, option, layer)
                if item is not None:
                    items.append(item)
    items.sort(key=lambda item: item.order)
    return items


def _layer_item(
    product: Product, selections: dict[str, str], option: Option, layer: Layer
) -> Item | None:
    if layer.effect:
        return EffectItem(layer.order, layer.effect)
    if not layer.image:
        return None
    image = expand_placeholders(product, selections, layer.image)
    if image is None:
        return None
    tint = normalise_colour(option.swatch) if layer.tint and option.swatch else None
    return ImageItem(layer.order, image, tint, layer.opacity)


def placeholders(image: str) -> list[str]:
    """The attribute ids named by "{...}" in an image path."""
    return [field for _, field, _, _ in Formatter().parse(image) if field]


def expand_placeholders(product: Product, selections: dict[str, str], image: str) -> str | None:
    """Fill "{attribute_id}" with the chosen option id; None if any is unset or unknown."""
    names = placeholders(image)
    if not names:
        return image
    values = {}
    for name in names:
        attribute = product.attribute(name)
        chosen = selections.get(name)
        if attribute is None or chosen is None or attribute.option(chosen) is None:
            return None
        values[name] = chosen
    return image.format_map(values)


def normalise_colour(colour: str) -> str:
    """Six lower-case hex digits after "#": "#ABC" becomes "#aabbcc"."""
    digits = colour.strip().lstrip("#").lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


def rgb(colour: str) -> tuple[int, int, int]:
    digits = normalise_colour(colour)[1:]
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
