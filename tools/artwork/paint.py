"""Drawing primitives for the procedural artwork: curves, antialiased masks, shading.

Everything is drawn on a 1600 x 1600 canvas in canvas coordinates. Shapes are
rasterised at SS times that size and downsampled with LANCZOS, which gives
smooth antialiased edges. Shading fields are computed in float ("F") images
with ImageMath; blurs run on 8-bit images (Pillow cannot blur "F") and are
smoothed once more at the end so no banding survives.

Glossary
--------
mask      an "L" image, 255 inside a shape, 0 outside, antialiased edges.
shading   an "L" image whose brightness is the diffuse light on a surface.
tint art  an "LA" image: luminance = shading, alpha = mask. The renderer
          multiplies it with a swatch colour.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageMath

W = 1600
SS = 4

Point = tuple[float, float]


# --- curves -------------------------------------------------------------------------------


def cubic(p0: Point, c1: Point, c2: Point, p1: Point, steps: int = 48) -> list[Point]:
    """Points of one cubic Bezier segment, p0 excluded so segments chain."""
    out = []
    for i in range(1, steps + 1):
        t = i / steps
        u = 1 - t
        x = u**3 * p0[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t**3 * p1[0]
        y = u**3 * p0[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t**3 * p1[1]
        out.append((x, y))
    return out


def path(start: Point, *segments: tuple) -> list[Point]:
    """A polyline from `start` through segments: (c1, c2, p) cubic or (p,) straight."""
    points = [start]
    for segment in segments:
        if len(segment) == 3:
            points += cubic(points[-1], *segment)
        else:
            points.append(segment[0])
    return points


def mirrored(right_half: list[Point], cx: float = W / 2) -> list[Point]:
    """Close a right half drawn from top centre to bottom centre into a symmetric outline."""
    left = [(2 * cx - x, y) for x, y in reversed(right_half[1:-1])]
    return right_half + left


def offset(points: Iterable[Point], dx: float = 0, dy: float = 0) -> list[Point]:
    return [(x + dx, y + dy) for x, y in points]


def scaled(points: Iterable[Point], sx: float, sy: float, centre: Point) -> list[Point]:
    cx, cy = centre
    return [(cx + (x - cx) * sx, cy + (y - cy) * sy) for x, y in points]


def flip_x(points: Iterable[Point], cx: float = W / 2) -> list[Point]:
    return [(2 * cx - x, y) for x, y in points]


# --- masks --------------------------------------------------------------------------------


class Pen:
    """ImageDraw on a supersampled canvas, taking canvas coordinates."""

    def __init__(self, image: Image.Image, ss: int):
        self.draw = ImageDraw.Draw(image)
        self.ss = ss

    def _pts(self, points: Iterable[Point]) -> list[tuple[float, float]]:
        return [(x * self.ss, y * self.ss) for x, y in points]

    def polygon(self, points: Iterable[Point], fill=255) -> None:
        self.draw.polygon(self._pts(points), fill=fill)

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, fill=255) -> None:
        s = self.ss
        self.draw.ellipse(((cx - rx) * s, (cy - ry) * s, (cx + rx) * s, (cy + ry) * s), fill=fill)

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill=255, radius: float = 0) -> None:
        s = self.ss
        box = (x0 * s, y0 * s, x1 * s, y1 * s)
        self.draw.rounded_rectangle(box, radius=radius * s, fill=fill)

    def line(self, points: Iterable[Point], width: float, fill=255) -> None:
        self.draw.line(
            self._pts(points), fill=fill, width=max(1, round(width * self.ss)), joint="curve"
        )
        # round caps
        pts = list(points)
        for x, y in (pts[0], pts[-1]):
            self.ellipse(x, y, width / 2, width / 2, fill=fill)

    def text(self, xy: Point, text: str, font_path: str, size: float, fill=255, anchor="mm"):
        from PIL import ImageFont

        font = ImageFont.truetype(font_path, round(size * self.ss))
        self.draw.text(
            (xy[0] * self.ss, xy[1] * self.ss), text, font=font, fill=fill, anchor=anchor
        )


def mask(paint: Callable[[Pen], None], ss: int = SS) -> Image.Image:
    """Rasterise `paint` at ss x and downsample: an antialiased "L" mask."""
    big = Image.new("L", (W * ss, W * ss), 0)
    paint(Pen(big, ss))
    return big.resize((W, W), Image.Resampling.LANCZOS)


def colour_layer(paint: Callable[[Pen], None], ss: int = SS) -> Image.Image:
    """Rasterise `paint` on a transparent RGBA canvas at ss x and downsample."""
    big = Image.new("RGBA", (W * ss, W * ss), (0, 0, 0, 0))
    paint(Pen(big, ss))
    return downsample_rgba(big)


def downsample_rgba(big: Image.Image) -> Image.Image:
    """Downsample RGBA with premultiplied alpha so edges don't pick up black fringes."""
    premultiplied = big.convert("RGBa")
    return premultiplied.resize((W, W), Image.Resampling.LANCZOS).convert("RGBA")


def polygon_mask(*polygons: list[Point], holes: Iterable[list[Point]] = ()) -> Image.Image:
    def paint(pen: Pen) -> None:
        for polygon in polygons:
            pen.polygon(polygon)
        for hole in holes:
            pen.polygon(hole, fill=0)

    return mask(paint)


def intersect(a: Image.Image, b: Image.Image) -> Image.Image:
    return ImageChops.multiply(a, b)


def union(*masks: Image.Image) -> Image.Image:
    out = masks[0]
    for m in masks[1:]:
        out = ImageChops.lighter(out, m)
    return out


def subtract(a: Image.Image, b: Image.Image) -> Image.Image:
    return ImageChops.multiply(a, ImageChops.invert(b))


def grow(m: Image.Image, px: float) -> Image.Image:
    """Dilate a mask by about px (blur, then a soft threshold)."""
    spread = blur(m, px / 1.3)
    return spread.point(lambda v: max(0, min(255, round((v - 20) * 255 / 30))))


def shrink(m: Image.Image, px: float, sharp: bool = False) -> Image.Image:
    """Erode a mask by about px; `sharp` keeps a crisp edge (for thin lines)."""
    if sharp:
        spread = m.filter(ImageFilter.GaussianBlur(px / 1.3))
        return spread.point(lambda v: max(0, min(255, round((v - 212) * 255 / 16))))
    spread = blur(m, px / 1.3)
    return spread.point(lambda v: max(0, min(255, round((v - 205) * 255 / 30))))


def scale_alpha(m: Image.Image, factor: float) -> Image.Image:
    return m.point(lambda v: round(v * factor))


# --- shading ------------------------------------------------------------------------------


def blur(image: Image.Image, radius: float) -> Image.Image:
    """Gaussian blur computed at quarter size for big radii (same look, much faster)."""
    if radius < 12:
        return image.filter(ImageFilter.GaussianBlur(radius))
    small = image.resize((W // 4, W // 4), Image.Resampling.BOX)
    small = small.filter(ImageFilter.GaussianBlur(radius / 4))
    return small.resize((W, W), Image.Resampling.BICUBIC)


def shift(image: Image.Image, dx: int, dy: int) -> Image.Image:
    """Move the content by (dx, dy); uncovered area becomes black."""
    out = Image.new(image.mode, image.size, 0)
    out.paste(image, (dx, dy))
    return out


def radial(cx: float, cy: float, rx: float, ry: float, angle: float = 0.0) -> Image.Image:
    """An "L" field: 255 at the centre falling smoothly (cosine) to 0 at the ellipse edge."""
    small_size = W // 4
    g = Image.radial_gradient("L")  # 256 x 256, 0 at centre, 255 at radius 128 (edge)
    g = g.point(lambda v: round(255 * (0.5 + 0.5 * math.cos(math.pi * min(1.0, v / 128)))))
    g = g.resize((max(1, round(2 * rx / 4)), max(1, round(2 * ry / 4))), Image.Resampling.BICUBIC)
    if angle:
        g = g.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    out = Image.new("L", (small_size, small_size), 0)
    out.paste(g, (round(cx / 4 - g.width / 2), round(cy / 4 - g.height / 2)))
    return out.resize((W, W), Image.Resampling.BICUBIC)


def surface_shading(
    silhouette: Image.Image,
    *,
    light: Point = (-1.0, -1.0),
    roundness: float = 70.0,
    ambient: float = 0.42,
    diffuse: float = 0.5,
    relief: float = 2.6,
    rim: float = 0.25,
    ceiling: float = 0.9,
    highlights: Iterable[tuple[Image.Image, float]] = (),
    creases: Iterable[tuple[Image.Image, float]] = (),
) -> Image.Image:
    """Diffuse light on a rounded surface whose outline is `silhouette`.

    The silhouette blurred by `roundness` is read as a height field: its
    slope toward the light brightens, the fall-off at the outline darkens.
    `highlights` are (field, weight) pairs added on top (broad light lobes
    that the gloss effect turns into specular spots); `creases` are
    subtracted (seams, folds). The diffuse part stays under `ceiling`, so
    only the highlight lobes reach full white.
    """
    height = blur(silhouette, roundness)
    lx, ly = light
    norm = math.hypot(lx, ly)
    step = max(2, round(roundness / 3))
    dx, dy = round(-lx / norm * step), round(-ly / norm * step)
    ahead = shift(height, dx, dy)  # height sampled toward the light
    behind = shift(height, -dx, -dy)
    edge = blur(silhouette, roundness / 3)
    args = {"h": height, "a": ahead, "b": behind, "e": edge}

    def expression(v):
        slope = (v["b"] - v["a"]) / 255.0 * relief
        body = v["h"] / 255.0
        fall = v["e"] / 255.0
        value = (ambient + diffuse * body + 0.5 * slope - rim * (1 - fall)) * 255.0
        return v["min"](value, ceiling * 255.0)

    field = ImageMath.lambda_eval(expression, **args)
    for extra, weight in highlights:
        field = ImageMath.lambda_eval(lambda v, w=weight: v["f"] + v["x"] * w, f=field, x=extra)
    for extra, weight in creases:
        field = ImageMath.lambda_eval(lambda v, w=weight: v["f"] - v["x"] * w, f=field, x=extra)
    shading = ImageMath.lambda_eval(lambda v: v["f"] + 0.5, f=field).convert("L")
    return shading.filter(ImageFilter.GaussianBlur(2.5))


def tint_art(shading: Image.Image, alpha: Image.Image) -> Image.Image:
    """An "LA" image for a tinted layer; fully transparent pixels are zeroed to compress well."""
    lum = Image.composite(
        shading, Image.new("L", shading.size, 0), alpha.point(lambda v: 255 if v else 0)
    )
    return Image.merge("LA", (lum, alpha))


def solid(colour, alpha: Image.Image) -> Image.Image:
    """A flat RGBA colour cut out by `alpha`."""
    layer = Image.new("RGBA", alpha.size, colour)
    layer.putalpha(alpha)
    return layer


def shaded_colour(colour, alpha: Image.Image, shading: Image.Image) -> Image.Image:
    """RGBA: a colour multiplied by a shading field, cut out by alpha."""
    flat = Image.new("RGB", alpha.size, colour)
    rgb = ImageChops.multiply(flat, Image.merge("RGB", (shading,) * 3))
    rgb.putalpha(alpha)
    return rgb


def over(*layers: Image.Image) -> Image.Image:
    """Alpha-composite RGBA layers, first at the bottom."""
    out = Image.new("RGBA", layers[0].size, (0, 0, 0, 0))
    for layer in layers:
        out = Image.alpha_composite(out, layer)
    return out


def clip(layer: Image.Image, alpha: Image.Image) -> Image.Image:
    """Multiply an RGBA layer's alpha by a mask."""
    out = layer.copy()
    out.putalpha(ImageChops.multiply(layer.getchannel("A"), alpha))
    return out


def ground_shadow(cx: float, cy: float, rx: float, ry: float, darkness: int = 150) -> Image.Image:
    """A soft contact shadow: a dark core inside a wide penumbra."""
    core = mask(lambda pen: pen.ellipse(cx, cy, rx * 0.8, ry * 0.6), ss=2)
    wide = mask(lambda pen: pen.ellipse(cx, cy, rx, ry), ss=2)
    alpha = ImageChops.add(
        scale_alpha(blur(wide, ry * 0.9), darkness / 255 * 0.55),
        scale_alpha(blur(core, ry * 0.35), darkness / 255 * 0.6),
    )
    return solid((20, 18, 16), alpha)


def noise(seed: int, scale: int = 4, amount: int = 40) -> Image.Image:
    """Deterministic smooth value noise ("L", centred on 128)."""
    rng = random.Random(seed)
    n = W // scale
    small = Image.frombytes(
        "L", (n, n), bytes(rng.randrange(128 - amount, 128 + amount) for _ in range(n * n))
    )
    return small.resize((W, W), Image.Resampling.BICUBIC)


# --- output -------------------------------------------------------------------------------


def save(image: Image.Image, path: Path) -> int:
    """Write an optimised PNG with no metadata; return its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if image.mode == "RGBA":
        # zero the colour of fully transparent pixels: invisible, and compresses far better
        alpha = image.getchannel("A")
        clear = alpha.point(lambda v: 255 if v else 0)
        image = Image.composite(image, Image.new("RGBA", image.size, (0, 0, 0, 0)), clear)
    image.save(path, format="PNG", optimize=True)
    return path.stat().st_size
