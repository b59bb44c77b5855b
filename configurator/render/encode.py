"""Encode a composite as PNG or WebP with fixed settings: the same image gives the same bytes.

Measured on the helmet at 800 px (bench/bench_render.py), CPU time:

PNG   quantised to a 256-colour palette (fast octree; it does not dither) and
      deflated at zlib level 6: 40-55 KB where true colour is 200 KB. Level 9
      ("optimize") saves 4 % more and costs 3-6x the time (over 100 ms on a
      matte finish, whose grain is hard to deflate).
WebP  quality 85, method 2: about 22 KB. Methods 3-6 save under 5 % and take
      2.3x as long (about 38 ms instead of 16 ms), which alone would break the
      40 ms budget of a cold render.

An opaque image is stored without an alpha channel. No metadata (timestamps,
text chunks, EXIF) is written in either format.
"""

from __future__ import annotations

import io

from PIL import Image

FORMATS = ("png", "webp")
MEDIA_TYPES = {"png": "image/png", "webp": "image/webp"}

PNG_COLOURS = 256
PNG_COMPRESS_LEVEL = 6
WEBP_QUALITY = 85
WEBP_METHOD = 2


def encode(image: Image.Image, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown image format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")  # opaque: no alpha plane to store
    buffer = io.BytesIO()
    if fmt == "png":
        palette = image.quantize(PNG_COLOURS, method=Image.Quantize.FASTOCTREE)
        palette.save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    else:
        image.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD, exact=False)
    return buffer.getvalue()
