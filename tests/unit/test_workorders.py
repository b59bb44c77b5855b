"""The work-order renderer on plain values, no database: what the bench reads is in the PDF as
text (Unicode included), the pictures and a QR code that scans as the order number are
embedded, and the same input gives the same bytes."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pypdf
import pytest
import segno
from PIL import Image

from configurator.services import workorders

PLACED = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
NOTE = "Bitte „KZ7“ genau so – Straße, őrült “quoted”, ä."
SNAPSHOT = {
    "product": "helmet",
    "product_name": "Custom motorcycle helmet",
    "sku": "HLM-FF-M-CBL-MONO",
    "selections": [
        {"attribute": "shell_type", "label": "Shell type", "option": "full_face",
         "option_label": "Full face", "sku": "FF", "chosen": True},
        {"attribute": "shell_colour", "label": "Shell colour", "option": "cobalt_blue",
         "option_label": "Cobalt blue metallic", "sku": "CBL", "chosen": True},
        {"attribute": "monogram", "label": "Monogram", "text": "KZ7", "sku": "MONO",
         "font": "DejaVuSans-Bold"},
    ],
    "bom": [
        {"part": "Shell, full face, fibreglass composite", "quantity": "1", "unit": "pcs"},
        {"part": "Paint, cobalt blue metallic", "quantity": "0.25", "unit": "l"},
        {"part": "Lining fabric, black", "quantity": "0.6", "unit": "m2"},
    ],
    "previews": {"front": "f.webp", "side": "s.webp"},
    "checks": ["Shell free of cracks, dents and paint runs", "Monogram spelled exactly as ordered"],
}  # fmt: skip


def picture(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (320, 320), colour).save(out, format="WEBP", lossless=True)
    return out.getvalue()


PICTURES = {"front": picture((30, 80, 170, 255)), "side": picture((200, 30, 40, 255))}


def page_of(snapshot=SNAPSHOT, quantity=3, note=NOTE, pictures=PICTURES, number="HLM-2026-000042"):
    return workorders.work_order(
        snapshot,
        number=number,
        quantity=quantity,
        placed_at=PLACED,
        note=note,
        workshop_days=14,
        pictures=pictures,
    )


def render(*pages) -> bytes:
    return workorders.render(pages or [page_of()], created=PLACED, title="Work order")


def text(body: bytes, index: int = 0) -> str:
    """A page's text with the line breaks of wrapped lines as plain spaces."""
    return " ".join(pypdf.PdfReader(io.BytesIO(body)).pages[index].extract_text().split())


def test_the_page_holds_what_the_bench_needs_as_text():
    body = render()
    reader = pypdf.PdfReader(io.BytesIO(body))
    assert len(reader.pages) == 1
    page = text(body)
    for expected in (
        "HLM-2026-000042",
        "Custom motorcycle helmet",
        "HLM-FF-M-CBL-MONO",
        "KZ7",
        "2026-12-02",
        "2026-12-16",  # due: placed + 14 days
        "Full face FF",
        "Cobalt blue metallic CBL",
        "“KZ7” MONO",
        "Shell free of cracks, dents and paint runs",
        "Monogram spelled exactly as ordered",
        NOTE,
        "font: DejaVuSans-Bold",
    ):
        assert expected in page, expected
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4
    assert reader.metadata.creation_date == PLACED


def test_bill_of_materials_totals_are_exact_for_the_quantity():
    page = page_of(quantity=3)
    assert [(p.per_unit, p.total) for p in page.parts] == [
        (Decimal("1"), Decimal("3")),
        (Decimal("0.25"), Decimal("0.75")),
        (Decimal("0.6"), Decimal("1.8")),
    ]
    body = text(render(page))
    assert "Total (x 3)" in body
    assert "Paint, cobalt blue metallic 0.25 l 0.75" in body
    assert "Lining fabric, black 0.6 m2 1.8" in body


def test_pictures_and_a_qr_code_of_the_number_are_embedded():
    body = render()
    images = pypdf.PdfReader(io.BytesIO(body)).pages[0].images
    assert len(images) == 3
    (qr,) = [i.image for i in images if i.image.mode in ("1", "L")]
    expected = Image.open(io.BytesIO(workorders.qr_png("HLM-2026-000042")))
    assert qr.size == expected.size
    assert qr.convert("L").tobytes() == expected.convert("L").tobytes()
    assert decoded_matrix(qr) == matrix_of("HLM-2026-000042")
    colours = sorted(
        i.image.convert("RGB").getpixel((160, 160)) for i in images if i.image.mode == "RGB"
    )
    assert [max(c) - min(c) > 100 for c in colours] == [True, True]  # the two pictures, in colour


def decoded_matrix(image: Image.Image) -> list[list[bool]]:
    """The modules of an embedded QR image (dark = True), read at each module's centre."""
    grey = image.convert("L")
    modules = grey.width // workorders.QR_SCALE
    half = workorders.QR_SCALE // 2
    return [
        [grey.getpixel((x * workorders.QR_SCALE + half, y * workorders.QR_SCALE + half)) < 128
         for x in range(modules)]
        for y in range(modules)
    ]  # fmt: skip


def matrix_of(number: str) -> list[list[bool]]:
    """segno's own matrix of the number, with the 4-module quiet zone."""
    code = segno.make(number, error="m", micro=False)
    return [[bool(v) for v in row] for row in code.matrix_iter(border=4)]


def test_the_same_input_gives_the_same_bytes():
    assert render() == render()
    later = workorders.render([page_of()], created=datetime(2027, 1, 1, tzinfo=UTC), title="x")
    assert later != render()


def test_each_order_gets_one_page():
    body = render(page_of(number="HLM-2026-000001"), page_of(number="HLM-2026-000002"))
    assert len(pypdf.PdfReader(io.BytesIO(body)).pages) == 2
    assert "HLM-2026-000002" in text(body, 1) and "HLM-2026-000002" not in text(body, 0)


def test_an_older_snapshot_renders_without_checks_and_in_the_default_font():
    older = {**SNAPSHOT, "selections": [dict(s) for s in SNAPSHOT["selections"]]}
    del older["checks"]
    del older["selections"][2]["font"]
    page = page_of(older)
    assert page.checks == () and page.selections[2].font == "DejaVuSans-Bold"
    body = text(render(page))
    assert "KZ7" in body and "(none named for this product)" in body


def test_an_unknown_font_falls_back_to_the_default():
    odd = {**SNAPSHOT, "selections": [*SNAPSHOT["selections"][:2], {
        "attribute": "monogram", "label": "Monogram", "text": "ÄÖ", "sku": "M", "font": "Comic"}]}  # fmt: skip
    assert "font: DejaVuSans-Bold" in text(render(page_of(odd)))


def test_a_missing_note_or_picture_still_gives_a_page():
    body = text(render(page_of(note=None, pictures={"front": None, "side": PICTURES["side"]})))
    assert "No note." in body and "PREVIEW NOT FOUND" in body


def test_no_orders_is_a_page_saying_so():
    body = workorders.render([], created=PLACED, title="batch B-2026-000001")
    assert "No orders in batch B-2026-000001." in text(body)


def test_the_due_date_counts_the_workshop_days():
    page = workorders.work_order(
        SNAPSHOT, number="N", quantity=1, placed_at=PLACED, note=None, workshop_days=30,
        pictures={},
    )  # fmt: skip
    assert (page.placed, page.due) == (date(2026, 12, 2), date(2027, 1, 1))


def test_a_long_note_and_many_parts_still_fit_one_sheet():
    parts = [
        {"part": f"Part {i}, a longish name", "quantity": "0.25", "unit": "l"} for i in range(14)
    ]
    note = "Langer Hinweis: bitte „KZ7“ etwas kleiner. " * 25  # 1000+ characters
    body = render(page_of({**SNAPSHOT, "bom": parts}, note=note[:1000]))
    assert len(pypdf.PdfReader(io.BytesIO(body)).pages) == 1
    words = text(body)
    assert "Part 13, a longish name 0.25 l 0.75" in words
    assert (
        words.count("Langer Hinweis") > 3
        and "(cut here: read the whole note on the order)" in words
    )
    short = text(render(page_of(note="Bitte etwas kleiner.")))
    assert "Bitte etwas kleiner." in short and "cut here" not in short
