"""Text attributes (monograms, lettering) drawn with the font bundled in fonts/.

No system font is ever looked up, and the basic layout engine is used, so the
same text gives the same pixels on every machine with this Pillow.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from configurator.catalog.model import TextStyle
from configurator.render.artwork import CANVAS
from configurator.render.stack import rgb

FONT_PATH = Path(__file__).resolve().parent / "fonts" / "DejaVuSans-Bold.ttf"


@lru_cache(maxsize=64)
def font(pixels: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), pixels, layout_engine=ImageFont.Layout.BASIC)


def draw_text(canvas: Image.Image, text: str, style: TextStyle) -> None:
    """Draw `text` centred on the style's (x, y), given on the 1600-px canvas, scaled to `canvas`.

    A thin outline in a contrasting grey keeps the letters legible on any colour.
    """
    scale = canvas.width / CANVAS
    pixels = max(4, round(style.size * scale))
    face = font(pixels)
    fill = rgb(style.colour)
    stroke = max(1, round(pixels / 18))
    light_text = 0.299 * fill[0] + 0.587 * fill[1] + 0.114 * fill[2] > 140
    stroke_fill = (24, 24, 26, 255) if light_text else (240, 240, 236, 255)
    left, top, right, bottom = face.getbbox(text, stroke_width=stroke, anchor="mm")
    if right <= left or bottom <= top:
        return
    layer = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
    ImageDraw.Draw(layer).text(
        (-left, -top),
        text,
        font=face,
        fill=fill + (255,),
        anchor="mm",
        stroke_width=stroke,
        stroke_fill=stroke_fill,
    )
    paste_over(canvas, layer, round(style.x * scale) + left, round(style.y * scale) + top)


def paste_over(canvas: Image.Image, layer: Image.Image, x: int, y: int) -> None:
    """Paint an RGBA layer over the canvas at (x, y), clipping whatever falls outside it."""
    crop_left, crop_top = max(0, -x), max(0, -y)
    if crop_left or crop_top:
        layer = layer.crop((crop_left, crop_top, layer.width, layer.height))
        x, y = x + crop_left, y + crop_top
    if x >= canvas.width or y >= canvas.height or layer.width == 0 or layer.height == 0:
        return
    if canvas.mode == "RGB":
        canvas.paste(layer.convert("RGB"), (x, y), layer.getchannel("A"))
    else:
        canvas.alpha_composite(layer, dest=(x, y))
