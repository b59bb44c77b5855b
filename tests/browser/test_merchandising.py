"""The merchandiser's workflow in a real browser: sign in, see the catalog's findings, open
the contact sheet (every option's pictures load), try a staged change, publish it, and the
shop serves it within two seconds."""

from __future__ import annotations

import re
import shutil
import time

import pytest

from configurator.bootstrap import bootstrap
from configurator.services import staff as accounts
from tests.conftest import CATALOG
from tools.live import launch, serve

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def test_a_merchandiser_checks_tries_and_publishes_a_change(playwright_driver, tmp_path):
    folder = tmp_path / "catalog"
    shutil.copytree(CATALOG, folder)
    instance = tmp_path / "instance"
    with serve(instance, folder, RATELIMIT_SIGNIN="1000 per minute") as url:
        ctx = bootstrap(
            {
                "DATABASE_URL": f"sqlite:///{instance / 'live.sqlite3'}",
                "INSTANCE_DIR": str(instance),
                "CATALOG_DIR": str(folder),
            },
            load_catalog=False,
        )
        try:
            accounts.add(ctx, "max@workshop.example", "merchandiser", PASSWORD)
        finally:
            ctx.close()
        browser = launch(playwright_driver)
        try:
            page = browser.new_context(base_url=url).new_page()
            page.goto("/staff/sign-in")
            page.get_by_label("E-mail").fill("max@workshop.example")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("link", name="Catalog").click()
            page.wait_for_url(re.compile(r"/staff/catalog$"))
            helmet = page.locator(
                "section", has=page.get_by_role("heading", name=re.compile("helmet"))
            )
            assert (
                "Problems and findings" in helmet.inner_text()
                or "No problems" in helmet.inner_text()
            )
            page.get_by_role("button", name="Publish").click()
            page.wait_for_selector("text=Published #1")

            helmet.first.get_by_role("link", name="Contact sheet", exact=True).click()
            page.wait_for_url(re.compile(r"/staff/catalog/helmet/sheet$"))
            images = page.locator(".sheet-tile img")
            assert images.count() > 40
            page.wait_for_function(
                "() => [...document.querySelectorAll('.sheet-tile img')]"
                ".every(img => img.complete && img.naturalWidth > 0)",
                timeout=60_000,
            )

            page.goto("/staff/catalog/helmet/try")
            before = float(page.locator("#look-title").inner_text().split()[-1])
            # the staged change: the base price up by 20
            yaml = folder / "helmet.yaml"
            yaml.write_text(
                yaml.read_text().replace('base_price: "229.00"', 'base_price: "249.00"')
            )
            page.goto("/staff/catalog")
            assert "; shoppers see" in page.locator("main").inner_text()  # the candidate differs
            page.locator(
                "section", has=page.get_by_role("heading", name=re.compile("helmet"))
            ).first.get_by_role("link", name="Try the candidate").click()
            tried = page.locator("#look-title").inner_text()
            shop = page.context.request.get(f"{url}/api/v1/products/helmet").json()
            assert shop["base_price"] == "229.00"  # shoppers still see the published price
            page.goto("/staff/catalog")
            page.get_by_role("button", name="Publish").click()
            page.wait_for_selector("text=Published #2")
            start = time.monotonic()
            while (
                page.context.request.get(f"{url}/api/v1/products/helmet").json()["base_price"]
                != "249.00"
            ):
                assert time.monotonic() - start < 2.0, "the shop did not switch within 2 s"
                time.sleep(0.05)
            assert float(tried.split()[-1]) - before == 20
        finally:
            browser.close()
