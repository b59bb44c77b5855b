"""A small valid product as text, variants of it, and where the catalog test data lives."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data" / "catalogs"
GOOD = DATA / "good"

# A small valid product. Malformed cases edit it; the line numbers in their
# expectations refer to the edited text (most edits keep the line count).
BASE = """\
product:
  id: thing
  name: Thing
  currency: EUR
  base_price: "10.00"
  sku: TH
  views: [front, side]
steps:
  - id: main
    label: Main
    attributes: [colour, size, name]
attributes:
  - id: colour
    label: Colour
    default: red
    options:
      - id: red
        label: Red
        price: "1.50"
        sku: R
        swatch: "#ff0000"
        layers:
          - {view: front, image: art/body.png, order: 10, tint: true}
      - {id: blue, label: Blue, sku: B}
  - id: size
    label: Size
    required: false
    options:
      - {id: small, label: Small, sku: S}
      - {id: large, label: Large, price: "2.00", sku: L}
  - id: name
    label: Name
    kind: text
    required: false
    max_length: 8
    pattern: "[A-Z]+"
    price: "5.00"
rules:
  - id: large-needs-blue
    message: Large comes in blue only.
    requires:
      when: {size: large}
      then: {colour: blue}
  - id: colour-by-size
    message: Not this colour in this size.
    table:
      attributes: [colour, size]
      rows:
        - [red, "*"]
        - [blue, [small, large]]
  - id: name-only-when-sized
    message: A name needs a size.
    applies:
      attribute: name
      when: {size: [small, large]}
"""


def edited(*edits: tuple[str, str]) -> str:
    """BASE with each (old, new) replaced once; fails loudly if `old` is not there."""
    text = BASE
    for old, new in edits:
        assert old in text, f"edit target not in BASE: {old!r}"
        text = text.replace(old, new, 1)
    return text


def write_product(
    folder: Path,
    text: str | bytes = BASE,
    files: dict[str, str | bytes] | None = None,
    name: str = "thing.yaml",
) -> Path:
    """Write a product file and its artwork (art/body.png) plus `files` into `folder`."""
    (folder / "art").mkdir(parents=True, exist_ok=True)
    (folder / "art" / "body.png").write_bytes(b"\x89PNG body")
    for relative, content in (files or {}).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def errors(problems) -> list:
    return [p for p in problems if p.severity == "error"]


def warnings(problems) -> list:
    return [p for p in problems if p.severity == "warning"]
