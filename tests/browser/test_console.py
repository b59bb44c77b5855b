"""The browser console stays clean through a whole visit: no errors, no uncaught exceptions."""

from __future__ import annotations

import pytest

from .test_configure import DESIGN

pytestmark = pytest.mark.browser


def test_the_console_shows_no_errors(own_browser, open_shop):
    shop = open_shop(in_browser=own_browser)
    page = shop.page
    page.goto("/")
    page.get_by_role("link", name="Custom motorcycle helmet").click()
    page.wait_for_url("**/p/helmet")
    shop.click("shell_type", "open_face")
    shop.click("visor", "iridium", unavailable=True)
    page.goto("/p/helmet")
    for attribute, value in DESIGN:
        shop.choose(attribute, value)
    page.get_by_role("link", name="Review my design").click()
    page.wait_for_url("**/p/helmet/review?**")
    shop.preview_width()
    page.get_by_role("link", name="Change something").click()
    shop.swapping(page.get_by_role("link", name="Side").click)
    shop.preview_width()
    page.goto("/p/jacket")
    shop.preview_width()
    assert page.log.console_errors == []
