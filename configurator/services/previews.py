"""Previews of a design: normalise the selections, key the cache, render once.

A preview always shows a whole product: the shopper's selections completed
with defaults (the engine's deterministic completion), so an empty start still
shows a helmet; a clash is drawn as the page shows it (checked as asked).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from configurator import render
from configurator.catalog.model import FILLED, NONE, Product
from configurator.engine import Engine

from . import wording
from .designs import InvalidSelections, _check, design_on_screen
from .render_cache import RenderCache
from .selections import as_values

WIDTHS = (200, 400, 800, 1600)


class PreviewRefused(ValueError):
    """The selections describe no valid product (the message says why)."""


@dataclass(frozen=True)
class Preview:
    body: bytes
    etag: str
    media_type: str
    source: str  # memory | disk | render


def completed(
    engine: Engine, chosen: dict[str, str], preferred: dict[str, str] | None = None
) -> dict[str, str]:
    """The whole design drawn for these selections, in attribute order, typed texts put
    back: the design the page shows (`DesignState.design`). A clash is drawn as asked, the
    other attributes completed from the choices its repair keeps, as the page checks them."""
    values = as_values(engine.product, chosen)
    kept = values
    if not engine.consistent(values):
        kept = engine.configure(values, alternatives=False).effective
        if not engine.consistent(kept):
            raise PreviewRefused("No design of this product can be made (a catalog problem).")
    design = design_on_screen(engine, values, kept, preferred=preferred)
    for attr_id, value in design.items():
        if value == FILLED:  # a text the design needs that nobody typed yet draws as FILLED
            design[attr_id] = chosen.get(attr_id) or FILLED
    return design


def cache_key(engine: Engine, design: dict[str, str], view: str, width: int, fmt: str) -> str:
    pairs = sorted((k, v) for k, v in design.items() if v != NONE)
    return f"{engine.product.id}|{engine.product.version}|{view}|{width}|{fmt}|{urlencode(pairs)}"


def etag_for(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Plan:
    """What one preview request will draw, settled before any pixel: key, ETag, design."""

    product: Product
    key: str
    etag: str
    drawn: dict[str, str]
    view: str
    width: int
    fmt: str


def plan(
    ctx,
    product_id: str,
    raw: Mapping[str, object],
    view: str,
    width: int,
    fmt: str,
    preferred: dict[str, str] | None = None,
) -> Plan:
    """Check and complete once; the ETag is known here, so a 304 costs no render.
    `preferred`: the values the page pre-selected from declared preferences (`_prefer`).

    Raises InvalidSelections (a message per field) or PreviewRefused.
    """
    engine = ctx.catalogs.engine(product_id)
    checked = _check(ctx, engine, raw)
    if checked.errors:
        raise InvalidSelections(checked.errors)
    if view not in engine.product.views:
        raise PreviewRefused(wording.no_view(engine.product, view))
    if width not in WIDTHS:
        raise PreviewRefused(f"Width must be one of {', '.join(map(str, WIDTHS))}.")
    if fmt not in render.FORMATS:
        raise PreviewRefused(f"Format must be one of {', '.join(render.FORMATS)}.")
    design = completed(engine, checked.selections, preferred)
    key = cache_key(engine, design, view, width, fmt)
    drawn = {k: v for k, v in design.items() if v != NONE}
    return Plan(engine.product, key, etag_for(key), drawn, view, width, fmt)


def fetch(cache: RenderCache, planned: Plan) -> Preview:
    """The planned preview from memory, disk, or one render."""
    body, source = cache.get_or_render(
        planned.key,
        lambda: render.render_preview(
            planned.product, planned.drawn, planned.view, planned.width, planned.fmt
        ),
    )
    return Preview(body, planned.etag, render.MEDIA_TYPES[planned.fmt], source)
