"""Compose a design's preview from its catalog layers, and encode it."""

from __future__ import annotations

import os
from functools import lru_cache

from PIL import Image, ImageChops

from configurator.catalog.model import Product
from configurator.render.artwork import ScaledLayer, scaled_layer
from configurator.render.effects import apply_effect
from configurator.render.encode import encode
from configurator.render.stack import EffectItem, ImageItem, TextItem, paint_stack, rgb
from configurator.render.text import draw_text

MIN_WIDTH = 16
MAX_WIDTH = 4096
# The studio backdrop previews are painted on. An opaque picture encodes about
# three times faster and 40 % smaller as WebP than one with an alpha plane;
# pass background=None for a transparent one.
BACKGROUND = "#f3f2ee"


def compose(
    product: Product,
    selections: dict[str, str],
    view: str,
    width: int,
    *,
    background: str | None = BACKGROUND,
) -> Image.Image:
    """The preview of `selections` in `view`, `width` pixels square.

    "RGB" on the `background` colour, or "RGBA" with a transparent background
    when `background` is None. Selections are trusted (validated elsewhere); an
    attribute missing from them, an unknown option or a missing artwork file
    just contributes nothing.
    """
    _check(product, view, width)
    if background:
        canvas = Image.new("RGB", (width, width), rgb(background))
    else:
        canvas = Image.new("RGBA", (width, width), (0, 0, 0, 0))
    stack = paint_stack(product, selections, view)
    maps = None
    if any(isinstance(item, EffectItem) for item in stack):
        maps = (Image.new("L", canvas.size, 0), Image.new("L", canvas.size, 0))
    for item in stack:
        if isinstance(item, ImageItem):
            layer = scaled_layer(os.path.join(product.folder, item.image), width)
            if layer is not None:
                _paint_layer(canvas, layer, item, maps)
        elif isinstance(item, EffectItem):
            if maps is not None:
                apply_effect(canvas, *maps, item.effect)
        elif isinstance(item, TextItem):
            draw_text(canvas, item.text, item.style)
    return canvas


def _paint_layer(canvas: Image.Image, layer: ScaledLayer, item: ImageItem, maps) -> None:
    """Paint one layer over the canvas; a tinted one also feeds the light maps of the effects."""
    alpha = layer.alpha
    if item.opacity < 1.0:
        alpha = alpha.point(_opacity_table(round(item.opacity * 255)))
    if item.tint:
        colour = layer.rgb.point(_tint_table(item.tint))  # the mask is grey: R = G = B
        if maps is not None:
            light, region = maps
            light.paste(layer.luminance, layer.box[:2], alpha)
            region.paste(ImageChops.lighter(region.crop(layer.box), alpha), layer.box[:2])
    else:
        colour = layer.rgb
    if canvas.mode == "RGB":
        canvas.paste(colour, layer.box[:2], alpha)  # over an opaque canvas: a masked paste
    else:
        rgba = colour.convert("RGBA")
        rgba.putalpha(alpha)
        canvas.alpha_composite(rgba, dest=layer.box[:2])


@lru_cache(maxsize=256)
def _tint_table(colour: str) -> list[int]:
    """Multiply, as one 768-entry table: value v of the mask becomes v * colour / 255 per channel."""
    return [(v * c + 127) // 255 for c in rgb(colour) for v in range(256)]


@lru_cache(maxsize=64)
def _opacity_table(level: int) -> list[int]:
    return [(v * level + 127) // 255 for v in range(256)]


def _check(product: Product, view: str, width: int) -> None:
    if view not in product.views:
        raise ValueError(f"{product.id} has no view {view!r}; views: {', '.join(product.views)}")
    if not isinstance(width, int) or not MIN_WIDTH <= width <= MAX_WIDTH:
        raise ValueError(f"width must be an integer from {MIN_WIDTH} to {MAX_WIDTH}, got {width!r}")


def render_preview(
    product: Product,
    selections: dict[str, str],
    view: str,
    width: int,
    fmt: str = "webp",
    *,
    background: str | None = BACKGROUND,
) -> bytes:
    """The encoded preview ("png" or "webp") of `selections` in `view`."""
    return encode(compose(product, selections, view, width, background=background), fmt)


def default_selections(product: Product) -> dict[str, str]:
    """Each attribute's default option; attributes without one are left out."""
    return {a.id: a.default for a in product.attributes if a.kind == "choice" and a.default}


def thumbnail(
    product: Product, width: int, fmt: str = "webp", *, background: str | None = BACKGROUND
) -> bytes:
    """The product's defaults in its first view: the picture for a catalog listing."""
    selections = default_selections(product)
    return render_preview(product, selections, product.views[0], width, fmt, background=background)
