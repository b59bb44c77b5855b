"""Checkout and the private order page. Views translate to `services.orders` and back.

The checkout form carries an idempotency key made when the form is shown: submitting it
twice, retrying, or two tabs place one order. The order page reads the order's snapshot
only (never the catalog), so later catalog and artwork edits leave it as it was.
"""

from __future__ import annotations

import secrets
from urllib.parse import parse_qsl

from flask import Response, current_app, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from configurator.services import designs, orders, saving

from . import context, keyring
from .designs import bp
from .numbers import ascii_int
from .protect import limited
from .urls import MAX_QUERY_BYTES, query_for, selections_from

FIELDS = ("name", "email", "line1", "line2", "postcode", "city", "country", "phone", "note")


def order_files():
    return context().files


@bp.get("/p/<product_id>/checkout")
def checkout_form(product_id: str):
    """Quantity, contact and delivery details, a note, the terms: nothing more, nothing ticked."""
    query = request.query_string.decode("utf-8", "replace")[:MAX_QUERY_BYTES]
    return _checkout_page(product_id, query, values={"quantity": "1"}, errors={}, code=200)


@bp.post("/p/<product_id>/checkout")
@limited("save")
def checkout(product_id: str):
    form = request.form
    query = form.get("design", "")[:MAX_QUERY_BYTES]
    raw = selections_from(MultiDict(parse_qsl(query, keep_blank_values=True)))
    values = {k: form.get(k, "")[:1000] for k in (*FIELDS, "quantity")}
    customer = {
        "name": values["name"].strip(),
        "email": values["email"].strip(),
        "address": {
            "line1": values["line1"].strip(),
            "line2": values["line2"].strip(),
            "postcode": values["postcode"].strip(),
            "city": values["city"].strip(),
            "country": values["country"].strip().upper(),
        },
        "phone": values["phone"].strip() or None,
        "note": values["note"].strip() or None,
    }
    try:
        quantity = ascii_int(values["quantity"] or "0", most_digits=3)
    except ValueError:
        quantity = 0
    key = form.get("key", "")[:64]
    try:
        placed = orders.place(
            context(),
            product_id=product_id,
            raw=raw,
            quantity=quantity,
            customer=customer,
            terms_accepted=form.get("terms") == "yes",
            shown_total=form.get("shown_total") or None,
            idempotency_key=key,
            keyring_secret=keyring.secret(),
            order_url=lambda token: url_for("designs.order_page", token=token, _external=True),
            link_secret=current_app.secret_key,
        )
    except orders.Refused as refused:
        return _checkout_page(product_id, query, values, _flat(refused.fields), 400, key=key)
    except orders.PriceChanged as changed:
        errors = {"price": f"{changed} Check the new price and order again."}
        total = changed.now.split()[-1]
        return _checkout_page(product_id, query, values, errors, 409, key=key, shown=total)
    except orders.KeyReused:
        errors = {"price": "This form was already used for another order: start again."}
        return _checkout_page(product_id, query, values, errors, 409)
    return redirect(url_for("designs.order_page", token=placed.token, placed=1), code=303)


@bp.get("/orders/<token>")
@limited("lookup")
def order_page(token: str):
    """The private order page: what was ordered (the snapshot), the status and its history."""
    found = orders.open_order(context(), token)
    return render_template(
        "orders/order.html", order=found, token=token, placed=request.args.get("placed") == "1"
    )


@bp.get("/orders/<token>/<view>.webp")
@limited("lookup")
def order_preview(token: str, view: str):
    """The picture stored with the order, byte for byte as it was when ordered."""
    found = orders.open_order(context(), token)
    name = found.snapshot.get("previews", {}).get(view)
    if name is None:
        raise saving.NotFound("view")
    response = Response(order_files().get(name), mimetype="image/webp")
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


def _checkout_page(product_id, query, values, errors, code, key=None, shown=None):
    raw = selections_from(MultiDict(parse_qsl(query, keep_blank_values=True)))
    design = designs.review(context(), product_id, raw)
    total = shown or format(design.total, "f")
    return (
        render_template(
            "orders/checkout.html",
            design=design,
            query=query_for(design.requested),
            values=values,
            errors=errors,
            key=key or secrets.token_urlsafe(24),
            shown_total=total,
        ),
        code,
    )


def _flat(fields: dict) -> dict[str, str]:
    """Field messages for the form: nested address messages under their own names."""
    out = {}
    for name, messages in fields.items():
        if isinstance(messages, dict):
            for inner, text in messages.items():
                out[inner] = " ".join(text) if isinstance(text, list) else str(text)
        else:
            out[name] = " ".join(messages) if isinstance(messages, list) else str(messages)
    return out
