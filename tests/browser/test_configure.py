"""Design a helmet in a real browser: with the mouse, the keyboard, without JavaScript, through history."""

from __future__ import annotations

import contextlib
from urllib.parse import urlencode

import pytest

from tests.browser.page_state import STATE_JS

pytestmark = pytest.mark.browser

# One complete helmet, in the order a shopper picks it (graphics left empty: it is optional).
DESIGN = [
    ("shell_type", "full_face"),
    ("size", "l"),
    ("shell_colour", "cobalt_blue"),
    ("finish", "satin"),
    ("visor", "tinted"),
    ("lining", "tan"),
    ("monogram", "ABC"),
]


def test_design_a_helmet_with_the_mouse(shop, helmet):
    page = shop.page
    shop.open()
    assert shop.chosen() == {}
    assert shop.total() == helmet.total(shop.checked())  # the suggested design, priced
    chosen: dict[str, str] = {}
    for attribute, value in DESIGN:
        url_before, src_before = page.url, shop.preview_src()
        entries_before = page.evaluate("history.length")
        shop.choose(attribute, value)
        chosen[attribute] = value

        page.wait_for_url(lambda url, chosen=dict(chosen): shop.selections_in(url) == chosen)
        assert page.url != url_before, f"URL not updated after choosing {attribute}={value}"
        assert page.evaluate("history.length") == entries_before + 1, "URL replaced, not pushed"
        assert shop.chosen() == chosen
        assert shop.total() == helmet.total(shop.checked()), f"total after {attribute}={value}"
        assert shop.preview_src() != src_before, f"preview unchanged after {attribute}={value}"
        assert shop.preview_width() > 0, f"preview did not load after {attribute}={value}"

    review = page.get_by_role("link", name="Review my design")
    assert review.is_visible()
    shown = shop.checked()
    review.click()
    page.wait_for_url("**/p/helmet/review?**")
    assert page.locator("code.sku").inner_text() == helmet.design_sku(shown)
    assert shop.total() == helmet.total(shown)


# Keys that reach DESIGN from a fresh page: (key, the id that must hold the focus afterwards).
# Tab moves to the next radio group (its checked radio, else its first); arrows check the
# next or previous radio of the group; Space checks the focused one.
KEYBOARD_DESIGN = [  # Tab enters a radio group at its checked tile: the suggestion at first
    ("Tab*", "opt-shell_type-full_face"),  # left as suggested: the default shell
    ("Tab", "opt-size-m"),
    ("ArrowRight", "opt-size-l"),
    ("Tab", "opt-shell_colour-racing_red"),
    ("ArrowRight", "opt-shell_colour-chrome"),
    ("ArrowRight", "opt-shell_colour-cobalt_blue"),
    ("Tab", "opt-finish-gloss"),
    ("ArrowRight", "opt-finish-satin"),
    ("Tab", "opt-graphics-none"),
    ("Tab", "opt-visor-clear"),
    ("ArrowRight", "opt-visor-tinted"),
    ("Tab", "opt-lining-black"),
    ("ArrowLeft", "opt-lining-olive"),
    ("ArrowLeft", "opt-lining-tan"),
    ("Tab", "field-monogram"),
    ("type:ABC", "field-monogram"),
]

FOCUS_STATE = """() => {
    const element = document.activeElement;
    const shown = element.type === 'radio'
        ? document.querySelector(`label[for="${element.id}"]`) : element;
    const style = getComputedStyle(shown);
    return {id: element.id, focusVisible: element.matches(':focus-visible'),
            outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
}"""


def test_design_a_helmet_with_the_keyboard_only(shop, helmet):
    page = shop.page
    shop.open()
    for key, focus_id in KEYBOARD_DESIGN:
        if key == "Tab*":  # from the top of the page to the first option
            for _ in range(40):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.id") == focus_id:
                    break
        elif key == "Tab":  # past any unavailable tile's "Why, and how to get it?" button
            for _ in range(12):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.id") == focus_id:
                    break
                passed = page.evaluate("document.activeElement.textContent.trim()")
                assert passed == "Why, and how to get it?", f"Tab stopped on {passed!r}"
        elif key.startswith("type:"):
            shop.swapping(lambda key=key: page.keyboard.type(key.removeprefix("type:")))
        else:
            shop.swapping(lambda key=key: page.keyboard.press(key))
        focus = page.evaluate(FOCUS_STATE)
        assert focus["id"] == focus_id, f"after {key}: focus on #{focus['id']}, not #{focus_id}"
        assert focus["focusVisible"] and focus["outline"], f"after {key}: focus not visible"

    chosen = {a: v for a, v in DESIGN if a != "shell_type"}  # the shell stayed a suggestion
    assert shop.chosen() == chosen
    assert shop.url_selections() == chosen
    assert shop.checked()["shell_type"] == "full_face"
    assert shop.total() == helmet.total(shop.checked())
    assert shop.preview_width() > 0

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Review my design"
    shown = shop.checked()
    page.keyboard.press("Enter")
    page.wait_for_url("**/p/helmet/review?**")
    assert page.locator("code.sku").inner_text() == helmet.design_sku(shown)


def design_with_javascript(shop) -> dict:
    """Reach DESIGN with the mouse; what the page then shows and the URL it pushed."""
    shop.open()
    for attribute, value in DESIGN:
        shop.choose(attribute, value)
    shop.page.wait_for_url(lambda url: shop.selections_in(url) == dict(DESIGN))
    return summary_of(shop)


def summary_of(shop) -> dict:
    page = shop.page
    return {
        "url": shop.url_selections(),
        "checked": shop.checked(),
        "price lines": page.locator("#summary .price-lines").inner_text(),
        "status": page.locator("#summary .status").inner_text(),
        "review link": shop.selections_in(
            page.get_by_role("link", name="Review my design").get_attribute("href")
        ),
    }


def test_design_a_helmet_without_javascript(shop, open_shop, helmet):
    with_js = design_with_javascript(shop)

    no_js = open_shop(javascript=False)
    page = no_js.page
    page.goto("/p/helmet")
    update = page.get_by_role("button", name="Update my design")
    for attribute, value in DESIGN:
        if attribute == "monogram":
            page.locator(f"#field-{attribute}").fill(value)
        else:
            page.locator(f"#opt-{attribute}-{value}").click()
        with page.expect_navigation():
            update.click()
    assert no_js.state()["regions"] == ["h1", "form#design", "#options", "#summary", "#preview"]
    # Without JavaScript a suggestion left as it is (the default full-face shell, "clicked"
    # though already checked) stays a suggestion: the same design, one choice fewer.
    without = summary_of(no_js)
    for key in ("checked", "price lines"):
        assert without[key] == with_js[key], key
    assert {**without["url"], "shell_type": "full_face"} == with_js["url"]
    assert no_js.total() == helmet.total(no_js.checked())
    assert no_js.preview_width() > 0


def test_back_and_forward_restore_the_exact_design(shop):
    page = shop.page
    shop.open()
    states = [shop.state()]
    for attribute, value in DESIGN[:4]:
        shop.click(attribute, value)
        states.append(shop.state())
    assert len({s["url"] for s in states}) == len(states), "every choice pushes its own URL"

    def arrive(expected: dict) -> dict:
        page.wait_for_url(expected["url"])
        # htmx restores the page from the server; give it time to settle, and let the
        # assertion below say what the page shows if it never does
        # (the total alone is no sign: a free option leaves it unchanged)
        with contextlib.suppress(Exception):
            page.wait_for_function(
                f"expected => JSON.stringify(({STATE_JS})()) === JSON.stringify(expected)",
                arg=expected,
                timeout=5_000,
            )
        return shop.state()

    for expected in reversed(states[:-1]):
        page.go_back()
        shown = arrive(expected)
        assert shown == expected, (
            f"Back did not restore the design; page parts left: {shown['regions']}"
        )
    for expected in states[1:]:
        page.go_forward()
        shown = arrive(expected)
        assert shown == expected, (
            f"Forward did not restore the design; parts left: {shown['regions']}"
        )


def test_reloading_a_design_url_restores_it(shop, helmet):
    page = shop.page
    shop.open()
    for attribute, value in DESIGN:
        shop.choose(attribute, value)
    page.wait_for_url(lambda url: shop.selections_in(url) == dict(DESIGN))
    before = shop.state()
    page.reload()
    assert shop.state() == before
    assert shop.total() == helmet.total(shop.checked())
    page.goto("/")
    page.goto(before["url"])
    assert shop.state() == before


def test_the_monogram_field_shows_exactly_what_is_validated(shop):
    """No CSS case change: "abc" is shown as typed and refused beside the field; "ABC" is taken."""
    page = shop.page
    shop.open()
    shop.click("shell_type", "full_face")
    shop.type_text("monogram", "abc")
    field = page.locator("#field-monogram")
    assert field.evaluate("field => getComputedStyle(field).textTransform") == "none"
    assert field.input_value() == "abc"
    assert "not allowed" in page.locator("#field-monogram-error").inner_text()
    assert field.get_attribute("aria-invalid") == "true"
    shop.swapping(lambda: field.fill(""))
    shop.type_text("monogram", "ABC")
    assert page.locator("#field-monogram-error").inner_text() == ""
    assert shop.url_selections().get("monogram") == "ABC"


def test_switching_the_preview_to_the_side_view_keeps_the_design(shop):
    """The view is no choice: switching it keeps the design complete, and the URL keeps the view."""
    page = shop.page
    shop.open("/p/helmet?" + urlencode(DESIGN))
    assert page.get_by_role("link", name="Review my design").is_visible()
    shop.swapping(page.get_by_role("link", name="Side").click)
    preview = page.locator("#preview img")
    assert preview.get_attribute("alt").endswith("side view")
    problems = page.locator("#options .problems")
    assert problems.count() == 0, problems.inner_text()
    assert page.get_by_role("link", name="Review my design").is_visible()
    assert "_view=side" in page.url, f"the pushed URL {page.url} forgets the view"
    page.reload()
    assert preview.get_attribute("alt").endswith("side view")
