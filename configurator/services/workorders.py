"""Printable work orders for the workshop bench: one A4 page per order, made from the order's
snapshot alone (never the catalog), so a reprint shows what was ordered, byte for byte.

`order_pdf` and `batch_pdf` read the orders; `work_order` turns one snapshot into plain
values and `render` draws them (both pure, testable without a database). The creation date
is the order's (or the batch's) time and fpdf2's file id is a hash of the content, so the
same orders always give the same bytes. No name, address or e-mail is printed: the bench
does not need them. All text from the snapshot is set in the bundled DejaVu font (Unicode);
Helvetica is used for the page's own ASCII labels only.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import segno
from fpdf import FPDF
from PIL import Image
from sqlalchemy import select

from configurator.render.text import FONT_PATH
from configurator.store import ExportBatch, ExportItem, Order

from . import saving

FONT = FONT_PATH.stem  # the default font of typed text (older snapshots name none)
FONT_FILES = {FONT: FONT_PATH}
QR_SCALE = 8  # pixels per QR module in the embedded image: sharp at any zoom
PICTURE_PIXELS = 800
JPEG_QUALITY = 90
A4_WIDTH, A4_HEIGHT, MARGIN = 210.0, 297.0, 14.0
COLUMN = 90.0  # the left column (selections, note); checks fill the right
PARTS_END = A4_HEIGHT - MARGIN - 18  # above the sign-off line
PARTS_HEAD, PART_ROW, MIN_PART_ROW = 10.5, 4.7, 3.6  # a long note or many parts: thinner rows
NOTE_SIZES = (8.5, 8.0, 7.5, 7.0, 6.5, 6.0)  # a long note shrinks to keep the page whole
NOTE_CUT = " … (cut here: read the whole note on the order)"
INK, GREY, RULE, SHADE = (24, 24, 27), (110, 110, 118), (200, 200, 206), (243, 243, 245)


@dataclass(frozen=True)
class Selection:
    label: str
    value: str  # the option's label, or the typed text
    sku: str
    typed: bool = False
    font: str = FONT


@dataclass(frozen=True)
class Part:
    part: str
    per_unit: Decimal
    unit: str
    total: Decimal  # per unit x the order's quantity, exact


@dataclass(frozen=True)
class WorkOrder:
    """Everything one page shows, as plain values."""

    number: str
    product_name: str
    sku: str
    quantity: int
    placed: date
    due: date
    selections: tuple[Selection, ...]
    parts: tuple[Part, ...]
    checks: tuple[str, ...]
    note: str | None
    pictures: tuple[tuple[str, bytes | None], ...]  # (view, stored image), None: file missing


def work_order(
    snapshot: Mapping,
    *,
    number: str,
    quantity: int,
    placed_at: datetime,
    note: str | None,
    workshop_days: int,
    pictures: Mapping[str, bytes | None],
) -> WorkOrder:
    """One order's page from its snapshot (older snapshots: no checks, the default font)."""
    selections = tuple(
        Selection(line["label"], line["text"], line.get("sku", ""), True, line.get("font", FONT))
        if "text" in line
        else Selection(line["label"], line.get("option_label", ""), line.get("sku", ""))
        for line in snapshot.get("selections", ())
    )
    parts = tuple(
        Part(b["part"], Decimal(b["quantity"]), b["unit"], Decimal(b["quantity"]) * quantity)
        for b in snapshot.get("bom", ())
    )
    placed = placed_at.date()
    return WorkOrder(
        number=number,
        product_name=snapshot.get("product_name", snapshot.get("product", "")),
        sku=snapshot.get("sku", ""),
        quantity=quantity,
        placed=placed,
        due=placed + timedelta(days=workshop_days),
        selections=selections,
        parts=parts,
        checks=tuple(snapshot.get("checks", ())),
        note=note,
        pictures=tuple(pictures.items())[:2],
    )


def order_pdf(ctx, number: str) -> bytes:
    """The work order of one order, by its number (saving.NotFound for an unknown one)."""
    with ctx.database.session() as session:
        order = session.scalar(select(Order).where(Order.number == number))
        if order is None:
            raise saving.NotFound("order")
        page = _page(ctx, order)
        created = saving.stored_utc(order.created_at)
    return render([page], created=created, title=f"Work order {number}")


def batch_pdf(ctx, batch_ref: str) -> bytes:
    """The work orders of an export batch, one page per order in order-number order
    (saving.NotFound for an unknown batch)."""
    with ctx.database.session() as session:
        batch = session.scalar(select(ExportBatch).where(ExportBatch.ref == batch_ref))
        if batch is None:
            raise saving.NotFound("batch")
        orders = session.scalars(
            select(Order)
            .join(ExportItem, ExportItem.order_id == Order.id)
            .where(ExportItem.batch_id == batch.id)
            .order_by(Order.number)
        ).all()
        pages = [_page(ctx, order) for order in orders]
        created = saving.stored_utc(batch.created_at)
    return render(pages, created=created, title=f"Work orders, batch {batch_ref}", batch=batch_ref)


def _page(ctx, order: Order) -> WorkOrder:
    snapshot = order.snapshot
    pictures = {view: _stored(ctx.files, name) for view, name in snapshot["previews"].items()}
    return work_order(
        snapshot,
        number=order.number or "",
        quantity=order.quantity,
        placed_at=saving.stored_utc(order.created_at),
        note=order.note,
        workshop_days=ctx.settings.workshop_days,
        pictures=pictures,
    )


def _stored(files, name: str) -> bytes | None:
    """A kept picture, or None when it is gone (the page says so rather than failing)."""
    try:
        return files.get(name)
    except OSError:
        return None


def qr_png(number: str) -> bytes:
    """The order number as a QR code (PNG, 4-module quiet zone), as printed on its page."""
    out = io.BytesIO()
    segno.make(number, error="m", micro=False).save(out, kind="png", scale=QR_SCALE, border=4)
    return out.getvalue()


def render(
    pages: Sequence[WorkOrder], *, created: datetime, title: str, batch: str | None = None
) -> bytes:
    """The PDF: one A4 page per work order (a page saying so when there are none)."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_creation_date(created)
    pdf.set_title(title)
    pdf.set_creator("configurator work orders")
    pdf.set_lang("en")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)  # one sheet per order: long content shrinks instead
    for name, path in FONT_FILES.items():
        pdf.add_font(name, "", str(path))
    if not pages:
        pdf.add_page()
        _text(pdf, "helvetica", 14, INK)
        pdf.cell(0, 10, f"No orders in {title}.")
    for index, page in enumerate(pages, start=1):
        pdf.add_page()
        _draw(pdf, page)
        where = f"Batch {batch} - " if batch else ""
        _footer(pdf, page, f"{where}page {index} of {len(pages)}")
    return bytes(pdf.output())


def _text(pdf: FPDF, family: str, size: float, colour=INK) -> None:
    pdf.set_font(family, "", size)
    pdf.set_text_color(*colour)


def _label(pdf: FPDF, x: float, y: float, text: str, width: float = 0) -> None:
    """A small grey heading in the page's own words (ASCII, Helvetica)."""
    _text(pdf, "helvetica", 7.5, GREY)
    pdf.set_xy(x, y)
    pdf.cell(width, 4, text.upper())


def _fitted(pdf: FPDF, text: str, width: float, size: float, smallest: float = 6.5) -> float:
    """The largest font size up to `size` at which `text` fits `width` (at least `smallest`)."""
    pdf.set_font(FONT, "", size)
    needed = pdf.get_string_width(text)
    return size if needed <= width else max(smallest, size * width / needed)


def _draw(pdf: FPDF, page: WorkOrder) -> None:
    _header(pdf, page)
    _pictures(pdf, page, top=64)
    room = PARTS_END - PARTS_HEAD - len(page.parts) * MIN_PART_ROW - 6  # the columns' end
    left_end = _note(pdf, page, top=_selections(pdf, page, top=124) + 4, bottom=room)
    right_end = _checks(pdf, page, top=124)
    top = max(left_end, right_end) + 6
    row = PART_ROW if not page.parts else (PARTS_END - top - PARTS_HEAD) / len(page.parts)
    _parts(pdf, page, top=top, row=max(MIN_PART_ROW, min(PART_ROW, row)))


def _header(pdf: FPDF, page: WorkOrder) -> None:
    right = A4_WIDTH - MARGIN
    _label(pdf, MARGIN, MARGIN, "Work order")
    _text(pdf, FONT, _fitted(pdf, page.number, 110, 26), INK)
    pdf.set_xy(MARGIN, MARGIN + 4)
    pdf.cell(110, 12, page.number)
    _text(pdf, FONT, _fitted(pdf, page.product_name, 140, 12), INK)
    pdf.set_xy(MARGIN, MARGIN + 17)
    pdf.cell(140, 6, page.product_name)
    _text(pdf, FONT, _fitted(pdf, page.sku, 140, 8.5), GREY)
    pdf.set_xy(MARGIN, MARGIN + 23.5)
    pdf.cell(140, 4.5, f"SKU {page.sku}" if page.sku else "")
    pdf.image(io.BytesIO(qr_png(page.number)), x=right - 34, y=MARGIN - 2, w=34, h=34)
    boxes = (
        ("Quantity", str(page.quantity), False),
        ("Placed", page.placed.isoformat(), False),
        ("Due date", page.due.isoformat(), True),
    )
    width, top = 47.0, MARGIN + 32
    for index, (label, value, strong) in enumerate(boxes):
        x = MARGIN + index * (width + 3)
        pdf.set_draw_color(*INK)
        pdf.set_fill_color(*(INK if strong else SHADE))
        pdf.rect(x, top, width, 16, style="F")
        _label(pdf, x + 3, top + 1.8, label)
        _text(pdf, FONT, 15, (255, 255, 255) if strong else INK)
        pdf.set_xy(x + 3, top + 6.5)
        pdf.cell(width - 6, 8, value)


def _pictures(pdf: FPDF, page: WorkOrder, top: float) -> None:
    size = 52.0
    for index, (view, body) in enumerate(page.pictures):
        x = MARGIN + index * (size + 4)
        pdf.set_draw_color(*RULE)
        pdf.rect(x, top, size, size)
        if body is None:
            _label(pdf, x + 3, top + size / 2 - 2, "preview not found")
        else:
            pdf.image(_jpeg(body), x=x + 0.3, y=top + 0.3, w=size - 0.6, h=size - 0.6)
        _label(pdf, x, top + size + 1, view)
    _personalisation(pdf, page, x=MARGIN + 2 * (size + 4), top=top, width=A4_WIDTH - MARGIN)


def _jpeg(body: bytes) -> io.BytesIO:
    """A stored preview (WebP) flattened on white as a JPEG: small, and printed as it looks."""
    with Image.open(io.BytesIO(body)) as picture:
        picture.thumbnail((PICTURE_PIXELS, PICTURE_PIXELS))
        rgba = picture.convert("RGBA")
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    flat.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=False)
    out.seek(0)
    return out


def _personalisation(pdf: FPDF, page: WorkOrder, *, x: float, top: float, width: float) -> None:
    """Typed text, large, in the font it is made in."""
    width = width - x
    pdf.set_fill_color(*SHADE)
    pdf.rect(x, top, width, 52, style="F")
    _label(pdf, x + 3, top + 2, "Personalisation")
    typed = [s for s in page.selections if s.typed]
    y = top + 8
    if not typed:
        _text(pdf, "helvetica", 10, GREY)
        pdf.set_xy(x + 3, y + 2)
        pdf.cell(width - 6, 6, "None")
    for selection in typed:
        font = selection.font if selection.font in FONT_FILES else FONT
        size = _fitted(pdf, selection.value, width - 8, 44 if len(typed) == 1 else 28, 12)
        _text(pdf, FONT, 8, INK)
        pdf.set_xy(x + 3, y)
        pdf.cell(width - 6, 4, selection.label)
        _text(pdf, FONT, 8, GREY)
        pdf.set_xy(x + 3, y)
        pdf.cell(width - 6, 4, selection.sku, align="R")
        _text(pdf, font, size, INK)
        pdf.set_xy(x + 3, y + 5)
        pdf.multi_cell(width - 6, size * 0.42, selection.value, align="C")
        y = pdf.get_y() + 1
        _text(pdf, "helvetica", 7, GREY)
        pdf.set_xy(x + 3, y)
        pdf.cell(width - 6, 4, f"font: {font}", align="C")
        y += 7


def _selections(pdf: FPDF, page: WorkOrder, top: float) -> float:
    """The table of choices: label, option (or typed text), SKU code. Returns its bottom."""
    _label(pdf, MARGIN, top, "Selections")
    widths, y = (30.0, 42.0, 18.0), top + 5
    pdf.set_draw_color(*RULE)
    for selection in page.selections:
        value = f"“{selection.value}”" if selection.typed else selection.value
        cells = (selection.label, value, selection.sku)
        x = MARGIN
        for cell, width, colour in zip(cells, widths, (GREY, INK, INK), strict=True):
            _text(pdf, FONT, _fitted(pdf, cell, width - 2, 8.5), colour)
            pdf.set_xy(x, y)
            pdf.cell(width, 5.2, cell)
            x += width
        pdf.line(MARGIN, y + 5.2, MARGIN + sum(widths), y + 5.2)
        y += 5.2
    return y


def _checks(pdf: FPDF, page: WorkOrder, top: float) -> float:
    """A tick box for each check. Returns the bottom."""
    x = MARGIN + COLUMN + 6
    width = A4_WIDTH - MARGIN - x
    _label(pdf, x, top, "Checks")
    y = top + 5.5
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.35)
    for check in page.checks or ("(none named for this product)",):
        if page.checks:
            pdf.rect(x, y + 0.2, 3.8, 3.8)
        _text(pdf, FONT, 8.5, INK if page.checks else GREY)
        pdf.set_xy(x + 6, y)
        pdf.multi_cell(width - 6, 4.3, check, align="L")
        y = pdf.get_y() + 1.4
    pdf.set_line_width(0.2)
    return y


def _note(pdf: FPDF, page: WorkOrder, top: float, bottom: float) -> float:
    """The shopper's note for the workshop (None: no note, or removed), in the largest size
    that ends above `bottom` (at least 6 pt; longer still, it runs on). Returns its end."""
    _label(pdf, MARGIN, top, "Shopper's note")
    pdf.set_fill_color(*SHADE)
    if not page.note:
        _text(pdf, "helvetica", 8.5, GREY)
        pdf.set_xy(MARGIN, top + 5)
        pdf.multi_cell(COLUMN, 4.3, "No note.", fill=True, padding=1.8, align="L")
        return pdf.get_y()
    note = page.note
    for size in NOTE_SIZES:
        if _note_height(pdf, note, size) <= bottom - top - 5:
            break
    else:  # even 6 pt is too long: the longest start that fits, and where to read the rest
        low, high = 0, len(note)
        while low < high:
            middle = (low + high + 1) // 2
            if _note_height(pdf, note[:middle] + NOTE_CUT, size) <= bottom - top - 5:
                low = middle
            else:
                high = middle - 1
        note = note[:low].rstrip() + NOTE_CUT
    _text(pdf, FONT, size, INK)
    pdf.set_xy(MARGIN, top + 5)
    pdf.multi_cell(COLUMN, size * 0.5, note, fill=True, padding=1.8, align="L")
    return pdf.get_y()


def _note_height(pdf: FPDF, note: str, size: float) -> float:
    _text(pdf, FONT, size, INK)
    return pdf.multi_cell(COLUMN, size * 0.5, note, padding=1.8, dry_run=True, output="HEIGHT")


def _parts(pdf: FPDF, page: WorkOrder, top: float, row: float) -> None:
    """The bill of materials: per unit, unit, total for the quantity, and a box to tick."""
    columns = (("Part", 104.0, "L"), ("Per unit", 22.0, "R"), ("Unit", 16.0, "L"))
    columns += ((f"Total (x {page.quantity})", 28.0, "R"), ("Picked", 12.0, "R"))
    _label(pdf, MARGIN, top, "Bill of materials")
    y, x = top + 5, MARGIN
    pdf.set_fill_color(*SHADE)
    pdf.rect(MARGIN, y, sum(w for _, w, _ in columns), 5.5, style="F")
    for heading, width, align in columns:
        _text(pdf, "helvetica", 7.5, GREY)
        pdf.set_xy(x, y + 0.6)
        pdf.cell(width - 1.5, 4.5, heading, align=align)
        x += width
    y += 5.5
    right = MARGIN + sum(w for _, w, _ in columns)
    pdf.set_draw_color(*RULE)
    for part in page.parts:
        cells = (part.part, format(part.per_unit, "f"), part.unit, format(part.total, "f"))
        x = MARGIN
        for cell, (_, width, align) in zip(cells, columns, strict=False):
            _text(pdf, FONT, _fitted(pdf, cell, width - 3, min(8.5, row * 1.8)), INK)
            pdf.set_xy(x, y)
            pdf.cell(width - 1.5, row, cell, align=align)
            x += width
        pdf.set_draw_color(*GREY)
        box = min(3.2, row - 1)
        pdf.rect(right - 6.2, y + (row - box) / 2, box, box)
        pdf.set_draw_color(*RULE)
        pdf.line(MARGIN, y + row, right, y + row)
        y += row
    pdf.set_y(y)


def _footer(pdf: FPDF, page: WorkOrder, where: str) -> None:
    bottom = A4_HEIGHT - MARGIN
    pdf.set_draw_color(*RULE)
    pdf.line(MARGIN, bottom - 16, A4_WIDTH - MARGIN, bottom - 16)
    _text(pdf, "helvetica", 8, GREY)
    for index, role in enumerate(("Made by", "Checked by", "Date")):
        x = MARGIN + index * 62
        pdf.set_xy(x, bottom - 13)
        pdf.cell(18, 5, role)
        pdf.line(x + 19, bottom - 9, x + 56, bottom - 9)
    _text(pdf, FONT, 7, GREY)
    pdf.set_xy(MARGIN, bottom - 4)
    pdf.cell(120, 4, f"{page.number} - {page.product_name}")
    pdf.set_xy(A4_WIDTH - MARGIN - 60, bottom - 4)
    pdf.cell(60, 4, where, align="R")
