"""Placing an order: the design re-checked and recorded as a snapshot that never changes, the
customer's details checked field by field, exactly one order per checkout form.

Placing is idempotent: each checkout form carries a key; the same key with the same content
answers the order it already made (a double submit, a retry, two tabs), with other
content it is a `KeyReused` (409). The order, its first status, and the confirmation
e-mail in the outbox are written in one transaction. Payment is outside: an order starts
`awaiting_payment`; the statuses leave room for a payment provider later.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from marshmallow import RAISE, Schema, ValidationError, fields, validate
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from configurator.store import Order, OrderEvent

from . import outbox, previews, saving, snapshots, webhooks
from .files import Files

STATUSES = ("awaiting_payment", "paid", "in_production", "shipped", "cancelled")
TERMS_VERSION = "1"
MAX_QUANTITY = 20
TOKEN_BYTES = 24  # 192 bits
MAIL_PICTURE_WIDTH = 400  # one of the preview widths


class KeyReused(ValueError):
    """This checkout key already placed an order with other content."""


class Refused(ValueError):
    """Input that cannot be ordered as it is: a message per field."""

    def __init__(self, fields: dict[str, list[str]]):
        super().__init__("refused")
        self.fields = fields


class PriceChanged(ValueError):
    """The price is not the one the shopper was shown: show both, ask again."""

    def __init__(self, shown: str, now: str):
        super().__init__(f"The price changed from {shown} to {now}.")
        self.shown, self.now = shown, now


class Address(Schema):
    class Meta:
        unknown = RAISE

    line1 = fields.String(required=True, validate=validate.Length(min=1, max=200))
    line2 = fields.String(load_default="", validate=validate.Length(max=200))
    postcode = fields.String(required=True, validate=validate.Length(min=1, max=20))
    city = fields.String(required=True, validate=validate.Length(min=1, max=100))
    country = fields.String(
        required=True,
        validate=validate.Regexp(r"^[A-Z]{2}$", error="A two-letter country code, such as DE."),
    )


class Customer(Schema):
    """Only what fulfilling this order needs."""

    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    address = fields.Nested(Address, required=True)
    phone = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^\+?[0-9 ()./-]{6,30}$", error="Digits, spaces and + only."),
    )
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


@dataclass(frozen=True)
class Placed:
    token: str | None  # the private order link's token (None: an earlier request made it)
    number: str
    total: str
    currency: str
    created: bool


def place(
    ctx,
    *,
    product_id: str,
    raw: Mapping[str, object],
    quantity: int,
    customer: Mapping[str, object],
    terms_accepted: bool,
    shown_total: str | None,
    idempotency_key: str,
    files: Files | None = None,
    keyring_secret: str | None = None,
    order_url=None,
    link_secret: str | None = None,
    now: datetime | None = None,
) -> Placed:
    """Place one order (see the module's docstring). `order_url(token)` makes the link the
    confirmation e-mail carries. With `link_secret` (the app's secret key) the order link is
    derived from the checkout key, so a repeated submit of the same form finds its order
    page again; without it the link is random and shown once."""
    now = now or datetime.now(UTC)
    files = files or ctx.files  # the outbox composes the e-mail from ctx.files too
    errors: dict[str, list[str]] = {}
    try:
        details = Customer().load(dict(customer))
    except ValidationError as invalid:
        errors.update(invalid.messages)
        details = None
    if not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        errors["quantity"] = [f"From 1 to {MAX_QUANTITY}."]
    if terms_accepted is not True:
        errors["terms"] = ["Accept the terms of sale to order."]
    if not idempotency_key or len(idempotency_key) > 64:
        errors["idempotency_key"] = ["A key of 1 to 64 characters."]
    try:
        snap = snapshots.design_snapshot(ctx, product_id, raw, files)
    except snapshots.NotFinished as unfinished:
        errors["design"] = [str(unfinished)]
        snap = None
    if errors:
        raise Refused(errors)
    request_sha = _fingerprint(product_id, snap, quantity, details)
    existing = _by_key(ctx, idempotency_key)
    if existing is not None:
        return _again(existing, request_sha, _repeat_token(link_secret, idempotency_key))
    total = format(Decimal(snap["total"]) * quantity, "f")
    if shown_total is not None and shown_total != total:
        raise PriceChanged(f"{snap['currency']} {shown_total}", f"{snap['currency']} {total}")
    token = order_token(link_secret, idempotency_key)
    picture = _mail_picture(ctx, product_id, raw, snap, files)
    try:
        with ctx.database.session() as session:
            keyring = saving.keyring_row(session, keyring_secret)
            order = Order(
                token_hash=hashlib.sha256(token.encode()).hexdigest(),
                keyring_id=keyring.id if keyring else None,
                status=STATUSES[0],
                product_id=product_id,
                catalog_version=snap["catalog_version"],
                snapshot=snap,
                quantity=quantity,
                total=total,
                currency=snap["currency"],
                name=details["name"],
                email=details["email"],
                address=details["address"],
                phone=details["phone"],
                note=details["note"],
                terms_version=TERMS_VERSION,
                terms_accepted_at=now,
                idempotency_key=idempotency_key,
                request_sha256=request_sha,
                created_at=now,
            )
            session.add(order)
            session.flush()
            order.number = number_for(snap, order.id, now)
            session.add(OrderEvent(order_id=order.id, status=STATUSES[0], at=now))
            outbox.enqueue(
                session,
                recipient=details["email"],
                subject=f"Your order {order.number}",
                body=_confirmation(order, snap, token, order_url),
                keyring_id=order.keyring_id,
                now=now,
                images=[picture],
            )
            webhooks.enqueue(
                session, event="order.placed", payload=webhooks.order_payload(order), now=now
            )
            number = order.number
    except IntegrityError:  # the same key, placed at the same moment by another request
        existing = _by_key(ctx, idempotency_key)
        if existing is None:
            raise
        return _again(existing, request_sha, _repeat_token(link_secret, idempotency_key))
    return Placed(token, number, total, snap["currency"], True)


def pseudonymise_old(ctx, *, now: datetime | None = None) -> int:
    """Remove the personal fields (name, e-mail, address, phone, note) of orders placed more
    than ORDER_RETENTION_DAYS ago; what was made (the snapshot) stays. Returns how many."""
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=ctx.settings.order_retention_days)
    with ctx.database.session() as session:
        return session.execute(
            update(Order)
            .where(Order.created_at < cutoff, Order.email.is_not(None))
            .values(name=None, email=None, address=None, phone=None, note=None, keyring_id=None)
        ).rowcount


def number_for(snap: dict, order_id: int, now: datetime) -> str:
    """HLM-2026-000123: the product's SKU prefix, the year, the order's own number."""
    prefix = (snap.get("sku") or snap["product"]).split("-")[0][:6].upper()
    return f"{prefix}-{now.year}-{order_id:06d}"


def _again(existing: Order, request_sha: str, token: str | None = None) -> Placed:
    if existing.request_sha256 != request_sha:
        raise KeyReused("This checkout key already placed another order.")
    return Placed(token, existing.number, existing.total, existing.currency, False)


def _repeat_token(link_secret: str | None, idempotency_key: str) -> str | None:
    return order_token(link_secret, idempotency_key) if link_secret else None


def order_token(link_secret: str | None, idempotency_key: str) -> str:
    """The order link's token: an HMAC of the checkout key under the app's secret (the same
    form gives the same link), or random without a secret."""
    if not link_secret:
        return secrets.token_urlsafe(TOKEN_BYTES)
    mac = hmac.new(link_secret.encode(), b"order:" + idempotency_key.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode("ascii")[:32]


@dataclass(frozen=True)
class OrderView:
    """An order as its private page shows it: the snapshot, never the catalog."""

    number: str
    status: str
    history: tuple[tuple[str, datetime, dict], ...]  # status, when, carrier/tracking or reason
    snapshot: dict
    quantity: int
    total: str
    currency: str
    placed_at: datetime


def open_order(ctx, token: str) -> OrderView:
    """An order by its private link (saving.NotFound for anything unknown)."""
    if not token or len(token) > 64:
        raise saving.NotFound("order")
    with ctx.database.session() as session:
        order = session.scalar(
            select(Order).where(Order.token_hash == hashlib.sha256(token.encode()).hexdigest())
        )
        if order is None:
            raise saving.NotFound("order")
        events = session.scalars(
            select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.id)
        ).all()
        return OrderView(
            order.number,
            order.status,
            tuple((e.status, saving.stored_utc(e.at), e.detail or {}) for e in events),
            order.snapshot,
            order.quantity,
            order.total,
            order.currency,
            saving.stored_utc(order.created_at),
        )


def _by_key(ctx, key: str) -> Order | None:
    with ctx.database.session() as session:
        return session.scalar(select(Order).where(Order.idempotency_key == key))


def _fingerprint(product_id: str, snap: dict, quantity: int, details: dict) -> str:
    content = {
        "product": product_id,
        "selections": snap["selections"],
        "quantity": quantity,
        "customer": details,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _mail_picture(ctx, product_id, raw, snap: dict, files: Files) -> dict:
    """The front view as a PNG (every mail client shows PNG; not all show WebP), kept with the
    order's files so the e-mail is the same whenever it is composed."""
    view = next(iter(snap["previews"]))
    planned = previews.plan(ctx, product_id, raw, view, MAIL_PICTURE_WIDTH, "png")
    name = files.put(previews.fetch(ctx.previews, planned).body, ".png")
    alt = f"{snap['product_name']}, {view} view, as ordered"
    return {"cid": view, "file": name, "type": "image/png", "width": MAIL_PICTURE_WIDTH, "alt": alt}


def _confirmation(order: Order, snap: dict, token: str, order_url) -> str:
    lines = [
        f"Thank you for your order {order.number}.",
        "",
        f"{snap['product_name']} x {order.quantity}: {order.currency} {order.total}",
    ]
    for line in snap["selections"]:
        shown = line.get("option_label") or f"“{line.get('text', '')}”"
        lines.append(f"  {line['label']}: {shown}")
    lines += [
        "",
        "Status: awaiting payment. We will write with the payment details.",
    ]
    if order_url is not None:
        lines += ["", f"Your order's private page: {order_url(token)}"]
    return "\n".join(lines) + "\n"
