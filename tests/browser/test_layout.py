"""The layout keeps a choice and the preview in view together, on a desktop, a tablet and a phone."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from .test_configure import DESIGN

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}

# Where an element is, whether it lies wholly inside the viewport, and whether it is seen there:
# the element hit at its centre is itself or inside it (not a sticky band or bar over it).
PLACE = """element => {
    const box = element.getBoundingClientRect();
    const hit = document.elementFromPoint((box.left + box.right) / 2, (box.top + box.bottom) / 2);
    return {
        top: box.top, bottom: box.bottom,
        inside: box.top >= 0 && box.left >= 0 && box.width > 0 && box.height > 0
            && box.bottom <= window.innerHeight && box.right <= window.innerWidth,
        seen: !!hit && (element.contains(hit) || hit.contains(element)),
    };
}"""


def place(locator) -> dict:
    return locator.evaluate(PLACE)


def preview_seen(page) -> bool:
    """The preview image lies wholly inside the viewport, uncovered."""
    page.wait_for_function("() => document.querySelector('#preview img')?.complete")
    where = place(page.locator("#preview img"))
    return where["inside"] and where["seen"]


def seen_tiles(page, step: int) -> int:
    """How many option tiles of the step (0: the first, -1: the last) lie wholly inside the
    viewport, uncovered."""
    tiles = page.locator("section.step").nth(step).locator(".tile")
    return sum(
        1
        for where in tiles.evaluate_all(f"tiles => tiles.map({PLACE})")
        if where["seen"] and where["inside"]
    )


@pytest.mark.parametrize("product", ["helmet", "jacket"])
def test_desktop_first_screen_shows_preview_total_and_a_first_step_option(shop, product):
    shop.open(f"/p/{product}")
    page = shop.page
    assert preview_seen(page)
    assert place(page.locator("#total"))["inside"]
    assert seen_tiles(page, 0) >= 1


def test_desktop_preview_stays_in_view_when_choosing_in_the_last_step(shop):
    """The jacket's last step has tiles (the helmet's has a text field only)."""
    shop.open("/p/jacket")
    page = shop.page
    last = page.locator("section.step").last
    option = last.locator(".tile:not(.unavailable) input:not(:checked)").first
    option.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 0
    shop.swapping(option.click)
    assert preview_seen(page), "the preview scrolled away"
    assert place(page.locator("#total"))["inside"], "the total scrolled away"


def test_desktop_preview_stays_in_view_when_typing_the_helmets_monogram(shop):
    shop.open("/p/helmet")
    page = shop.page
    page.locator("section.step").last.scroll_into_view_if_needed()
    shop.type_text("monogram", "AB")
    assert preview_seen(page)


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
@pytest.mark.parametrize("product", ["helmet", "jacket"])
def test_small_screens_show_the_preview_and_an_option_together(open_shop, viewport, product):
    shop = open_shop(viewport=viewport)
    shop.open(f"/p/{product}")
    page = shop.page
    assert preview_seen(page) and seen_tiles(page, 0) >= 1, "first paint"
    page.locator("section.step").last.evaluate("step => step.scrollIntoView()")
    assert preview_seen(page), "the preview scrolled away"
    if product == "jacket":  # the helmet's last step is a text field
        assert seen_tiles(page, -1) >= 1, "no option of the last step in view"
    else:
        assert place(page.locator("#field-monogram"))["seen"]
    assert place(page.locator("#bar"))["inside"], "the total bar scrolled away"


@pytest.mark.parametrize("product", ["helmet", "jacket"])
def test_the_title_is_one_line_on_a_phone(open_shop, product):
    shop = open_shop(viewport=PHONE)
    shop.open(f"/p/{product}")
    height, line = shop.page.locator("h1").evaluate(
        "h1 => [h1.getBoundingClientRect().height, parseFloat(getComputedStyle(h1).lineHeight)]"
    )
    assert height <= 1.5 * line, f"h1 {height}px high, line height {line}px"


# (key, the group focused before, the group it moves to, where that group's tile is put first:
# just under the bottom bar, or under the top preview band)
TABS = [
    ("Tab", "size", "hide", "under the bar"),
    ("Shift+Tab", "finish", "leather_colour", "under the band"),
]


@pytest.mark.parametrize(("key", "before", "after", "hidden"), TABS, ids=["Tab", "Shift+Tab"])
def test_tabbing_on_a_phone_never_leaves_the_focus_under_a_sticky_bar(
    open_shop, key, before, after, hidden
):
    """A tile that sits under the sticky band or bar is scrolled clear of them when focused."""
    shop = open_shop(viewport=PHONE)
    shop.open("/p/jacket")
    page = shop.page
    page.evaluate(
        """([before, after, under_bar]) => {
            const tiles = document.querySelectorAll(`#attr-${after} .tile`);
            const box = tiles[under_bar ? 0 : tiles.length - 1].getBoundingClientRect();
            window.scrollBy(0, under_bar ? box.top - window.innerHeight + 20 : box.bottom - 150);
            const group = `#attr-${before} input`;
            const from = document.querySelector(`${group}:checked`) || document.querySelector(group);
            from.focus({preventScroll: true});
        }""",
        [before, after, hidden == "under the bar"],
    )
    page.keyboard.press(key)
    focused = page.evaluate_handle("document.activeElement")
    assert focused.evaluate("e => e.name") == after
    box = focused.evaluate("e => e.getBoundingClientRect().toJSON()")
    band = page.locator(".stage").evaluate("e => e.getBoundingClientRect().bottom")
    bar = page.locator("#bar").evaluate("e => e.getBoundingClientRect().top")
    assert band <= box["top"] and box["bottom"] <= bar, f"{box} not between {band} and {bar}"


def test_the_stepper_scrolls_sideways_on_a_phone(open_shop):
    shop = open_shop(viewport=PHONE)
    shop.open("/p/jacket")
    steps = shop.page.locator("ol.progress")
    assert steps.evaluate("ol => getComputedStyle(ol).overflowX") == "auto"
    assert steps.evaluate("ol => ol.getBoundingClientRect().height") < 50, "steps wrap"


def test_reduced_motion_scrolls_without_animation(shop):
    shop.open("/p/helmet")
    assert shop.page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"


REVIEW = "/p/helmet/review?" + urlencode(DESIGN)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_review_view_switch_changes_the_preview(open_shop, javascript):
    shop = open_shop(javascript=javascript)
    page = shop.page
    shop.open(REVIEW)
    before = shop.preview_src()
    page.get_by_role("link", name="Side").click()
    page.wait_for_url("**_view=side*")
    assert "/review" in page.url
    assert shop.preview_src() != before
    assert "/side.webp" in shop.preview_src()
    assert shop.preview_width() > 0
    assert page.log.console_errors == []


def test_review_offers_next_steps_and_no_review_link(shop):
    shop.open(REVIEW)
    page = shop.page
    assert page.get_by_role("link", name="Review my design").count() == 0
    steps = page.locator("section#next-steps")
    change = steps.get_by_role("link", name="Change something")
    assert shop.selections_in(change.get_attribute("href")) == dict(DESIGN)
    hook = steps.locator("#order-actions")  # save (and, later, order) hook in here
    save = hook.get_by_role("link", name="Save this design")
    assert save.get_attribute("href").startswith("/p/helmet/save?")
    assert shop.selections_in(save.get_attribute("href")) == dict(DESIGN)
    change.click()
    page.wait_for_url("**/p/helmet?**")
    assert shop.chosen() == dict(DESIGN)
