"""The merchandiser's staff pages: the candidate catalog (the configured folder as it is on
disk) beside the published one, its problems and findings with file:line, a contact sheet
of every option in every view, a staging preview to try a product as shoppers will, and
Publish. Views translate to services and back."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, current_app, flash, redirect, render_template, request, url_for

from configurator.services import designs, merchandising, previews, publishing

from . import access, context
from .staff import bp
from .urls import selections_from

CATALOG_PEOPLE = ("merchandiser", "admin")


def staging():
    """The candidate catalog's Context (made again when the folder changes)."""
    cache = current_app.extensions.setdefault("staging", {})
    return merchandising.candidate(current_app.extensions["configurator"], cache)


def _of():
    return staging() if request.args.get("of", "staging") == "staging" else context()


@bp.get("/catalog")
@access.roles(*CATALOG_PEOPLE)
def catalog_page():
    return _catalog_page(problems=[]), 200


def _catalog_page(problems: list[str]) -> str:
    overview = merchandising.overview(staging(), context())
    return render_template(
        "staff/catalog.html",
        overview=overview,
        history=publishing.history(context(), limit=5),
        problems=problems,
        plan=merchandising.plan_text(staging(), context()),
    )


@bp.post("/catalog/publish")
@access.roles(*CATALOG_PEOPLE)
def publish():
    """Publish the candidate: refused, with each problem, when it has errors."""
    try:
        made = publishing.publish(context(), actor=access.member_now().actor)
    except publishing.Refused as refused:
        return _catalog_page([str(p) for p in refused.problems]), 409
    flash(f"Published #{made.id}: every shop worker serves it within a second.")
    return redirect(url_for("staff.catalog_page"), code=303)


@bp.get("/catalog/<product_id>/sheet")
@access.roles(*CATALOG_PEOPLE)
def contact_sheet(product_id: str):
    """Every option in every view, drawn by the preview renderer."""
    of = "live" if request.args.get("of") == "live" else "staging"
    ctx = _of()
    product = ctx.catalogs.product(product_id)
    tiles = merchandising.contact_sheet(ctx, product_id)
    return render_template("staff/sheet.html", product=product, tiles=tiles, of=of, query=urlencode)


@bp.get("/catalog/<product_id>/try")
@access.roles(*CATALOG_PEOPLE)
def try_product(product_id: str):
    """The candidate product as a plain form: choose, see availability, reasons, price, preview."""
    ctx = staging()
    raw = selections_from(request.args)
    state = designs.configure(ctx, product_id, raw)
    # the preview completes the shopper's own choices exactly as this page does
    return render_template(
        "staff/try.html",
        state=state,
        query=urlencode(state.requested),
        product=state.product,
        plan=merchandising.plan_text(ctx, context()),
    )


@bp.get("/catalog/<product_id>/<view>.webp")
@access.roles(*CATALOG_PEOPLE)
def catalog_preview(product_id: str, view: str):
    """A picture drawn from the candidate (or, with of=live, the published) catalog."""
    ctx = _of()
    raw = selections_from(request.args, reserved=("of",))
    try:
        planned = previews.plan(ctx, product_id, raw, view, 200, "webp")
    except (previews.PreviewRefused, designs.InvalidSelections) as refused:
        return Response(str(refused), status=400, mimetype="text/plain")
    body = previews.fetch(ctx.previews, planned).body
    return Response(body, mimetype="image/webp")
