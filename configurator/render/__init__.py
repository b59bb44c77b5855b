"""Product previews from catalog layers: pure Pillow, no Flask, no database. See README.md."""

from configurator.render.encode import FORMATS, MEDIA_TYPES
from configurator.render.preview import (
    BACKGROUND,
    compose,
    default_selections,
    render_preview,
    thumbnail,
)

__all__ = [
    "BACKGROUND",
    "FORMATS",
    "MEDIA_TYPES",
    "compose",
    "default_selections",
    "render_preview",
    "thumbnail",
]
