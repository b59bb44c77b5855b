"""The shop: the product list and the configurator. Views translate HTTP to service calls and back.

One URL per design state (`/p/<product>?shell=...`): a plain browser gets the
full page, an htmx request the swapped regions only, so the shop works with
JavaScript off and every state can be bookmarked and shared.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_htmx import make_response as htmx_response

from configurator.services import designs

from . import context, htmx
from .tiles import page_tiles
from .urls import newest_last, query_for, selections_from

bp = Blueprint("shop", __name__)
PAGES_CACHED = 1024  # ~25 KB each


@bp.after_request
def vary_on_htmx(response):
    """A shop URL answers a page or a fragment by HX-Request: caches must keep them apart."""
    response.vary.add("HX-Request")
    return response


@bp.get("/")
def product_list():
    """Every product that loaded, with its thumbnail and the price of its cheapest valid design."""
    listing = designs.listing(context())
    # the catalog's problems are for staff: logged at start-up (bootstrap), never shown here
    return render_template(
        "shop/list.html", products=listing.products, from_prices=listing.from_prices
    )


@bp.get("/p/<product_id>")
def configure(product_id: str):
    """The configurator: full page, or only the regions that change for an htmx request."""
    ctx = context()
    version = designs.version(ctx, product_id)
    partial = bool(htmx) and not htmx.history_restore_request  # a restore needs the whole page
    changed = request.headers.get("HX-Trigger-Name") if partial else None
    key = (product_id, version, partial, changed, request.query_string)
    pages = ctx.memos.get("shop-pages", PAGES_CACHED)
    body, url, total = pages.get_or_compute(
        key, lambda: _render_design(product_id, changed, partial)
    )
    if partial:
        return htmx_response(body, push_url=url, trigger={"design-changed": {"total": total}})
    return body


def _render_design(product_id: str, changed: str | None, partial: bool) -> tuple[str, str, str]:
    """(HTML, canonical URL, total): depends only on the catalog version and the request's query."""
    raw = newest_last(selections_from(request.args), changed)
    design = designs.configure(context(), product_id, raw)
    here = url_for("shop.configure", product_id=product_id)
    view = _view(design.product)
    query = query_for(design.requested)
    links = _links(design, here, query, view)
    url = here + (f"?{links['page']}" if links["page"] else "")
    template = "shop/_regions.html" if partial else "shop/configure.html"
    focus = request.args.get("_focus", "")[:120]
    tiles = page_tiles(context(), design, here, focus)
    body = render_template(
        template, design=design, links=links, view=view, canonical=url, here=here, tiles=tiles
    )
    return body, url, str(design.total)


def _links(design, here: str, query: str, view: str | None) -> dict[str, str | None]:
    """The query strings the page's links need: this design (with and without the view) and
    the clash's repair."""
    page = query + (f"&_view={view}" if view and query else f"_view={view}" if view else "")
    repair = design.conflict_repair
    return {
        "query": query,
        "page": page,
        "repair": query_for(repair.selections) if repair is not None else None,
    }


@bp.get("/p/<product_id>/complete")
def complete(product_id: str):
    """Finish for me: every open choice filled with its default or a valid option."""
    finished = designs.complete(context(), product_id, selections_from(request.args))
    return _go(product_id, finished.selections)


@bp.get("/p/<product_id>/surprise")
def surprise(product_id: str):
    """Surprise me: a random valid design to explore from."""
    return _go(product_id, designs.surprise(context(), product_id))


@bp.get("/p/<product_id>/review")
def review(product_id: str):
    """The finished design: full summary, SKU and price."""
    design = designs.review(context(), product_id, selections_from(request.args))
    if not design.complete:
        return _go(product_id, design.selections)
    here = url_for("shop.configure", product_id=product_id)
    links = _links(design, here, query_for(design.requested), None)
    return render_template(
        "shop/review.html", design=design, links=links, view=_view(design.product), here=here
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
