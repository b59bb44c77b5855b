"""A declared preference in a real browser: declared with its box, pre-selected with its note on
the helmet, withdrawn with "Don't use this" in fewer clicks than it took to grant."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_declare_use_and_withdraw_a_head_size(open_shop):
    shop = open_shop()
    page = shop.page
    page.goto("/preferences")
    assert page.context.cookies() == []
    question = page.locator("#q-head_size")
    grant = 0
    question.get_by_label("M (57-58 cm)").check()
    grant += 1
    question.get_by_label("Use my answer for this: We pre-select your helmet size from it.").check()
    grant += 1
    question.get_by_role("button", name="Save this answer").click()
    grant += 1
    page.wait_for_url(re.compile(r"/preferences\?saved=head_size"))
    assert page.locator("#q-head_size .held").inner_text().endswith("M (57-58 cm)")

    page.goto("/p/helmet")
    assert page.locator("#opt-size-m").is_checked()
    note = page.locator(".preference-note").first
    assert note.inner_text().startswith("Pre-selected because you told us on ")
    assert "What is your head size?" in note.inner_text()
    assert shop.chosen() == {}  # a pre-selection is not a choice
    withdraw = 0
    note.get_by_role("button", name="Don't use this").click()
    withdraw += 1
    page.wait_for_load_state()
    assert page.locator(".preference-note").count() == 0
    assert page.url.rstrip("/").endswith("/p/helmet")
    assert withdraw <= grant
    page.goto("/preferences")
    assert page.locator("#q-head_size .held").count() == 0  # the answer is gone


def test_the_preferences_page_is_accessible(open_shop):
    shop = open_shop()
    shop.page.goto("/preferences")
    found, report = shop.axe()
    assert not found, report


def test_the_privacy_centre_fits_a_phone_and_is_accessible(open_shop):
    shop = open_shop(viewport={"width": 390, "height": 844})
    page = shop.page
    page.goto("/preferences")
    question = page.locator("#q-head_size")
    question.get_by_label("S (55-56 cm)").check()
    question.get_by_label("Use my answer for this", exact=False).check()
    question.get_by_role("button", name="Save this answer").click()
    page.wait_for_url(re.compile(r"/preferences\?saved="))
    page.goto("/privacy")
    assert page.get_by_role("heading", name="What you agreed to").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    found, report = shop.axe()
    assert not found, report
