"""The workshop's downloads and the admin's webhooks, on the staff blueprint: export batches
(create, list, download again byte for byte), work orders as PDF, webhook endpoints and
their deliveries. Views translate to services and back."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for

from configurator.services import exports, orders, saving, webhooks, workorders

from . import access, context
from .staff import WORKSHOP, bp

MEDIA = {".csv": "text/csv; charset=utf-8", ".json": "application/json", ".pdf": "application/pdf"}


@bp.get("/exports")
@access.roles(*WORKSHOP)
def exports_page():
    return render_template(
        "staff/exports.html",
        batches=exports.batches(context()),
        statuses=orders.STATUSES,
        retention_days=context().settings.export_retention_days,
    )


@bp.post("/exports")
@access.roles(*WORKSHOP)
def export():
    """A new batch: the orders in this status not exported in it before."""
    status = request.form.get("status", "")
    try:
        made = exports.create_batch(context(), status=status, actor=access.member_now().actor)
    except exports.UnknownStatus as unknown:
        flash(str(unknown))
        return redirect(url_for("staff.exports_page"), code=303)
    if made is None:
        flash(f"No new orders {status.replace('_', ' ')} since the last export.")
        return redirect(url_for("staff.exports_page"), code=303)
    flash(f"Batch {made.ref}: {made.count} order{'' if made.count == 1 else 's'}.")
    return redirect(url_for("staff.exports_page", _anchor=made.ref), code=303)


@bp.get("/exports/<ref>/<name>")
@access.roles(*WORKSHOP)
def export_file(ref: str, name: str):
    """A batch's file, the same bytes every time it is downloaded."""
    if name == "work-orders.pdf":
        body = workorders.batch_pdf(context(), ref)
    else:
        try:
            body = exports.batch_file(context(), ref, name, actor=access.member_now().actor)
        except exports.Expired as expired:
            abort(410, str(expired))
    suffix = "." + name.rpartition(".")[2]
    response = Response(body, mimetype=MEDIA.get(suffix, "application/octet-stream"))
    response.headers["Content-Disposition"] = f'attachment; filename="{ref}-{name}"'
    return response


@bp.get("/orders/<number>/work-order.pdf")
@access.roles(*WORKSHOP)
def work_order(number: str):
    response = Response(workorders.order_pdf(context(), number), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{number}-work-order.pdf"'
    return response


@bp.route("/webhooks", methods=["GET", "POST"])
@access.roles("admin")
def webhooks_page():
    """Register an endpoint (URL and events); each endpoint with its secret and deliveries."""
    error, values = None, {}
    if request.method == "POST":
        values = {
            "url": request.form.get("url", "")[:2100],
            "events": request.form.getlist("events"),
        }
        try:
            webhooks.add_endpoint(
                context(),
                url=values["url"],
                events=values["events"],
                actor=access.member_now().actor,
            )
        except webhooks.BadEndpoint as bad:
            error = str(bad)
        else:
            flash("Endpoint added. Give its secret to the receiving system.")
            return redirect(url_for("staff.webhooks_page"), code=303)
    ctx = context()
    listed = [
        (e, webhooks.secret_for(ctx, e), webhooks.deliveries(ctx, e.id, limit=10))
        for e in webhooks.endpoints(ctx)
    ]
    page = render_template(
        "staff/webhooks.html", endpoints=listed, events=webhooks.EVENTS, error=error, values=values
    )
    return page, (400 if error else 200)


@bp.post("/webhooks/<int:endpoint_id>/disable")
@access.roles("admin")
def disable_webhook(endpoint_id: int):
    try:
        webhooks.disable_endpoint(context(), endpoint_id, actor=access.member_now().actor)
    except webhooks.NotFound as missing:
        raise saving.NotFound("endpoint") from missing
    flash("Endpoint disabled: nothing more is sent to it.")
    return redirect(url_for("staff.webhooks_page"), code=303)
