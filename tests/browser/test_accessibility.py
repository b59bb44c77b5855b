"""axe-core on every kind of shop page, and the configurator on a phone."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from .test_configure import DESIGN

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def reach_conflict(shop):
    shop.open()
    shop.click("shell_type", "open_face")
    shop.click("visor", "iridium", unavailable=True)
    assert shop.state()["conflict"]


def reach_review(shop):
    shop.open("/p/helmet/review?" + urlencode(DESIGN))
    shop.page.wait_for_url("**/p/helmet/review?**")


PAGES = {
    "product list": lambda shop: shop.open("/"),
    "helmet configurator": lambda shop: shop.open("/p/helmet"),
    "jacket configurator": lambda shop: shop.open("/p/jacket"),
    "helmet with a conflict": reach_conflict,
    "review": reach_review,
}


@pytest.mark.parametrize("reach", PAGES.values(), ids=PAGES.keys())
def test_no_serious_accessibility_violations(shop, reach):
    reach(shop)
    violations, report = shop.axe(impacts=("serious", "critical"))
    assert not violations, report


@pytest.mark.parametrize("reach", PAGES.values(), ids=PAGES.keys())
def test_no_horizontal_scroll_on_a_phone(open_shop, reach):
    shop = open_shop(viewport=PHONE)
    reach(shop)
    widths = shop.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert shop.page.evaluate(NO_HORIZONTAL_SCROLL), f"scrollWidth {widths[0]} > {widths[1]}"


def test_a_phone_can_design_with_taps(open_shop, helmet):
    shop = open_shop(viewport=PHONE)
    shop.open()
    chosen = {}
    for attribute, value in DESIGN[:-1]:
        shop.click(attribute, value)  # Playwright checks the radio itself receives the click
        chosen[attribute] = value
        assert shop.chosen() == chosen
        assert shop.page.evaluate(NO_HORIZONTAL_SCROLL), f"horizontal scroll after {attribute}"
    assert shop.total() == helmet.total(shop.checked())


def test_a_new_total_is_announced(shop):
    """The page's live region stays in place while its text changes with each choice.

    Screen readers announce changes inside a live region they already know; a region that is
    replaced by a new element with the new text is, in most of them, not announced at all.
    """
    page = shop.page
    shop.open()
    announcer = page.locator("#announcer")
    assert announcer.get_attribute("aria-live") == "polite"
    page.evaluate("document.querySelector('#announcer').dataset.original = 'yes'")
    shop.click("shell_type", "full_face")
    assert page.locator("#total").inner_text().endswith("299.00")
    assert page.evaluate("document.querySelector('#announcer').dataset.original") == "yes"
    assert "Total EUR 299.00." in announcer.inner_text()
    assert "option" in announcer.inner_text() and "unavailable" in announcer.inner_text()
    replaced_live = page.evaluate(
        "[...document.querySelectorAll('#summary [aria-live], #summary [role=status]')].length"
    )
    assert replaced_live == 0, "a live region inside a swapped region is never announced"
