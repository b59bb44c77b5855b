"""Option tiles rendered once per state and reused: most of a click's HTML is tiles.

A tile's markup depends only on the catalog version, the page URL, its option and its
state (selected, available, reason, repair, focus), not on the rest of the design.
Fresh designs share almost all of their tiles with earlier ones, so caching them
roughly halves the cost of rendering an uncached click.
"""

from __future__ import annotations

from flask import current_app
from markupsafe import Markup

from configurator.services.lru import Lru

_tiles: Lru[Markup] = Lru(8192)  # ~1 KB each


def option_tile(attr, o, product, here: str, focus: str) -> Markup:
    oid = f"opt-{attr.id}-{o.id}"
    repair = o.repair.text if o.repair is not None else None
    key = (product.id, product.version, here, attr.id, o.id, o.selected, o.available)
    if not o.available:
        key += (o.reason, o.repair_query, repair)
    key += (focus == oid,)

    def render() -> Markup:
        macro = current_app.jinja_env.get_template("shop/_fields.html").module.tile
        return Markup(macro(attr, o, product, here, oid, focus == oid))

    return _tiles.get_or_compute(key, render)


def register(app) -> None:
    app.add_template_global(option_tile)
