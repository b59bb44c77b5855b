"""The helmet's layers: shell masks, lining, shadow, details, visors, graphics.

Each function returns {relative path: image}; draw.py writes them under
catalog/helmet/. Paths follow the layers declared in catalog/helmet.yaml.
"""

from __future__ import annotations

from functools import cache

from PIL import Image, ImageChops

from . import graphics
from .helmet_shapes import (
    GROUND,
    HIGHLIGHTS,
    OUTLINES,
    SHELLS,
    VIEWS,
    VISOR_FRONT,
    VISOR_PIVOT_SIDE,
    VISOR_SIDE,
)
from .paint import (
    Pen,
    W,
    blur,
    clip,
    colour_layer,
    ground_shadow,
    grow,
    intersect,
    mask,
    over,
    polygon_mask,
    radial,
    scale_alpha,
    shift,
    shrink,
    solid,
    subtract,
    surface_shading,
    tint_art,
    union,
)


@cache
def outer(shell: str, view: str) -> Image.Image:
    """The shell's outline filled, openings included."""
    return polygon_mask(OUTLINES[shell, view][0])


@cache
def openings(shell: str, view: str) -> Image.Image:
    holes = OUTLINES[shell, view][1]
    if not holes:
        return Image.new("L", outer(shell, view).size, 0)
    return polygon_mask(*holes)


@cache
def shell_alpha(shell: str, view: str) -> Image.Image:
    """Where the painted shell is: the outline minus its openings."""
    return subtract(outer(shell, view), openings(shell, view))


def _lobes(view: str) -> list[tuple[Image.Image, float]]:
    return [(radial(x, y, rx, ry, angle), w) for x, y, rx, ry, angle, w in HIGHLIGHTS[view]]


def shell(shell_type: str, view: str) -> Image.Image:
    alpha = shell_alpha(shell_type, view)
    # the rim of an opening is a rolled edge: darken just inside it
    lip = subtract(grow(openings(shell_type, view), 26), openings(shell_type, view))
    shading = surface_shading(
        outer(shell_type, view),
        roundness=90,
        ambient=0.40,
        diffuse=0.46,
        highlights=_lobes(view),
        creases=[(blur(lip, 8), 0.18)],
    )
    if shell_type == "modular":
        seam = mask(lambda pen: _modular_seam(pen, view, width=5))
        shading = ImageChops.subtract(shading, scale_alpha(seam, 0.35))
    return tint_art(shading, alpha)


def lining(shell_type: str, view: str) -> Image.Image:
    """The fabric seen inside the openings and at the neck roll, drawn behind the shell."""
    body = outer(shell_type, view)
    holes = openings(shell_type, view)
    if view == "front":
        region = intersect(grow(holes, 40), grow(body, 4))
        if shell_type == "open_face":
            region = intersect(grow(holes, 34), body)
        if shell_type == "open_face":
            depth = _vertical_falloff(560, 1220)
            pads = union(
                radial(1045, 960, 80, 320), radial(555, 960, 80, 320), radial(800, 1200, 320, 90)
            )
            seams = mask(
                lambda pen: [
                    pen.line([(x, 560), (x + (x - 800) * 0.15, 1190)], width=6) for x in (690, 910)
                ]
            )
            pads = ImageChops.subtract(pads, scale_alpha(blur(seams, 4), 0.8))
        else:
            depth = scale_alpha(radial(800, 720, 360, 220), 0.7)
            pads = union(
                radial(985, 900, 170, 230), radial(615, 900, 170, 230), radial(800, 930, 150, 50)
            )
        shading = _fabric_shading(region, pads, depth)
    else:
        neck = subtract(shift(body, 0, 26), shift(body, 0, -30))
        low = polygon_mask([(0, 1050), (1600, 1050), (1600, 1600), (0, 1600)])
        region = intersect(neck, low)
        if holes.getbbox():
            region = union(region, intersect(grow(holes, 30), body))
        if shell_type == "open_face":
            front = polygon_mask([(1040, 560), (1600, 560), (1600, 1600), (1040, 1600)])
            cheek = subtract(intersect(grow(body, 24), front), shift(body, 0, -6))
            region = union(region, cheek)
        depth = radial(1150, 760, 200, 150)
        pads = union(radial(1120, 1000, 200, 260), radial(700, 1280, 500, 80))
        shading = _fabric_shading(region, pads, depth)
    return tint_art(shading, region)


def _vertical_falloff(top: float, bottom: float) -> Image.Image:
    """An "L" field: 255 above `top`, fading to 40 at `bottom`: deep inside the crown is darkest."""
    column = Image.new("L", (1, W))
    for y in range(W):
        t = min(1.0, max(0.0, (y - top) / (bottom - top)))
        column.putpixel((0, y), round(255 - 215 * t))
    return column.resize((W, W))


def _fabric_shading(region: Image.Image, pads: Image.Image, depth: Image.Image) -> Image.Image:
    """Soft padded fabric: bright where padding bulges, dark deep inside the helmet."""
    base = surface_shading(
        region, roundness=18, ambient=0.50, diffuse=0.35, relief=1.5, rim=0.3, ceiling=0.86
    )
    lit = ImageChops.add(base, scale_alpha(pads, 0.25))
    # fabric never reaches the top of the range, so no finish effect finds a highlight on it
    return ImageChops.subtract(lit, scale_alpha(depth, 0.45)).point(lambda v: min(v, 215))


def shadow(shell_type: str, view: str) -> Image.Image:
    cx, cy, rx, ry = GROUND[shell_type, view]
    return ground_shadow(cx, cy, rx, ry)


# --- details: rubber trims, vents, hinge ----------------------------------------------------

RUBBER = (32, 33, 36, 255)
RUBBER_EDGE = (70, 72, 76, 255)
METAL = (150, 154, 160, 255)


def details(shell_type: str, view: str) -> Image.Image:
    body = outer(shell_type, view)
    holes = openings(shell_type, view)
    layers = []
    # rubber gasket around every opening
    if holes.getbbox():
        gasket = subtract(grow(holes, 16), holes)
        gasket = intersect(gasket, body)
        layers.append(_rubber(gasket))
    # trim along the bottom edge
    bottom = subtract(body, shift(body, 0, -16))
    low = polygon_mask(
        [(0, 1000 if view == "side" else 1040), (1600, 1000), (1600, 1600), (0, 1600)]
    )
    layers.append(_rubber(intersect(bottom, low)))
    if shell_type == "open_face":
        edge = (
            subtract(body, shift(body, -16, 0)) if view == "side" else Image.new("L", body.size, 0)
        )
        front = polygon_mask([(1060, 580), (1600, 580), (1600, 1240), (1060, 1240)])
        if view == "side":
            layers.append(_rubber(intersect(edge, front)))
    layers.append(colour_layer(lambda pen: _vents(pen, shell_type, view)))
    if shell_type == "modular":
        layers.append(colour_layer(lambda pen: _modular_parts(pen, view)))
    return clip(over(*layers), grow(body, 3))


def _rubber(region: Image.Image) -> Image.Image:
    shading = surface_shading(region, roundness=6, ambient=0.55, diffuse=0.45, relief=3.0, rim=0.1)
    rgb = ImageChops.multiply(
        Image.new("RGB", region.size, RUBBER[:3]), Image.merge("RGB", (shading,) * 3)
    )
    rgb = ImageChops.add(rgb, Image.new("RGB", region.size, (18, 18, 20)))
    rgb.putalpha(region)
    return rgb


def _grille(pen: Pen, x0: float, y0: float, x1: float, y1: float, slots: int, vertical=True):
    pen.rect(x0 - 4, y0 - 4, x1 + 4, y1 + 4, fill=(95, 98, 104, 255), radius=(y1 - y0) / 2 + 4)
    pen.rect(x0, y0, x1, y1, fill=RUBBER, radius=(y1 - y0) / 2)
    if vertical:
        step = (x1 - x0) / (slots + 1)
        for i in range(1, slots + 1):
            x = x0 + i * step
            pen.rect(x - 4, y0 + 10, x + 4, y1 - 10, fill=(8, 8, 9, 255), radius=4)
    else:
        step = (y1 - y0) / (slots + 1)
        for i in range(1, slots + 1):
            y = y0 + i * step
            pen.rect(x0 + 14, y - 3, x1 - 14, y + 3, fill=(8, 8, 9, 255), radius=3)


def _vents(pen: Pen, shell_type: str, view: str) -> None:
    if view == "front":
        _grille(pen, 735, 292, 865, 332, 5)
        if shell_type != "open_face":
            _grille(pen, 730, 1045, 870, 1110, 6)
            pen.rect(760, 1130, 840, 1150, fill=RUBBER_EDGE, radius=10)
        else:
            for x in (1110, 490):
                pen.ellipse(x, 640, 15, 15, fill=METAL)
                pen.ellipse(x - 3, 636, 6, 6, fill=(215, 218, 222, 255))
    else:
        # top slider and rear exhaust spoiler
        pen.polygon([(700, 262), (840, 258), (848, 288), (706, 292)], fill=RUBBER)
        pen.polygon([(360, 560), (450, 440), (480, 460), (392, 590)], fill=RUBBER)
        for i in range(3):
            y = 480 + i * 34
            pen.line([(455 - i * 22, y), (400 - i * 22, y + 70)], width=6, fill=(8, 8, 9, 255))
        if shell_type == "open_face":
            pen.ellipse(1150, 630, 18, 18, fill=METAL)
            pen.ellipse(1146, 625, 7, 7, fill=(220, 222, 226, 255))
        else:
            chin = (1282, 1090) if shell_type == "full_face" else (1294, 1096)
            pen.polygon(
                [
                    (chin[0] - 40, chin[1] - 70),
                    (chin[0] + 22, chin[1] - 60),
                    (chin[0] + 30, chin[1] + 60),
                    (chin[0] - 32, chin[1] + 66),
                ],
                fill=RUBBER,
            )
            for i in range(4):
                y = chin[1] - 44 + i * 28
                pen.line([(chin[0] - 28, y), (chin[0] + 18, y + 2)], width=5, fill=(8, 8, 9, 255))


def _modular_seam(pen: Pen, view: str, width: float, fill=255) -> None:
    if view == "front":
        for sign in (1, -1):
            pts = [
                (800 + sign * 352, 800),
                (800 + sign * 392, 900),
                (800 + sign * 408, 1040),
                (800 + sign * 398, 1120),
            ]
            pen.line(pts, width=width, fill=fill)
    else:
        pen.line(
            [(1000, 880), (960, 930), (950, 1040), (1010, 1150), (1120, 1250), (1180, 1320)],
            width=width,
            fill=fill,
        )


def _modular_parts(pen: Pen, view: str) -> None:
    if view == "front":
        pen.rect(765, 1262, 835, 1300, fill=(150, 28, 30, 255), radius=14)
        pen.rect(775, 1268, 825, 1280, fill=(205, 80, 80, 255), radius=6)
    else:
        pen.ellipse(905, 960, 74, 74, fill=(40, 41, 44, 255))
        pen.ellipse(905, 960, 60, 60, fill=(78, 80, 86, 255))
        pen.ellipse(898, 950, 40, 40, fill=(112, 115, 122, 255))
        pen.ellipse(905, 960, 12, 12, fill=(25, 25, 27, 255))


# --- visors -------------------------------------------------------------------------------

VISOR_TINTS = {
    "clear": ((205, 222, 236), 38),
    "tinted": ((26, 29, 35), 205),
}


def visor(kind: str, view: str) -> Image.Image:
    shape = polygon_mask(VISOR_FRONT if view == "front" else VISOR_SIDE)
    if kind == "iridium":
        body = _iridium(view)
        body.putalpha(scale_alpha(shape, 222 / 255))
    else:
        colour, alpha = VISOR_TINTS[kind]
        body = solid(colour + (255,), scale_alpha(shape, alpha / 255))
        if kind == "tinted":
            body = over(
                body,
                solid(
                    (70, 85, 105, 255),
                    scale_alpha(intersect(shape, radial(900, 700, 500, 200)), 0.25),
                ),
            )
    edge = subtract(shape, shrink(shape, 7))
    rim = solid((20, 22, 26, 255), scale_alpha(edge, 0.75 if kind == "clear" else 0.9))
    glare = _glare(shape, view, strong=kind != "clear")
    parts = [body, glare, rim]
    if view == "side":
        parts.append(colour_layer(_pivot))
    return over(*parts)


def _iridium(view: str) -> Image.Image:
    """A blue-violet-gold mirror gradient."""
    stops = [
        (0.0, (40, 70, 190)),
        (0.35, (60, 130, 220)),
        (0.55, (130, 80, 170)),
        (0.75, (225, 140, 40)),
        (1.0, (245, 200, 70)),
    ]
    ramp = Image.new("RGB", (256, 1))
    for i in range(256):
        t = i / 255
        for (t0, c0), (t1, c1) in zip(stops, stops[1:], strict=False):
            if t0 <= t <= t1:
                u = (t - t0) / (t1 - t0)
                ramp.putpixel(
                    (i, 0), tuple(round(a + (b - a) * u) for a, b in zip(c0, c1, strict=True))
                )
                break
    gradient = Image.linear_gradient("L").rotate(
        30 if view == "front" else 20, resample=Image.Resampling.BICUBIC, expand=True
    )
    gradient = gradient.resize((1600, 1600), Image.Resampling.BICUBIC)
    # stretch the band of the gradient that falls on the visor over the full ramp
    y0, y1 = (560, 940)
    span = gradient.crop((0, y0, 1600, y1)).resize((1600, 1600), Image.Resampling.BICUBIC)
    ramp_lut = [ramp.getpixel((v, 0)) for v in range(256)]
    rgb = Image.merge("RGB", [span.point([c[ch] for c in ramp_lut]) for ch in range(3)])
    return rgb.convert("RGBA")


def _glare(shape: Image.Image, view: str, strong: bool) -> Image.Image:
    """Specular streaks on the visor: a broad soft band and a thin sharp one."""
    if view == "front":
        band = [(560, 560), (760, 560), (600, 960), (400, 960)]
        thin = [(820, 560), (860, 560), (700, 960), (660, 960)]
    else:
        band = [(1060, 560), (1180, 560), (1100, 940), (980, 940)]
        thin = [(1220, 560), (1250, 560), (1170, 940), (1140, 940)]
    soft = blur(polygon_mask(band), 22)
    sharp = blur(polygon_mask(thin), 3)
    alpha = ImageChops.add(
        scale_alpha(soft, 0.32 if strong else 0.22), scale_alpha(sharp, 0.55 if strong else 0.4)
    )
    return solid((255, 255, 255, 255), intersect(alpha, shape))


def _pivot(pen: Pen) -> None:
    x, y = VISOR_PIVOT_SIDE
    pen.ellipse(x, y, 58, 58, fill=(28, 29, 32, 255))
    pen.ellipse(x, y, 46, 46, fill=(58, 60, 65, 255))
    pen.ellipse(x - 6, y - 8, 26, 26, fill=(90, 93, 99, 255))
    pen.ellipse(x, y, 9, 9, fill=(20, 20, 22, 255))
    pen.rect(x + 250, y + 130, x + 300, y + 150, fill=(28, 29, 32, 255), radius=8)


# --- all of it ----------------------------------------------------------------------------

VISORS = ("clear", "tinted", "iridium")


def artwork() -> dict[str, Image.Image]:
    out: dict[str, Image.Image] = {}
    for view in VIEWS:
        for shell_type in SHELLS:
            out[f"shell-{shell_type}-{view}.png"] = shell(shell_type, view)
            out[f"lining-{shell_type}-{view}.png"] = lining(shell_type, view)
            out[f"shadow-{shell_type}-{view}.png"] = shadow(shell_type, view)
            out[f"details-{shell_type}-{view}.png"] = details(shell_type, view)
            for design, layer in graphics.helmet_graphics(
                shell_alpha(shell_type, view), view
            ).items():
                out[f"graphics-{design}-{shell_type}-{view}.png"] = layer
        for kind in VISORS:
            out[f"visor-{kind}-{view}.png"] = visor(kind, view)
    return out
