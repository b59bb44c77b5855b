"""The jacket's layers: leather body per cut, collars, fur, lining, details, hardware, patches.

Each function returns images keyed by their path under catalog/jacket/; the
paths follow the layers declared in catalog/jacket.yaml.
"""

from __future__ import annotations

import math
import random
from functools import cache

from PIL import Image, ImageChops

from . import patches
from .jacket_shapes import CUTS, HIGHLIGHTS, NECK_FRONT, VIEWS, ZIPS, cuff, sleeve, torso
from .paint import (
    Pen,
    W,
    blur,
    clip,
    colour_layer,
    flip_x,
    grow,
    intersect,
    mask,
    over,
    path,
    polygon_mask,
    radial,
    scale_alpha,
    shift,
    solid,
    subtract,
    surface_shading,
    tint_art,
    union,
)

COLLARS = ("notch_lapel", "band", "shirt", "shearling")


@cache
def silhouette(cut: str, view: str) -> Image.Image:
    shape = polygon_mask(torso(cut, view), sleeve(cut, "left"), sleeve(cut, "right"))
    if view == "front":
        shape = subtract(shape, polygon_mask(NECK_FRONT))
    return shape


def _lobes(view: str):
    return [(radial(x, y, rx, ry, a), w) for x, y, rx, ry, a, w in HIGHLIGHTS[view]]


def _lines(paint_lines, width: float, soften: float) -> Image.Image:
    return blur(mask(lambda pen: [pen.line(pts, width=width) for pts in paint_lines()]), soften)


def _folds(cut: str, view: str) -> list[list]:
    """Creases in the leather: armholes, elbows, waist."""
    cuff_y = cuff(cut)[0]
    out = []
    for flip in (False, True):
        arm = path((470, 380), ((478, 470), (492, 560), (505, 640)))
        elbow = [
            path((372, 840), ((400, 860), (430, 850), (470, 830))),
            path((366, 900), ((395, 930), (440, 920), (474, 900))),
            path((362, 960), ((390, 975), (430, 985), (470, 965))),
        ]
        wrist = [
            path((350, cuff_y - 90), ((380, cuff_y - 70), (420, cuff_y - 75), (462, cuff_y - 95)))
        ]
        for line in [arm, *elbow, *wrist]:
            out.append(flip_x(line) if flip else line)
    out.append(path((560, 1080), ((650, 1100), (720, 1060), (780, 1090))))
    out.append(path((1040, 1070), ((960, 1100), (900, 1060), (830, 1090))))
    if view == "front":
        out.append(ZIPS[cut])
    else:
        out.append(path((560, 470), ((700, 500), (900, 500), (1040, 470))))  # yoke seam
    if cut == "biker":
        out.append([(505, 1135), (1095, 1135)])
        out.append([(505, 1192), (1095, 1192)])
    return out


def body(cut: str, view: str) -> Image.Image:
    alpha = silhouette(cut, view)
    folds = _lines(lambda: _folds(cut, view), 7, 5)
    shading = surface_shading(
        alpha,
        roundness=48,
        ambient=0.44,
        diffuse=0.44,
        relief=2.2,
        rim=0.22,
        highlights=_lobes(view),
        creases=[(folds, 0.32)],
    )
    # a fine pebble grain in the hide
    shading = ImageChops.add(shading, _grain(7, 4), scale=1.0, offset=-128)
    return tint_art(shading, alpha)


@cache
def _grain(seed: int, amount: int) -> Image.Image:
    rng = random.Random(seed)
    n = W // 2
    raw = Image.frombytes(
        "L", (n, n), bytes(rng.randrange(128 - amount, 128 + amount + 1) for _ in range(n * n))
    )
    return raw.resize((W, W), Image.Resampling.BICUBIC)


def shadow(cut: str, view: str) -> Image.Image:
    """A soft drop shadow of the jacket on the backdrop."""
    cast = blur(shift(silhouette(cut, view), 14, 26), 26)
    return solid((30, 26, 22, 255), scale_alpha(cast, 0.32))


# --- lining -------------------------------------------------------------------------------


def lining() -> Image.Image:
    """Quilted lining seen inside the neck (front view only)."""
    region = grow(polygon_mask(NECK_FRONT), 6)

    def quilt(pen: Pen) -> None:
        for i in range(-12, 13):
            x = 800 + i * 36
            pen.line([(x - 200, 200), (x + 200, 600)], width=3)
            pen.line([(x + 200, 200), (x - 200, 600)], width=3)

    lines = blur(mask(quilt), 2)
    shading = surface_shading(
        region,
        roundness=14,
        ambient=0.55,
        diffuse=0.3,
        relief=1.0,
        rim=0.2,
        ceiling=0.84,
        creases=[(lines, 0.22), (radial(800, 300, 140, 80), 0.25)],
    )
    return tint_art(shading.point(lambda v: min(v, 215)), region)


# --- collars ------------------------------------------------------------------------------

BACK_STAND = path(
    (676, 300),
    ((680, 262), (720, 238), (800, 236)),
    ((880, 238), (920, 262), (924, 300)),
    ((860, 290), (740, 290), (676, 300)),
)


def _lapel(wide: bool) -> list:
    """The image-left lapel of a notch (or, wide, a shawl-like shearling) collar."""
    if wide:
        return path(
            (690, 288),
            ((610, 300), (520, 340), (500, 410)),
            ((520, 520), (640, 640), (760, 700)),
            ((790, 600), (760, 420), (690, 288)),
        )
    return [
        (688, 288),
        (612, 312),
        (552, 372),
        (602, 414),
        (556, 470),
        (640, 566),
        (752, 670),
        (776, 600),
        (740, 420),
        (700, 320),
    ]


def collar_front(kind: str) -> tuple[Image.Image, Image.Image]:
    """(alpha, creases) of a collar in the front view."""
    if kind in ("notch_lapel", "shearling"):
        left = _lapel(kind == "shearling")
        shape = polygon_mask(BACK_STAND, left, flip_x(left))
        edges = [left, flip_x(left)]
        if kind == "notch_lapel":
            edges += [
                [(552, 372), (602, 414), (630, 380)],
                flip_x([(552, 372), (602, 414), (630, 380)]),
            ]
    elif kind == "band":
        ring = path(
            (672, 262),
            ((690, 330), (740, 372), (800, 380)),
            ((860, 372), (910, 330), (928, 262)),
            ((934, 300), (920, 380), (800, 448)),
            ((680, 380), (666, 300), (672, 262)),
        )
        shape = polygon_mask(BACK_STAND, ring)
        edges = [
            path(
                (672, 300),
                ((700, 380), (750, 420), (800, 424)),
                ((850, 420), (900, 380), (928, 300)),
            )
        ]
    else:  # shirt
        left = [(688, 288), (640, 318), (660, 400), (720, 476), (792, 450), (770, 380), (720, 300)]
        shape = polygon_mask(BACK_STAND, left, flip_x(left))
        edges = [left, flip_x(left)]
    creases = _lines(lambda: edges, 5, 4)
    return shape, creases


def collar_back(kind: str) -> tuple[Image.Image, Image.Image]:
    height = {"notch_lapel": 118, "band": 64, "shirt": 96, "shearling": 120}[kind]
    top = 246
    outline = path(
        (664, top + 18),
        ((700, top), (900, top), (936, top + 18)),
        ((944, top + height), (944, top + height), (940, top + height + 8)),
        ((880, top + height + 20), (720, top + height + 20), (660, top + height + 8)),
        ((656, top + height), (656, top + height), (664, top + 18)),
    )
    shape = polygon_mask(outline)
    creases = (
        _lines(lambda: [[(670, top + height * 0.45), (930, top + height * 0.45)]], 4, 3)
        if kind != "band"
        else Image.new("L", (W, W), 0)
    )
    return shape, creases


def collar(kind: str, view: str) -> Image.Image:
    shape, creases = collar_front(kind) if view == "front" else collar_back(kind)
    shading = surface_shading(
        shape,
        roundness=22,
        ambient=0.46,
        diffuse=0.42,
        relief=2.4,
        rim=0.25,
        creases=[(creases, 0.3)],
        highlights=[(radial(640, 330, 60, 40), 0.08)],
    )
    return tint_art(shading, shape)


# --- fur ----------------------------------------------------------------------------------


def fur(view: str) -> Image.Image:
    """A fluffy shearling collar: a mask tinted with the fur colour; strands in the luminance."""
    base = collar_front("shearling")[0] if view == "front" else collar_back("shearling")[0]
    base = grow(base, 14)
    rng = random.Random(11 if view == "front" else 12)
    small = Image.frombytes("L", (400, 160), bytes(rng.randrange(0, 256) for _ in range(400 * 160)))
    strands = small.resize((W, W), Image.Resampling.BICUBIC)
    fluffy = ImageChops.add(blur(base, 10), strands, scale=1.0, offset=-128)
    alpha = fluffy.point(lambda v: max(0, min(255, (v - 110) * 6)))
    alpha = intersect(alpha, grow(base, 24))  # no stray strands away from the collar
    shading = surface_shading(
        alpha, roundness=24, ambient=0.5, diffuse=0.36, relief=2.0, rim=0.3, ceiling=0.86
    )
    shading = ImageChops.add(
        shading, strands.point(lambda v: 128 + (v - 128) // 3), scale=1.0, offset=-128
    )
    return tint_art(shading.point(lambda v: min(v, 218)), alpha)


# --- details: seams, pockets, knit --------------------------------------------------------

SEAM = (14, 10, 8, 150)
STITCH = (235, 225, 205, 90)
KNIT = (44, 44, 48, 255)


def _dashes(points: list, dash: float = 10, gap: float = 8) -> list[list]:
    out, carry, drawing, current = [], 0.0, True, [points[0]]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        seg = math.hypot(x1 - x0, y1 - y0)
        pos = 0.0
        while pos < seg:
            step = min(seg - pos, (dash if drawing else gap) - carry)
            pos += step
            carry += step
            t = pos / seg if seg else 1
            point = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
            if drawing:
                current.append(point)
            if carry >= (dash if drawing else gap) - 1e-6:
                if drawing:
                    out.append(current)
                drawing, carry, current = not drawing, 0.0, [point]
    return [d for d in out if len(d) > 1]


def _seam(pen: Pen, points: list, stitch_offset: float = 7) -> None:
    pen.line(points, width=4, fill=SEAM)
    shifted = [(x + stitch_offset * 0.7, y + stitch_offset * 0.7) for x, y in points]
    for dash in _dashes(shifted):
        pen.line(dash, width=2.2, fill=STITCH)


def _pocket(pen: Pen, a, b) -> None:
    """A welt pocket: a dark slot with stitched lips."""
    pen.line([a, b], width=14, fill=(10, 8, 6, 200))
    _seam(pen, [(a[0] - 4, a[1] - 10), (b[0] - 4, b[1] - 10)], 0)
    _seam(pen, [(a[0] + 4, a[1] + 10), (b[0] + 4, b[1] + 10)], 0)


def _knit(region: Image.Image, vertical: bool = True) -> Image.Image:
    def ribs(pen: Pen) -> None:
        for i in range(0, W, 14):
            if vertical:
                pen.rect(i, 0, i + 6, W, fill=255)
            else:
                pen.rect(0, i, W, i + 6, fill=255)

    lines = mask(ribs, ss=2)
    shading = surface_shading(region, roundness=16, ambient=0.6, diffuse=0.4, relief=2.0, rim=0.3)
    rgb = ImageChops.multiply(
        Image.new("RGB", region.size, KNIT[:3]), Image.merge("RGB", (shading,) * 3)
    )
    rgb = ImageChops.subtract(rgb, Image.merge("RGB", (scale_alpha(lines, 0.12),) * 3))
    rgb.putalpha(region)
    return rgb


def rib_regions(cut: str) -> Image.Image:
    """The bomber's knitted waistband and cuffs."""
    cy, ox, ix = cuff(cut)
    left_cuff = [(ox + 6, cy - 2), (ix - 2, cy - 2), (ix - 8, cy + 72), (ox + 20, cy + 72)]
    band = [(548, 1176), (1052, 1176), (1046, 1262), (554, 1262)]
    return polygon_mask(band, left_cuff, flip_x(left_cuff))


def details(cut: str, view: str) -> Image.Image:
    layers = []
    if cut == "bomber":
        layers.append(_knit(rib_regions(cut)))

    def paint(pen: Pen) -> None:
        for flip in (False, True):
            f = flip_x if flip else (lambda p: p)
            _seam(pen, f(path((470, 380), ((478, 470), (492, 560), (505, 640)))))  # armhole
            _seam(pen, f(path((600, 320), ((580, 600), (600, 900), (610, 1120)))))  # panel seam
        if view == "front":
            _front_details(pen, cut)
        else:
            _back_details(pen, cut)

    layers.append(colour_layer(paint))
    return clip(
        over(*layers),
        grow(
            union(
                silhouette(cut, view),
                rib_regions(cut) if cut == "bomber" else Image.new("L", (W, W), 0),
            ),
            2,
        ),
    )


def _front_details(pen: Pen, cut: str) -> None:
    zip_line = ZIPS[cut]
    _seam(pen, [(x - 16, y) for x, y in zip_line], 0)
    _seam(pen, [(x + 16, y) for x, y in zip_line], 0)
    if cut == "biker":
        _pocket(pen, (930, 520), (1030, 640))
        _pocket(pen, (560, 900), (640, 1040))
        _pocket(pen, (960, 880), (1050, 1010))
        _seam(pen, [(505, 1140), (1095, 1140)], 0)
        _seam(pen, [(505, 1187), (1095, 1187)], 0)
        for flip in (False, True):
            f = flip_x if flip else (lambda p: p)
            _seam(pen, f([(500, 372), (650, 312)]), 0)
            _seam(pen, f([(512, 404), (660, 344)]), 0)
    elif cut == "cafe_racer":
        _pocket(pen, (600, 880), (650, 1060))
        _pocket(pen, (1000, 880), (950, 1060))
    else:
        for x0 in (560, 900):
            pen.rect(x0, 820, x0 + 140, 1000, fill=(0, 0, 0, 40), radius=10)
            _seam(pen, [(x0 + 8, 828), (x0 + 8, 992), (x0 + 132, 992), (x0 + 132, 828)], 0)
            pen.rect(x0 - 6, 790, x0 + 146, 860, fill=(0, 0, 0, 70), radius=12)
            _seam(pen, [(x0 + 2, 852), (x0 + 138, 852)], 0)


def _back_details(pen: Pen, cut: str) -> None:
    _seam(pen, path((560, 470), ((700, 500), (900, 500), (1040, 470))))
    if cut == "biker":
        for x in (700, 900):
            _seam(pen, [(x, 490), (x, 1130)], 0)
        _seam(pen, [(505, 1140), (1095, 1140)], 0)
        _seam(pen, [(505, 1187), (1095, 1187)], 0)
    elif cut == "cafe_racer":
        _seam(pen, [(800, 500), (800, 1262)], 0)


# --- hardware: zips, snaps, buckles (tinted with the metal colour) -------------------------


def hardware(cut: str, view: str) -> Image.Image:
    """Grey levels of the fills are the metal's shading; its alpha is every fill drawn solid."""

    def paint(pen: Pen) -> None:
        if view == "front":
            _zip(pen, ZIPS[cut])
            if cut == "biker":
                _zip(pen, [(930, 520), (1030, 640)], small=True)
                _zip(pen, [(560, 900), (640, 1040)], small=True)
                _zip(pen, [(960, 880), (1050, 1010)], small=True)
                _buckle(pen, 620, 1163)
                for x, y in ((552, 366), (1048, 366), (560, 460), (1040, 460)):
                    _snap(pen, x, y)
            elif cut == "cafe_racer":
                _zip(pen, [(600, 880), (650, 1060)], small=True)
                _zip(pen, [(1000, 880), (950, 1060)], small=True)
                _snap(pen, 850, 300)
            else:
                _snap(pen, 630, 830)
                _snap(pen, 970, 830)
        if cut != "bomber":
            y, ox, ix = cuff(cut)
            for flip in (False, True):
                pts = [(ox + 30, y - 150), (ox + 24, y - 6)]
                _zip(pen, flip_x(pts) if flip else pts, small=True)

    art = mask(paint, ss=3)
    alpha = mask(lambda pen: paint(_Solid(pen)), ss=3)
    return tint_art(art, alpha)


class _Solid(Pen):
    """A pen that paints every fill as 255: used to draw the hardware's alpha."""

    def __init__(self, pen: Pen):
        self.draw, self.ss = pen.draw, pen.ss

    def polygon(self, points, fill=255):
        super().polygon(points, 255 if fill else 0)

    def ellipse(self, cx, cy, rx, ry, fill=255):
        super().ellipse(cx, cy, rx, ry, 255 if fill else 0)

    def rect(self, x0, y0, x1, y1, fill=255, radius=0):
        super().rect(x0, y0, x1, y1, 255 if fill else 0, radius)

    def line(self, points, width, fill=255):
        super().line(points, width, 255 if fill else 0)


def _zip(pen: Pen, points: list, small: bool = False) -> None:
    """Zip teeth along `points`, a puller at the first point."""
    width = 12 if small else 16
    pen.line(points, width=width + 6, fill=70)
    for dash in _dashes(points, 4, 3):
        pen.line(dash, width=width, fill=200)
    x, y = points[-1] if not small else points[0]
    (ax, ay), (bx, by) = (points[-2], points[-1]) if not small else (points[1], points[0])
    angle = math.atan2(by - ay, bx - ax)
    dx, dy = math.cos(angle), math.sin(angle)
    tab = [
        (x - dy * 9, y + dx * 9),
        (x + dy * 9, y - dx * 9),
        (x + dy * 7 - dx * 46, y - dx * 7 - dy * 46),
        (x - dy * 7 - dx * 46, y + dx * 7 - dy * 46),
    ]
    pen.polygon(tab, fill=150)
    pen.ellipse(x, y, 12, 12, fill=235)
    pen.ellipse(x - dx * 38, y - dy * 38, 5, 5, fill=60)


def _snap(pen: Pen, x: float, y: float) -> None:
    pen.ellipse(x, y, 17, 17, fill=110)
    pen.ellipse(x, y, 14, 14, fill=205)
    pen.ellipse(x - 4, y - 4, 6, 6, fill=250)


def _buckle(pen: Pen, x: float, y: float) -> None:
    pen.rect(x - 46, y - 40, x + 46, y + 40, fill=215, radius=10)
    pen.rect(x - 30, y - 26, x + 30, y + 26, fill=0, radius=6)
    pen.rect(x - 4, y - 26, x + 4, y + 26, fill=180, radius=3)


# --- all of it ----------------------------------------------------------------------------


def artwork() -> dict[str, Image.Image]:
    out: dict[str, Image.Image] = {"lining-front.png": lining()}
    for view in VIEWS:
        for cut in CUTS:
            out[f"body-{cut}-{view}.png"] = body(cut, view)
            out[f"shadow-{cut}-{view}.png"] = shadow(cut, view)
            out[f"details-{cut}-{view}.png"] = details(cut, view)
            out[f"hardware-{cut}-{view}.png"] = hardware(cut, view)
        for kind in COLLARS:
            out[f"collar-{kind}-{view}.png"] = collar(kind, view)
        out[f"fur-{view}.png"] = fur(view)
    for name, image in patches.back_patches().items():
        out[f"patch-{name}-back.png"] = image
    return out
