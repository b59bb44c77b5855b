"""Repairs in a real browser: "Make it possible" links and the conflict's repair button."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

IRIDIUM_ON_FULL_FACE = {"shell_type": "full_face", "visor": "iridium"}


def test_make_it_possible_gets_the_iridium_visor(shop, helmet):
    page = shop.page
    shop.open()
    shop.click("shell_type", "open_face")
    iridium = shop.radio("visor", "iridium")
    assert iridium.get_attribute("aria-disabled") == "true"
    reason = page.locator("#opt-visor-iridium-why")
    assert "Why, and how to get it?" in reason.inner_text()  # said when asked: not up front
    page.locator(".tile", has=page.locator("#opt-visor-iridium")).hover()  # pointing fetches it
    expect(reason).to_contain_text("Open-face helmets come without a visor")

    shop.swapping(lambda: reason.get_by_role("link", name="Make it possible").click())

    state = shop.state()
    assert not state["conflict"], page.locator("#options .conflict").inner_text()
    assert state["chosen"] == IRIDIUM_ON_FULL_FACE
    assert shop.url_selections() == IRIDIUM_ON_FULL_FACE
    assert shop.total() == helmet.total(state["checked"])
    assert iridium.get_attribute("aria-disabled") is None


def test_choosing_an_unavailable_option_shows_the_conflict_and_its_repair(shop, helmet):
    page = shop.page
    shop.open()
    shop.click("shell_type", "open_face")
    shop.click("visor", "iridium", unavailable=True)

    conflict = page.locator("#options .conflict")
    assert conflict.get_attribute("role") == "alert"
    assert "do not fit together" in conflict.inner_text()
    assert shop.state()["chosen"] == {"shell_type": "open_face", "visor": "iridium"}
    repair = conflict.get_by_role("link", name="change Shell type from Open face to Full face")
    assert repair.is_visible()

    shop.swapping(repair.click)

    state = shop.state()
    assert not state["conflict"], page.locator("#options .conflict").inner_text()
    assert state["chosen"] == IRIDIUM_ON_FULL_FACE
    assert shop.url_selections() == IRIDIUM_ON_FULL_FACE
    assert shop.total() == helmet.total(state["checked"])


def test_a_conflicting_design_keeps_its_url(shop):
    """The pushed URL holds the design on screen, so a reload or a shared link shows the same."""
    page = shop.page
    shop.open()
    shop.click("shell_type", "open_face")
    shop.click("visor", "iridium", unavailable=True)
    shown = shop.state()
    assert shown["conflict"]
    assert shop.url_selections() == shown["chosen"], "the URL lost part of the design shown"
    page.reload()
    assert shop.state() == shown


def test_make_it_possible_without_javascript(open_page):
    page = open_page(javascript=False)
    page.goto("/p/helmet")
    page.locator("#opt-shell_type-open_face").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Update my design").click()
    why = page.locator("#opt-visor-iridium-why")
    with page.expect_navigation():
        why.get_by_role("button", name="Why, and how to get it?").click()
    assert "Open-face helmets come without a visor" in why.inner_text()
    with page.expect_navigation():
        why.get_by_role("link", name="Make it possible").click()
    assert page.locator("#opt-shell_type-full_face").is_checked()
    assert page.locator("#opt-visor-iridium").is_checked()
    assert page.locator("#options .conflict").count() == 0


def test_without_javascript_a_conflict_offers_the_same_repair(open_page):
    """The newest choice is kept and an older one changed, as with JavaScript on."""
    page = open_page(javascript=False)
    page.goto("/p/helmet")
    update = page.get_by_role("button", name="Update my design")
    for attribute, value in [("shell_type", "open_face"), ("visor", "iridium")]:
        page.locator(f"#opt-{attribute}-{value}").click(force=True)
        with page.expect_navigation():
            update.click()
    conflict = page.locator("#options .conflict")
    assert "change Shell type from Open face to Full face" in conflict.inner_text()
    with page.expect_navigation():
        conflict.get_by_role("link").click()
    assert page.locator("#opt-shell_type-full_face").is_checked()
    assert page.locator("#opt-visor-iridium").is_checked()
    assert page.locator("#options .conflict").count() == 0


def test_a_keyboard_repair_keeps_the_focus(shop):
    """After Enter on "Make it possible", the focus is on the option made possible, not lost."""
    page = shop.page
    shop.open()
    shop.click("shell_type", "open_face")
    why = page.locator("#opt-visor-iridium-why")
    asking = why.get_by_role("button", name="Why, and how to get it?")
    for _ in range(60):  # Tab from the shell type to the tile's question, as a keyboard user would
        page.keyboard.press("Tab")
        if asking.evaluate("button => button === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the iridium visor's question")
    page.keyboard.press("Enter")  # the answer comes in and takes the focus
    link = why.get_by_role("link", name="Make it possible")
    expect(link).to_be_focused()
    assert "Open-face helmets come without a visor" in why.inner_text()
    shop.swapping(lambda: page.keyboard.press("Enter"))
    # htmx focuses the [autofocus] tile in its settle step, which can end a moment after
    # the swap is seen as settled: wait for the focus (Playwright retries up to 5 s)
    expect(page.locator("#opt-visor-iridium")).to_be_focused()
