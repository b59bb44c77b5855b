"""Artwork layers read from disk, scaled once per (file, width) and kept in a bounded LRU.

A layer is cropped to its visible box after scaling, so compositing and
tinting only touch the pixels that matter.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image

CANVAS = 1600  # artwork and text coordinates are drawn on a CANVAS x CANVAS square
CACHE_SIZE = 512


@dataclass(frozen=True)
class ScaledLayer:
    """One artwork file at one output width, cropped to where it is visible."""

    rgba: Image.Image
    rgb: Image.Image  # the colour alone, for pasting onto an opaque canvas
    luminance: Image.Image  # "L": the grey a tinted mask is multiplied by
    alpha: Image.Image  # "L"
    box: tuple[int, int, int, int]  # where the crop sits on the output canvas


def scaled_layer(path: str, width: int) -> ScaledLayer | None:
    """The layer at `path` scaled to `width`; None when the file is missing or unreadable."""
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        return None
    return _scaled(path, mtime, width)


@lru_cache(maxsize=CACHE_SIZE)
def _scaled(path: str, mtime_ns: int, width: int) -> ScaledLayer | None:
    del mtime_ns  # part of the cache key only: an edited file is read again
    try:
        with Image.open(path) as source:
            image = source.convert("RGBA")
    except (OSError, ValueError):
        return None
    height = round(width * image.height / image.width)
    if image.size != (width, height):
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    box = image.getchannel("A").getbbox()
    if box is None:
        return None
    image = image.crop(box)
    image.load()
    return ScaledLayer(image, image.convert("RGB"), image.convert("L"), image.getchannel("A"), box)


def cache_clear() -> None:
    _scaled.cache_clear()


def cache_info():
    return _scaled.cache_info()
