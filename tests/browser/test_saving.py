"""Saved designs in a real browser: save with the box ticked, open the private link, the keyring
link and the share link each in a browser context of its own, start a copy, revoke, delete."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

QUERY = "shell_type=open_face&shell_colour=chrome&finish=gloss&monogram=ZK&_order=shell_type,shell_colour,finish"


def choices_on(page) -> dict[str, str]:
    """The saved design's choices as the page lists them (dt: dd)."""
    terms = page.locator(".design-summary dt").all_inner_texts()
    values = page.locator(".design-summary dd").all_inner_texts()
    return {t.strip(): " ".join(v.split()) for t, v in zip(terms, values, strict=True)}


def test_save_open_share_copy_revoke_delete(open_shop, live_server):
    owner = open_shop()
    page = owner.page
    page.log.expected.add(400)  # the form refused without the box ticked
    page.goto(f"/p/helmet?{QUERY}")
    page.get_by_role("link", name="Save…").click()
    page.wait_for_url(re.compile(r"/p/helmet/save\?"))
    assert page.context.cookies() == [], "a cookie before the shopper saved"
    # the notice sits beside the button, the box is unticked
    assert page.get_by_role("heading", name="Keeping your designs on this site").is_visible()
    box = page.get_by_label("Keep my designs on this site")
    assert not box.is_checked()
    page.get_by_label("Name this design").fill("Track day")
    page.get_by_role("button", name="Save").click()  # without the box: refused, kept as typed
    assert page.get_by_text("Tick the box to keep designs on this site.").is_visible()
    assert page.get_by_label("Name this design").input_value() == "Track day"
    assert page.context.cookies() == []
    page.get_by_label("Keep my designs on this site").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/designs/[A-Za-z0-9_-]{32}\?saved=1$"))
    private = page.url.split("?")[0]
    (cookie,) = page.context.cookies()
    assert (cookie["name"], cookie["httpOnly"], cookie["sameSite"]) == ("keyring", True, "Lax")
    saved = choices_on(page)
    assert saved["Shell colour"].startswith("Chrome") and saved["Monogram"] == "“ZK”"

    # the private link in a fresh context (no cookies): the design exactly, and editing goes on
    elsewhere = open_shop().page
    elsewhere.log.expected.add(404)  # the link, once the design is deleted
    elsewhere.goto(private)
    assert choices_on(elsewhere) == saved
    elsewhere.get_by_role("link", name="Keep editing").click()
    elsewhere.wait_for_url(re.compile(r"/p/helmet\?"))
    for attribute, value in (("shell_type", "open_face"), ("shell_colour", "chrome")):
        assert elsewhere.locator(f"#opt-{attribute}-{value}").is_checked()
    assert elsewhere.context.cookies() == []

    # a second design, then the keyring link in a third context lists both
    page.goto("/p/helmet?shell_type=full_face")
    page.get_by_role("link", name="Save…").click()
    page.get_by_label("Name this design").fill("Commute")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/designs/"))
    page.goto("/designs")
    link = page.locator("#keyring-link").input_value()
    third = open_shop().page
    third.goto(link)
    third.get_by_role("button", name="Open my designs here").click()
    third.wait_for_url(re.compile(r"/designs$"))
    names = third.locator(".kept h2").all_inner_texts()
    assert sorted(names) == ["Commute", "Track day"]

    # share read-only, start a copy of one's own from it, revoke
    page.goto(private)
    page.get_by_role("button", name="Make a share link").click()
    share = page.get_by_label("Share link").first.input_value()
    viewer = open_shop().page
    viewer.log.expected.add(404)  # the share link, once revoked
    viewer.goto(share)
    assert choices_on(viewer) == saved
    assert "Track day" not in viewer.content()
    viewer.get_by_role("link", name="Start from this design").click()
    viewer.wait_for_url(re.compile(r"/p/helmet\?"))
    assert viewer.locator("#opt-shell_colour-chrome").is_checked()
    assert viewer.context.cookies() == []
    page.get_by_role("button", name="Revoke").click()
    page.wait_for_load_state()
    assert viewer.goto(share).status == 404

    # delete: both links are gone
    page.goto(private)
    page.get_by_role("button", name="Delete this design").click()
    page.wait_for_url(re.compile(r"/designs\?deleted="))
    assert elsewhere.goto(private).status == 404
    assert viewer.goto(share).status == 404


def test_saving_pages_are_accessible(open_shop):
    shop = open_shop()
    page = shop.page
    page.goto(f"/p/helmet/save?{QUERY}")
    for url in (None, "/privacy", "/designs"):
        if url:
            page.goto(url)
        found, report = shop.axe()
        assert not found, report
    page.goto(f"/p/helmet/save?{QUERY}")
    page.get_by_label("Keep my designs on this site").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/designs/"))
    page.get_by_role("button", name="Make a share link").click()
    for url in (page.url, "/designs"):
        page.goto(url)
        found, report = shop.axe()
        assert not found, report
