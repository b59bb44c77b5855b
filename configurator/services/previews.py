"""Previews of a design: normalise the selections, key the cache, render once.

A preview always shows a whole product: the shopper's selections completed
with defaults (the engine's deterministic completion), so an empty start still
shows a helmet. Contradictory selections are refused, never drawn.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from configurator import render
from configurator.catalog.model import NONE
from configurator.engine import Configuration, Engine

from .render_cache import DiskCache, MemoryCache, RenderCache

WIDTHS = (200, 400, 800, 1600)


class PreviewRefused(ValueError):
    """The selections describe no valid product (the message says why)."""


@dataclass(frozen=True)
class Preview:
    body: bytes
    etag: str
    media_type: str
    source: str  # memory | disk | render


def make_cache(instance_dir: Path, memory_mb: int = 64, disk_mb: int = 512) -> RenderCache:
    return RenderCache(
        MemoryCache(memory_mb * 1024 * 1024),
        DiskCache(instance_dir / "renders", disk_mb * 1024 * 1024),
    )


def normalised(engine: Engine, selections: dict[str, str]) -> dict[str, str]:
    """The completed design in attribute order; raises PreviewRefused on a conflict."""
    values, problems = engine.normalise(selections)
    if problems:
        raise PreviewRefused(problems[0].message)
    if not engine.consistent(values):
        explanation = engine.explainer_text(values)
        raise PreviewRefused(explanation)
    return engine.complete(selections)


def cache_key(engine: Engine, design: dict[str, str], view: str, width: int, fmt: str) -> str:
    pairs = sorted((k, v) for k, v in design.items() if v != NONE)
    return f"{engine.product.id}|{engine.product.version}|{view}|{width}|{fmt}|{urlencode(pairs)}"


def etag_for(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Plan:
    """What one preview request will draw, settled before any pixel: key, ETag, design."""

    key: str
    etag: str
    drawn: dict[str, str]
    view: str
    width: int
    fmt: str


def plan(engine: Engine, selections: dict[str, str], view: str, width: int, fmt: str) -> Plan:
    """Validate and normalise once; the ETag is known here, so a 304 costs no render."""
    if view not in engine.product.views:
        raise PreviewRefused(
            f"{engine.product.name} has no view “{view[:40]}”; views: {', '.join(engine.product.views)}."
        )
    if width not in WIDTHS:
        raise PreviewRefused(f"Width must be one of {', '.join(map(str, WIDTHS))}.")
    if fmt not in render.FORMATS:
        raise PreviewRefused(f"Format must be one of {', '.join(render.FORMATS)}.")
    design = normalised(engine, selections)
    key = cache_key(engine, design, view, width, fmt)
    drawn = {k: v for k, v in design.items() if v != NONE}
    return Plan(key, etag_for(key), drawn, view, width, fmt)


def fetch(cache: RenderCache, engine: Engine, planned: Plan) -> Preview:
    """The planned preview from memory, disk, or one render."""
    body, source = cache.get_or_render(
        planned.key,
        lambda: render.render_preview(
            engine.product, planned.drawn, planned.view, planned.width, planned.fmt
        ),
    )
    return Preview(body, planned.etag, render.MEDIA_TYPES[planned.fmt], source)


def preview(
    cache: RenderCache, engine: Engine, selections: dict[str, str], view: str, width: int, fmt: str
) -> Preview:
    """Render (or fetch) one preview; the ETag names exactly what is drawn."""
    return fetch(cache, engine, plan(engine, selections, view, width, fmt))


def design_sku(engine: Engine, configuration: Configuration) -> str:
    """Product SKU then each chosen option's SKU, in attribute order: what the workshop reads."""
    product = engine.product
    design = {**configuration.forced(), **configuration.selections}
    parts = [product.sku or product.id.upper()]
    for attr in product.attributes:
        value = design.get(attr.id)
        if value in (None, "", NONE):
            continue
        if attr.kind == "text":
            if attr.sku:
                parts.append(attr.sku)
            continue
        option = attr.option(value)
        if option is not None and option.sku:
            parts.append(option.sku)
    return "-".join(parts)
