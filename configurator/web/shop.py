"""The shop: the product list and the configurator. Views translate HTTP to service calls and back.

One URL per design state (`/p/<product>?shell=...`): a plain browser gets the
full page, an htmx request the swapped regions only, so the shop works with
JavaScript off and every state can be bookmarked and shared.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_htmx import make_response as htmx_response

from configurator.services.designs import design_view, query_for
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
    """Every product that loaded, with its thumbnail and starting price."""
    loaded = catalogs()
    return render_template(
        "shop/list.html", products=loaded.products, problems=loaded.catalog.problems
    )


@bp.get("/p/<product_id>")
def configure(product_id: str):
    """The configurator: full page, or only the regions that change for an htmx request."""
    engine = catalogs().engine(product_id)
    selections, errors = from_query(engine, request.args)
    changed = request.headers.get("HX-Trigger-Name")
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
    url = url_for("shop.configure", product_id=product_id) + (
        f"?{design.query}" if design.query else ""
    )
    if htmx:
        body = render_template("shop/_regions.html", design=design, view=_view())
        return htmx_response(
            body, push_url=url, trigger={"design-changed": {"total": str(design.total)}}
        )
    return render_template("shop/configure.html", design=design, view=_view(), canonical=url)


@bp.get("/p/<product_id>/complete")
def complete(product_id: str):
    """Finish for me: every open choice filled with its default or a valid option."""
    engine = catalogs().engine(product_id)
    selections, _ = from_query(engine, request.args)
    filled = engine.complete(selections)
    ordered = {
        **selections,
        **{k: v for k, v in filled.items() if k not in selections and v not in ("none", "")},
    }
    return _go(product_id, ordered)


@bp.get("/p/<product_id>/surprise")
def surprise(product_id: str):
    """Surprise me: a random valid design to explore from."""
    engine = catalogs().engine(product_id)
    design = engine.random_design()
    return _go(product_id, {k: v for k, v in design.items() if v not in ("none", "")})


@bp.get("/p/<product_id>/review")
def review(product_id: str):
    """The finished design: full summary, SKU and price."""
    engine = catalogs().engine(product_id)
    selections, errors = from_query(engine, request.args)
    design = design_view(engine, selections, errors, reasons=False)
    if not design.complete:
        return _go(product_id, design.selections)
    sku = design_sku(engine, design.configuration)
    return render_template("shop/review.html", design=design, sku=sku, view=_view())


def _view() -> str | None:
    view = request.args.get("_view")
    return view if view and len(view) < 40 else None


def _go(product_id: str, selections: dict[str, str]):
    query = query_for(selections)
    url = url_for("shop.configure", product_id=product_id) + (f"?{query}" if query else "")
    if htmx:
        return htmx_response("", redirect=url)
    return redirect(url, code=303)
