"""Ordering in a real browser: design a helmet with a monogram, review, order, see the
confirmation, receive the e-mail through a real SMTP server, and find the order awaiting payment."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from configurator.bootstrap import bootstrap
from configurator.services import outbox
from tests.conftest import CATALOG
from tests.support.smtp import smtp_server

pytestmark = pytest.mark.browser

DESIGN = (
    "shell_type=full_face&size=m&shell_colour=racing_red&finish=gloss&visor=clear&lining=black"
    "&_order=shell_type,size,shell_colour,finish,visor,lining"
)


def order_a_helmet(page) -> tuple[str, str]:
    """Design a helmet with a monogram, review, order it; returns its number and total."""
    page.goto(f"/p/helmet?{DESIGN}")
    page.locator("#field-monogram").fill("KZ7")
    page.locator("#field-monogram").press("Tab")
    page.wait_for_function(
        "() => new URL(location.href).searchParams.get('monogram') === 'KZ7'", timeout=10_000
    )
    page.get_by_role("link", name="Review my design").first.click()
    page.wait_for_url(re.compile(r"/p/helmet/review\?"))
    total = page.locator("#total").inner_text().split()[-1]
    page.get_by_role("link", name="Order this design").click()
    page.wait_for_url(re.compile(r"/p/helmet/checkout\?"))
    assert page.context.cookies() == []  # ordering needs no cookie either
    page.get_by_label("Full name").fill("Zoë Example")
    page.get_by_label("E-mail").fill("zoe@example.org")
    page.get_by_label("Street and number").fill("Hauptstraße 1")
    page.get_by_label("Postcode").fill("10115")
    page.get_by_label("City").fill("Berlin")
    page.get_by_label("Country code").fill("DE")
    page.get_by_label("I accept the terms of sale").check()
    page.get_by_role("button", name="Place the order").click()
    page.wait_for_url(re.compile(r"/orders/[A-Za-z0-9_-]+\?placed=1$"))
    number = re.search(r"Order (\S+)", page.locator("h1").inner_text()).group(1)
    assert page.get_by_role("heading", name="Status: awaiting payment").is_visible()
    assert "“KZ7”" in page.content() and f"EUR {total}" in page.content()
    assert page.locator("img.thumb").first.evaluate("img => img.naturalWidth") > 0
    return number, total


def test_design_review_order_confirm_and_the_email(open_shop, live_server):
    shop = open_shop()
    page = shop.page
    number, total = order_a_helmet(page)

    with smtp_server() as inbox:
        ctx = bootstrap(
            {
                "DATABASE_URL": f"sqlite:///{live_server.instance / 'live.sqlite3'}",
                "INSTANCE_DIR": str(live_server.instance),
                "CATALOG_DIR": str(CATALOG),
                "SMTP_URL": inbox.url,
            },
            load_catalog=False,
        )
        try:
            outbox.deliver_due(ctx)
        finally:
            ctx.close()
        (message,) = [m for m in inbox.messages if number in m["Subject"]]
    body = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    (picture,) = [p for p in message.walk() if p.get_content_type() == "image/png"]
    cid = picture["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html and "inline" in picture["Content-Disposition"]
    with Image.open(io.BytesIO(picture.get_content())) as front:
        assert front.format == "PNG" and front.width == 400
        assert len(front.convert("RGB").getcolors(1 << 20)) > 50  # a drawn helmet, not a blank
    assert message["To"] == "zoe@example.org"
    assert f"EUR {total}" in body and "Monogram: “KZ7”" in body
    link = re.search(r"http://127\.0\.0\.1:\d+(/orders/[A-Za-z0-9_-]+)", body).group(1)
    page.goto(link)
    assert page.get_by_role("heading", name="Status: awaiting payment").is_visible()
