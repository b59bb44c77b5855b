"""Option tiles rendered once per state and reused: most of a click's HTML is tiles.

A tile's markup depends only on the catalog version, the page URL, its option and its
state (selected, selectable, reason, repair, focus), not on the rest of the design.
Fresh designs share almost all of their tiles with earlier ones, so caching them
roughly halves the cost of rendering an uncached click. All of a page's tiles are
rendered in one pass before the template runs (one memo lookup, no per-tile context).
"""

from __future__ import annotations

from flask import current_app
from markupsafe import Markup, escape

from .urls import query_for

TILES_CACHED = 8192  # ~1 KB each

# Stands in for the repair's query string, the one part of a tile that names the whole
# design: the rest is cached, the query put in on the way out. Escaping leaves it alone.
_QUERY = "\x00repair-query\x00"


def page_tiles(ctx, design, here: str, focus: str) -> dict[tuple[str, str], Markup]:
    """Every option tile of the page, by (attribute, option)."""
    memo = ctx.memos.get("shop-tiles", TILES_CACHED)
    product = design.product
    macro = None
    tiles = {}
    for state in design.attributes:
        attr = state.attribute
        for o in state.choices:
            oid = f"opt-{attr.id}-{o.id}"
            suggested = o.selected and state.source == "suggested"
            key = (product.id, product.version, here, attr.id, o.id, o.selected, o.selectable)
            key += (suggested,)
            query = query_for(o.repair.selections) if o.repair is not None else None
            if not o.selectable:
                reason = o.reason.text if o.reason else None
                key += (reason, query is None, o.repair.text if o.repair else None)
            key += (focus == oid,)

            def render(attr=attr, o=o, oid=oid, query=query, suggested=suggested) -> Markup:
                nonlocal macro
                if macro is None:
                    macro = current_app.jinja_env.get_template("shop/_fields.html").module.tile
                shown = None if query is None else _QUERY
                return Markup(macro(attr, o, shown, product, here, oid, focus == oid, suggested))

            tile = memo.get_or_compute(key, render)
            if query is not None:
                tile = Markup(str(tile).replace(_QUERY, str(escape(query))))
            tiles[(attr.id, o.id)] = tile
    return tiles
