"""The fulfillment API on /api/v1: orders for workshop and accounting systems, and their
status changes, for bearer tokens made with `configurator staff token` (web/access.py checks
the token and its role). Views translate to `services.fulfillment` and back."""

from __future__ import annotations

from flask import request
from marshmallow import ValidationError

from configurator.services import fulfillment

from . import access, context
from . import api_staff_schemas as schemas
from .api import Invalid, _body, _json, _respond, bp
from .api_designs import order_lines
from .openapi import operation

WORKSHOP = ("fulfillment", "admin")
EVERYONE = ("fulfillment", "merchandiser", "admin")


@bp.get("/orders")
@operation(
    "Orders, newest first, by status or search (bearer token)",
    response=schemas.StaffOrders,
    query=schemas.OrdersQuery,
)
@access.roles(*EVERYONE)
def list_orders():
    try:
        query = schemas.OrdersQuery().load(request.args.to_dict())
    except ValidationError as error:
        raise Invalid(error.messages) from None
    member = access.member_now()
    found = fulfillment.queue(
        context(), member, status=query.get("status"), search=query.get("q"), page=query["page"]
    )
    shown = [fulfillment.staff_order(context(), row.number, member) for row in found.rows]
    body = {
        "orders": [_order(o) for o in shown],
        "page": found.page,
        "pages": found.pages,
        "total": found.total,
    }
    return _respond(_json(schemas.StaffOrders, body))


@bp.post("/orders/<number>/status")
@operation(
    "Move an order on: paid, in production, shipped, cancelled (bearer token)",
    response=schemas.StaffOrder,
    request=schemas.StatusChange,
)
@access.roles(*WORKSHOP)
def change_status(number: str):
    body = _body(schemas.StatusChange)
    member = access.member_now()
    try:
        fulfillment.move(
            context(),
            number,
            body["status"],
            member,
            seen=body.get("seen"),
            carrier=body.get("carrier", ""),
            tracking=body.get("tracking", ""),
            reason=body.get("reason", ""),
        )
    except fulfillment.Refused as refused:
        if set(refused.fields) == {"status"}:
            return _conflict(refused.fields["status"])
        raise Invalid({k: [v] for k, v in refused.fields.items()}) from None
    except fulfillment.Stale as stale:
        return _conflict(str(stale))
    found = fulfillment.staff_order(context(), number, member)
    return _respond(_json(schemas.StaffOrder, _order(found)))


def _conflict(message: str):
    from flask import jsonify

    return jsonify({"error": "Conflict", "message": message}), 409


def _order(found: fulfillment.StaffOrder) -> dict:
    snap = found.snapshot
    personal = found.personal
    return {
        "number": found.number,
        "status": found.status,
        "placed_at": found.placed_at.isoformat(),
        "product": snap["product"],
        "product_name": snap["product_name"],
        "catalog_version": snap["catalog_version"],
        "sku": snap["sku"],
        "quantity": found.quantity,
        "total": found.total,
        "currency": found.currency,
        "lines": [line for line, _ in order_lines(snap)],
        "bom": [dict(b) for b in snap.get("bom", ())],
        "history": [
            {"status": s, "at": at.isoformat(), **(detail or {})}
            for s, at, _actor, detail in found.history
        ],
        "note": found.note,
        "customer": None
        if personal is None
        else {
            "name": personal["name"],
            "email": personal["email"],
            "phone": personal["phone"],
            "address": {
                "line1": personal["address"].get("line1", ""),
                "line2": personal["address"].get("line2", ""),
                "postcode": personal["address"].get("postcode", ""),
                "city": personal["address"].get("city", ""),
                "country": personal["address"].get("country", ""),
            },
        },
    }
