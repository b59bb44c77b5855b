"""The fulfillment API's bodies: orders as a workshop or accounting system reads them, and a
status change. Every property typed and described (the OpenAPI document is built from them)."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from configurator.services.fulfillment import VERBS
from configurator.services.orders import STATUSES

from .api_design_schemas import OrderStatus
from .api_schemas import Money, _text


class Address(Schema):
    line1 = _text("Street and number", required=True)
    line2 = _text("More of the address", required=True)
    postcode = _text("Postcode", required=True)
    city = _text("City", required=True)
    country = _text("Two-letter country code", required=True)


class Customer(Schema):
    """Contact and delivery details: for fulfillment and admin tokens only; null for
    merchandiser tokens and after the retention period."""

    name = _text("The customer's name", required=True)
    email = _text("Their e-mail address", required=True)
    phone = _text("A phone number for delivery questions only", required=True, allow_none=True)
    address = fields.Nested(Address, required=True, metadata={"description": "Delivery address"})


class Line(Schema):
    attribute = _text("Attribute id", required=True)
    label = _text("Attribute label", required=True)
    option = _text("Option id (null for typed text)", required=True, allow_none=True)
    option_label = _text("Option label", required=True, allow_none=True)
    text = _text("Typed text, exactly as typed", required=True, allow_none=True)
    sku = _text("The option's SKU code", required=True, allow_none=True)


class Part(Schema):
    part = _text("Part code", required=True)
    quantity = Money(as_string=True, required=True, metadata={"description": "Per piece, exact"})
    unit = _text("Unit of the quantity", required=True)


class StaffOrder(Schema):
    """An order as the workshop reads it."""

    number = _text("Order number", required=True)
    status = fields.String(
        required=True, validate=validate.OneOf(STATUSES), metadata={"description": "Status"}
    )
    placed_at = fields.DateTime(required=True, metadata={"description": "When it was placed"})
    product = _text("Product id", required=True)
    product_name = _text("Product name", required=True)
    catalog_version = _text("Catalog version it was ordered under", required=True)
    sku = _text("Full SKU", required=True)
    quantity = fields.Integer(required=True, metadata={"description": "Pieces"})
    total = Money(as_string=True, required=True, metadata={"description": "Total, exact"})
    currency = _text("ISO 4217 currency", required=True)
    lines = fields.List(fields.Nested(Line), required=True, metadata={"description": "Choices"})
    bom = fields.List(fields.Nested(Part), required=True, metadata={"description": "Parts"})
    history = fields.List(
        fields.Nested(OrderStatus), required=True, metadata={"description": "Status history"}
    )
    note = _text("The shopper's note for the workshop", required=True, allow_none=True)
    customer = fields.Nested(
        Customer, required=True, allow_none=True, metadata={"description": Customer.__doc__}
    )


class StaffOrders(Schema):
    """A page of orders, newest first."""

    orders = fields.List(
        fields.Nested(StaffOrder), required=True, metadata={"description": "Orders"}
    )
    page = fields.Integer(required=True, metadata={"description": "This page (from 1)"})
    pages = fields.Integer(required=True, metadata={"description": "How many pages"})
    total = fields.Integer(required=True, metadata={"description": "Orders matching"})


class OrdersQuery(Schema):
    class Meta:
        unknown = RAISE

    status = fields.String(
        validate=validate.OneOf(STATUSES), metadata={"description": "Only orders in this status"}
    )
    q = fields.String(
        validate=validate.Length(min=1, max=100),
        metadata={"description": "Search by order number (and name, for fulfillment and admin)"},
    )
    page = fields.Integer(
        load_default=1, validate=validate.Range(min=1, max=10000), metadata={"description": "Page"}
    )


class StatusChange(Schema):
    """Move an order on: paid, in_production, shipped (carrier and tracking needed) or
    cancelled (a reason needed, which the shopper reads)."""

    class Meta:
        unknown = RAISE

    status = fields.String(
        required=True, validate=validate.OneOf(tuple(VERBS)), metadata={"description": "New status"}
    )
    seen = fields.String(
        validate=validate.OneOf(STATUSES),
        metadata={"description": "The status you last saw: refused with 409 if it moved on"},
    )
    carrier = fields.String(validate=validate.Length(max=60), metadata={"description": "Carrier"})
    tracking = fields.String(
        validate=validate.Length(max=60), metadata={"description": "Tracking number"}
    )
    reason = fields.String(
        validate=validate.Length(max=500), metadata={"description": "Why it is cancelled"}
    )
