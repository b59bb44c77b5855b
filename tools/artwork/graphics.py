"""Helmet graphics: stripes, flames, chequered, race number, pinstripe.

Each design is drawn once per view over the whole crown and then clipped to
one shell's painted area, so every (design, shell type, view) gets its own
image and nothing spills into the openings.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

from PIL import Image, ImageChops

from .helmet_shapes import FULL_FACE_SIDE, MONOGRAM
from .paint import (
    Pen,
    W,
    blur,
    clip,
    colour_layer,
    grow,
    intersect,
    mask,
    over,
    polygon_mask,
    scale_alpha,
    shift,
    shrink,
    solid,
    subtract,
)

FONT = str(
    Path(__file__).resolve().parents[2]
    / "configurator"
    / "render"
    / "fonts"
    / "DejaVuSans-Bold.ttf"
)

INK = (22, 22, 24, 255)
PAPER = (244, 244, 240, 255)
GOLD = (218, 176, 66, 255)

DESIGNS = ("stripes", "flames", "chequered", "race_number", "pinstripe")


def helmet_graphics(shell_alpha: Image.Image, view: str) -> dict[str, Image.Image]:
    out = {}
    for design in DESIGNS:
        if design == "pinstripe":
            out[design] = pinstripe(shell_alpha, view)
        else:
            out[design] = clip(PATTERNS[design](view), shell_alpha)
    return out


# --- stripes ------------------------------------------------------------------------------


@cache
def stripes(view: str) -> Image.Image:
    if view == "front":

        def paint(pen: Pen) -> None:
            for x0, x1 in ((708, 772), (828, 892)):
                pen.rect(x0 - 6, 0, x1 + 6, W, fill=INK)
                pen.rect(x0, 0, x1, W, fill=PAPER)

        return colour_layer(paint)
    crown = polygon_mask(FULL_FACE_SIDE)
    top = polygon_mask([(380, 0), (1215, 0), (1215, 760), (380, 760)])
    layers = []
    for near, far in ((10, 44), (58, 92)):
        band = subtract(shift(crown, 0, near - 6), shift(crown, 0, far + 6))
        inner = subtract(shift(crown, 0, near), shift(crown, 0, far))
        layers.append(solid(INK, intersect(band, top)))
        layers.append(solid(PAPER, intersect(inner, top)))
    return over(*layers)


# --- flames -------------------------------------------------------------------------------


def _tongue(base, angle_deg, length, width, curl) -> list[tuple[float, float]]:
    """One flame tongue: a bulging root narrowing to a curled tip, from `base` along `angle`."""
    a = math.radians(angle_deg)
    d = (math.cos(a), math.sin(a))
    n = (-d[1], d[0])
    steps = 40

    def centre(t):
        bend = curl * math.sin(math.pi * t * 0.9)
        return (
            base[0] + d[0] * length * t + n[0] * bend,
            base[1] + d[1] * length * t + n[1] * bend,
        )

    def half_width(t):
        return width / 2 * (1 - t) ** 0.85 * (0.7 + 0.55 * math.sin(math.pi * min(1.0, t * 1.7)))

    left, right = [], []
    for i in range(steps + 1):
        t = i / steps
        (x0, y0), (x1, y1) = centre(max(0.0, t - 0.01)), centre(min(1.0, t + 0.01))
        tx, ty = x1 - x0, y1 - y0
        norm = math.hypot(tx, ty) or 1.0
        nx, ny = -ty / norm, tx / norm
        x, y = centre(t)
        w = half_width(t)
        left.append((x + nx * w, y + ny * w))
        right.append((x - nx * w, y - ny * w))
    return left + right[::-1]


def _ramp(stops) -> list[tuple[int, int, int]]:
    out = []
    for i in range(256):
        t = i / 255
        for (t0, c0), (t1, c1) in zip(stops, stops[1:], strict=False):
            if t0 <= t <= t1:
                u = (t - t0) / (t1 - t0)
                out.append(tuple(round(a + (b - a) * u) for a, b in zip(c0, c1, strict=True)))
                break
    return out


FIRE = _ramp(
    [(0.0, (255, 236, 120)), (0.3, (255, 190, 40)), (0.65, (240, 100, 25)), (1.0, (190, 25, 20))]
)


def _coloured(field: Image.Image, ramp) -> Image.Image:
    return Image.merge("RGB", [field.point([c[ch] for c in ramp]) for ch in range(3)]).convert(
        "RGBA"
    )


@cache
def flames(view: str) -> Image.Image:
    tongues = []
    if view == "side":
        specs = [
            (620, 520, 192, -50),
            (720, 700, 188, 60),
            (830, 600, 190, -60),
            (930, 780, 186, 70),
            (1035, 640, 188, -60),
            (1135, 720, 184, 60),
            (1235, 520, 182, -40),
        ]
        for y, length, angle, curl in specs:
            tongues.append(_tongue((1250, y), angle, length, 190, curl))
        base = [[(1180, 560), (1600, 560), (1600, 1400), (1180, 1400)]]
        gradient = Image.linear_gradient("L").rotate(90, expand=True).resize((W, W))
        gradient = ImageChops.invert(gradient).transform(
            (W, W),
            Image.Transform.AFFINE,
            (1.6, 0, -900, 0, 1, 0),
            resample=Image.Resampling.BILINEAR,
        )
    else:
        base = [
            [(720, 400), (880, 400), (930, 600), (670, 600)],
            [(650, 920), (950, 920), (1000, 1400), (600, 1400)],
        ]
        for sign in (1, -1):
            for y, length, angle, curl in (
                (420, 360, -38, 50),
                (500, 420, -22, -50),
                (575, 380, -8, 45),
                (960, 380, -34, 45),
                (1060, 440, -20, -55),
                (1160, 420, -8, 45),
                (1260, 340, 4, -40),
            ):
                a = angle if sign > 0 else 180 - angle
                tongues.append(_tongue((800 + sign * 60, y), a, length, 170, curl * sign))
        gradient = _horizontal_distance(800, 460)

    def paint(pen: Pen) -> None:
        for polygon in base + tongues:
            pen.polygon(polygon)

    shape = mask(paint)
    outline = subtract(grow(shape, 9), shape)
    fill = _coloured(gradient, FIRE)
    fill.putalpha(shape)
    core = blur(shrink(shape, 22), 10)
    glow = solid((255, 245, 190, 255), scale_alpha(core, 0.35))
    return over(solid((95, 12, 8, 255), outline), fill, glow)


def _horizontal_distance(cx: float, reach: float) -> Image.Image:
    """An "L" field: 0 on the vertical line x = cx, 255 at `reach` px either side."""
    row = Image.new("L", (W, 1))
    for x in range(W):
        row.putpixel((x, 0), min(255, round(abs(x - cx) / reach * 255)))
    return row.resize((W, W))


# --- chequered ----------------------------------------------------------------------------


@cache
def chequered(view: str) -> Image.Image:
    squares: list[tuple[list, bool]] = []
    if view == "front":
        cols, rows = 18, 3

        def corner(i, j):
            theta = (i / cols * 2 - 1) * 1.38
            x = 800 + 462 * math.sin(theta)
            y = 300 + j * 58 + 170 * (1 - math.cos(theta))
            return (x, y)

    else:
        cols, rows = 3, 14

        def corner(i, j):
            v = j / rows
            y = 246 + 980 * (1 - math.cos(v * math.pi / 2))
            x = 640 + i * 62 - 0.16 * (y - 250)
            return (x, y)

    for i in range(cols):
        for j in range(rows):
            quad = [corner(i, j), corner(i + 1, j), corner(i + 1, j + 1), corner(i, j + 1)]
            squares.append((quad, (i + j) % 2 == 0))

    def paint(pen: Pen) -> None:
        for quad, dark in squares:
            pen.polygon(quad, fill=INK if dark else PAPER)

    layer = colour_layer(paint)
    band = layer.getchannel("A")
    edge = subtract(grow(band, 7), band)
    return over(solid(INK, edge), layer)


# --- race number --------------------------------------------------------------------------


@cache
def race_number(view: str) -> Image.Image:
    if view == "front":
        cx, cy, r, size = MONOGRAM["front"][0], 470, 100, 112
    else:
        cx, cy, r, size = 655, 790, 150, 168

    def paint(pen: Pen) -> None:
        pen.ellipse(cx, cy, r + 12, r + 12, fill=INK)
        pen.ellipse(cx, cy, r, r, fill=PAPER)
        pen.ellipse(cx, cy, r - 14, r - 14, fill=(200, 30, 36, 255))
        pen.ellipse(cx, cy, r - 22, r - 22, fill=PAPER)
        pen.text((cx, cy + size * 0.03), "27", FONT, size, fill=INK)

    return colour_layer(paint)


# --- pinstripe ----------------------------------------------------------------------------


def pinstripe(shell_alpha: Image.Image, view: str) -> Image.Image:
    """Two crisp gold lines following the shell's edges, on the upper part."""
    outer_line = subtract(shrink(shell_alpha, 34, sharp=True), shrink(shell_alpha, 44, sharp=True))
    inner_line = subtract(shrink(shell_alpha, 58, sharp=True), shrink(shell_alpha, 63, sharp=True))
    cut = 930 if view == "front" else 1010
    upper = blur(polygon_mask([(0, 0), (W, 0), (W, cut), (0, cut)]), 30)
    lines = intersect(ImageChops.lighter(outer_line, inner_line), upper)
    edge = subtract(grow(lines, 3), lines)
    return clip(over(solid((92, 62, 12, 255), edge), solid(GOLD, lines)), shell_alpha)


PATTERNS = {
    "stripes": stripes,
    "flames": flames,
    "chequered": chequered,
    "race_number": race_number,
}
