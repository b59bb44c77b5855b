"""The JSON API's bodies for saved designs: save, read, update, share; and the notice to agree to."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from .api_schemas import JsonBoolean, _money, _selections, _text

TOKEN = validate.Regexp(r"^[A-Za-z0-9_-]{20,64}$", error="Not a token.")
SHARE_DAYS = (7, 30, 90)


class Consent(Schema):
    class Meta:
        unknown = RAISE

    granted = JsonBoolean(
        required=True,
        validate=validate.Equal(True, error="Nothing is kept unless the shopper agreed."),
        metadata={"description": "The shopper ticked 'Keep my designs on this site'"},
    )
    notice_sha256 = _text(
        "The SHA-256 of the notice text the shopper was shown (GET /notices/keep-designs)",
        required=True,
        validate=validate.Regexp(r"^[0-9a-f]{64}$", error="A SHA-256 in hex."),
    )


class SaveBody(Schema):
    class Meta:
        unknown = RAISE

    selections = _selections("The shopper's own choices, oldest first", load_default=dict)
    name = _text("The name the shopper gave", load_default="", validate=validate.Length(max=120))
    keyring = _text(
        "The keyring's secret from an earlier save; without it a keyring is made (consent needed)",
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=20, max=64),
    )
    consent = fields.Nested(
        Consent,
        required=True,
        metadata={"description": "The shopper's consent to the current notice"},
    )
    share_days = fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(SHARE_DAYS),
        metadata={"description": "Also make a share link working this many days"},
    )


class UpdateBody(Schema):
    class Meta:
        unknown = RAISE

    selections = _selections("The new choices, oldest first", required=True)
    name = _text("A new name", validate=validate.Length(min=1, max=120))


class ShareBody(Schema):
    class Meta:
        unknown = RAISE

    days = fields.Integer(
        strict=True,
        load_default=30,
        allow_none=True,
        validate=validate.OneOf(SHARE_DAYS),
        metadata={"description": "Days the link works; null: until revoked"},
    )


class ShareLink(Schema):
    token = _text("The share link's token: GET /shared/{token}", required=True)
    expires_at = fields.DateTime(
        required=True, allow_none=True, metadata={"description": "UTC; null: until revoked"}
    )


class SavedDesign(Schema):
    """A saved design as its private link sees it, priced under today's catalog."""

    token = _text("The private link's token", required=True)
    name = _text("The name the shopper gave", required=True)
    product = _text("Product id", required=True)
    catalog_version = _text("The catalog version it was last saved under", required=True)
    selections = _selections("The shopper's choices, under today's catalog", required=True)
    changes = fields.List(
        fields.String(metadata={"description": "One change, in words"}),
        required=True,
        metadata={"description": "What changed in the catalog since it was saved, in words"},
    )
    complete = fields.Boolean(required=True, metadata={"description": "Ready to order"})
    total = _money("Today's total")
    currency = _text("ISO 4217 code", required=True)
    created_at = fields.DateTime(required=True, metadata={"description": "When it was saved (UTC)"})
    updated_at = fields.DateTime(
        required=True, metadata={"description": "When its choices or name last changed (UTC)"}
    )
    last_opened_at = fields.DateTime(
        required=True,
        metadata={"description": "When it was last opened (UTC): retention counts from here"},
    )
    shares = fields.List(
        fields.Nested(ShareLink),
        required=True,
        metadata={"description": "Its share links still working"},
    )


class Saved(Schema):
    """What a save made: the design, its links, and the keyring's secret if the save made one."""

    design = fields.Nested(
        SavedDesign, required=True, metadata={"description": "The design as saved"}
    )
    keyring = _text(
        "The new keyring's secret: keep it to save more designs into it (null: not new)",
        required=True,
        allow_none=True,
    )
    share_token = _text(
        "The share link's token, if one was asked for", required=True, allow_none=True
    )


class Shared(Schema):
    """A design behind a share link: read-only, nothing of its owner."""

    product = _text("Product id", required=True)
    selections = _selections("The design's choices", required=True)
    total = _money("Today's total")
    currency = _text("ISO 4217 code", required=True)


class Notice(Schema):
    """A notice shoppers agree to: show `text`, send back `sha256` with their consent."""

    purpose = _text("What the consent is for", required=True)
    version = _text("The notice's version", required=True)
    sha256 = _text("SHA-256 of `text` (UTF-8)", required=True)
    text = _text("The notice, exactly as to be shown", required=True)


class OrderBody(Schema):
    """Loaded by the view; the customer's fields are checked by the service (one message each)."""

    class Meta:
        unknown = RAISE

    selections = _selections("The design's choices, oldest first", load_default=dict)
    quantity = fields.Integer(strict=True, required=True, metadata={"description": "1 to 20"})
    customer = fields.Dict(required=True, metadata={"description": "Contact and delivery"})
    terms_accepted = JsonBoolean(required=True, metadata={"description": "The terms of sale"})
    expected_total = _text(
        "The total the shopper was shown; a different price now is a 409",
        load_default=None,
        allow_none=True,
    )


class OrderLine(Schema):
    attribute = _text("Attribute id", required=True)
    label = _text("The attribute's label when ordered", required=True)
    option = _text("The option id (choices)", load_default=None)
    option_label = _text("The option's label when ordered", load_default=None)
    text = _text("The text exactly as typed (text attributes)", load_default=None)
    sku = _text("The SKU code when ordered", required=True, allow_none=True)
    chosen = fields.Boolean(load_default=None, metadata={"description": "Chosen, not suggested"})


class OrderStatus(Schema):
    status = _text("awaiting_payment, paid, in_production, shipped or cancelled", required=True)
    at = fields.DateTime(required=True, metadata={"description": "When (UTC)"})
    carrier = _text("Shipped: the carrier")
    tracking = _text("Shipped: the tracking number")
    reason = _text("Cancelled: why")


class Ordered(Schema):
    """An order: its number, status and history, and the snapshot of what was ordered."""

    number = _text("The order number (not its access token)", required=True)
    token = _text("The private order link's token: GET /orders/{token}", required=True)
    status = _text("awaiting_payment, paid, in_production, shipped or cancelled", required=True)
    history = fields.List(
        fields.Nested(OrderStatus), required=True, metadata={"description": "Status history"}
    )
    product = _text("Product id", required=True)
    catalog_version = _text("The catalog version it was ordered under", required=True)
    lines = fields.List(
        fields.Nested(OrderLine), required=True, metadata={"description": "Every value ordered"}
    )
    quantity = fields.Integer(required=True, metadata={"description": "Pieces"})
    total = _money("Total for all pieces")
    currency = _text("ISO 4217 code", required=True)
    sku = _text("The full SKU", required=True)
    placed_at = fields.DateTime(required=True, metadata={"description": "When (UTC)"})
