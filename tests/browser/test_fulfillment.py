"""Fulfillment in a real browser: a shopper orders a helmet; a fulfillment user signs in,
finds it, marks it paid, starts production, downloads the batch CSV and the work order,
ships it; the shopper's order page shows each status as it happens."""

from __future__ import annotations

import csv
import io
import re

import pytest
from pypdf import PdfReader

from configurator.bootstrap import bootstrap
from configurator.services import staff as accounts
from tests.browser.conftest import DESKTOP
from tests.browser.test_accessibility import PHONE
from tests.browser.test_ordering import order_a_helmet
from tests.conftest import CATALOG

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def test_a_fulfillment_user_takes_an_order_from_paid_to_shipped(open_shop, open_page, live_server):
    shopper = open_shop().page
    number, _total = order_a_helmet(shopper)
    order_page = shopper.url.split("?")[0]
    ctx = bootstrap(
        {
            "DATABASE_URL": f"sqlite:///{live_server.instance / 'live.sqlite3'}",
            "INSTANCE_DIR": str(live_server.instance),
            "CATALOG_DIR": str(CATALOG),
        },
        load_catalog=False,
    )
    try:
        email = f"fay+{number.lower()}@workshop.example"
        accounts.add(ctx, email, "fulfillment", PASSWORD)
    finally:
        ctx.close()

    page = open_page()
    page.goto("/staff/orders")
    page.wait_for_url(re.compile(r"/staff/sign-in\?next="))
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/staff/orders$"))
    page.get_by_role("searchbox").fill(number)
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name=number).click()
    page.wait_for_url(re.compile(rf"/staff/orders/{number}$"))
    assert page.locator(".made-text").inner_text() == "KZ7"
    assert page.locator(".pictures img").first.evaluate("img => img.naturalWidth") > 0

    def status_for_shopper() -> str:
        shopper.goto(order_page)
        return shopper.locator("#status-title").inner_text()

    page.get_by_role("button", name="Mark paid").click()
    page.wait_for_selector("h1 .is-paid")
    assert status_for_shopper() == "Status: paid"
    page.get_by_role("button", name="Start production").click()
    page.wait_for_selector("h1 .is-in_production")
    assert status_for_shopper() == "Status: in production"

    page.get_by_role("link", name="Exports").click()
    page.get_by_label("Orders that are").select_option("in_production")
    page.get_by_role("button", name="Export").click()
    batch = page.locator("table.orders tbody tr").first
    with page.expect_download() as download:
        batch.get_by_role("link", name="orders.csv").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    (row,) = [r for r in rows if r["order number"] == number]
    assert row["monogram text"] == "KZ7" and row["name"] == "Zoë Example"

    page.goto(f"/staff/orders/{number}")
    href = page.get_by_role("link", name="Work order (PDF)").get_attribute("href")
    pdf = page.context.request.get(href)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text()
    assert number in text and "KZ7" in text

    page.get_by_label("Carrier").fill("DHL")
    page.get_by_label("Tracking number").fill("JD014600006281")
    page.get_by_role("button", name="Ship").click()
    page.wait_for_selector("h1 .is-shipped")
    assert status_for_shopper() == "Status: shipped"
    assert "JD014600006281" in shopper.content()
    history = shopper.locator("ol.history li").all_inner_texts()
    assert [h.split()[0] for h in history] == ["awaiting", "paid", "in", "shipped"]
    staff_pages_are_accessible(open_shop, email, number)


def staff_pages_are_accessible(open_shop, email: str, number: str) -> None:
    """axe-core on each staff page, at 1280 wide and on a phone with no sideways scrolling."""
    for viewport in (DESKTOP, PHONE):
        shop = open_shop(viewport=viewport)
        page = shop.page
        page.goto("/staff/sign-in")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/staff/orders$"))
        for url in ("/staff/orders", f"/staff/orders/{number}", "/staff/exports"):
            page.goto(url)
            found, report = shop.axe()
            assert not found, report
            if viewport is PHONE:
                wide = page.evaluate("document.documentElement.scrollWidth")
                assert wide <= PHONE["width"], f"{url}: {wide} px wide on a phone"
