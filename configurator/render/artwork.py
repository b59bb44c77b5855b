"""Artwork layers read from disk, scaled once per (file, width) and kept in a bounded LRU.

Only the part of a layer that is visible is scaled and kept: compositing,
tinting and memory all scale with the layer's size on screen, not with the
canvas. An 800-px layer costs at most 4 bytes a pixel of its box (colour and
alpha), plus 1 for the grey of a tinted mask.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from functools import cached_property, lru_cache

from PIL import Image

CANVAS = 1600  # artwork and text coordinates are drawn on a CANVAS x CANVAS square
# (file, width) pairs. The shipped products hold 99 files: every one of them at
# 800 px takes 52 MB, at 1600 px 207 MB; 256 entries stay under about 300 MB.
CACHE_SIZE = 256


@dataclass(frozen=True)
class ScaledLayer:
    """One artwork file at one output width, cropped to where it is visible."""

    rgb: Image.Image
    alpha: Image.Image  # "L"
    box: tuple[int, int, int, int]  # where the crop sits on the output canvas

    @cached_property
    def luminance(self) -> Image.Image:
        """The grey a tinted mask is multiplied by (what the finish effects read)."""
        return self.rgb.convert("L")


def scaled_layer(path: str, width: int) -> ScaledLayer | None:
    """The layer at `path` scaled to `width`; None when the file is missing, unreadable or empty."""
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
    visible = image.getchannel("A").getbbox()
    if visible is None:
        return None
    scale = width / image.width
    box = (
        math.floor(visible[0] * scale),
        math.floor(visible[1] * scale),
        min(width, math.ceil(visible[2] * scale)),
        min(round(image.height * scale), math.ceil(visible[3] * scale)),
    )
    size = (box[2] - box[0], box[3] - box[1])
    source_box = tuple(v / scale for v in box)
    # resampling just the visible box gives the same pixels as scaling the whole canvas
    # (Pillow resamples RGBA premultiplied, so edges keep no dark fringe)
    scaled = image.resize(size, Image.Resampling.LANCZOS, box=source_box)
    return ScaledLayer(scaled.convert("RGB"), scaled.getchannel("A"), box)


def cache_clear() -> None:
    _scaled.cache_clear()


def cache_info():
    return _scaled.cache_info()
