"""Checkout through the shop: the form asks only what fulfilment needs, keeps the shopper's input
beside each message, places one order per form, and the private order page shows the snapshot."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from configurator.store import Order

DESIGN = (
    "shell_type=full_face&size=m&shell_colour=cobalt_blue&finish=gloss&visor=clear&lining=black"
    "&monogram=KZ7&_order=shell_type,size,shell_colour,finish,visor,lining,monogram"
)
DETAILS = {
    "quantity": "1",
    "name": "Zoë Example",
    "email": "zoe@example.org",
    "line1": "Hauptstraße 1",
    "postcode": "10115",
    "city": "Berlin",
    "country": "de",
    "terms": "yes",
}


@pytest.fixture
def shop(make_app, database_url):
    return make_app(database_url=database_url)


def form_fields(page: str) -> dict[str, str]:
    """The form's hidden fields, as a browser sends them (entities decoded)."""
    found = re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', page)
    return {name: html.unescape(value) for name, value in found}


def orders_in(app) -> int:
    with app.extensions["database"].session() as session:
        return session.scalar(select(func.count()).select_from(Order))


def test_the_form_asks_only_what_fulfilment_needs_and_ticks_nothing(shop):
    page = shop.test_client().get(f"/p/helmet/checkout?{DESIGN}").text
    names = set(re.findall(r'<(?:input|textarea|select)[^>]* name="(\w+)"', page))
    assert names == {
        "csrf_token",
        "design",
        "key",
        "shown_total",
        "quantity",
        "name",
        "email",
        "line1",
        "line2",
        "postcode",
        "city",
        "country",
        "phone",
        "note",
        "terms",
    }
    assert "checked" not in page and "For delivery questions only." in page


def test_a_refused_field_keeps_the_input_and_says_why_beside_it(shop):
    client = shop.test_client()
    hidden = form_fields(client.get(f"/p/helmet/checkout?{DESIGN}").text)
    bad = {**hidden, **DETAILS, "email": "nope", "country": "Germany", "terms": ""}
    response = client.post("/p/helmet/checkout", data=bad)
    assert response.status_code == 400
    page = response.text
    assert 'value="Zoë Example"' in page and 'value="nope"' in page
    assert re.search(r'id="f-email-error">[^<]+<', page)
    assert "Accept the terms of sale to order." in page
    assert orders_in(shop) == 0


def test_one_order_per_form_and_its_private_page(shop):
    client = shop.test_client()
    hidden = form_fields(client.get(f"/p/helmet/checkout?{DESIGN}").text)
    first = client.post("/p/helmet/checkout", data={**hidden, **DETAILS})
    again = client.post("/p/helmet/checkout", data={**hidden, **DETAILS})  # a double submit
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    assert orders_in(shop) == 1
    page = client.get(first.headers["Location"])
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text = page.text
    assert re.search(r"Order HLM-\d{4}-000001", text) and "awaiting payment" in text
    assert "“KZ7”" in text and "Cobalt blue metallic" in text
    image = re.search(r'src="(/orders/[^"]+/front\.webp)"', text).group(1)
    assert client.get(image).data[:4] == b"RIFF"
    other = client.post("/p/helmet/checkout", data={**hidden, **DETAILS, "quantity": "2"})
    assert other.status_code == 409 and orders_in(shop) == 1


def test_a_changed_price_shows_both_and_asks_again(shop):
    client = shop.test_client()
    hidden = form_fields(client.get(f"/p/helmet/checkout?{DESIGN}").text)
    stale = client.post("/p/helmet/checkout", data={**hidden, **DETAILS, "shown_total": "1.00"})
    assert stale.status_code == 409
    assert "The price changed from EUR 1.00 to EUR " in stale.text
    confirmed = client.post("/p/helmet/checkout", data={**form_fields(stale.text), **DETAILS})
    assert confirmed.status_code == 303 and orders_in(shop) == 1


def test_a_saved_design_is_ordered_from_its_page(shop):
    from tests.web.test_saving import save

    client = shop.test_client()
    clash = "shell_colour=chrome&finish=matte&_order=shell_colour,finish"
    unfinished = save(client, query=clash)
    page = client.get(unfinished.headers["Location"]).text
    assert "Order this design" not in page  # chrome is gloss only: nothing to order yet
    saved = save(client, query=DESIGN)
    page = client.get(saved.headers["Location"]).text
    link = html.unescape(re.search(r'href="([^"]+)">Order this design<', page).group(1))
    assert link.startswith("/p/helmet/checkout?")
    form = client.get(link)
    hidden = form_fields(form.text)
    assert "KZ7" in form.text and "csrf_token" in hidden  # the keyring's form is protected
    placed = client.post("/p/helmet/checkout", data={**hidden, **DETAILS})
    assert placed.status_code == 303 and orders_in(shop) == 1
    assert "Cobalt blue metallic" in client.get(placed.headers["Location"]).text
