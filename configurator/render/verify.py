"""Artwork checks that need Pillow, so the catalog loader (which must not import render/) cannot
make them: every image a product names is opened, decoded and measured against the canvas,
every option is drawn in every view it declares, and files no product names are listed.

    verify_product(product) -> [CatalogProblem]          images, renders, text positions
    unused_artwork(folder, products) -> [CatalogProblem]  image files no product names

Severity: an image that cannot be drawn at all (empty, corrupt, truncated, not a PNG) or an
option whose preview raises is an error: the preview would silently lose the layer. What
still draws but is probably a mistake (wrong size, no transparency, colour in a tinted mask,
fully transparent, an unused file, text off the canvas) is a warning, which fails
`catalog check --strict`.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, UnidentifiedImageError

from configurator.catalog.checks import MAX_EXPANSIONS, image_expansions
from configurator.catalog.model import Attribute, CatalogProblem, Layer, Option, Product, Source
from configurator.render.artwork import CANVAS, ScaledLayer, scaled_layer
from configurator.render.preview import compose
from configurator.render.stack import placeholders

CHECK_WIDTH = 64  # options are drawn this wide: enough to run every step of a preview, and fast
IMAGE_SUFFIXES = (".png", ".webp", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff")
GREY_TOLERANCE = 8  # a tinted mask's channels may differ this much and still count as grey
MODES = ("RGBA", "LA", "RGB", "L", "P", "PA")  # 8-bit modes the renderer draws as intended
SAMPLE_TEXT = "WMW"  # wide letters, for drawing text attributes


@dataclass(frozen=True)
class Use:
    """One layer naming one image file (a placeholder filled with one value)."""

    layer: Layer
    filled: str  # "shell_type = modular", or "" for a plain path


def verify_product(product: Product, width: int = CHECK_WIDTH) -> list[CatalogProblem]:
    """Every image the product's layers name (for every value of their placeholders), each
    option drawn in each view it declares, and each text position; cited at the YAML line."""
    uses = image_uses(product)
    # Pillow decodes outside the GIL: threads read the files about 1.6 times faster on 2 cores
    with ThreadPoolExecutor(min(8, os.cpu_count() or 1)) as pool:
        read = pool.map(
            lambda relative: read_image(os.path.join(product.folder, relative), width), uses
        )
        facts = dict(zip(uses, read, strict=True))
    found: list[CatalogProblem] = []
    for relative, file_uses in uses.items():
        found += _image_problems(relative, file_uses, facts[relative])
    found += _invisible_layers(product, facts)
    for attribute in product.attributes:
        for option in attribute.options:
            found += _render_problems(product, attribute, option, width)
        found += _text_problems(product, attribute, width)
    return found


def _layer_files(product: Product):
    """(layer, [(file relative to the product's folder, placeholder values), ...]) for each
    layer that names an image: a path with placeholders stands for one file per value."""
    attributes = {a.id: a for a in product.attributes}
    for attribute in product.attributes:
        for option in attribute.options:
            for layer in option.layers:
                if layer.image is not None:
                    expansions, _ = image_expansions(layer.image, attributes, set(attributes))
                    yield layer, expansions


def image_uses(product: Product) -> dict[str, list[Use]]:
    """Each image file the product names (relative to its folder), with the layers naming it."""
    uses: dict[str, list[Use]] = {}
    for layer, expansions in _layer_files(product):
        for relative, filled in expansions:
            uses.setdefault(_normal(relative), []).append(Use(layer, filled))
    return uses


def unused_artwork(folder: str | Path, products: Iterable[Product]) -> list[CatalogProblem]:
    """A warning for each image file under `folder` (hidden ones aside) that no product names."""
    folder = Path(folder)
    used: set[str] = set()
    for product in products:
        if Path(product.folder).resolve() == folder.resolve():
            used |= set(image_uses(product))
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        image = path.suffix.lower() in IMAGE_SUFFIXES and path.is_file()
        if image and _normal(relative.as_posix()) not in used:
            found.append(
                CatalogProblem(
                    Source(str(path), 1, 1),
                    "artwork file used by no product: name it in a layer, or remove it",
                    "warning",
                )
            )
    return found


@dataclass(frozen=True)
class ImageFacts:
    """What the checks need to know about one image file."""

    format: str
    mode: str
    size: tuple[int, int]
    has_alpha: bool
    transparent: bool  # every pixel fully transparent: the layer draws nothing
    grey: bool  # R = G = B wherever a pixel shows (within GREY_TOLERANCE), at the check width


def read_image(path: str | Path, width: int = CHECK_WIDTH) -> ImageFacts | str:
    """The image's facts, or why it cannot be drawn (a message that follows the file's name).

    The pixels are read through the renderer's own loader (`scaled_layer`, which keeps the
    result for the render checks that follow): each file is decoded once. Only a file the
    renderer cannot use is decoded again here, to say why.
    """
    path = str(path)
    try:
        if os.path.getsize(path) == 0:
            return "is empty (0 bytes): export the artwork again"
        with Image.open(path) as image:
            kind, mode, size, info = image.format or "", image.mode, image.size, image.info
            image.verify()  # chunk checksums: catches most corruption without decoding
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as error:
        return _unreadable(error)
    has_alpha = mode in ("RGBA", "LA", "PA") or "transparency" in info
    layer = scaled_layer(path, width)
    if layer is None:  # unreadable pixels, or nothing visible
        why = _decode_problem(path)
        if why:
            return why
        return ImageFacts(kind, mode, size, has_alpha, transparent=True, grey=True)
    return ImageFacts(kind, mode, size, has_alpha, transparent=False, grey=_is_grey(layer))


def _decode_problem(path: str) -> str:
    """Why the pixels of `path` cannot be decoded, or '' when they can."""
    try:
        with Image.open(path) as image:
            image.load()
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as error:
        return _unreadable(error)
    return ""


def _unreadable(error: Exception) -> str:
    if isinstance(error, UnidentifiedImageError):
        return "is not an image Pillow can read: export it again as PNG"
    if isinstance(error, Image.DecompressionBombError):
        return f"is too large to draw ({error})"
    reason = str(error) or type(error).__name__
    return f"is corrupt or truncated: {reason}; export it again as PNG"


def _is_grey(layer: ScaledLayer) -> bool:
    """Whether the visible pixels have R = G = B (scaling keeps grey grey)."""
    red, green, blue = layer.rgb.split()
    spread = ImageChops.lighter(
        ImageChops.difference(red, green), ImageChops.difference(green, blue)
    )
    shown = layer.alpha.point(lambda value: 255 if value else 0)
    return ImageChops.multiply(spread, shown).getextrema()[1] <= GREY_TOLERANCE


def _image_problems(
    relative: str, uses: list[Use], facts: ImageFacts | str
) -> list[CatalogProblem]:
    """One file's problems, cited once at the first layer naming it (the tint check at the
    first tinted one); whether it draws anything is `_invisible_layers`' business."""
    found = []

    def report(use: Use, message: str, severity: str = "warning") -> None:
        named = f"image file '{relative}'{_filled(use.filled)}"
        found.append(CatalogProblem(use.layer.source, f"{named} {message}", severity))

    first = uses[0]
    if isinstance(facts, str):
        report(first, facts, "error")
        return found
    if facts.format != "PNG":
        report(first, f"is a {facts.format or 'non-PNG'} image: export it as PNG", "error")
        return found
    if facts.size != (CANVAS, CANVAS):
        width, height = facts.size
        report(
            first,
            f"is {width} x {height} pixels: artwork is drawn on the whole {CANVAS} x {CANVAS} "
            "canvas (transparent where the layer shows nothing)",
        )
    if facts.mode not in MODES:
        report(first, f"has mode {facts.mode}: save it as 8-bit RGBA, or grey + alpha (LA)")
    if not facts.has_alpha:
        report(
            first,
            f"has no transparency (mode {facts.mode}): it hides every layer below it; "
            "save it with an alpha channel",
        )
    tinted = next((use for use in uses if use.layer.tint), None)
    if tinted is not None and not facts.grey:
        report(
            tinted,
            "is tinted but holds colour: a tinted mask is grey (the grey is the light, the "
            "swatch gives the colour); save it as grey + alpha (LA)",
        )
    return found


def _invisible_layers(product: Product, facts: dict[str, ImageFacts | str]) -> list[CatalogProblem]:
    """A layer whose image is fully transparent draws nothing. A path with placeholders stands
    for one file per value and cannot be left out for one of them, so a transparent file
    there is how a value shows nothing (the bomber's back has no hardware): only a layer
    whose every file is transparent is reported."""
    found = []
    for layer, expansions in _layer_files(product):
        read = [facts.get(_normal(relative)) for relative, _ in expansions]
        if not read or not all(isinstance(f, ImageFacts) and f.transparent for f in read):
            continue
        if len(expansions) == 1 and not expansions[0][1]:
            what = f"image file '{layer.image}' is fully transparent"
        else:
            what = f"every file '{layer.image}' stands for is fully transparent"
        found.append(
            CatalogProblem(
                layer.source,
                f"{what}: the layer draws nothing; draw the artwork, or remove the layer",
                "warning",
            )
        )
    return found


def _render_problems(
    product: Product, attribute: Attribute, option: Option, width: int
) -> list[CatalogProblem]:
    """Draw the option in each view its layers name, for every value of their placeholders."""
    found = []
    for view in dict.fromkeys(layer.view for layer in option.layers):
        layers = [layer for layer in option.layers if layer.view == view]
        for chosen in _placeholder_values(product, attribute, layers):
            selections = {**chosen, attribute.id: option.id}
            try:
                compose(product, selections, view, width)
            except Exception as error:  # noqa: BLE001  (any failure is the finding)
                filled = ", ".join(f"{n} = {v}" for n, v in chosen.items())
                found.append(
                    CatalogProblem(
                        layers[0].source,
                        f"option '{option.id}' of '{attribute.id}' does not draw in view "
                        f"'{view}'{_filled(filled)}: {type(error).__name__}: {error}",
                    )
                )
                break  # one failure per view is enough to act on
    return found


def _placeholder_values(
    product: Product, attribute: Attribute, layers: list[Layer]
) -> list[dict[str, str]]:
    """Every combination of the other attributes the layers' image paths name (at most
    MAX_EXPANSIONS); the option's own attribute is the option itself."""
    names = [
        name
        for layer in layers
        if layer.image
        for name in placeholders(layer.image)
        if name != attribute.id
    ]
    names = [n for n in dict.fromkeys(names) if product.attribute(n) is not None]
    domains = [product.attribute(n).option_ids for n in names]
    combinations = itertools.islice(itertools.product(*domains), MAX_EXPANSIONS)
    return [dict(zip(names, values, strict=True)) for values in combinations]


def _text_problems(product: Product, attribute: Attribute, width: int) -> list[CatalogProblem]:
    """A text position must lie on the canvas, and the text must draw there."""
    found = []
    for style in attribute.text_styles:
        if not (0 <= style.x <= CANVAS and 0 <= style.y <= CANVAS):
            found.append(
                CatalogProblem(
                    style.source,
                    f"text position x {style.x}, y {style.y} is off the {CANVAS} x {CANVAS} "
                    "canvas: positions are artwork pixels from the top left corner, and the "
                    "text is centred on them",
                    "warning",
                )
            )
        sample = SAMPLE_TEXT[: max(1, attribute.max_length)]
        try:
            compose(product, {attribute.id: sample}, style.view, width)
        except Exception as error:  # noqa: BLE001
            found.append(
                CatalogProblem(
                    style.source,
                    f"text attribute '{attribute.id}' does not draw in view '{style.view}': "
                    f"{type(error).__name__}: {error}",
                )
            )
    return found


def _filled(filled: str) -> str:
    return f" ({filled})" if filled else ""


def _normal(relative: str) -> str:
    return os.path.normpath(relative).replace(os.sep, "/")
