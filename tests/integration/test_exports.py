"""Export batches on SQLite and PostgreSQL: the right orders once per status, files read back
field by field (csv, jsonschema), byte-identical downloads, formula cells neutralised,
pseudonymised orders, and exporters racing in threads (every order in exactly one batch)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import func, select, text, update

from configurator.bootstrap import bootstrap
from configurator.services import exports, orders, saving
from configurator.services.files import LocalFiles
from configurator.store import AuditEvent, ExportBatch, ExportItem, Order
from tests.conftest import CATALOG
from tests.integration.test_orders import DESIGN as ORDERED

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "orders-export.schema.json").read_text()
)
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
HELMET = dict(ORDERED)  # the order the service tests place
HELMET_WITH_GRAPHICS = {"shell_type": "open_face", "size": "s", "graphics": "stripes"}
JACKET = {"cut": "bomber", "back_patch": "star", "back_lettering": "ROAD & CO."}
CUSTOMER = {
    "name": "Zoë Example",
    "email": "zoe@example.org",
    "address": {
        "line1": "Hauptstraße 1",
        "line2": "Hinterhaus, 3. OG",
        "postcode": "10115",
        "city": "Berlin",
        "country": "DE",
    },
    "phone": "030 1234567",
    "note": 'Please write "fragile", thanks; two lines:\nsecond',
}
DELIVERY = ("name", "line1", "line2", "postcode", "city", "country", "phone", "note")
RISKY = ("=", "+", "-", "@", "\t", "\r")
FONT = "DejaVuSans-Bold"  # the one font typed text is made in


def make_ctx(database_url, folder: Path, catalog: Path = CATALOG):
    context = bootstrap(
        {"DATABASE_URL": database_url, "INSTANCE_DIR": str(folder), "CATALOG_DIR": str(catalog)}
    )
    context.database.upgrade()
    return context


@pytest.fixture
def ctx(database_url, tmp_path):
    context = make_ctx(database_url, tmp_path)
    yield context
    context.close()


def place(ctx, key, raw=HELMET, product_id="helmet", quantity=1, customer=CUSTOMER, now=NOW):
    return orders.place(
        ctx,
        product_id=product_id,
        raw=raw,
        quantity=quantity,
        customer=customer,
        terms_accepted=True,
        shown_total=None,
        idempotency_key=key,
        files=ctx.files,
        now=now,
    ).number


def set_status(ctx, numbers, status) -> None:
    """Another engineer writes the transitions; here the row is simply updated."""
    with ctx.database.session() as session:
        session.execute(update(Order).where(Order.number.in_(numbers)).values(status=status))


def read_csv(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # the byte order mark, for Excel
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def header(body: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def safe(value) -> str:
    """The cell a value should become: empty for None, a ' before a formula's first character."""
    cell = "" if value is None else str(value)
    return "'" + cell if cell.startswith(RISKY) else cell


def rows_by_number(ctx, numbers) -> dict[str, Order]:
    with ctx.database.session() as session:
        found = session.scalars(select(Order).where(Order.number.in_(numbers))).all()
        return {order.number: order for order in found}


def expected_order_row(order: Order) -> dict[str, str]:
    snap = order.snapshot
    row = {
        "order number": order.number,
        "date": saving.stored_utc(order.created_at).date().isoformat(),
        "product": snap["product"],
        "product name": snap["product_name"],
        "sku": snap["sku"],
        "quantity": str(order.quantity),
        "unit price": snap["total"],
        "line price": order.total,
        "currency": order.currency,
        "name": order.name,
        "phone": order.phone,
        "note": order.note,
        **{field: (order.address or {}).get(field) for field in DELIVERY[1:6]},
    }
    for line in snap["selections"]:
        if "text" in line:
            row[f"{line['attribute']} text"] = line["text"]
        else:
            row[f"{line['attribute']} code"] = line["option"]
            row[f"{line['attribute']} label"] = line["option_label"]
    return {column: safe(value) for column, value in row.items()}


def test_a_batch_holds_its_status_s_new_orders_once(ctx):
    first, second, third = (place(ctx, f"k-{i}") for i in range(3))
    assert exports.create_batch(ctx, status="paid", actor="cli") is None  # none paid yet
    set_status(ctx, [first, second], "paid")
    batch = exports.create_batch(ctx, status="paid", actor="staff:7", now=NOW)
    assert (batch.ref, batch.status, batch.count, batch.actor) == (
        "B-2026-000001",
        "paid",
        2,
        "staff:7",
    )
    assert batch.file_names == ("orders.csv", "bom.csv", "orders.json")
    csv_numbers = [
        r["order number"] for r in read_csv(exports.batch_file(ctx, batch.ref, "orders.csv"))
    ]
    assert csv_numbers == [first, second]
    assert exports.create_batch(ctx, status="paid", actor="cli") is None  # nothing new

    set_status(ctx, [third], "paid")
    set_status(ctx, [first], "in_production")  # a new status: exported again, in its own batch
    later = exports.create_batch(ctx, status="paid", actor="cli", now=NOW + timedelta(hours=1))
    made = exports.create_batch(ctx, status="in_production", actor="cli", now=NOW)
    assert later.ref != batch.ref and later.count == 1
    assert [
        r["order number"] for r in read_csv(exports.batch_file(ctx, later.ref, "orders.csv"))
    ] == [third]
    assert [
        r["order number"] for r in read_csv(exports.batch_file(ctx, made.ref, "orders.csv"))
    ] == [first]

    listed = exports.batches(ctx)
    assert [(b.ref, b.status, b.count) for b in listed] == [
        (made.ref, "in_production", 1),
        (later.ref, "paid", 1),
        (batch.ref, "paid", 2),
    ]
    assert listed[-1].created_at == NOW and listed[-1].files == batch.files
    assert [b.ref for b in exports.batches(ctx, limit=1)] == [made.ref]
    with ctx.database.session() as session:
        entries = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(e.action, e.actor, e.detail) for e in entries] == [
            ("export.created", "staff:7", {"batch": batch.ref, "status": "paid", "count": 2}),
            ("export.created", "cli", {"batch": later.ref, "status": "paid", "count": 1}),
            ("export.created", "cli", {"batch": made.ref, "status": "in_production", "count": 1}),
        ]


def test_an_unknown_status_is_refused(ctx):
    with pytest.raises(exports.UnknownStatus):
        exports.create_batch(ctx, status="lost", actor="cli")


def test_a_download_again_is_byte_identical_and_unknown_names_are_not_found(ctx):
    number = place(ctx, "k-1")
    set_status(ctx, [number], "paid")
    batch = exports.create_batch(ctx, status="paid", actor="cli")
    before = {name: exports.batch_file(ctx, batch.ref, name) for name in exports.FILE_NAMES}
    for name, body in before.items():
        assert batch.files[name] == hashlib.sha256(body).hexdigest() + "." + name.split(".")[1]
    # the order changes afterwards (pseudonymised, moved on): the batch's files do not
    orders.pseudonymise_old(ctx, now=NOW + timedelta(days=10 * 365))
    set_status(ctx, [number], "shipped")
    again = {name: exports.batch_file(ctx, batch.ref, name) for name in exports.FILE_NAMES}
    assert again == before
    reopened = LocalFiles(ctx.settings.instance_dir / "orders")  # another worker, the same files
    assert reopened.get(batch.files["orders.json"]) == before["orders.json"]
    with pytest.raises(saving.NotFound):
        exports.batch_file(ctx, "B-2026-999999", "orders.csv")
    with pytest.raises(saving.NotFound):
        exports.batch_file(ctx, batch.ref, "../secret_key")
    with pytest.raises(saving.NotFound):
        exports.batch(ctx, "nope")
    assert exports.batch(ctx, batch.ref).count == 1


def test_orders_csv_and_bom_csv_read_back_field_by_field(ctx):
    numbers = [
        place(ctx, "k-jacket", raw=JACKET, product_id="jacket"),  # placed first, listed second
        place(ctx, "k-helmet", quantity=3),
        place(
            ctx,
            "k-plain",
            raw=HELMET_WITH_GRAPHICS,
            quantity=2,
            customer={**CUSTOMER, "phone": None, "note": None},
        ),
    ]
    set_status(ctx, numbers, "paid")
    batch = exports.create_batch(ctx, status="paid", actor="cli")
    body = exports.batch_file(ctx, batch.ref, "orders.csv")
    assert body.count(b"\r\n") == len(numbers) + 1  # CRLF rows; the note's own line break is LF
    columns = header(body)
    assert columns[:5] == ["order number", "date", "product", "product name", "sku"]
    assert columns[-12:] == [
        "quantity", "unit price", "line price", "currency",
        "name", "line1", "line2", "postcode", "city", "country", "phone", "note",
    ]  # fmt: skip
    # products sorted (helmet before jacket), attributes in catalog order, shared ids shared
    chosen = [c.removesuffix(" code") for c in columns if c.endswith(" code")]
    assert chosen == [
        "shell_type", "size", "shell_colour", "finish", "graphics", "visor", "lining",
        "cut", "hide", "leather_colour", "collar", "hardware", "back_patch",
    ]  # fmt: skip
    assert [c for c in columns if c.endswith(" text")] == ["monogram text", "back_lettering text"]
    assert len(columns) == len(set(columns))

    stored = rows_by_number(ctx, numbers)
    rows = read_csv(body)
    assert [r["order number"] for r in rows] == numbers  # oldest first
    for row in rows:
        expected = expected_order_row(stored[row["order number"]])
        assert set(expected) <= set(columns)
        assert row == {column: expected.get(column, "") for column in columns}
    jacket = rows[0]
    assert jacket["back_lettering text"] == "ROAD & CO." and jacket["shell_type code"] == ""
    assert rows[1]["name"] == "Zoë Example" and rows[1]["note"].endswith("lines:\nsecond")

    bom = read_csv(exports.batch_file(ctx, batch.ref, "bom.csv"))
    assert list(bom[0]) == ["order number", "part", "quantity per unit", "unit", "total quantity"]
    expected_bom = [
        {
            "order number": number,
            "part": part["part"],
            "quantity per unit": part["quantity"],
            "unit": part["unit"],
            "total quantity": str(Decimal(part["quantity"]) * stored[number].quantity),
        }
        for number in numbers
        for part in stored[number].snapshot["bom"]
    ]
    assert bom == expected_bom
    paint = next(r for r in bom if r["order number"] == numbers[1] and r["unit"] == "l")
    assert Decimal(paint["total quantity"]) == 3 * Decimal(paint["quantity per unit"])


def test_orders_json_is_valid_deterministic_and_matches_the_orders(ctx):
    numbers = [place(ctx, "k-1", quantity=2), place(ctx, "k-2", raw=JACKET, product_id="jacket")]
    set_status(ctx, numbers, "paid")
    with ctx.database.session() as session:  # the jacket's was recorded before `font` existed
        jacket = session.scalars(select(Order).where(Order.number == numbers[1])).one()
        older = {**jacket.snapshot, "selections": [{k: v for k, v in line.items() if k != "font"} for line in jacket.snapshot["selections"]]}  # fmt: skip
        jacket.snapshot = older
    batch = exports.create_batch(ctx, status="paid", actor="cli", now=NOW)
    body = exports.batch_file(ctx, batch.ref, "orders.json")
    document = json.loads(body)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(document)
    assert (
        body
        == (
            json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
        ).encode()
    )
    assert (document["batch"], document["status"], document["created_at"]) == (
        batch.ref,
        "paid",
        "2026-12-02T12:00:00Z",
    )
    stored = rows_by_number(ctx, numbers)
    assert [o["number"] for o in document["orders"]] == numbers
    for exported in document["orders"]:
        order = stored[exported["number"]]
        snap = order.snapshot
        assert exported["placed_at"] == "2026-12-02T12:00:00Z"
        for key in (
            "product",
            "product_name",
            "catalog_version",
            "sku",
            "base_price",
            "price_lines",
        ):
            assert exported[key] == snap[key]
        assert exported["selections"] == [
            {**{k: line[k] for k in ("attribute", "label", "text", "sku")}, "font": FONT}
            if "text" in line
            else {k: line[k] for k in ("attribute", "label", "option", "option_label", "sku")}
            for line in snap["selections"]
        ]
        assert (exported["unit_price"], exported["quantity"], exported["total"]) == (
            snap["total"],
            order.quantity,
            order.total,
        )
        assert Decimal(exported["total"]) == Decimal(exported["unit_price"]) * order.quantity
        assert exported["bom"] == [
            {
                "part": b["part"],
                "quantity_per_unit": b["quantity"],
                "unit": b["unit"],
                "quantity": str(Decimal(b["quantity"]) * order.quantity),
            }
            for b in snap["bom"]
        ]
        assert exported["delivery"] == {
            "name": order.name,
            **order.address,
            "phone": order.phone,
        }
        assert exported["note"] == order.note
    helmet, jacket = document["orders"]
    assert helmet["selections"][-1] == {
        "attribute": "monogram",
        "label": "Monogram",
        "text": "KZ7",
        "sku": "MONO",
        "font": FONT,
    }
    assert (
        jacket["selections"][-1]["text"] == "ROAD & CO."
        and jacket["selections"][-1]["font"] == FONT
    )


def test_formula_cells_are_neutralised_in_the_csv_and_kept_as_typed_in_the_json(
    database_url, tmp_path
):
    # a catalog whose monogram may start with + or -, so a shopper could type a formula
    catalog = tmp_path / "catalog"
    shutil.copytree(CATALOG, catalog)
    helmet = catalog / "helmet.yaml"
    helmet.write_text(helmet.read_text().replace('pattern: "[A-Z0-9]+"', 'pattern: "[-+A-Z0-9]+"'))
    ctx = make_ctx(database_url, tmp_path / "instance", catalog)
    try:
        typed = [
            ({"name": '=HYPERLINK("http://x")', "note": "@SUM(A1:A9)"}, "+A1"),
            ({"name": "\tTab", "note": "\rCR", "phone": "+49 30 1234567"}, "-1"),
            ({"address": {**CUSTOMER["address"], "line1": "-2+3", "city": "=1+1"}}, "=1"),
        ]
        numbers = []
        for i, (changes, monogram) in enumerate(typed):
            if monogram.startswith("="):  # the catalog refuses it: no order
                with pytest.raises(orders.Refused):
                    place(ctx, f"bad-{i}", raw={**HELMET, "monogram": monogram})
                monogram = "OK"
            numbers.append(
                place(
                    ctx,
                    f"k-{i}",
                    raw={**HELMET, "monogram": monogram},
                    customer={**CUSTOMER, **changes},
                )
            )
        set_status(ctx, numbers, "paid")
        batch = exports.create_batch(ctx, status="paid", actor="cli")
        rows = read_csv(exports.batch_file(ctx, batch.ref, "orders.csv"))
        first, second, third = rows
        assert first["name"] == '\'=HYPERLINK("http://x")'
        assert first["note"] == "'@SUM(A1:A9)" and first["monogram text"] == "'+A1"
        assert (second["name"], second["note"], second["phone"]) == (
            "'\tTab",
            "'\rCR",
            "'+49 30 1234567",
        )
        assert second["monogram text"] == "'-1"
        assert (third["line1"], third["city"], third["monogram text"]) == ("'-2+3", "'=1+1", "OK")
        for row in rows:  # no cell at all starts a formula
            assert not any(cell.startswith(RISKY) for cell in row.values())
        stored = rows_by_number(ctx, numbers)
        for row in rows:
            expected = expected_order_row(stored[row["order number"]])
            assert {k: row[k] for k in expected} == expected
        document = json.loads(exports.batch_file(ctx, batch.ref, "orders.json"))
        assert document["orders"][0]["delivery"]["name"] == '=HYPERLINK("http://x")'
        assert document["orders"][1]["selections"][-1]["text"] == "-1"
    finally:
        ctx.close()


def test_pseudonymised_orders_export_with_empty_delivery_fields(ctx):
    old = place(ctx, "k-old", now=NOW - timedelta(days=4000))
    new = place(ctx, "k-new")
    assert orders.pseudonymise_old(ctx, now=NOW) == 1
    set_status(ctx, [old, new], "shipped")
    batch = exports.create_batch(ctx, status="shipped", actor="cli")
    rows = {
        r["order number"]: r for r in read_csv(exports.batch_file(ctx, batch.ref, "orders.csv"))
    }
    assert all(rows[old][field] == "" for field in DELIVERY)
    assert rows[old]["monogram text"] == "KZ7" and rows[old]["sku"] == rows[new]["sku"]
    assert rows[new]["name"] == "Zoë Example" and rows[new]["city"] == "Berlin"
    document = json.loads(exports.batch_file(ctx, batch.ref, "orders.json"))
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    gone = next(o for o in document["orders"] if o["number"] == old)
    assert set(gone["delivery"].values()) == {None} and gone["note"] is None
    assert gone["bom"] and gone["total"]


def test_attribute_columns_merge_catalog_versions_and_sort_products():
    def exported(product, attributes, texts=()):
        lines = [{"attribute": a, "option": "x", "option_label": "X"} for a in attributes]
        lines += [{"attribute": a, "text": "T"} for a in texts]
        return exports.ExportedOrder("N", NOW, {"product": product, "selections": lines}, 1, "1", "EUR", None, None, None, None)  # fmt: skip

    batch = [
        exported("zeta", ["z1", "shared"]),
        exported("alpha", ["a", "b", "d"], ["t1"]),
        exported("alpha", ["a", "c", "d", "e"], ["t0", "t1"]),  # a newer version
    ]
    assert exports.attribute_columns(batch) == (
        ["a", "c", "b", "d", "e", "z1", "shared"],
        ["t0", "t1"],
    )
    assert exports.attribute_columns(list(reversed(batch)))[0] == [
        "a",
        "b",
        "c",
        "d",
        "e",
        "z1",
        "shared",
    ]


@pytest.mark.parametrize("cell", ["=1", "+1", "-1", "@a", "\tx", "\rx"])
def test_each_risky_first_character_is_neutralised(cell):
    assert exports.neutralise(cell) == "'" + cell
    assert exports.neutralise("a" + cell) == "a" + cell


# --- concurrency ---------------------------------------------------------------------------


def place_many(ctx, count: int) -> list[str]:
    designs = [HELMET, HELMET_WITH_GRAPHICS, {**HELMET, "size": "l", "monogram": "AB"}]
    return [place(ctx, f"k-{i}", raw=designs[i % 3], quantity=1 + i % 4) for i in range(count)]


def run_threads(workers) -> list[BaseException]:
    """Run each worker in its own thread; the errors they raised."""
    errors: list[BaseException] = []

    def guarded(work):
        try:
            work()
        except BaseException as error:  # reported to the test, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def assert_every_order_in_exactly_one_batch(ctx, made, numbers) -> None:
    with ctx.database.session() as session:
        items = session.execute(select(ExportItem.order_id, ExportItem.batch_id)).all()
        ids = dict(session.execute(select(Order.number, Order.id)).all())
        assert session.scalar(select(func.count()).select_from(ExportBatch)) == len(made)
        audited = session.scalar(select(func.count()).where(AuditEvent.action == "export.created"))
        assert audited == len(made)
    assert sorted(order_id for order_id, _ in items) == sorted(ids[n] for n in numbers)
    in_files = []
    for batch in made:
        listed = [
            r["order number"] for r in read_csv(exports.batch_file(ctx, batch.ref, "orders.csv"))
        ]
        assert len(listed) == batch.count
        in_files += listed
    assert sorted(in_files) == sorted(numbers)  # each order in exactly one batch's file
    assert len({b.ref for b in made}) == len(made)
    assert exports.create_batch(ctx, status="paid", actor="cli") is None


def test_exporters_starting_together_share_the_orders_out(ctx):
    numbers = place_many(ctx, 40)
    set_status(ctx, numbers, "paid")
    start = threading.Barrier(6)
    made = []

    def exporter():
        start.wait()
        batch = exports.create_batch(ctx, status="paid", actor="cli")
        if batch is not None:
            made.append(batch)

    assert run_threads([exporter] * 6) == []
    assert made and sum(b.count for b in made) == 40
    assert_every_order_in_exactly_one_batch(ctx, made, numbers)


def test_exporters_racing_while_orders_are_paid_never_share_an_order(ctx):
    numbers = place_many(ctx, 40)
    paying = threading.Event()
    paying.set()
    made = []

    def payer():
        try:
            for i in range(0, len(numbers), 4):
                set_status(ctx, numbers[i : i + 4], "paid")
        finally:
            paying.clear()

    def exporter():
        while True:
            still_paying = paying.is_set()
            batch = exports.create_batch(ctx, status="paid", actor="cli")
            if batch is not None:
                made.append(batch)
            elif not still_paying:
                return

    assert run_threads([payer] + [exporter] * 5) == []
    assert_every_order_in_exactly_one_batch(ctx, made, numbers)


def test_an_exporter_that_loses_an_order_to_another_batch_tries_again(ctx):
    """PostgreSQL: another transaction holds an export item for one order (not its row lock),
    so our exporter reads it as new, waits on the unique index, is refused when the other
    commits, and tries again without it."""
    if not ctx.database.url.startswith("postgresql"):
        pytest.skip("SQLite serialises exporters on its write lock; nothing can overlap")
    numbers = place_many(ctx, 3)
    set_status(ctx, numbers, "paid")
    ids = rows_by_number(ctx, numbers)
    made, errors = [], []

    def exporter():
        try:
            made.append(exports.create_batch(ctx, status="paid", actor="cli"))
        except BaseException as error:  # reported to the test, not lost in the thread
            errors.append(error)

    with ctx.database.session() as other:
        rival = ExportBatch(ref="B-RIVAL", status="paid", created_at=NOW, actor="cli", files={})
        other.add(rival)
        other.flush()
        other.add(ExportItem(batch_id=rival.id, order_id=ids[numbers[1]].id, status="paid"))
        other.flush()
        thread = threading.Thread(target=exporter)
        thread.start()
        wait_until_blocked_on_a_lock(ctx)
    thread.join()
    assert errors == []
    (batch,) = made
    assert batch.count == 2
    listed = [r["order number"] for r in read_csv(exports.batch_file(ctx, batch.ref, "orders.csv"))]
    assert listed == [numbers[0], numbers[2]]


def wait_until_blocked_on_a_lock(ctx) -> None:
    """Poll pg_stat_activity until some session of this database waits for a lock."""
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND datname = current_database()"
    )
    with ctx.database.engine.connect() as connection:
        for _ in range(3000):  # a bound, so a broken lock order fails instead of hanging
            if connection.execute(waiting).scalar():
                return
            connection.rollback()
            threading.Event().wait(0.01)
    raise AssertionError("the exporter never waited for the other transaction")
