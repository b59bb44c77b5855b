"""HTTP-test fixtures: clients that refuse tracebacks, 5xx and foreign assets; a small HTML reader;
the shipped catalog read straight from its YAML, so expected prices and SKUs never come from the
code under test."""

from __future__ import annotations

import gzip
import io
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import brotli
import pytest
import yaml
from flask.testing import FlaskClient
from PIL import Image

from configurator.web import create_app
from tests.conftest import CATALOG, app_config

PRODUCTS = ("helmet", "jacket")
URL_ATTRIBUTES = ("src", "href", "action", "hx-get", "hx-post", "poster", "data")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


# -- the catalog as the merchandiser wrote it ---------------------------------------------------


class CatalogFile:
    """One product's YAML: prices, defaults, SKUs and rule messages, read without the app."""

    def __init__(self, product_id: str):
        self.id = product_id
        self.source = yaml.safe_load((CATALOG / f"{product_id}.yaml").read_text())
        self.product = self.source["product"]
        self.attributes = self.source["attributes"]
        self.rules = {rule["id"]: rule["message"] for rule in self.source["rules"]}

    @property
    def base_price(self) -> Decimal:
        return Decimal(self.product["base_price"])

    @property
    def views(self) -> list[str]:
        return self.product["views"]

    def attribute(self, attribute_id: str) -> dict:
        return next(a for a in self.attributes if a["id"] == attribute_id)

    def option(self, attribute_id: str, option_id: str) -> dict:
        return next(o for o in self.attribute(attribute_id)["options"] if o["id"] == option_id)

    def choices(self) -> list[dict]:
        return [a for a in self.attributes if a.get("kind", "choice") != "text"]

    def texts(self) -> list[dict]:
        return [a for a in self.attributes if a.get("kind") == "text"]

    def defaults(self) -> dict[str, str]:
        return {a["id"]: a["default"] for a in self.attributes if a.get("default")}

    def price(self, design: dict[str, str]) -> Decimal:
        """Base price plus the YAML price of every chosen option and every filled text."""
        total = self.base_price
        for attribute_id, value in design.items():
            attr = self.attribute(attribute_id)
            if attr.get("kind") == "text":
                total += Decimal(attr["price"]) if value else Decimal("0")
            elif value and value != "none":
                total += Decimal(self.option(attribute_id, value)["price"])
        return total

    def sku(self, design: dict[str, str]) -> str:
        """Product SKU then each chosen option's SKU in attribute order (texts: their own SKU)."""
        parts = [self.product["sku"]]
        for attr in self.attributes:
            value = design.get(attr["id"])
            if not value or value == "none":
                continue
            if attr.get("kind") == "text":
                parts.append(attr["sku"])
            else:
                parts.append(self.option(attr["id"], value)["sku"])
        return "-".join(parts)


@pytest.fixture(scope="session")
def catalog_files() -> dict[str, CatalogFile]:
    return {product_id: CatalogFile(product_id) for product_id in PRODUCTS}


# -- a small HTML reader ---------------------------------------------------------------------------


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Element | None):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Element | str] = []

    def get(self, name: str, default=None):
        return self.attrs.get(name, default)

    def __contains__(self, name: str) -> bool:
        return name in self.attrs

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str | bool) -> list[Element]:
        """Descendants by tag and attributes (`class_` for class; True: present; names with `_` for `-`)."""
        wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
        found = []
        for element in self.iter():
            if tag is not None and element.tag != tag:
                continue
            if all(_matches(element, name, value) for name, value in wanted.items()):
                found.append(element)
        return found

    def find(self, tag: str | None = None, **attrs) -> Element | None:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def by_id(self, element_id: str) -> Element:
        for element in self.iter():
            if element.get("id") == element_id:
                return element
        raise AssertionError(f"no element with id {element_id!r}")

    def has_id(self, element_id: str) -> bool:
        return any(element.get("id") == element_id for element in self.iter())

    def text(self) -> str:
        parts = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text())
        return " ".join(" ".join(parts).split())

    def top_level(self) -> list[Element]:
        return [child for child in self.children if isinstance(child, Element)]

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"


def _matches(element: Element, name: str, value) -> bool:
    if value is True:
        return name in element.attrs
    if name == "class":
        return value in (element.get("class") or "").split()
    return element.get(name) == value


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(markup: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def html_of(response) -> Element:
    assert response.mimetype == "text/html", response.mimetype
    return parse_html(response.get_data(as_text=True))


# -- reading a configurator page -------------------------------------------------------------------


def checked_radios(document: Element) -> dict[str, str]:
    return {
        radio.get("name"): radio.get("value")
        for radio in document.find_all("input", type="radio")
        if "checked" in radio
    }


def chosen_radios(document: Element) -> dict[str, str]:
    """The checked radios the shopper chose: the rest are the page's suggestions (`_suggested`)."""
    field = next(
        (e for e in document.find_all("input", type="hidden") if e.get("name") == "_suggested"),
        None,
    )
    pairs = [item.partition(":") for item in (field.get("value") if field else "").split(",")]
    suggested = {a: v for a, _, v in pairs if a}
    return {a: v for a, v in checked_radios(document).items() if suggested.get(a) != v}


def shown_design(document: Element) -> dict[str, str]:
    """The design on screen: every checked radio and every non-empty text field."""
    texts = {
        e.get("name"): e.get("value")
        for e in document.find_all("input", type="text")
        if e.get("value") and "aria-invalid" not in e
    }
    return {**checked_radios(document), **texts}


def total_on(document: Element) -> Decimal:
    """The amount in the summary's <output id="total">, e.g. 'EUR 328.00' -> Decimal('328.00')."""
    _currency, amount = document.by_id("total").text().split()
    return Decimal(amount)


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def selections_in(url: str) -> dict[str, str]:
    """The design a URL describes: the last value of each key, `_order` applied, reserved keys dropped."""
    pairs = query_of(url)
    raw = {key: value for key, value in pairs if not key.startswith("_")}
    order = dict(pairs).get("_order", "")
    ordered = [key for key in order.split(",") if key in raw]
    return {**{k: v for k, v in raw.items() if k not in ordered}, **{k: raw[k] for k in ordered}}


def follow(page_url: str, href: str) -> str:
    """Resolve an href the way a browser does, keeping only path and query (the test client's view)."""
    absolute = urlsplit(urljoin(f"http://localhost{page_url}", href))
    assert absolute.netloc == "localhost", href
    return absolute.path + (f"?{absolute.query}" if absolute.query else "")


def decode_image(response) -> Image.Image:
    image = Image.open(io.BytesIO(response.data))
    image.load()
    return image


# -- clients that refuse what no response may contain ---------------------------------------------


def foreign_urls(document: Element) -> list[str]:
    """Every URL in src/href/srcset/action/hx-* that points at another origin."""
    urls = []
    for element in document.iter():
        for name in URL_ATTRIBUTES:
            if element.get(name):
                urls.append(element.get(name))
        if element.get("srcset"):
            urls += [
                entry.split()[0] for entry in element.get("srcset").split(",") if entry.strip()
            ]
    foreign = []
    for url in urls:
        parts = urlsplit(url.strip())
        if parts.scheme in ("", "mailto", "tel") and not parts.netloc:
            continue
        if parts.netloc == "localhost" and parts.scheme in ("http", "https"):
            continue
        foreign.append(url)
    return foreign


def decoded_body(response) -> bytes:
    """The body as the app made it, whatever Content-Encoding it was sent with."""
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        return brotli.decompress(body)
    assert encoding is None, encoding
    return body


def check_response(response) -> None:
    body = decoded_body(response)
    assert response.status_code < 500, (response.status_code, body[:2000])
    assert b"Traceback" not in body
    if response.mimetype == "text/html" and body:
        assert foreign_urls(parse_html(body.decode())) == []


class CheckedClient(FlaskClient):
    """A Flask test client whose every response (redirect hops included) passes check_response."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        check_response(response)
        return response


def checked_client(app) -> CheckedClient:
    app.test_client_class = CheckedClient
    return app.test_client()


@pytest.fixture
def client(app):
    """The per-test app's client, refusing tracebacks, 5xx and foreign assets."""
    return checked_client(app)


@pytest.fixture(scope="session")
def shared_app(tmp_path_factory):
    """One app for every read-only test: engines compile and artwork loads once per session."""
    folder: Path = tmp_path_factory.mktemp("shared")
    app = create_app(
        app_config(folder / "instance", CATALOG, f"sqlite:///{folder / 'app.sqlite3'}")
    )
    app.extensions["database"].upgrade()
    yield app
    app.extensions["configurator"].close()


@pytest.fixture
def web(shared_app) -> CheckedClient:
    """A client of the shared app (its preview cache is shared too: use `client` to see renders)."""
    return checked_client(shared_app)


@pytest.fixture(scope="session")
def versions(shared_app) -> dict[str, str]:
    """Each product's catalog version, as the API publishes it."""
    api = shared_app.test_client()
    return {p: api.get(f"/api/v1/products/{p}").get_json()["version"] for p in PRODUCTS}
