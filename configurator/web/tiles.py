"""Option tiles and their fieldsets rendered once per state and reused: most of a click's HTML is tiles.

A tile's markup depends only on the catalog version, the page URL, its option and its
state (selected, selectable, reason, repair, focus), not on the rest of the design.
Fresh designs share almost all of their tiles with earlier ones, so caching them
roughly halves the cost of rendering an uncached click. All of a page's tiles are
rendered in one pass before the template runs (one memo lookup, no per-tile context).
"""

from __future__ import annotations

from typing import NamedTuple

from flask import current_app
from markupsafe import Markup, escape

from .urls import query_for

TILES_CACHED = 8192  # ~1 KB each

# Stands in for the repair's query string, the one part of a tile that names the whole
# design: the rest is cached, the query put in on the way out. Escaping leaves it alone.
_QUERY = "\x00repair-query\x00"


def fields_macros():
    """shop/_fields.html's macros (tiles, fieldsets, text fields, a tile's reason), as the
    module Jinja builds once per template."""
    return current_app.jinja_env.get_template("shop/_fields.html").module


class StepsMarkup(NamedTuple):
    """The list of steps (which are done) and each step's opening tag and heading."""

    progress: Markup
    heads: dict[str, Markup]


def page_steps(ctx, design) -> StepsMarkup:
    """The steps' list, cached by which steps are done, and their headings, cached per
    catalog version."""
    memo = ctx.memos.get("shop-steps", TILES_CACHED)
    product = design.product
    steps = design.steps
    done = tuple(s.done for s in steps)
    base = (product.id, product.version)
    progress = memo.get_or_compute(base + done, lambda: Markup(fields_macros().progress(steps)))
    heads = memo.get_or_compute(
        ("heads", *base),
        lambda: {
            s.id: Markup(fields_macros().step_head(s, n)) for n, s in enumerate(steps, start=1)
        },
    )
    return StepsMarkup(progress, heads)


def page_tiles(ctx, design, here: str, focus: str) -> dict[str, Markup]:
    """Every attribute's markup, by attribute id: a choice's fieldset is cached whole by
    the states of its tiles (a fresh design repeats most fieldsets of earlier ones), each
    tile within it by its own state; a text field by what it shows (the typed text, its
    error, whether it applies)."""
    memo = ctx.memos.get("shop-tiles", TILES_CACHED)
    sets = ctx.memos.get("shop-fieldsets", TILES_CACHED)
    product = design.product

    def macro(name: str):  # only on a memo miss: most clicks render no tile at all
        return getattr(fields_macros(), name)

    out = {}
    for state in design.attributes:
        attr = state.attribute
        if attr.kind == "text":
            key = (product.id, product.version, here, attr.id, state.text, state.applicable)
            out[attr.id] = sets.get_or_compute(
                key + (state.error,),
                lambda state=state: Markup(macro("text_field")(state, product, here)),
            )
            continue
        keys, renders, queries = [], [], []
        for o in state.choices:
            oid = f"opt-{attr.id}-{o.id}"
            suggested = o.selected and state.source == "suggested"
            key = (o.id, o.selected, o.selectable, suggested)
            query = query_for(o.repair.selections) if o.repair is not None else None
            if not o.selectable:
                reason = o.reason.text if o.reason else None
                key += (reason, query is None, o.repair.text if o.repair else None)
            key += (focus == oid,)

            def render(attr=attr, o=o, oid=oid, query=query, suggested=suggested) -> Markup:
                shown = None if query is None else _QUERY
                return Markup(
                    macro("tile")(attr, o, shown, product, here, oid, focus == oid, suggested)
                )

            keys.append(key)
            renders.append(render)
            if query is not None:
                queries.append(query)
        base = (product.id, product.version, here, attr.id)

        def fieldset(state=state, keys=keys, renders=renders, base=base) -> Markup:
            tiles = {
                k[0]: memo.get_or_compute(base + k, r) for k, r in zip(keys, renders, strict=True)
            }
            return Markup(macro("choice")(state, tiles))

        markup = sets.get_or_compute(base + (state.applicable, tuple(keys)), fieldset)
        for query in queries:  # at most the one tile asked about carries a repair link
            markup = Markup(str(markup).replace(_QUERY, str(escape(query)), 1))
        out[attr.id] = markup
    return out
