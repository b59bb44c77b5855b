"""Finishes drawn as effects over the composite instead of as artwork: gloss, satin, matte.

An effect sees two maps built from the tinted layers painted before it:
`light`, the mask luminance (the artwork's shading, before any colour), and
`region`, where those layers are. Reading the shading rather than the coloured
pixels puts the highlight in the same place on a black shell as on a white
one. The artwork keeps its diffuse shading below about 90 % grey and lets
only its highlight lobes reach white, so:

gloss  a sharp specular spot where the shading is above 91 %.
satin  a soft, broad sheen over the lit side.
matte  no highlight; slightly desaturated, with a fine, seeded grain.
"""

from __future__ import annotations

import random
from functools import lru_cache

from PIL import Image, ImageChops

EFFECTS = ("gloss", "satin", "matte")

GRAIN_SEED = 0x6D617474  # "matt"
GRAIN_AMPLITUDE = 7  # +- grey levels
MATTE_DESATURATION = 0.2


def _ramp(start: float, end: float, power: float, peak: float) -> list[int]:
    """A lookup table: 0 below `start`, rising as a power curve to `peak` at `end`."""
    out = []
    for v in range(256):
        t = min(1.0, max(0.0, (v / 255 - start) / (end - start)))
        out.append(round(255 * peak * t**power))
    return out


GLOSS = _ramp(0.915, 0.995, 1.6, 0.95)
SATIN = _ramp(0.70, 1.0, 1.4, 0.30)


def apply_effect(canvas: Image.Image, light: Image.Image, region: Image.Image, effect: str) -> None:
    """Apply one finish in place; unknown effects are ignored."""
    box = region.getbbox()
    if box is None:
        return
    if effect == "gloss":
        _sheen(canvas, light, region, box, GLOSS)
    elif effect == "satin":
        _sheen(canvas, light, region, box, SATIN)
    elif effect == "matte":
        _matte(canvas, region, box)


def _sheen(canvas, light, region, box, table: list[int]) -> None:
    """Paint white, as strong as the table says for the shading under it."""
    strength = ImageChops.multiply(light.crop(box).point(table), region.crop(box))
    canvas.paste((255,) * len(canvas.getbands()), box, strength)


def _matte(canvas, region, box) -> None:
    part = canvas.crop(box)
    colour = part.convert("RGB") if part.mode != "RGB" else part
    flat = Image.blend(colour, colour.convert("L").convert("RGB"), MATTE_DESATURATION)
    grain = grain_field(canvas.width, canvas.height).crop(box)
    flat = ImageChops.add(flat, Image.merge("RGB", (grain, grain, grain)), scale=1.0, offset=-128)
    if canvas.mode == "RGB":
        canvas.paste(flat, box[:2], region.crop(box))
        return
    out = Image.composite(flat, colour, region.crop(box))  # keep the canvas's own alpha
    out.putalpha(part.getchannel("A"))
    canvas.paste(out, box[:2])


@lru_cache(maxsize=8)
def grain_field(width: int, height: int) -> Image.Image:
    """Seeded per-pixel noise centred on grey 128: the same for every render of this size."""
    noise = random.Random(GRAIN_SEED).randbytes(width * height)
    table = [128 + round((v - 128) * GRAIN_AMPLITUDE / 128) for v in range(256)]
    return Image.frombytes("L", (width, height), noise).point(table)
