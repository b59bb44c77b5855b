"""Regenerate the shipped catalog's artwork: `.venv/bin/python -m tools.artwork.draw [product...]`.

Run from the repository root.

Writes 1600 x 1600 PNG layers under catalog/helmet/ and catalog/jacket/.
Deterministic: the same code always writes the same pixels (noise is seeded).
Tinted masks are stored as grey + alpha ("LA") PNGs; the renderer reads them
as RGBA.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

from .paint import save

CATALOG = Path(__file__).resolve().parents[2] / "catalog"


PRODUCTS = ("helmet", "jacket")  # each a module here with artwork() -> {path: image}


def main(argv: list[str]) -> int:
    for name in argv or PRODUCTS:
        started = time.perf_counter()
        folder = CATALOG / name
        layers = importlib.import_module(f".{name}", __package__).artwork()
        total = 0
        for relative, image in sorted(layers.items()):
            total += save(image, folder / relative)
        seconds = time.perf_counter() - started
        print(f"{name}: {len(layers)} layers, {total / 1e6:.2f} MB, {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
