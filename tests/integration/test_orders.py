"""Placing orders through the service, on SQLite and PostgreSQL: the snapshot, field errors,
idempotency (double submit, a key reused, concurrent submits), a changed price."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from configurator.services import orders
from configurator.store import Order, OrderEvent, OutboxMessage

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
DESIGN = {
    "shell_type": "full_face",
    "size": "m",
    "shell_colour": "cobalt_blue",
    "finish": "gloss",
    "visor": "clear",
    "lining": "black",
    "monogram": "KZ7",
}
CUSTOMER = {
    "name": "Zoë Example",
    "email": "zoe@example.org",
    "address": {"line1": "Hauptstraße 1", "postcode": "10115", "city": "Berlin", "country": "DE"},
}


def place(ctx, tmp_path, key="k-1", **changes):
    arguments = {
        "product_id": "helmet",
        "raw": DESIGN,
        "quantity": 1,
        "customer": CUSTOMER,
        "terms_accepted": True,
        "shown_total": None,
        "idempotency_key": key,
        "order_url": lambda token: f"http://shop.example/orders/{token}",
        "now": NOW,
        **changes,
    }
    return orders.place(ctx, **arguments)


def count(ctx, model) -> int:
    with ctx.database.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_an_order_is_placed_with_its_snapshot_and_its_confirmation(ctx, tmp_path):
    placed = place(ctx, tmp_path, quantity=2)
    assert placed.created and placed.number == "HLM-2026-000001"
    assert len(placed.token) >= 32
    with ctx.database.session() as session:
        order = session.scalars(select(Order)).one()
        (event,) = session.scalars(select(OrderEvent)).all()
        (message,) = session.scalars(select(OutboxMessage)).all()
    assert (order.status, event.status) == ("awaiting_payment", "awaiting_payment")
    assert order.quantity == 2 and order.total == format(2 * float(order.snapshot["total"]), ".2f")
    assert order.snapshot["selections"][-1]["text"] == "KZ7"
    assert order.token_hash != placed.token and placed.token not in str(order.snapshot)
    assert message.recipient == "zoe@example.org" and "HLM-2026-000001" in message.subject
    assert f"http://shop.example/orders/{placed.token}" in message.body
    assert "Monogram: “KZ7”" in message.body


def test_every_bad_field_gets_its_own_message(ctx, tmp_path):
    bad = {
        "name": "",
        "email": "not an address",
        "address": {"line1": "", "postcode": "1", "city": "B", "country": "Germany"},
        "phone": "call me",
        "fax": "0",
    }
    with pytest.raises(orders.Refused) as refused:
        place(ctx, tmp_path, customer=bad, quantity=0, terms_accepted=False, raw={"size": "zz"})
    fields = refused.value.fields
    assert set(fields) >= {
        "name",
        "email",
        "address",
        "phone",
        "fax",
        "quantity",
        "terms",
        "design",
    }
    assert fields["address"]["country"] == ["A two-letter country code, such as DE."]
    assert count(ctx, Order) == 0


def test_a_double_submit_makes_one_order_and_a_reused_key_is_refused(ctx, tmp_path):
    first = place(ctx, tmp_path)
    again = place(ctx, tmp_path)
    assert (again.created, again.number, again.token) == (False, first.number, None)
    with pytest.raises(orders.KeyReused):
        place(ctx, tmp_path, quantity=3)
    assert count(ctx, Order) == 1 and count(ctx, OutboxMessage) == 1


def test_a_changed_price_is_shown_and_asked_again(ctx, tmp_path):
    with pytest.raises(orders.PriceChanged) as changed:
        place(ctx, tmp_path, shown_total="1.00")
    assert changed.value.shown == "EUR 1.00" and changed.value.now.startswith("EUR ")
    assert count(ctx, Order) == 0
    placed = place(ctx, tmp_path, shown_total=changed.value.now.split()[1])
    assert placed.created


def test_concurrent_submits_with_one_key_make_one_order(ctx, tmp_path):
    results, errors = [], []

    def submit():
        try:
            results.append(place(ctx, tmp_path, key="same"))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(r.created for r in results) == 1 and len({r.number for r in results}) == 1
    assert count(ctx, Order) == 1


def test_personal_details_are_removed_after_the_legal_retention(ctx, tmp_path):
    from datetime import timedelta

    place(ctx, tmp_path)
    later = NOW + timedelta(days=ctx.settings.order_retention_days + 1)
    assert orders.pseudonymise_old(ctx, now=NOW) == 0
    assert orders.pseudonymise_old(ctx, now=later) == 1
    with ctx.database.session() as session:
        order = session.scalars(select(Order)).one()
    assert (order.name, order.email, order.address, order.phone, order.note) == (None,) * 5
    assert order.snapshot["selections"] and order.number == "HLM-2026-000001"
    assert orders.pseudonymise_old(ctx, now=later) == 0


def test_an_order_placed_with_a_keyring_is_in_its_export_and_outlives_its_erasure(ctx, tmp_path):
    import json
    from pathlib import Path

    import jsonschema

    from configurator.services import privacy, saving

    stored = saving.save(
        ctx,
        secret=None,
        product_id="helmet",
        raw=DESIGN,
        name="Mine",
        consent=True,
        notice_sha256=saving.current_notice(ctx).sha256,
    )
    placed = place(ctx, tmp_path, keyring_secret=stored.new_secret)
    data = privacy.export(ctx, stored.new_secret)
    schema = json.loads(
        (Path(__file__).resolve().parents[2] / "docs" / "privacy-export.schema.json").read_text()
    )
    jsonschema.validate(data, schema)
    assert [o["number"] for o in data["orders"]] == [placed.number]
    assert data["orders"][0]["address"]["city"] == "Berlin"
    privacy.erase(ctx, stored.new_secret)
    with ctx.database.session() as session:
        order = session.scalars(select(Order)).one()
    assert order.keyring_id is None and order.email == "zoe@example.org"  # legal retention
