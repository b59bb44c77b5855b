"""Work orders of real orders, on SQLite and PostgreSQL: one page per order with what the bench
needs (and no customer details), a QR code of the number, the same bytes on every download and
after the catalog changed, and a batch's orders in number order."""

from __future__ import annotations

import io
import shutil
from datetime import UTC, datetime

import pypdf
import pytest
import segno
from sqlalchemy import select, update

from configurator.bootstrap import bootstrap
from configurator.config import Settings
from configurator.services import orders, saving, workorders
from configurator.store import ExportBatch, ExportItem, Order
from tests.conftest import CATALOG
from tests.integration.test_orders import DESIGN as ORDERED

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
DESIGN = dict(ORDERED)  # the order the service tests place
CHROME = {"shell_type": "full_face", "shell_colour": "chrome", "size": "l", "visor": "tinted"}
CUSTOMER = {
    "name": "Zoë Example",
    "email": "zoe@example.org",
    "phone": "+49 30 1234567",
    "note": "Please make the „KZ7“ a little smaller – danke schön, őrült “quoted”.",
    "address": {"line1": "Hauptstraße 1", "postcode": "10115", "city": "Berlin", "country": "DE"},
}


@pytest.fixture
def catalog(tmp_path):
    folder = tmp_path / "catalog"
    shutil.copytree(CATALOG, folder)
    return folder


def make_context(database_url, tmp_path, catalog, **config):
    return bootstrap(
        {
            "DATABASE_URL": database_url,
            "INSTANCE_DIR": str(tmp_path / "instance"),
            "CATALOG_DIR": str(catalog),
            **config,
        }
    )


@pytest.fixture
def ctx(database_url, tmp_path, catalog):
    context = make_context(database_url, tmp_path, catalog)
    context.database.upgrade()
    yield context
    context.close()


def place(ctx, key="k-1", design=DESIGN, quantity=2, now=NOW):
    return orders.place(
        ctx,
        product_id="helmet",
        raw=design,
        quantity=quantity,
        customer=CUSTOMER,
        terms_accepted=True,
        shown_total=None,
        idempotency_key=key,
        files=ctx.files,
        now=now,
    )


def pages(body: bytes) -> list:
    return pypdf.PdfReader(io.BytesIO(body)).pages


def text(page) -> str:
    return " ".join(page.extract_text().split())


def snapshot_of(ctx, number: str) -> dict:
    with ctx.database.session() as session:
        return session.scalar(select(Order.snapshot).where(Order.number == number))


def test_a_work_order_holds_what_the_bench_needs_and_nothing_personal(ctx):
    number = place(ctx).number
    body = workorders.order_pdf(ctx, number)
    (page,) = pages(body)
    words = text(page)
    snap = snapshot_of(ctx, number)
    assert number in words and "KZ7" in words and "font: DejaVuSans-Bold" in words
    assert "2026-12-02" in words and "2026-12-16" in words  # placed, due (+14 days)
    assert snap["sku"] in words
    for line in snap["selections"]:
        assert line["sku"] in words
    assert snap["checks"] and all(check in words for check in snap["checks"])
    assert CUSTOMER["note"] in words
    assert "Total (x 2)" in words and "Paint, cobalt blue metallic 0.25 l 0.50" in words
    for personal in ("Zoë", "zoe@example.org", "Hauptstraße", "10115", "Berlin", "1234567"):
        assert personal not in words
    images = page.images
    assert len(images) >= 3  # front, side, QR
    (qr,) = [i.image for i in images if i.image.mode in ("1", "L")]
    scale = workorders.QR_SCALE
    seen = [
        [qr.convert("L").getpixel((x * scale + 1, y * scale + 1)) < 128 for x in range(qr.width // scale)]
        for y in range(qr.height // scale)
    ]  # fmt: skip
    code = segno.make(number, error="m", micro=False)
    assert seen == [[bool(v) for v in row] for row in code.matrix_iter(border=4)]


def test_a_download_again_is_byte_identical(ctx):
    number = place(ctx).number
    assert workorders.order_pdf(ctx, number) == workorders.order_pdf(ctx, number)


def test_a_catalog_edit_after_placing_leaves_the_work_order_identical(
    database_url, tmp_path, catalog, ctx
):
    number = place(ctx).number
    before = workorders.order_pdf(ctx, number)
    yaml = catalog / "helmet.yaml"
    edited = (
        yaml.read_text()
        .replace("    - Size label matches the ordered size\n", "")
        .replace("label: Cobalt blue metallic", "label: Cobalt blue")
    )
    assert edited != yaml.read_text()
    yaml.write_text(edited)
    ctx.close()
    later = make_context(database_url, tmp_path, catalog)
    try:
        helmet = later.catalogs.catalog.product("helmet")
        assert "Size label matches the ordered size" not in helmet.checks
        assert workorders.order_pdf(later, number) == before
        assert "Size label matches the ordered size" in text(pages(before)[0])
    finally:
        later.close()


def test_checks_come_from_the_product_then_the_chosen_options(ctx):
    number = place(ctx, design=CHROME, quantity=1).number
    snap = snapshot_of(ctx, number)
    helmet = ctx.catalogs.catalog.product("helmet")
    chrome = helmet.attribute("shell_colour").option("chrome").checks
    tinted = helmet.attribute("visor").option("tinted").checks
    assert snap["checks"] == [*helmet.checks, *chrome, *tinted]
    assert helmet.attribute("monogram").checks[0] not in snap["checks"]  # no text typed
    words = text(pages(workorders.order_pdf(ctx, number))[0])
    assert all(check in words for check in snap["checks"])
    assert "None" in words  # no personalisation
    with_text = snapshot_of(ctx, place(ctx, key="k-2").number)
    (typed,) = [line for line in with_text["selections"] if "text" in line]
    assert typed["font"] == "DejaVuSans-Bold"
    assert with_text["checks"][-1] == helmet.attribute("monogram").checks[0]


def test_an_unknown_number_or_batch_is_not_found(ctx):
    place(ctx)
    with pytest.raises(saving.NotFound):
        workorders.order_pdf(ctx, "HLM-2026-999999")
    with pytest.raises(saving.NotFound):
        workorders.batch_pdf(ctx, "B-2026-999999")


def test_a_pseudonymised_order_still_prints(ctx):
    number = place(ctx).number
    assert orders.pseudonymise_old(ctx, now=datetime(2040, 1, 1, tzinfo=UTC)) == 1
    words = text(pages(workorders.order_pdf(ctx, number))[0])
    assert number in words and "No note." in words and "KZ7" in words


def test_an_older_snapshot_without_checks_or_font_prints(ctx):
    number = place(ctx).number
    snap = snapshot_of(ctx, number)
    del snap["checks"]
    for line in snap["selections"]:
        line.pop("font", None)
    with ctx.database.session() as session:
        session.execute(update(Order).where(Order.number == number).values(snapshot=snap))
    words = text(pages(workorders.order_pdf(ctx, number))[0])
    assert "(none named for this product)" in words and "KZ7" in words


def test_a_batch_has_one_page_per_order_in_number_order(ctx):
    numbers = [place(ctx, key=f"k-{i}", quantity=i).number for i in (1, 2, 3)]
    other = place(ctx, key="k-other").number  # not in the batch
    with ctx.database.session() as session:
        session.execute(update(Order).values(status="paid"))
        batch = ExportBatch(
            ref="B-2026-000001",
            status="paid",
            created_at=datetime(2026, 12, 3, 8, 0, tzinfo=UTC),
            actor="test",
            files={},
        )
        session.add(batch)
        session.flush()
        ids = dict(session.execute(select(Order.number, Order.id)).all())
        for number in reversed(numbers):
            session.add(ExportItem(batch_id=batch.id, order_id=ids[number], status="paid"))
    body = workorders.batch_pdf(ctx, "B-2026-000001")
    found = pages(body)
    assert len(found) == 3
    for page, number, quantity in zip(found, numbers, (1, 2, 3), strict=True):
        words = text(page)
        assert number in words and f"Total (x {quantity})" in words
        assert "Batch B-2026-000001" in words and other not in words
    assert workorders.batch_pdf(ctx, "B-2026-000001") == body
    reader = pypdf.PdfReader(io.BytesIO(body))
    assert reader.metadata.creation_date == datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def test_the_due_date_follows_the_workshop_days_setting(database_url, tmp_path, catalog, ctx):
    number = place(ctx).number
    slower = make_context(database_url, tmp_path, catalog, WORKSHOP_DAYS="21")
    try:
        assert "2026-12-23" in text(pages(workorders.order_pdf(slower, number))[0])
    finally:
        slower.close()
    environ = {"CONFIGURATOR_WORKSHOP_DAYS": "30"}
    assert Settings.read({"INSTANCE_DIR": str(tmp_path / "i")}, environ).workshop_days == 30
    assert Settings.read({"INSTANCE_DIR": str(tmp_path / "i")}, {}).workshop_days == 14
