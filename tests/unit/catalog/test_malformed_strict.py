"""The strict checks of `catalog check`: artwork opened and drawn (render/verify.py) and the
engine's findings, each at its file and line with its exact message; a warning fails only
with --strict, an error always.

Every case edits the valid product in samples.BASE (line numbers refer to it), whose one
layer (line 23) is a tinted mask, `art/body.png`: a good 1600 x 1600 grey mask unless the
case replaces it.
"""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw

from configurator.cli import cli

from .samples import edited, write_product

BODY = "art/body.png"
LAYER_LINE = 23  # `- {view: front, image: art/body.png, order: 10, tint: true}`
BY_SIZE = ("image: art/body.png", 'image: "art/{size}.png"')


def png(size=(1600, 1600), mode="LA", ink=(200, 255), fmt="PNG") -> bytes:
    """An image file: a filled ellipse of `ink` on a transparent (or black) ground."""
    image = Image.new(mode, size, 0)
    if ink is not None:
        width, height = size
        ImageDraw.Draw(image).ellipse(
            (width // 4, height // 4, width * 3 // 4, height * 3 // 4), ink
        )
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


MASK = png()


def corrupt(data: bytes) -> bytes:
    """One byte of the compressed pixels flipped: the chunk's checksum no longer matches."""
    flipped = bytearray(data)
    flipped[data.index(b"IDAT") + 50] ^= 0xFF
    return bytes(flipped)


@cache
def bomb() -> bytes:
    """A 14000 x 14000 black-and-white PNG: 24 kB on disk, more pixels than Pillow will open."""
    out = io.BytesIO()
    Image.new("1", (14000, 14000)).save(out, "PNG")
    return out.getvalue()


TRANSPARENT = png(ink=None)
OFF_CANVAS = (
    '    price: "5.00"\n',
    '    price: "5.00"\n    text:\n      - {view: front, x: 2000, y: 520, size: 64}\n',
)
NO_BLUE = "  - id: no-blue\n    message: Blue is sold out.\n    excludes: {colour: blue}\n"

# (id, text, files, file, line, severity, message); "{folder}" is the product's folder
CASES = [
    (
        "dead-option",
        edited() + NO_BLUE,
        {},
        "thing.yaml",
        24,
        "warning",
        "dead option: Colour: Blue is never selectable, because of no-blue ({folder}/thing.yaml:56:5)",
    ),
    (
        "png-corrupt",
        edited(),
        {BODY: corrupt(MASK)},
        "thing.yaml",
        LAYER_LINE,
        "error",
        "image file 'art/body.png' is corrupt or truncated: broken PNG file "
        "(bad header checksum in b'IDAT'); export it again as PNG",
    ),
    (
        "png-truncated",
        edited(),
        {BODY: MASK[: len(MASK) // 2]},
        "thing.yaml",
        LAYER_LINE,
        "error",
        "image file 'art/body.png' is corrupt or truncated: Truncated File Read; "
        "export it again as PNG",
    ),
    (
        "png-empty",
        edited(),
        {BODY: b""},
        "thing.yaml",
        LAYER_LINE,
        "error",
        "image file 'art/body.png' is empty (0 bytes): export the artwork again",
    ),
    (
        "png-not-an-image",
        edited(),
        {BODY: b"\x89PNG body"},
        "thing.yaml",
        LAYER_LINE,
        "error",
        "image file 'art/body.png' is not an image Pillow can read: export it again as PNG",
    ),
    (
        "png-is-a-jpeg",
        edited(),
        {BODY: png(mode="RGB", ink=(200, 200, 200), fmt="JPEG")},
        "thing.yaml",
        LAYER_LINE,
        "error",
        "image file 'art/body.png' is a JPEG image: export it as PNG",
    ),
    (
        "png-too-large",
        edited(),
        {BODY: bomb()},
        "thing.yaml",
        LAYER_LINE,
        "error",
        "option 'red' of 'colour' does not draw in view 'front': DecompressionBombError: "
        "Image size (196000000 pixels) exceeds limit of 178956970 pixels, could be "
        "decompression bomb DOS attack.",
    ),
    (
        "png-wrong-size",
        edited(),
        {BODY: png(size=(800, 600))},
        "thing.yaml",
        LAYER_LINE,
        "warning",
        "image file 'art/body.png' is 800 x 600 pixels: artwork is drawn on the whole "
        "1600 x 1600 canvas (transparent where the layer shows nothing)",
    ),
    (
        "png-fully-transparent",
        edited(),
        {BODY: TRANSPARENT},
        "thing.yaml",
        LAYER_LINE,
        "warning",
        "image file 'art/body.png' is fully transparent: the layer draws nothing; "
        "draw the artwork, or remove the layer",
    ),
    (
        "png-no-transparency",
        edited(),
        {BODY: png(mode="L", ink=200)},
        "thing.yaml",
        LAYER_LINE,
        "warning",
        "image file 'art/body.png' has no transparency (mode L): it hides every layer "
        "below it; save it with an alpha channel",
    ),
    (
        "png-16-bit",
        edited(),
        {BODY: png(mode="I;16", ink=40000)},
        "thing.yaml",
        LAYER_LINE,
        "warning",
        "image file 'art/body.png' has mode I;16: save it as 8-bit RGBA, or grey + alpha (LA)",
    ),
    (
        "png-tinted-mask-in-colour",
        edited(),
        {BODY: png(mode="RGBA", ink=(200, 40, 40, 255))},
        "thing.yaml",
        LAYER_LINE,
        "warning",
        "image file 'art/body.png' is tinted but holds colour: a tinted mask is grey (the "
        "grey is the light, the swatch gives the colour); save it as grey + alpha (LA)",
    ),
    (
        "placeholder-missing-one-value",
        edited(BY_SIZE),
        {"art/small.png": MASK},
        "thing.yaml",
        LAYER_LINE,
        "error",
        "image file not found: 'art/large.png' (size = large)",
    ),
    (
        "placeholder-empty-one-value",
        edited(BY_SIZE),
        {"art/small.png": MASK, "art/large.png": b""},
        "thing.yaml",
        LAYER_LINE,
        "error",
        "image file 'art/large.png' (size = large) is empty (0 bytes): export the artwork again",
    ),
    (
        "placeholder-wrong-size-one-value",
        edited(BY_SIZE),
        {"art/small.png": MASK, "art/large.png": png(size=(1200, 1200))},
        "thing.yaml",
        LAYER_LINE,
        "warning",
        "image file 'art/large.png' (size = large) is 1200 x 1200 pixels: artwork is drawn "
        "on the whole 1600 x 1600 canvas (transparent where the layer shows nothing)",
    ),
    (
        "placeholder-every-value-transparent",
        edited(BY_SIZE),
        {"art/small.png": TRANSPARENT, "art/large.png": TRANSPARENT},
        "thing.yaml",
        LAYER_LINE,
        "warning",
        "every file 'art/{size}.png' stands for is fully transparent: the layer draws "
        "nothing; draw the artwork, or remove the layer",
    ),
    (
        "unused-artwork",
        edited(),
        {"art/old-body.png": MASK},
        "old-body.png",
        1,
        "warning",
        "artwork file used by no product: name it in a layer, or remove it",
    ),
    (
        "text-off-canvas",
        edited(OFF_CANVAS),
        {},
        "thing.yaml",
        39,
        "warning",
        "text position x 2000, y 520 is off the 1600 x 1600 canvas: positions are artwork "
        "pixels from the top left corner, and the text is centred on them",
    ),
]


def check(folder: Path, *flags: str):
    """`configurator catalog check --json [flags] folder`: (exit code, report)."""
    result = CliRunner().invoke(cli, ["catalog", "check", "--json", *flags, str(folder)])
    return result.exit_code, json.loads(result.output)


def found(report: dict) -> list[tuple]:
    return [
        (Path(p["file"]).name, p["line"], p["severity"], p["message"]) for p in report["problems"]
    ]


@pytest.fixture
def product(tmp_path):
    """product(text, files) -> the folder holding thing.yaml, a good art/body.png (when the
    text names it) and `files`."""

    def _write(text: str, files: dict[str, bytes]) -> Path:
        write_product(tmp_path, text, {BODY: MASK, **files})
        if BODY not in text and BODY not in files:
            (tmp_path / BODY).unlink()
        return tmp_path

    return _write


@pytest.mark.parametrize(
    ("text", "files", "file", "line", "severity", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_strict_check_reports_it_where_it_is_written(
    product, text, files, file, line, severity, message
):
    folder = product(text, files)
    code, report = check(folder, "--strict")
    expected = (file, line, severity, message.replace("{folder}", str(folder)))
    assert expected in found(report), "\n".join(map(str, found(report)))
    assert code == 1 and report["ok"] is False and report["strict"] is True


@pytest.mark.parametrize("case", [c for c in CASES if c[5] == "warning"], ids=lambda c: c[0])
def test_a_warning_passes_without_strict_and_says_it_would_fail(product, case):
    _, text, files, *_ = case
    folder = product(text, files)
    code, report = check(folder)
    assert code == 0 and report["ok"] is True and report["passes_strict"] is False
    assert report["errors"] == 0 and report["warnings"] >= 1
    text_result = CliRunner().invoke(cli, ["catalog", "check", str(folder)])
    warnings = report["warnings"]
    noun = "warning" if warnings == 1 else "warnings"
    assert text_result.output.splitlines()[-1] == (
        f"1 product loaded, 0 errors, {warnings} {noun} ({warnings} would fail --strict)"
    )


@pytest.mark.parametrize("case", [c for c in CASES if c[5] == "error"], ids=lambda c: c[0])
def test_an_error_fails_with_or_without_strict(product, case):
    _, text, files, *_ = case
    code, report = check(product(text, files))
    assert code == 1 and report["ok"] is False and report["errors"] >= 1


def test_the_sample_with_good_artwork_passes_strict(product):
    code, report = check(product(edited(), {}), "--strict")
    assert (code, report["problems"]) == (0, [])
    assert report["ok"] is True and report["passes_strict"] is True


def test_one_transparent_value_of_a_placeholder_is_allowed(product):
    """A placeholder path cannot leave out one value: a transparent file is how it draws nothing."""
    folder = product(edited(BY_SIZE), {"art/small.png": MASK, "art/large.png": TRANSPARENT})
    code, report = check(folder, "--strict")
    assert (code, report["problems"]) == (0, [])


def test_artwork_findings_carry_the_column_of_the_image_path(product):
    code, report = check(product(edited(), {BODY: b""}))
    (problem,) = report["problems"]
    assert (problem["line"], problem["column"]) == (LAYER_LINE, 34)


def test_a_file_named_by_several_layers_is_reported_once(product):
    """The first layer naming it is cited; fixing the file fixes them all."""
    twice = (
        "tint: true}\n",
        "tint: true}\n          - {view: side, image: art/body.png, order: 10, tint: true}\n",
    )
    code, report = check(product(edited(twice), {BODY: b""}))
    assert [(p["line"], p["severity"]) for p in report["problems"]] == [(LAYER_LINE, "error")]


def test_no_artwork_skips_the_image_checks(product):
    code, report = check(product(edited(), {BODY: b""}), "--no-artwork", "--strict")
    assert (code, report["problems"]) == (0, [])


def test_unused_files_wait_for_a_folder_without_errors(product):
    """A product that does not load names no files: its artwork is not called unused."""
    folder = product(edited(("currency: EUR", "currency: eur")), {"art/old-body.png": MASK})
    _, report = check(folder, "--no-analyse")
    assert [p["severity"] for p in report["problems"]] == ["error"]


def test_a_single_product_file_gets_the_image_checks_but_no_unused_files(product):
    folder = product(edited(), {BODY: png(size=(800, 800)), "art/old-body.png": MASK})
    code, report = check(folder / "thing.yaml", "--strict")
    assert code == 1
    assert [(Path(p["file"]).name, p["line"]) for p in report["problems"]] == [
        ("thing.yaml", LAYER_LINE)
    ]
