"""Screenshots of the shop for the docs: docs/img/{helmet,jacket}-*.png from the real app.

Runs the app on a free local port (a throwaway instance folder and SQLite file, the
shipped catalog) and drives Debian's headless Chromium through Playwright, as the
browser tests do. Each shot is the first screen a shopper sees (the viewport, 1280x900
or 390x844): finished designs, the untouched helmet, a clash, the review page, and the
saving pages (the save form, a saved design, the keyring's list, a shared design), the
preferences page, a helmet pre-selecting a declared size, the privacy centre, and the
staff pages (sign-in, the order queue, an order, exports, the catalog, a contact sheet,
trying the candidate). Each
is checked to show what its name says, with its preview loaded, before it is written.

    .venv/bin/python -m tools.screenshots            # writes docs/img/*.png (from the repository root)
    .venv/bin/python -m tools.screenshots --out /tmp/shots
"""

from __future__ import annotations

import argparse
import io
import logging
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from tools.live import CHROMIUM, launch, serve

ROOT = Path(__file__).resolve().parent.parent

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
MAX_BYTES = 400 * 1024

HELMET_1 = {
    "shell_type": "full_face",
    "size": "m",
    "shell_colour": "cobalt_blue",
    "finish": "gloss",
    "graphics": "stripes",
    "visor": "iridium",
    "lining": "tan",
    "monogram": "K27",
}
HELMET_2 = {
    "shell_type": "open_face",
    "size": "s",
    "shell_colour": "carbon_black",
    "finish": "matte",
    "graphics": "pinstripe",
    "lining": "crimson",
    "monogram": "AB",
}
JACKET_1 = {
    "cut": "biker",
    "size": "m",
    "hide": "horsehide",
    "leather_colour": "oxblood",
    "finish": "waxed",
    "collar": "shearling",
    "fur": "natural",
    "lining": "burgundy",
    "hardware": "brass",
    "back_patch": "winged_wheel",
    "back_lettering": "RIDE FREE",
}
JACKET_2 = {
    "cut": "cafe_racer",
    "size": "l",
    "hide": "lambskin",
    "leather_colour": "cognac",
    "finish": "aniline",
    "collar": "band",
    "lining": "old_gold",
    "hardware": "nickel",
    "initials": "JMS",
}


# Chrome plating comes in gloss only (rule chrome-only-gloss): an open-face helmet that clashes.
HELMET_CLASH = {"shell_type": "open_face", "shell_colour": "chrome", "finish": "matte"}


@dataclass(frozen=True)
class Shot:
    name: str
    product: str
    design: dict[str, str]
    viewport: dict[str, int]
    shows: str = "complete"  # complete, start (untouched), conflict or review

    @property
    def path(self) -> str:
        page = "/review" if self.shows == "review" else ""
        query = urlencode(list(self.design.items()))
        return f"/p/{self.product}{page}" + (f"?{query}" if query else "")


SHOTS = [
    Shot("helmet-desktop", "helmet", HELMET_1, DESKTOP),
    Shot("helmet-phone", "helmet", HELMET_1, PHONE),
    Shot("helmet-design-2", "helmet", HELMET_2, DESKTOP),
    Shot("jacket-desktop", "jacket", JACKET_1, DESKTOP),
    Shot("jacket-design-2", "jacket", JACKET_2, DESKTOP),
    Shot("helmet-start-desktop", "helmet", {}, DESKTOP, "start"),
    Shot("helmet-start-phone", "helmet", {}, PHONE, "start"),
    Shot("helmet-conflict-desktop", "helmet", HELMET_CLASH, DESKTOP, "conflict"),
    Shot("helmet-conflict-phone", "helmet", HELMET_CLASH, PHONE, "conflict"),
    Shot("helmet-review-desktop", "helmet", HELMET_1, DESKTOP, "review"),
    Shot("helmet-review-phone", "helmet", HELMET_1, PHONE, "review"),
]


@contextmanager
def live_server():
    """The real app on a free port of 127.0.0.1, with a throwaway instance folder and
    database: yields its URL and the instance folder."""
    with (
        tempfile.TemporaryDirectory(prefix="screenshots-") as instance,
        serve(Path(instance), ROOT / "catalog") as url,
    ):
        yield url, Path(instance)


def optimised_png(raw: bytes) -> bytes:
    """Losslessly recompressed; reduced to a 256-colour palette only if still over budget."""
    from PIL import Image

    image = Image.open(io.BytesIO(raw)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    if out.tell() <= MAX_BYTES:
        return out.getvalue()
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, "PNG", optimize=True
    )
    return out.getvalue()


def take(browser, base_url: str, shot: Shot) -> bytes:
    context = browser.new_context(
        base_url=base_url, viewport=shot.viewport, locale="en-GB", reduced_motion="reduce"
    )
    try:
        page = context.new_page()
        page.goto(shot.path)
        check(page, shot)
        return page.screenshot(animations="disabled", caret="hide")
    finally:
        context.close()


def check(page, shot: Shot) -> None:
    """Stop unless the page shows what the shot's name promises, its preview loaded."""
    if shot.shows == "conflict":
        if not page.locator("#options .conflict").count():
            raise SystemExit(f"{shot.name}: {shot.path} shows no clash")
        return
    page.wait_for_function(
        "() => { const img = document.querySelector('#preview img');"
        " return img && img.complete && img.naturalWidth > 0; }",
        timeout=30_000,
    )
    if shot.shows == "review":
        if "/review" not in page.url:
            raise SystemExit(f"{shot.name}: {shot.path} did not stay on the review page")
        return
    problems = page.locator("#options .problems, #options .conflict")
    if problems.count():
        raise SystemExit(f"{shot.name}: the design has problems: {problems.inner_text()}")
    chosen_nothing = "Suggested until you choose" in page.locator("#summary").inner_text()
    if chosen_nothing != (shot.shows == "start"):
        raise SystemExit(
            f"{shot.name}: {shot.path} has {'' if chosen_nothing else 'no '}suggestions"
        )


def saving_shots(browser, base_url: str):
    """(name, png) of the saving pages, walked as a shopper does: the save form with its
    notice, the saved design's private page, the keyring's list, a share link's page."""
    query = urlencode(list(HELMET_1.items()))
    for viewport, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        context = browser.new_context(
            base_url=base_url, viewport=viewport, locale="en-GB", reduced_motion="reduce"
        )
        try:
            page = context.new_page()
            page.goto(f"/p/helmet/save?{query}")
            if not page.get_by_label("Keep my designs on this site").count():
                raise SystemExit("save form: no consent box")
            yield f"save-{suffix}", page.screenshot(animations="disabled", caret="hide")
            page.get_by_label("Name this design").fill("Track day")
            page.get_by_label("Keep my designs on this site").check()
            page.get_by_role("button", name="Save").click()
            page.wait_for_url("**/designs/**")
            page.get_by_role("button", name="Make a share link").click()
            page.wait_for_load_state()
            yield f"saved-design-{suffix}", page.screenshot(animations="disabled", caret="hide")
            share = page.get_by_label("Share link").first.input_value()
            page.goto("/designs")
            yield f"designs-{suffix}", page.screenshot(animations="disabled", caret="hide")
            page.goto(share)
            yield f"shared-{suffix}", page.screenshot(animations="disabled", caret="hide")
        finally:
            context.close()


def preference_shots(browser, base_url: str):
    """(name, png) of the preferences page and a helmet page pre-selecting a declared size."""
    for viewport, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        context = browser.new_context(
            base_url=base_url, viewport=viewport, locale="en-GB", reduced_motion="reduce"
        )
        try:
            page = context.new_page()
            page.goto("/preferences")
            yield f"preferences-{suffix}", page.screenshot(animations="disabled", caret="hide")
            question = page.locator("#q-head_size")
            question.get_by_label("L (59-60 cm)").check()
            question.get_by_label("Use my answer for this", exact=False).check()
            question.get_by_role("button", name="Save this answer").click()
            page.wait_for_url("**/preferences?saved=head_size*")
            page.goto("/p/helmet?shell_type=full_face")
            page.wait_for_function(
                "() => { const img = document.querySelector('#preview img');"
                " return img && img.complete && img.naturalWidth > 0; }",
                timeout=30_000,
            )
            page.locator(".preference-note").first.scroll_into_view_if_needed()
            if not page.locator("#opt-size-l").is_checked():
                raise SystemExit("preselected: size L is not checked")
            yield f"preselected-{suffix}", page.screenshot(animations="disabled", caret="hide")
            page.goto("/privacy")
            if not page.get_by_role("heading", name="What you agreed to").count():
                raise SystemExit("privacy centre: no consents shown")
            yield f"privacy-{suffix}", page.screenshot(animations="disabled", caret="hide")
        finally:
            context.close()


STAFF_EMAIL = "ada@workshop.example"
STAFF_PASSWORD = "screenshots only, not a secret"
CUSTOMERS = [
    ("Zoë Example", "Hauptstraße 1", "10115", "Berlin", "DE", HELMET_1, "Please pack it well."),
    ("Ödön Kovács", "Váci utca 12", "1052", "Budapest", "HU", HELMET_2, None),
    ("Aoife Byrne", "12 Harbour Road", "D02 X285", "Dublin", "IE", HELMET_1, None),
]


def place_orders(base_url: str, instance: Path) -> list[str]:
    """Three orders through the API and a staff admin account; returns the order numbers."""
    import json
    import urllib.request

    from configurator.bootstrap import bootstrap
    from configurator.services import staff

    numbers = []
    for n, (name, line1, postcode, city, country, design, note) in enumerate(CUSTOMERS):
        body = {
            "selections": design,
            "quantity": 1 + n % 2,
            "terms_accepted": True,
            "customer": {
                "name": name,
                "email": f"customer{n}@example.org",
                "address": {"line1": line1, "postcode": postcode, "city": city, "country": country},
                "note": note,
            },
        }
        request = urllib.request.Request(
            f"{base_url}/api/v1/products/helmet/orders",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Idempotency-Key": f"shot-{n}"},
        )
        with urllib.request.urlopen(request) as response:
            numbers.append(json.load(response)["number"])
    ctx = bootstrap(
        {
            "DATABASE_URL": f"sqlite:///{instance / 'live.sqlite3'}",
            "INSTANCE_DIR": str(instance),
            "CATALOG_DIR": str(ROOT / "catalog"),
        },
        load_catalog=False,
    )
    try:
        staff.add(ctx, STAFF_EMAIL, "admin", STAFF_PASSWORD)
    finally:
        ctx.close()
    return numbers


def staff_shots(browser, base_url: str, numbers: list[str]):
    """(name, png) of the staff pages: sign-in, the queue, an order, exports."""
    for viewport, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        context = browser.new_context(
            base_url=base_url, viewport=viewport, locale="en-GB", reduced_motion="reduce"
        )
        try:
            page = context.new_page()
            page.goto("/staff/sign-in")
            yield f"staff-sign-in-{suffix}", page.screenshot(animations="disabled", caret="hide")
            page.get_by_label("E-mail").fill(STAFF_EMAIL)
            page.get_by_label("Password").fill(STAFF_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/staff/orders")
            if suffix == "desktop":
                page.goto(f"/staff/orders/{numbers[1]}")
                page.get_by_role("button", name="Mark paid").click()
                page.wait_for_selector("h1 .is-paid")
                page.goto("/staff/orders")
            if page.locator("table.orders tbody tr").count() != len(numbers):
                raise SystemExit("staff queue: not every order is listed")
            yield f"staff-queue-{suffix}", page.screenshot(animations="disabled", caret="hide")
            page.goto(f"/staff/orders/{numbers[0]}")
            page.wait_for_function(
                "() => [...document.querySelectorAll('.pictures img')]"
                ".every(img => img.complete && img.naturalWidth > 0)",
                timeout=30_000,
            )
            page.evaluate("document.fonts.ready")
            yield f"staff-order-{suffix}", page.screenshot(animations="disabled", caret="hide")
            page.goto("/staff/exports")
            if suffix == "desktop":
                page.get_by_label("Orders that are").select_option("awaiting_payment")
                page.get_by_role("button", name="Export").click()
                page.wait_for_selector("table.orders")
            yield f"staff-exports-{suffix}", page.screenshot(animations="disabled", caret="hide")
            page.goto("/staff/catalog")
            yield f"staff-catalog-{suffix}", page.screenshot(animations="disabled", caret="hide")
            for name, path, images in (
                ("sheet", "/staff/catalog/helmet/sheet", ".sheet-tile img"),
                ("try", "/staff/catalog/helmet/try?shell_type=open_face", ".pictures img"),
            ):
                page.goto(path)
                page.wait_for_function(
                    f"() => [...document.querySelectorAll('{images}')]"
                    ".every(img => img.complete && img.naturalWidth > 0)",
                    timeout=60_000,
                )
                yield f"staff-{name}-{suffix}", page.screenshot(animations="disabled", caret="hide")
        finally:
            context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    with live_server() as (base_url, instance), sync_playwright() as driver:
        browser = launch(driver)
        try:
            shots = [(shot.name, take(browser, base_url, shot)) for shot in SHOTS]
            more = [*saving_shots(browser, base_url), *preference_shots(browser, base_url)]
            more += staff_shots(browser, base_url, place_orders(base_url, instance))
            for name, raw in [*shots, *more]:
                png = optimised_png(raw)
                if len(png) > MAX_BYTES:
                    raise SystemExit(f"{name}: {len(png) // 1024} KB is over the budget")
                target = args.out / f"{name}.png"
                target.write_bytes(png)
                print(
                    f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}"
                    f"  {len(png) // 1024} KB"
                )
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
