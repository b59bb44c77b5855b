"""Typed ORM models. Every table holding a shopper's data says its purpose, retention and erasure path.

Personal data lives only in what a shopper declared: saved designs (their choices and the
name they typed), the consent events that allowed keeping them, and outgoing messages to
an address they gave. Nothing records visits or behaviour. Deleting a keyring deletes
every row that belongs to it (ON DELETE CASCADE), consent events included.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

HASH = 64  # hex SHA-256


class Base(DeclarativeBase):
    pass


class CatalogVersion(Base):
    """Each product version the app has loaded, so saved designs and orders can name the exact rules they met."""

    __tablename__ = "catalog_version"
    __table_args__ = (UniqueConstraint("product_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # labels and prices of this version, so a design saved under it can say what changed since
    snapshot: Mapped[dict | None] = mapped_column(JSON)


class Keyring(Base):
    """A shopper's designs, without an account. Purpose: let them come back to what they
    saved. Held: the SHA-256 of the secret in their cookie (never the secret). Retention:
    while it holds a design; erased with its last design on request, or by `privacy purge`
    once empty."""

    __tablename__ = "keyring"

    id: Mapped[int] = mapped_column(primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(HASH), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SavedDesign(Base):
    """A design a shopper kept. Purpose: so they can come back to it. Held: the product, the
    catalog version it was saved under, the shopper's own choices in their order (not the
    suggestions the shop filled in), their typed text and the name they gave, the total
    shown when saved; the SHA-256 of its private link and the salt the link is derived
    from (with the keyring's secret, which only the shopper holds). Retention:
    RETENTION_DAYS after it was last opened (`privacy purge`)."""

    __tablename__ = "saved_design"

    id: Mapped[int] = mapped_column(primary_key=True)
    keyring_id: Mapped[int] = mapped_column(
        ForeignKey("keyring.id", ondelete="CASCADE"), index=True
    )
    token_salt: Mapped[str] = mapped_column(String(32))  # the link is derived from it
    token_hash: Mapped[str] = mapped_column(String(HASH), unique=True)
    product_id: Mapped[str] = mapped_column(String(64))
    catalog_version: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    choices: Mapped[list] = mapped_column(JSON)  # [[attribute, option id or text], ...]
    saved_total: Mapped[str] = mapped_column(String(32))  # the total shown when it was saved
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class ShareLink(Base):
    """A read-only link to a saved design. Purpose: show it to whoever its owner chose. Held: the SHA-256 of
    the link's token and its salt, when it was made, when it expires, when it was revoked.
    Retention: with its design (revoked and expired links stay listed nowhere and open nothing)."""

    __tablename__ = "share_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    design_id: Mapped[int] = mapped_column(
        ForeignKey("saved_design.id", ondelete="CASCADE"), index=True
    )
    token_salt: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(HASH), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ConsentEvent(Base):
    """The append-only consent ledger. Purpose: prove what a shopper agreed to (or
    withdrew), under which notice (its version and the SHA-256 of the exact text shown),
    how, and when (UTC).
    Rows are never updated (a database trigger refuses it) and never deleted except by
    erasing their keyring. Retention: as long as the keyring."""

    __tablename__ = "consent_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    keyring_id: Mapped[int] = mapped_column(
        ForeignKey("keyring.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(64))
    notice_version: Mapped[str] = mapped_column(String(32))
    notice_sha256: Mapped[str] = mapped_column(String(HASH))
    method: Mapped[str] = mapped_column(String(64))
    granted: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class NoticeText(Base):
    """Every notice text a shopper was ever shown with a consent box, by its SHA-256: old
    consent events keep pointing at the exact words they were given under, whatever the
    files say today. The shop's own words, not personal data; never changed."""

    __tablename__ = "notice_text"

    sha256: Mapped[str] = mapped_column(String(HASH), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    first_shown_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Preference(Base):
    """A shopper's answer to one of the catalog's questions, given explicitly with its own
    consent event. Purpose: the question's own (pre-selecting an option, leaning towards a
    taste), said beside its box. Held: the question's key and the answer ids (or the typed
    answer). Retention: until withdrawn ("Don't use this", the privacy centre), or
    RETENTION_DAYS after it was last given (`privacy purge`); erased with the keyring.
    Nothing but the shopper's own submit writes a row."""

    __tablename__ = "preference"
    __table_args__ = (UniqueConstraint("keyring_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    keyring_id: Mapped[int] = mapped_column(
        ForeignKey("keyring.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(64))
    answers: Mapped[list] = mapped_column(JSON)  # answer ids, or [typed text]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Order(Base):
    """An order: a snapshot of the design as the shopper saw it, which never changes, and what
    is needed to make and deliver it. Purpose: fulfil this order. Held: the contact and
    delivery details the shopper typed (name, e-mail, address, optional phone), their note
    for the workshop, the terms they accepted (version, time), the SHA-256 of the order
    link, the checkout form's idempotency key. Retention: ORDER_RETENTION_DAYS after it was
    placed (bookkeeping law), then the personal fields are removed and the made-to-order
    content kept."""

    __tablename__ = "customer_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    token_hash: Mapped[str] = mapped_column(String(HASH), unique=True)
    keyring_id: Mapped[int | None] = mapped_column(
        ForeignKey("keyring.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(32))
    product_id: Mapped[str] = mapped_column(String(64))
    catalog_version: Mapped[str] = mapped_column(String(64))
    snapshot: Mapped[dict] = mapped_column(JSON)
    quantity: Mapped[int] = mapped_column(Integer)
    total: Mapped[str] = mapped_column(String(32))  # snapshot total x quantity, exact
    currency: Mapped[str] = mapped_column(String(3))
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    address: Mapped[dict | None] = mapped_column(JSON)  # line1, line2, postcode, city, country
    phone: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    terms_version: Mapped[str] = mapped_column(String(32))
    terms_accepted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    request_sha256: Mapped[str] = mapped_column(String(HASH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class OrderEvent(Base):
    """An order's status history: what changed, when (and, later, by which staff member)."""

    __tablename__ = "order_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("customer_order.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # who made the change: "staff:<id>", "token:<id>", or None for the shopper placing it
    actor: Mapped[str | None] = mapped_column(String(64))
    # what goes with it: {"carrier": ..., "tracking": ...} when shipped, {"reason": ...} when cancelled
    detail: Mapped[dict | None] = mapped_column(JSON)


class OutboxMessage(Base):
    """An e-mail to send, written in the same transaction as what caused it and delivered
    by `configurator worker`. Purpose: send what the shopper asked to be sent. Held: the
    address the shopper gave for this message, and the message. Retention: deleted once
    delivered (or with its keyring)."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    keyring_id: Mapped[int | None] = mapped_column(
        ForeignKey("keyring.id", ondelete="CASCADE"), index=True
    )
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # pictures shown in the message: [{"cid": ..., "file": <SHA-256 name>, "type": "image/png"}]
    images: Mapped[list | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_error: Mapped[str | None] = mapped_column(Text)


class StaffUser(Base):
    """A member of staff who may sign in. Purpose: let the people who fulfil orders and keep the
    catalog sign in, with a role. Held: their work e-mail, an argon2 hash of their password,
    their role. Retention: while they work here; `staff disable` ends sign-in at once (the
    row stays so the audit log keeps naming who did what)."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # fulfillment, merchandiser, admin
    password_hash: Mapped[str | None] = mapped_column(String(200))  # None: not set yet
    setup_token_hash: Mapped[str | None] = mapped_column(String(HASH), unique=True)
    setup_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StaffSession(Base):
    """One signed-in staff session, so it can die on the server: at sign-out, when the
    account is disabled, or when its role changes (the role at sign-in is kept here)."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(HASH), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiToken(Base):
    """A bearer token for a workshop or accounting system, scoped to a role; stored as its
    SHA-256 only, revocable."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(HASH), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """Who looked at an order's personal data or changed something, and when; never the
    personal data itself (ids, numbers, statuses only). Admins read it."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(64))  # "staff:<id>", "token:<id>", "cli"
    action: Mapped[str] = mapped_column(String(64))  # order.viewed, order.status, export.created...
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_order.id", ondelete="SET NULL"), index=True
    )
    detail: Mapped[dict | None] = mapped_column(JSON)


class ExportBatch(Base):
    """One export for the workshop or accounting: the orders of one status not exported in
    that status before. Its files are rendered once and kept (content-addressed), so a
    download again is byte-identical. Purpose: hand the workshop's and accountant's tools
    what to make and where to deliver it. Held (in the files): the orders' delivery names,
    addresses, phone numbers and notes. Retention: EXPORT_RETENTION_DAYS (90) after it was
    made, then `privacy purge` deletes the files; the batch row (ref, status, order ids)
    stays."""

    __tablename__ = "export_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)  # e.g. B-2026-000007
    status: Mapped[str] = mapped_column(String(32))  # the order status it holds
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))
    files: Mapped[dict] = mapped_column(JSON)  # {"orders.csv": <SHA-256 name>, ...}


class ExportItem(Base):
    """An order in a batch: unique per (order, status), so two exports never share an order."""

    __tablename__ = "export_item"
    __table_args__ = (UniqueConstraint("order_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("export_batch.id", ondelete="CASCADE"), index=True
    )
    order_id: Mapped[int] = mapped_column(ForeignKey("customer_order.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(32))


class WebhookEndpoint(Base):
    """A workshop system's URL and the events it wants. Its signing secret is derived from
    `salt` under the app's secret key, so the database alone cannot sign."""

    __tablename__ = "webhook_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list] = mapped_column(JSON)  # ["order.placed", "order.status_changed"]
    salt: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WebhookDelivery(Base):
    """One event for one endpoint, retried with back-off until it is answered 2xx; the last
    response is kept to show admins."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (UniqueConstraint("endpoint_id", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[str] = mapped_column(String(64))  # the webhook-id header
    event: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_response: Mapped[str | None] = mapped_column(Text)  # the first 1,000 characters


class CatalogPublication(Base):
    """A published catalog: which files, by SHA-256 (their bytes in `catalog_blob`), and the
    product versions they make. Every app worker serves the newest one, switching between
    requests; nothing is ever changed or deleted, so any publication can be served again."""

    __tablename__ = "catalog_publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(HASH), index=True)  # of the manifest
    manifest: Mapped[dict] = mapped_column(JSON)  # {relative path: file SHA-256}
    versions: Mapped[dict] = mapped_column(JSON)  # {product id: version}
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))


class CatalogBlob(Base):
    """One catalog file's bytes (YAML, CSV, artwork), by its SHA-256: so every instance of the
    app, on any machine, can serve a publication from the database alone."""

    __tablename__ = "catalog_blob"

    sha256: Mapped[str] = mapped_column(String(HASH), primary_key=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)


class AppendOnly(RuntimeError):
    """The consent ledger is never changed: a new event records a new decision."""


@event.listens_for(ConsentEvent, "before_update")
@event.listens_for(ConsentEvent, "before_delete")
def _append_only(_mapper, _connection, target: ConsentEvent) -> None:
    raise AppendOnly("consent events are never updated or deleted; erase their keyring instead")
