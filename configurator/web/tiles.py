"""Option tiles rendered once per state and reused: most of a click's HTML is tiles.

A tile's markup depends only on the catalog version, the page URL, its option and its
state (selected, selectable, reason, repair, focus), not on the rest of the design.
Fresh designs share almost all of their tiles with earlier ones, so caching them
roughly halves the cost of rendering an uncached click.
"""

from __future__ import annotations

from flask import current_app
from markupsafe import Markup, escape

from . import context
from .urls import query_for

TILES_CACHED = 8192  # ~1 KB each

# Stands in for the repair's query string, the one part of a tile that names the whole
# design: the rest is cached, the query put in on the way out. Escaping leaves it alone.
_QUERY = "\x00repair-query\x00"


def option_tile(attr, o, product, here: str, focus: str) -> Markup:
    oid = f"opt-{attr.id}-{o.id}"
    repair = o.repair.text if o.repair is not None else None
    key = (product.id, product.version, here, attr.id, o.id, o.selected, o.selectable)
    query = query_for(o.repair.selections) if o.repair is not None else None
    if not o.selectable:
        key += (o.reason.text if o.reason else None, query is None, repair)
    key += (focus == oid,)

    def render() -> Markup:
        macro = current_app.jinja_env.get_template("shop/_fields.html").module.tile
        shown = None if query is None else _QUERY
        return Markup(macro(attr, o, shown, product, here, oid, focus == oid))

    tile = context().memos.get("shop-tiles", TILES_CACHED).get_or_compute(key, render)
    if query is None:
        return tile
    return Markup(str(tile).replace(_QUERY, str(escape(query))))


def register(app) -> None:
    app.add_template_global(option_tile)
