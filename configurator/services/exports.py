"""Export batches for the workshop and accounting: each order goes out once per status, in files
rendered once and kept, so a download again is the same bytes.

A batch (`export_batch`) holds every order currently in one status that no earlier batch of that
status holds (`export_item` is UNIQUE(order_id, status), the last line of defence). Its three
files, `orders.csv`, `bom.csv` and `orders.json`, are rendered from the orders' snapshots in the
transaction that makes the batch and stored content-addressed in `ctx.files`.

Concurrent exporters: the batch row is inserted first, which on SQLite takes the database's
write lock (so exporters queue and each sees what the one before took); on PostgreSQL the
candidate orders are locked `FOR NO KEY UPDATE SKIP LOCKED`, so a second exporter (or a status
change) skips or waits for what the first holds, while rows that only refer to an order (an
audit entry, an order event) can still be written. An order both still read as new (their statements overlapped) is refused by the unique
constraint; the loser rolls back and tries again, and gets what is left.

CSV cells that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage
return) are neutralised with a leading single quote (OWASP, "CSV injection"). The CSV files start
with a UTF-8 byte order mark: without it Excel reads UTF-8 as the local ANSI code page
("ZoÃ«"); LibreOffice and Python's "utf-8-sig" read it either way.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from configurator.store import ExportBatch, ExportItem, Order

from . import audit, saving
from .orders import STATUSES
from .snapshots import TEXT_FONT

FILE_NAMES = ("orders.csv", "bom.csv", "orders.json")
FORMAT = "configurator-orders-export/1"
RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
ATTEMPTS = 5  # tries when a concurrent exporter took an order we read as new
BYTE_ORDER_MARK = "\ufeff"

ORDER_HEAD = ("order number", "date", "product", "product name", "sku")
ORDER_TAIL = (
    "quantity",
    "unit price",
    "line price",
    "currency",
    "name",
    "line1",
    "line2",
    "postcode",
    "city",
    "country",
    "phone",
    "note",
)
BOM_HEAD = ("order number", "part", "quantity per unit", "unit", "total quantity")
ADDRESS_FIELDS = ("line1", "line2", "postcode", "city", "country")


class UnknownStatus(ValueError):
    """Not an order status (services.orders.STATUSES)."""


@dataclass(frozen=True)
class Batch:
    """An export batch: its reference, the status it holds, how many orders, its files
    (file name -> stored content-addressed name)."""

    ref: str
    status: str
    created_at: datetime
    actor: str
    count: int
    files: dict[str, str]

    @property
    def file_names(self) -> tuple[str, ...]:
        return tuple(name for name in FILE_NAMES if name in self.files)


@dataclass(frozen=True)
class ExportedOrder:
    """What the files say about one order: its columns and its (never changing) snapshot."""

    number: str
    placed_at: datetime
    snapshot: dict
    quantity: int
    total: str
    currency: str
    name: str | None
    address: dict | None
    phone: str | None
    note: str | None

    @classmethod
    def of(cls, order: Order) -> ExportedOrder:
        return cls(
            order.number or "",
            saving.stored_utc(order.created_at),
            order.snapshot,
            order.quantity,
            order.total,
            order.currency,
            order.name,
            order.address,
            order.phone,
            order.note,
        )


class _NothingNew(Exception):
    """Raised inside the transaction to roll it back: another exporter took every order."""


def create_batch(ctx, *, status: str, actor: str, now: datetime | None = None) -> Batch | None:
    """Export every order in `status` not exported in that status before; None when there is
    none. The batch, its items and the audit entry commit together."""
    if status not in STATUSES:
        raise UnknownStatus(status)
    now = now or datetime.now(UTC)
    with ctx.database.session() as session:  # a cheap look first: an empty export writes nothing
        if session.scalar(_new_orders(status).limit(1)) is None:
            return None
    for attempt in range(ATTEMPTS):
        try:
            return _create(ctx, status, actor, now)
        except _NothingNew:
            return None
        except IntegrityError:  # a concurrent batch took one of ours: read again
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _create(ctx, status: str, actor: str, now: datetime) -> Batch:
    with ctx.database.session() as session:
        row = ExportBatch(
            ref=f"new-{secrets.token_hex(8)}", status=status, created_at=now, actor=actor, files={}
        )
        session.add(row)
        session.flush()  # SQLite: holds the write lock from here, so the read below is current
        chosen = session.scalars(
            _new_orders(status).with_for_update(skip_locked=True, key_share=True, of=Order)
        ).all()
        if not chosen:
            raise _NothingNew
        session.add_all(ExportItem(batch_id=row.id, order_id=o.id, status=status) for o in chosen)
        session.flush()  # the unique (order, status) refuses an order another batch holds
        row.ref = f"B-{now.year}-{row.id:06d}"
        rendered = render(row.ref, status, now, [ExportedOrder.of(o) for o in chosen])
        row.files = {
            name: ctx.files.put(body, "." + name.rsplit(".", 1)[1])
            for name, body in rendered.items()
        }
        audit.record(
            session,
            actor=actor,
            action="export.created",
            detail={"batch": row.ref, "status": status, "count": len(chosen)},
            now=now,
        )
        return Batch(row.ref, status, now, actor, len(chosen), dict(row.files))


def _new_orders(status: str):
    """Orders in `status` no batch of that status holds, oldest first."""
    taken = exists().where(ExportItem.order_id == Order.id, ExportItem.status == status)
    return select(Order).where(Order.status == status, ~taken).order_by(Order.id)


def batches(ctx, limit: int = 50) -> list[Batch]:
    """The most recent batches, newest first."""
    with ctx.database.session() as session:
        return [_batch(row, count) for row, count in session.execute(_with_counts().limit(limit))]


def batch(ctx, ref: str) -> Batch:
    """One batch by its reference (saving.NotFound when there is none)."""
    with ctx.database.session() as session:
        found = session.execute(_with_counts().where(ExportBatch.ref == ref)).first()
    if found is None:
        raise saving.NotFound("batch")
    return _batch(*found)


class Expired(LookupError):
    """The batch's files were removed after EXPORT_RETENTION_DAYS (they hold delivery details)."""


def expire_files(ctx, *, now: datetime | None = None) -> int:
    """Remove the files of batches made more than EXPORT_RETENTION_DAYS ago: they hold
    customers' names and addresses, which the workshop's own tools have taken by then. The
    batch itself (ref, status, its orders) stays. Returns how many batches lost their files."""
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=ctx.settings.export_retention_days)
    with ctx.database.session() as session:
        old = session.scalars(
            select(ExportBatch).where(ExportBatch.created_at < cutoff).order_by(ExportBatch.id)
        ).all()
        old = [b for b in old if b.files]
        names = {name for b in old for name in b.files.values()}
        kept = {
            name
            for files in session.scalars(
                select(ExportBatch.files).where(ExportBatch.created_at >= cutoff)
            )
            for name in (files or {}).values()
        }
        for batch in old:
            batch.files = {}
    for name in sorted(names - kept):  # after the commit: a failure leaves a file, never a link
        ctx.files.delete(name)
    return len(old)


def batch_file(ctx, ref: str, name: str, *, actor: str | None = None) -> bytes:
    """A batch's file, byte for byte as rendered (saving.NotFound for an unknown batch or file).
    With `actor`, the download is audited: the files hold customers' delivery details."""
    with ctx.database.session() as session:
        files = session.scalar(select(ExportBatch.files).where(ExportBatch.ref == ref))
        if files == {} and name in FILE_NAMES:
            raise Expired(
                f"Batch {ref}'s files were removed {ctx.settings.export_retention_days} days "
                "after it was made: they held customers' delivery details. Its orders are "
                "still in the queue."
            )
        if files is None or name not in files:
            raise saving.NotFound("export file")
        if actor is not None:
            audit.record(
                session,
                actor=actor,
                action="export.downloaded",
                detail={"batch": ref, "file": name},
            )
    return ctx.files.get(files[name])


def _with_counts():
    counts = (
        select(ExportItem.batch_id, func.count(ExportItem.id).label("count"))
        .group_by(ExportItem.batch_id)
        .subquery()
    )
    return (
        select(ExportBatch, func.coalesce(counts.c.count, 0))
        .outerjoin(counts, counts.c.batch_id == ExportBatch.id)
        .order_by(ExportBatch.id.desc())
    )


def _batch(row: ExportBatch, count: int) -> Batch:
    return Batch(
        row.ref, row.status, saving.stored_utc(row.created_at), row.actor, count, dict(row.files)
    )


# --- rendering: plain values in, bytes out -------------------------------------------------


def render(
    ref: str, status: str, created_at: datetime, exported: Sequence[ExportedOrder]
) -> dict[str, bytes]:
    """A batch's three files."""
    return {
        "orders.csv": orders_csv(exported),
        "bom.csv": bom_csv(exported),
        "orders.json": orders_json(ref, status, created_at, exported),
    }


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula: a leading ' before = + - @ tab CR."""
    return "'" + cell if cell.startswith(RISKY_STARTS) else cell


def attribute_columns(exported: Sequence[ExportedOrder]) -> tuple[list[str], list[str]]:
    """The attributes that get columns: (choice attributes, text attributes). Products sorted by
    id; within a product, catalog order as its snapshots list them (an attribute only an older
    or newer version has goes after the one before it there); an id two products share is one
    column, where the first product put it."""
    choices: list[str] = []
    texts: list[str] = []
    for product in sorted({o.snapshot["product"] for o in exported}):
        own_choices: list[str] = []
        own_texts: list[str] = []
        for order in exported:
            if order.snapshot["product"] != product:
                continue
            lines = order.snapshot["selections"]
            _merge(own_choices, [s["attribute"] for s in lines if "text" not in s])
            _merge(own_texts, [s["attribute"] for s in lines if "text" in s])
        choices += [a for a in own_choices if a not in choices]
        texts += [a for a in own_texts if a not in texts]
    return choices, texts


def _merge(order: list[str], sequence: Iterable[str]) -> None:
    """Add the ids of `sequence` that `order` lacks, each right after the id before it."""
    at = 0
    for attribute in sequence:
        if attribute in order:
            at = order.index(attribute) + 1
        else:
            order.insert(at, attribute)
            at += 1


def orders_csv(exported: Sequence[ExportedOrder]) -> bytes:
    """One row per order line (an order is one line: quantity N of one design)."""
    choices, texts = attribute_columns(exported)
    header = [
        *ORDER_HEAD,
        *(f"{a} {part}" for a in choices for part in ("code", "label")),
        *(f"{a} text" for a in texts),
        *ORDER_TAIL,
    ]
    rows = [header]
    for order in exported:
        snap = order.snapshot
        picked = {s["attribute"]: s for s in snap["selections"] if "text" not in s}
        typed = {s["attribute"]: s["text"] for s in snap["selections"] if "text" in s}
        address = order.address or {}
        rows.append(
            [
                order.number,
                order.placed_at.astimezone(UTC).date().isoformat(),
                snap["product"],
                snap["product_name"],
                snap["sku"],
                *(
                    picked.get(a, {}).get(key)
                    for a in choices
                    for key in ("option", "option_label")
                ),
                *(typed.get(a) for a in texts),
                str(order.quantity),
                snap["total"],
                order.total,
                order.currency,
                order.name,
                *(address.get(field) for field in ADDRESS_FIELDS),
                order.phone,
                order.note,
            ]
        )
    return _csv(rows)


def bom_csv(exported: Sequence[ExportedOrder]) -> bytes:
    """Each order's bill of materials: per unit, and for the order's quantity (exact)."""
    rows = [list(BOM_HEAD)]
    for order in exported:
        for part in order.snapshot["bom"]:
            total = Decimal(part["quantity"]) * order.quantity
            rows.append(
                [order.number, part["part"], part["quantity"], part["unit"], format(total, "f")]
            )
    return _csv(rows)


def _csv(rows: Iterable[Sequence[str | None]]) -> bytes:
    """UTF-8 with a byte order mark, CRLF line ends (RFC 4180), every cell neutralised."""
    out = io.StringIO(newline="")
    out.write(BYTE_ORDER_MARK)
    writer = csv.writer(out)  # lineterminator "\r\n", quotes only where needed
    for row in rows:
        writer.writerow([neutralise("" if cell is None else str(cell)) for cell in row])
    return out.getvalue().encode("utf-8")


def orders_json(
    ref: str, status: str, created_at: datetime, exported: Sequence[ExportedOrder]
) -> bytes:
    """The batch as one JSON document (docs/orders-export.schema.json): sorted keys, fixed
    separators, exact decimals as strings, so the same batch is always the same bytes."""
    document = {
        "format": FORMAT,
        "batch": ref,
        "status": status,
        "created_at": _iso(created_at),
        "orders": [_order_json(order) for order in exported],
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def _order_json(order: ExportedOrder) -> dict:
    snap = order.snapshot
    address = order.address or {}
    return {
        "number": order.number,
        "placed_at": _iso(order.placed_at),
        "product": snap["product"],
        "product_name": snap["product_name"],
        "catalog_version": snap["catalog_version"],
        "sku": snap["sku"],
        "selections": [_selection_json(line) for line in snap["selections"]],
        "price_lines": [
            {"attribute": p["attribute"], "label": p["label"], "amount": p["amount"]}
            for p in snap["price_lines"]
        ],
        "base_price": snap.get("base_price"),
        "unit_price": snap["total"],
        "quantity": order.quantity,
        "total": order.total,
        "currency": order.currency,
        "bom": [
            {
                "part": b["part"],
                "quantity_per_unit": b["quantity"],
                "unit": b["unit"],
                "quantity": format(Decimal(b["quantity"]) * order.quantity, "f"),
            }
            for b in snap["bom"]
        ],
        "delivery": {
            "name": order.name,
            **{field: address.get(field) for field in ADDRESS_FIELDS},
            "phone": order.phone,
        },
        "note": order.note,
    }


def _selection_json(line: dict) -> dict:
    if "text" in line:
        return {
            "attribute": line["attribute"],
            "label": line["label"],
            "text": line["text"],
            "sku": line["sku"],
            "font": line.get("font") or TEXT_FONT,  # snapshots older than `font`: the default
        }
    return {
        "attribute": line["attribute"],
        "label": line["label"],
        "option": line["option"],
        "option_label": line["option_label"],
        "sku": line["sku"],
    }


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
