"""The shop: the product list and the configurator. Views translate HTTP to service calls and back.

One URL per design state (`/p/<product>?shell=...`): a plain browser gets the
full page, an htmx request the swapped regions only, so the shop works with
JavaScript off and every state can be bookmarked and shared.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_htmx import make_response as htmx_response

from configurator.services.designs import design_view, query_for
from configurator.services.lru import Lru
from configurator.services.previews import design_sku

from . import catalogs, htmx
from .selections import MAX_QUERY_BYTES, from_query

bp = Blueprint("shop", __name__)


@bp.before_request
def limit_query():
    if len(request.query_string) > MAX_QUERY_BYTES:
        abort(414, f"The address is too long (over {MAX_QUERY_BYTES // 1024} KB).")


@bp.get("/")
def product_list():
    """Every product that loaded, with its thumbnail and the price of its cheapest valid design."""
    loaded = catalogs()
    return render_template(
        "shop/list.html",
        products=loaded.products,
        from_prices={p.id: loaded.engine(p.id).from_price() for p in loaded.products},
        problems=loaded.catalog.problems,
    )


@bp.get("/p/<product_id>")
def configure(product_id: str):
    """The configurator: full page, or only the regions that change for an htmx request."""
    engine = catalogs().engine(product_id)
    partial = bool(htmx) and not htmx.history_restore_request  # a restore needs the whole page
    changed = request.headers.get("HX-Trigger-Name") if partial else None
    key = (product_id, engine.product.version, partial, changed, request.query_string)
    body, url, total = _rendered.get_or_compute(
        key, lambda: _render_design(engine, product_id, changed, partial)
    )
    if partial:
        return htmx_response(body, push_url=url, trigger={"design-changed": {"total": total}})
    return body


_rendered: Lru[tuple[str, str, str]] = Lru(1024)  # ~25 KB each


def _render_design(
    engine, product_id: str, changed: str | None, partial: bool
) -> tuple[str, str, str]:
    """(HTML, canonical URL, total): depends only on the catalog version and the request's query."""
    selections, errors = from_query(engine, request.args)
    if changed in selections:
        selections = {
            **{k: v for k, v in selections.items() if k != changed},
            changed: selections[changed],
        }
    typed = {
        a.id: request.args.get(a.id, "")[:200]
        for a in engine.product.attributes
        if a.kind == "text"
    }
    design = design_view(engine, selections, errors, typed=typed)
    here = url_for("shop.configure", product_id=product_id)
    view = _view(engine.product)
    query = design.query + (
        f"&_view={view}" if view and design.query else f"_view={view}" if view else ""
    )
    url = here + (f"?{query}" if query else "")
    template = "shop/_regions.html" if partial else "shop/configure.html"
    focus = request.args.get("_focus", "")[:120]
    body = render_template(
        template, design=design, view=view, canonical=url, here=here, focus=focus
    )
    return body, url, str(design.total)


@bp.get("/p/<product_id>/complete")
def complete(product_id: str):
    """Finish for me: every open choice filled with its default or a valid option."""
    engine = catalogs().engine(product_id)
    selections, _ = from_query(engine, request.args)
    filled = engine.complete(selections)  # repairs a conflict first, keeping recent choices
    kept = {k: v for k, v in selections.items() if filled.get(k) == v}
    added = {k: v for k, v in filled.items() if k not in kept and v not in ("none", "", "filled")}
    return _go(product_id, {**kept, **added})


@bp.get("/p/<product_id>/surprise")
def surprise(product_id: str):
    """Surprise me: a random valid design to explore from."""
    engine = catalogs().engine(product_id)
    design = engine.random_design()
    return _go(product_id, {k: v for k, v in design.items() if v not in ("none", "", "filled")})


@bp.get("/p/<product_id>/review")
def review(product_id: str):
    """The finished design: full summary, SKU and price."""
    engine = catalogs().engine(product_id)
    selections, errors = from_query(engine, request.args)
    design = design_view(engine, selections, errors, reasons=False)
    if not design.complete:
        return _go(product_id, design.selections)
    sku = design_sku(engine, design.configuration)
    here = url_for("shop.configure", product_id=product_id)
    return render_template(
        "shop/review.html", design=design, sku=sku, view=_view(engine.product), here=here
    )


def _view(product) -> str | None:
    """The preview view the shopper switched to (`_view`), if it is one of the product's."""
    view = request.args.get("_view")
    return view if view in product.views else None


def _go(product_id: str, selections: dict[str, str]):
    query = query_for(selections)
    url = url_for("shop.configure", product_id=product_id) + (f"?{query}" if query else "")
    if htmx:
        return htmx_response("", redirect=url)
    return redirect(url, code=303)
