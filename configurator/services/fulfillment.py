"""The workshop's side of an order: the queue, one order as staff see it, and its status
changes (mark paid, start production, ship, cancel).

Every change is one transaction: the order's status (only from the status the staff member
saw, so two clicks cannot both win), its history entry with who and when, the audit entry,
the shopper's e-mail through the outbox and the webhook deliveries. Personal details are
shown to fulfillment and admin only, and each time they are shown an audit entry says who
looked (never what they saw).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, or_, select, update

from configurator.store import ApiToken, AuditEvent, Order, OrderEvent, StaffUser

from . import audit, outbox, webhooks
from .orders import STATUSES
from .saving import NotFound, stored_utc
from .staff import Member

# from -> the statuses staff may move it to
NEXT = {
    "awaiting_payment": ("paid", "cancelled"),
    "paid": ("in_production", "cancelled"),
    "in_production": ("shipped", "cancelled"),
    "shipped": (),
    "cancelled": (),
}
VERBS = {
    "paid": "Mark paid",
    "in_production": "Start production",
    "shipped": "Ship",
    "cancelled": "Cancel",
}
SEES_PERSONAL = frozenset({"fulfillment", "admin"})
PAGE = 50


class Refused(ValueError):
    """A change that cannot be made (a message per field)."""

    def __init__(self, fields: dict[str, str]):
        super().__init__("; ".join(fields.values()))
        self.fields = fields


class Stale(ValueError):
    """The order moved on since the page was shown: reload it."""


@dataclass(frozen=True)
class QueueRow:
    number: str
    status: str
    product_id: str
    product_name: str
    placed_at: datetime
    quantity: int
    total: str
    currency: str
    name: str | None  # None for merchandisers, and after pseudonymisation


@dataclass(frozen=True)
class Queue:
    rows: tuple[QueueRow, ...]
    counts: dict[str, int]  # per status, over the whole shop
    total: int  # rows matching the filter
    page: int
    pages: int


@dataclass(frozen=True)
class StaffOrder:
    """One order as its staff page shows it."""

    id: int
    number: str
    status: str
    snapshot: dict
    quantity: int
    total: str
    currency: str
    placed_at: datetime
    history: tuple[tuple[str, datetime, str | None, dict | None], ...]  # status, at, actor, detail
    note: str | None
    personal: dict | None  # name, email, phone, address; None when not shown
    next: tuple[str, ...]


def queue(
    ctx,
    member: Member,
    *,
    status: str | None = None,
    product: str | None = None,
    since: date | None = None,
    until: date | None = None,
    search: str | None = None,
    page: int = 1,
) -> Queue:
    """Orders newest first, filtered by status, product, placed date and a search by order
    number (or, for those who see personal details, the customer's name)."""
    query = select(Order)
    if status:
        query = query.where(Order.status == status)
    if product:
        query = query.where(Order.product_id == product)
    if since:
        query = query.where(Order.created_at >= datetime.combine(since, time(), UTC))
    if until:
        end = datetime.combine(until + timedelta(days=1), time(), UTC)
        query = query.where(Order.created_at < end)
    if search:
        pattern = f"%{_like(search.strip()[:100].lower())}%"
        terms = [func.lower(Order.number).like(pattern, escape="\\")]
        if member.role in SEES_PERSONAL:
            terms.append(func.lower(Order.name).like(pattern, escape="\\"))
        query = query.where(or_(*terms))
    with ctx.database.session() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery()))
        pages = max(1, -(-total // PAGE))
        page = min(max(page, 1), pages)
        found = session.scalars(
            query.order_by(Order.created_at.desc(), Order.id.desc())
            .limit(PAGE)
            .offset((page - 1) * PAGE)
        ).all()
        counts = dict(
            session.execute(select(Order.status, func.count()).group_by(Order.status)).all()
        )
        rows = tuple(
            QueueRow(
                o.number,
                o.status,
                o.product_id,
                o.snapshot.get("product_name", o.product_id),
                stored_utc(o.created_at),
                o.quantity,
                o.total,
                o.currency,
                o.name if member.role in SEES_PERSONAL else None,
            )
            for o in found
        )
    return Queue(rows, {s: counts.get(s, 0) for s in STATUSES}, total, page, pages)


def staff_order(ctx, number: str, member: Member, *, now: datetime | None = None) -> StaffOrder:
    """The order by its number (NotFound otherwise). Showing personal details is audited."""
    now = now or datetime.now(UTC)
    with ctx.database.session() as session:
        order = _by_number(session, number)
        events = session.scalars(
            select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.id)
        ).all()
        personal = None
        if member.role in SEES_PERSONAL and order.email is not None:
            personal = {
                "name": order.name,
                "email": order.email,
                "phone": order.phone,
                "address": dict(order.address or {}),
            }
            audit.record(
                session,
                actor=member.actor,
                action="order.viewed",
                order_id=order.id,
                detail={"number": order.number},
                now=now,
            )
        return StaffOrder(
            order.id,
            order.number,
            order.status,
            order.snapshot,
            order.quantity,
            order.total,
            order.currency,
            stored_utc(order.created_at),
            tuple((e.status, stored_utc(e.at), e.actor, e.detail) for e in events),
            order.note if member.role in SEES_PERSONAL else None,
            personal,
            NEXT[order.status],
        )


def picture(ctx, number: str, view: str) -> bytes:
    """A preview stored with the order, by its number (NotFound otherwise): it shows what was
    made and nobody's details, so reading it is not audited."""
    with ctx.database.session() as session:
        snapshot = _by_number(session, number).snapshot
    name = snapshot.get("previews", {}).get(view)
    if name is None:
        raise NotFound("view")
    return ctx.files.get(name)


def move(
    ctx,
    number: str,
    to: str,
    member: Member,
    *,
    seen: str | None = None,
    carrier: str = "",
    tracking: str = "",
    reason: str = "",
    now: datetime | None = None,
) -> str:
    """Move an order to `to` (see NEXT); `seen` is the status the page showed. Shipping needs
    a carrier and a tracking number, cancelling a reason. Returns the new status."""
    now = now or datetime.now(UTC)
    carrier, tracking, reason = carrier.strip(), tracking.strip(), reason.strip()
    if to not in VERBS:
        raise Refused({"status": f"Unknown status {to!r}."})
    with ctx.database.session() as session:
        order = _by_number(session, number)
        current = order.status
        if seen is not None and seen != current:
            raise Stale(f"Order {number} is now {current.replace('_', ' ')}: look again.")
        if to not in NEXT[current]:
            raise Refused(
                {
                    "status": f"An order {current.replace('_', ' ')} cannot become "
                    f"{to.replace('_', ' ')}."
                }
            )
        detail = _detail(to, carrier, tracking, reason)
        moved = session.execute(
            update(Order).where(Order.id == order.id, Order.status == current).values(status=to)
        ).rowcount
        if moved != 1:  # another click got there first
            raise Stale(f"Order {number} changed meanwhile: look again.")
        session.add(
            OrderEvent(order_id=order.id, status=to, at=now, actor=member.actor, detail=detail)
        )
        audit_detail = {"number": number, "from": current, "to": to}
        if to == "shipped":
            audit_detail["carrier"] = carrier
        if to == "cancelled":
            audit_detail["reason_given"] = True
        audit.record(
            session,
            actor=member.actor,
            action="order.status",
            order_id=order.id,
            detail=audit_detail,
            now=now,
        )
        if order.email:
            outbox.enqueue(
                session,
                recipient=order.email,
                subject=f"Your order {number}: {to.replace('_', ' ')}",
                body=_notice(order, to, detail),
                keyring_id=order.keyring_id,
                now=now,
            )
        order.status = to
        webhooks.enqueue(
            session,
            event="order.status_changed",
            payload=webhooks.order_payload(order, changed_at=now),
            now=now,
        )
    return to


@dataclass(frozen=True)
class AuditPage:
    entries: tuple[dict, ...]
    page: int
    pages: int


def audit_entries(ctx, *, page: int = 1) -> AuditPage:
    """The audit log, newest first, with the order number and the staff e-mail resolved."""
    with ctx.database.session() as session:
        total = session.scalar(select(func.count()).select_from(AuditEvent))
        pages = max(1, -(-total // PAGE))
        page = min(max(page, 1), pages)
        rows = session.execute(
            select(AuditEvent, Order.number)
            .outerjoin(Order, Order.id == AuditEvent.order_id)
            .order_by(AuditEvent.id.desc())
            .limit(PAGE)
            .offset((page - 1) * PAGE)
        ).all()
        people = dict(session.execute(select(StaffUser.id, StaffUser.email)).all())
        names = dict(session.execute(select(ApiToken.id, ApiToken.name)).all())
        entries = []
        for event, number in rows:
            who = _who(event.actor, people, names)
            entries.append(
                {
                    "at": stored_utc(event.at),
                    "who": who,
                    "action": event.action,
                    "number": number,
                    "detail": event.detail or {},
                }
            )
    return AuditPage(tuple(entries), page, pages)


def _who(actor: str, people: dict, names: dict) -> str:
    """An actor id in words: the staff member's e-mail, the API token's name, or as it is."""
    kind, _, ident = actor.partition(":")
    if kind == "staff" and ident.isdigit():
        return people.get(int(ident), actor)
    if kind == "token" and ident.isdigit():
        return f"API token “{names.get(int(ident), ident)}”"
    return actor


def _detail(to: str, carrier: str, tracking: str, reason: str) -> dict | None:
    """What a change needs besides the status (Refused with a message per missing field)."""
    errors: dict[str, str] = {}
    if to == "shipped":
        if not 1 <= len(carrier) <= 60:
            errors["carrier"] = "Name the carrier (up to 60 characters)."
        if not 1 <= len(tracking) <= 60:
            errors["tracking"] = "Give the tracking number (up to 60 characters)."
    if to == "cancelled" and not 1 <= len(reason) <= 500:
        errors["reason"] = "Say why it is cancelled (up to 500 characters): the shopper reads it."
    if errors:
        raise Refused(errors)
    if to == "shipped":
        return {"carrier": carrier, "tracking": tracking}
    return {"reason": reason} if to == "cancelled" else None


def _notice(order: Order, to: str, detail: dict | None) -> str:
    detail = detail or {}
    if to == "paid":
        news = "We have received your payment. Thank you!"
    elif to == "in_production":
        news = "The workshop has started making it."
    elif to == "shipped":
        news = f"It is on its way with {detail['carrier']}, tracking number {detail['tracking']}."
    else:
        news = f"It is cancelled. {detail.get('reason', '')}".strip()
    product = order.snapshot.get("product_name", order.product_id)
    lines = [
        f"Your order {order.number} ({product} x {order.quantity}):",
        news,
        "",
        "The private link in your confirmation e-mail shows your order and its history.",
    ]
    return "\n".join(lines) + "\n"


def _by_number(session, number: str) -> Order:
    if not number or len(number) > 32:
        raise NotFound("order")
    order = session.scalar(select(Order).where(Order.number == number))
    if order is None:
        raise NotFound("order")
    return order


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
