"""Embroidered back patches for the jacket: winged wheel, star, chequered flag, lightning bolt."""

from __future__ import annotations

import math

from PIL import Image, ImageChops

from .jacket_shapes import PATCH_CENTRE
from .paint import Pen, W, colour_layer, grow, mask, over, scale_alpha, shift, solid

CX, CY = PATCH_CENTRE
CREAM = (238, 228, 204, 255)
INK = (28, 24, 22, 255)
RED = (178, 32, 36, 255)
GOLD = (222, 172, 52, 255)
BLUE = (30, 56, 120, 255)
YELLOW = (246, 204, 40, 255)


def _star(cx, cy, outer, inner, points=5, rotation=-90):
    out = []
    for i in range(points * 2):
        r = outer if i % 2 == 0 else inner
        a = math.radians(rotation + i * 180 / points)
        out.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return out


def winged_wheel(pen: Pen) -> None:
    for side in (-1, 1):
        for i in range(5):
            length = 250 - i * 34
            y = CY - 40 + i * 26
            x0 = CX + side * 70
            x1 = x0 + side * length
            pen.polygon(
                [(x0, y - 22), (x1, y - 40 + i * 6), (x1 - side * 30, y + 8), (x0, y + 22)],
                fill=INK,
            )
            pen.polygon(
                [
                    (x0, y - 14),
                    (x1 - side * 8, y - 32 + i * 6),
                    (x1 - side * 34, y + 2),
                    (x0, y + 14),
                ],
                fill=CREAM,
            )
    pen.ellipse(CX, CY, 118, 118, fill=INK)
    pen.ellipse(CX, CY, 104, 104, fill=CREAM)
    pen.ellipse(CX, CY, 84, 84, fill=INK)
    for i in range(8):
        a = math.radians(i * 45)
        pen.line([(CX, CY), (CX + 80 * math.cos(a), CY + 80 * math.sin(a))], width=10, fill=CREAM)
    pen.ellipse(CX, CY, 24, 24, fill=GOLD)


def star(pen: Pen) -> None:
    pen.ellipse(CX, CY, 190, 190, fill=INK)
    pen.ellipse(CX, CY, 178, 178, fill=RED)
    pen.ellipse(CX, CY, 146, 146, fill=CREAM)
    pen.ellipse(CX, CY, 136, 136, fill=BLUE)
    pen.polygon(_star(CX, CY + 6, 128, 52), fill=CREAM)


FLAG_COLS, FLAG_ROWS, FLAG_SQUARE = 6, 4, 46


def chequered_flag(pen: Pen) -> None:
    for side in (-1, 1):
        base = (CX - side * 150, CY + 200)
        top = (CX + side * 90, CY - 210)
        pen.line([base, top], width=16, fill=INK)
        pen.line([base, top], width=8, fill=GOLD)
        # a waving flag hanging from the pole's top
        cols, rows = FLAG_COLS, FLAG_ROWS

        def corner(i, j, side=side, top=top):
            x = top[0] + side * i * FLAG_SQUARE
            y = top[1] + j * FLAG_SQUARE + 22 * math.sin(i / FLAG_COLS * math.pi * 1.5)
            return (x, y)

        outline = [corner(0, 0), corner(cols, 0), corner(cols, rows), corner(0, rows)]
        pen.polygon(
            [(x - 6 * side, y - 6) for x, y in outline[:2]] + [(x, y + 6) for x, y in outline[2:]],
            fill=INK,
        )
        for i in range(cols):
            for j in range(rows):
                quad = [corner(i, j), corner(i + 1, j), corner(i + 1, j + 1), corner(i, j + 1)]
                pen.polygon(quad, fill=INK if (i + j) % 2 else CREAM)
    pen.ellipse(CX, CY + 140, 16, 16, fill=GOLD)


def lightning(pen: Pen) -> None:
    pen.ellipse(CX, CY, 180, 180, fill=INK)
    pen.ellipse(CX, CY, 166, 166, fill=RED)
    bolt = [
        (CX + 40, CY - 150),
        (CX - 90, CY + 20),
        (CX - 10, CY + 20),
        (CX - 50, CY + 160),
        (CX + 90, CY - 30),
        (CX + 8, CY - 30),
        (CX + 60, CY - 150),
    ]
    pen.polygon([(x + 8, y + 8) for x, y in bolt], fill=INK)
    pen.polygon(bolt, fill=YELLOW)


DESIGNS = {
    "winged_wheel": winged_wheel,
    "star": star,
    "chequered_flag": chequered_flag,
    "lightning": lightning,
}


def _embroidered(layer: Image.Image) -> Image.Image:
    """Fine diagonal stitch texture, a merrowed dark edge and a drop shadow."""
    alpha = layer.getchannel("A")

    def stitches(pen: Pen) -> None:
        for i in range(-W, W, 7):
            pen.line([(i, 0), (i + W, W)], width=2.2, fill=255)

    texture = mask(stitches, ss=2)
    rgb = ImageChops.subtract(
        layer.convert("RGB"), Image.merge("RGB", (scale_alpha(texture, 0.16),) * 3)
    )
    rgb.putalpha(alpha)
    edge = solid((20, 16, 14, 255), grow(alpha, 5))
    drop = solid((0, 0, 0, 255), scale_alpha(shift(grow(alpha, 5), 4, 7), 0.35))
    return over(drop, edge, rgb)


def back_patches() -> dict[str, Image.Image]:
    return {name: _embroidered(colour_layer(draw)) for name, draw in DESIGNS.items()}
