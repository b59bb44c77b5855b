"""Browser fixtures: the real app on a live port, headless Debian Chromium, and a shop actions helper.

Every page records its requests, console errors and uncaught exceptions; a test
fails if any request leaves the live server's origin or the page logged an error
(bar the missing favicon's 404, which Chromium logs once per browser and which
test_console.py checks in a browser of its own).
The suite skips when Chromium or Playwright is missing, and fails instead when
CONFIGURATOR_REQUIRE_ALL=1 (as CI sets it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml

from tests.browser.page_state import STATE_JS
from tools.live import CHROMIUM, launch, serve

try:
    from playwright.sync_api import sync_playwright
except ImportError as error:  # the autouse fixture below turns this into a skip or a failure
    sync_playwright = None
    IMPORT_PROBLEM = f"the playwright package is not installed ({error})"
else:
    IMPORT_PROBLEM = None

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog"
AXE = Path(__file__).resolve().parent / "axe" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
REQUIRE_ALL = os.environ.get("CONFIGURATOR_REQUIRE_ALL") == "1"


def missing_browser() -> str | None:
    """Why the browser suite cannot run here, or None."""
    if IMPORT_PROBLEM:
        return IMPORT_PROBLEM
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


def require_browser() -> None:
    """Skip the test when the browser suite cannot run here; fail it when CI requires it."""
    problem = missing_browser()
    if problem:
        if REQUIRE_ALL:
            pytest.fail(f"browser suite cannot run but CONFIGURATOR_REQUIRE_ALL=1: {problem}")
        pytest.skip(problem)


@pytest.fixture(autouse=True)
def _browser_available():
    require_browser()


# -- the live server ---------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    instance: Path  # its instance folder: SQLite database (live.sqlite3), renders, order files

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The real app (real catalog, SQLite in a tmp dir) served by werkzeug on a free local port."""
    instance = tmp_path_factory.mktemp("live-instance")
    # one server for the whole session: its saves and answers add up within a minute, and a
    # 429 would fail a journey (the limits themselves are tested in tests/web)
    limits = {
        f"RATELIMIT_{kind}": "10000 per minute" for kind in ("SAVE", "LOOKUP", "EMAIL", "SIGNIN")
    }
    with serve(instance, CATALOG, **limits) as url:
        yield LiveServer(url, instance)


# -- the browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_driver():
    require_browser()  # session fixtures are set up before the autouse check above
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver):
    launched = launch(playwright_driver)
    yield launched
    launched.close()


@pytest.fixture
def own_browser(playwright_driver):
    """A browser of the test's own: Chromium logs some errors (the favicon's) once per browser."""
    launched = launch(playwright_driver)
    yield launched
    launched.close()


@dataclass
class PageLog:
    """What one page did: every request URL, console errors and uncaught exceptions."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    # "status of 404" and the like a test provokes on purpose (a refused form, a dead link)
    expected: set[int] = field(default_factory=set)

    def unexpected_errors(self) -> list[str]:
        return [
            e
            for e in self.console_errors
            if not e.endswith("/favicon.ico)")
            and not any(f"status of {code} " in e for code in self.expected)
        ]

    def watch(self, page) -> None:
        page.on("request", lambda request: self.requests.append(request.url))
        page.on(
            "console",
            lambda message: (
                self.console_errors.append(f"{message.text} ({message.location.get('url')})")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))

    def foreign(self, origin: str) -> list[str]:
        return [url for url in self.requests if not url.startswith(origin + "/")]


@pytest.fixture
def open_page(browser, live_server):
    """open_page(viewport=..., javascript=True) -> a fresh page in its own context, watched."""
    opened: list[tuple[object, PageLog]] = []

    def make(viewport: dict = DESKTOP, javascript: bool = True, in_browser=None):
        context = (in_browser or browser).new_context(
            base_url=live_server.url,
            viewport=viewport,
            java_script_enabled=javascript,
            locale="en-GB",
            reduced_motion="reduce",
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        log = PageLog()
        log.watch(page)
        opened.append((context, log))
        page.log = log
        return page

    yield make
    problems = []
    for context, log in opened:
        context.close()
        foreign = log.foreign(live_server.origin)
        if foreign:
            problems.append(f"requests to another origin than {live_server.origin}: {foreign}")
        errors = log.unexpected_errors()
        if errors:  # the missing favicon is reported once, by test_console.py
            problems.append(f"browser console errors: {errors}")
    assert not problems, "\n".join(problems)


# -- the shop, as a shopper uses it --------------------------------------------------------------


class HelmetYaml:
    """Prices and SKUs straight from the shipped catalog/helmet.yaml, to check the page against."""

    def __init__(self, path: Path = CATALOG / "helmet.yaml"):
        document = yaml.safe_load(path.read_text())
        self.base_price = Decimal(document["product"]["base_price"])
        self.sku = document["product"]["sku"]
        self.attributes = {a["id"]: a for a in document["attributes"]}

    def price(self, attribute: str, value: str) -> Decimal:
        spec = self.attributes[attribute]
        if spec.get("kind") == "text":
            return Decimal(spec.get("price", "0")) if value else Decimal(0)
        if value == "none":  # an optional attribute left empty
            return Decimal(0)
        return next(Decimal(o["price"]) for o in spec["options"] if o["id"] == value)

    def total(self, choices: dict[str, str]) -> Decimal:
        return self.base_price + sum((self.price(a, v) for a, v in choices.items()), Decimal(0))

    def design_sku(self, choices: dict[str, str]) -> str:
        """Product SKU, then each chosen option's SKU in attribute order (as the workshop reads it)."""
        parts = [self.sku]
        for attribute, spec in self.attributes.items():
            value = choices.get(attribute)
            if not value or value == "none":
                continue
            if spec.get("kind") == "text":
                parts.append(spec["sku"])
            else:
                parts.append(next(o["sku"] for o in spec["options"] if o["id"] == value))
        return "-".join(parts)


@pytest.fixture(scope="session")
def helmet() -> HelmetYaml:
    return HelmetYaml()


class Shop:
    """The configurator page as a shopper drives it; each action waits for the htmx swap."""

    def __init__(self, page, live_server: LiveServer):
        self.page = page
        self.live_server = live_server

    def open(self, path: str = "/p/helmet") -> None:
        self.page.goto(path)

    # -- htmx swaps

    def mark_stale(self) -> None:
        self.page.evaluate("document.getElementById('options').dataset.stale = '1'")

    def wait_swap(self) -> None:
        """Wait until #options has been replaced and htmx has settled."""
        self.page.wait_for_function(
            """() => {
                const options = document.getElementById('options');
                return options && !options.dataset.stale
                    && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling');
            }"""
        )

    def swapping(self, action) -> None:
        """Run an action that makes htmx replace #options, and wait for the new one."""
        self.mark_stale()
        action()
        self.wait_swap()

    # -- choosing

    def radio(self, attribute: str, value: str):
        return self.page.locator(f"#opt-{attribute}-{value}")

    def click(self, attribute: str, value: str, *, unavailable: bool = False) -> None:
        """Click an option tile's radio with the mouse (it covers the top of the tile).

        An unavailable option is aria-disabled, which Playwright's actionability check treats
        as disabled; a shopper can still click it, so `unavailable=True` clicks regardless.
        """
        self.swapping(lambda: self.radio(attribute, value).click(force=unavailable))

    def type_text(self, attribute: str, text: str) -> None:
        field = self.page.locator(f"#field-{attribute}")
        self.swapping(lambda: field.press_sequentially(text))

    def choose(self, attribute: str, value: str) -> None:
        """Click the option, or type into the field of a text attribute (`field-<id>`)."""
        if self.page.locator(f"#field-{attribute}").count():
            self.type_text(attribute, value)
        else:
            self.click(attribute, value)

    # -- reading the page

    def checked(self) -> dict[str, str]:
        """The design on screen: every checked radio as {attribute: value}, plus non-empty
        text fields (suggestions included)."""
        return self.state()["checked"]

    def chosen(self) -> dict[str, str]:
        """What the shopper chose: the checked values the page did not merely suggest."""
        return self.state()["chosen"]

    def state(self) -> dict:
        """What the page shows of the design: checked options, total, conflict, and the page parts."""
        return self.page.evaluate(STATE_JS)

    def total(self) -> Decimal:
        return Decimal(self.page.locator("#total").inner_text().split()[-1])

    def url_selections(self) -> dict[str, str]:
        return self.selections_in(self.page.url)

    @staticmethod
    def selections_in(url: str) -> dict[str, str]:
        """The design a URL holds (last value wins, as on the server), without `_` keys."""
        pairs = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
        return {k: v for k, v in pairs.items() if not k.startswith("_") and v != ""}

    def preview_src(self) -> str | None:
        image = self.page.locator("#preview img")
        return image.get_attribute("src") if image.count() else None

    def preview_width(self) -> int:
        """naturalWidth of the preview once the browser has finished loading it (0: broken)."""
        self.page.wait_for_function(
            "() => { const img = document.querySelector('#preview img');"
            " return img && img.complete; }",
            timeout=20_000,
        )
        return self.page.evaluate("document.querySelector('#preview img').naturalWidth")

    # -- accessibility

    def axe(self, impacts=("serious", "critical")) -> tuple[list[dict], str]:
        """axe-core's violations of the given impacts, and a report of ids, targets and help."""
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            # evaluated, not a <script> tag: the CSP (rightly) refuses inline scripts
            self.page.evaluate(AXE.read_text())
        results = self.page.evaluate("async () => await axe.run(document)")
        found = [v for v in results["violations"] if v["impact"] in impacts]
        lines = [f"axe-core on {self.page.url}:"]
        for violation in found:
            lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
            lines.append(f"    {violation['helpUrl']}")
            for node in violation["nodes"]:
                target = " ".join(map(str, node["target"]))
                summary = node["failureSummary"].replace("\n", " ")
                lines.append(f"    - {target}: {summary}")
        return found, "\n".join(lines)


@pytest.fixture
def open_shop(open_page, live_server):
    """open_shop(viewport=..., javascript=True) -> a Shop on a fresh page."""

    def make(viewport: dict = DESKTOP, javascript: bool = True, in_browser=None) -> Shop:
        page = open_page(viewport=viewport, javascript=javascript, in_browser=in_browser)
        return Shop(page, live_server)

    return make


@pytest.fixture
def shop(open_shop) -> Shop:
    return open_shop()
