"""The shop: the product list and the configurator. Views translate HTTP to service calls and back.

One URL per design state (`/p/<product>?shell=...`): a plain browser gets the
full page, an htmx request the swapped regions only, so the shop works with
JavaScript off and every state can be bookmarked and shared.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_htmx import make_response as htmx_response

from configurator.services import designs, preferences

from . import access, context, htmx, keyring
from .tiles import fields_macros, page_steps, page_tiles
from .urls import (
    PREFER,
    SUGGESTED,
    Fields,
    arg,
    newest_last,
    query_for,
    routes,
    selections_from,
    suggestions_field,
)

bp = access.public(Blueprint("shop", __name__))
WISHES = "_wishes"  # after Finish for me / Surprise me: say which declared taste shaped what
SAVED = "_saved"  # the private token of the saved design being edited, carried to its Save link
SAVED_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
PAGES_CACHED = 1024  # ~25 KB each


@bp.after_request
def vary_on_htmx(response):
    """A shop URL answers a page or a fragment by HX-Request, and a keyring holder's page may
    carry their pre-selections: caches must keep them all apart."""
    response.vary.update(("HX-Request", "Cookie"))  # one header rewrite, not two
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
    # a shopper's declared answers pre-select options (only with a keyring cookie: no
    # visitor's page touches the session or the database)
    secret = keyring.secret()
    preselects = preferences.preselections(ctx, secret, product_id) if secret else ()
    # after Finish for me / Surprise me (`_wishes`): which declared taste shaped which choice
    wishes = (
        preferences.wishes(ctx, secret, product_id) if secret and WISHES in request.args else ()
    )
    if preselects or wishes:  # this shopper's page, with their form token: never memoised
        body, url, total = _render_design(product_id, changed, partial, preselects, wishes)
    else:
        key = (product_id, version, partial, changed, request.query_string)
        pages = ctx.memos.get("shop-pages", PAGES_CACHED)
        body, url, total = pages.get_or_compute(
            key, lambda: _render_design(product_id, changed, partial)
        )
    if not partial and SUGGESTED in request.args:
        # a form sent without JavaScript: every checked radio came back; show the design at
        # its own address (bookmarkable, shareable), keeping the tile asked about
        focus = arg(request.args, "_focus")[:120]
        if focus:
            url += ("&" if "?" in url else "?") + urlencode({"_focus": focus}) + f"#{focus}"
        return redirect(url, code=303)
    if partial:
        return htmx_response(body, push_url=url, trigger={"design-changed": {"total": total}})
    return body


def _render_design(
    product_id: str, changed: str | None, partial: bool, preselects: tuple = (), wishes: tuple = ()
) -> tuple[str, str, str]:
    """(HTML, canonical URL, total): depends only on the catalog version, the request's query
    and the shopper's declared answers (`preselects`)."""
    raw = newest_last(selections_from(request.args, changed=changed), changed)
    focus = arg(request.args, "_focus")[:120]
    detail = designs.option_named(context(), product_id, focus.removeprefix("opt-"))
    design = designs.configure(
        context(),
        product_id,
        raw,
        reasons=False,
        detail=detail,
        preselects=preselects,
        wishes=wishes,
    )
    here = _routes(design.product)["start"]
    view = _view(design.product)
    query = query_for(design.requested)
    links = _links(design, here, query, view)
    url = here + (f"?{links['page']}" if links["page"] else "")
    template = "shop/_regions.html" if partial else "shop/configure.html"
    tiles = page_tiles(context(), design, here, focus)  # every attribute's markup
    steps = page_steps(context(), design)  # the steps' list and headings
    body = render_template(
        template,
        design=design,
        links=links,
        view=view,
        canonical=url,
        here=here,
        tiles=tiles,
        steps=steps,
    )
    return body, url, str(design.total)


@bp.get("/p/<product_id>/why/<attribute>/<option>")
def why(product_id: str, attribute: str, option: str):
    """Why one tile cannot be chosen now and how to get it: the tile's text, fetched when
    a shopper points at or focuses the tile (the page itself does not compute it)."""
    try:
        found = designs.why(context(), product_id, selections_from(request.args), attribute, option)
    except designs.UnknownOption as unknown:
        abort(404, " ".join(m for messages in unknown.errors.values() for m in messages))
    here = url_for("shop.configure", product_id=product_id)
    macro = fields_macros().why
    oid = f"opt-{attribute}-{option}"
    repair = query_for(found.repair.selections) if found.repair is not None else None
    focus = request.args.get("_keyboard") == "1"  # asked from the keyboard: take the focus
    return str(macro(found, repair, here, oid, focus)) if not found.selectable else ""


def _links(design, here: str, query: str, view: str | None) -> Fields:
    """The query strings the page's links need: this design (with and without the view) and
    the clash's repair; and the form's `_suggested` field."""
    saved = arg(request.args, SAVED)
    saved = saved if SAVED_TOKEN.fullmatch(saved) else ""  # the saved design being edited
    extra = urlencode([(k, v) for k, v in (("_view", view), (SAVED, saved)) if v])
    page = "&".join(p for p in (query, extra) if p)
    save = "&".join(p for p in (query, urlencode({SAVED: saved}) if saved else "") if p)
    repair = design.conflict_repair
    shown = dict(design.design)
    suggested = [
        (a.id, shown[a.id])
        for a in design.attributes
        if a.source in ("suggested", "forced") and shown.get(a.id)
    ]
    return Fields(
        {
            "to": _routes(design.product),
            "query": query,
            "page": page,
            "repair": query_for(repair.selections) if repair is not None else None,
            "suggested": suggestions_field(suggested),
            "order": ",".join(a for a, _ in design.requested),  # every choice, a clash's too
            "saved": saved,
            "save": save,
            "preview": _preview_query(design, query),
        }
    )


def _routes(product) -> Fields:
    return routes(context().memos, product)


def _preview_query(design, query: str) -> str:
    """The preview's query: the choices, and the options pre-selected from declared answers
    (the preview draws the design the page checks)."""
    applied = [
        (n.attribute, dict(design.design)[n.attribute])
        for n in design.preference_notes
        if n.applied
    ]
    if not applied:
        return query
    return "&".join(p for p in (query, urlencode({PREFER: suggestions_field(applied)})) if p)


@bp.get("/p/<product_id>/complete")
def complete(product_id: str):
    """Finish for me: every open choice filled with a declared taste where the rules allow,
    else its default or a valid option."""
    wishes = _wishes(product_id)
    finished = designs.complete(context(), product_id, selections_from(request.args), wishes=wishes)
    return _go(product_id, finished.selections, said=bool(wishes))


@bp.get("/p/<product_id>/surprise")
def surprise(product_id: str):
    """Surprise me: a random valid design to explore from (declared tastes first)."""
    wishes = _wishes(product_id)
    return _go(
        product_id, designs.surprise(context(), product_id, wishes=wishes), said=bool(wishes)
    )


def _wishes(product_id: str) -> tuple:
    secret = keyring.secret()
    return preferences.wishes(context(), secret, product_id) if secret else ()


@bp.get("/p/<product_id>/review")
def review(product_id: str):
    """The finished design: full summary, SKU and price."""
    design = designs.review(context(), product_id, selections_from(request.args))
    here = _routes(design.product)["start"]
    if not design.complete:  # back to the configurator with the link as it was: it says why
        query = request.query_string.decode("utf-8", "replace")
        return redirect(here + (f"?{query}" if query else ""), code=303)
    links = _links(design, here, query_for(design.requested), None)
    return render_template(
        "shop/review.html", design=design, links=links, view=_view(design.product), here=here
    )


def _view(product) -> str | None:
    """The preview view the shopper switched to (`_view`), if it is one of the product's."""
    view = arg(request.args, "_view", None)
    return view if view in product.views else None


def _go(product_id: str, selections: dict[str, str], said: bool = False):
    """To the configurator with these selections (`said`: the page says which declared
    taste shaped which choice)."""
    query = query_for(selections)
    if said:
        query += ("&" if query else "") + f"{WISHES}=1"
    url = url_for("shop.configure", product_id=product_id) + (f"?{query}" if query else "")
    if htmx:
        return htmx_response("", redirect=url)
    return redirect(url, code=303)
