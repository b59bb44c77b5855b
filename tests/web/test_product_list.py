"""The product list over real HTTP through the Flask test client."""

from __future__ import annotations

import logging
import re
import shutil

from tests.conftest import CATALOG


def test_lists_every_shipped_product(client, app):
    response = client.get("/")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    products = app.extensions["catalogs"].products
    assert len(products) >= 2
    for product in products:
        assert product.name in body
        assert f"{product.currency} {product.base_price}" in body


def test_a_broken_product_does_not_take_the_others_down(make_app, tmp_path):
    folder = tmp_path / "catalog"
    shutil.copytree(CATALOG, folder)
    (folder / "broken.yaml").write_text("product:\n  id: broken\n  name: [unclosed\n")
    client = make_app(catalog_dir=folder).test_client()
    body = client.get("/").get_data(as_text=True)
    assert body.count('class="product-card"') >= 2


def test_catalog_problems_are_logged_for_staff_not_shown_to_shoppers(make_app, tmp_path, caplog):
    folder = tmp_path / "catalog"
    shutil.copytree(CATALOG, folder)
    (folder / "broken.yaml").write_text("product:\n  id: broken\n  name: [unclosed\n")
    with caplog.at_level(logging.WARNING, logger="configurator.catalog"):
        client = make_app(catalog_dir=folder).test_client()
    logged = [r.getMessage() for r in caplog.records if r.name == "configurator.catalog"]
    assert len(logged) == 1
    assert logged[0].startswith("broken.yaml:3:")
    assert str(tmp_path) not in logged[0]

    body = client.get("/").get_data(as_text=True)
    assert "broken.yaml" not in body
    assert "Catalog problems" not in body
    assert str(tmp_path) not in body
    assert not re.search(r"(?<![\w.])/(?:tmp|home|work|root|usr|var)/", body)
    assert body.count('class="product-card"') >= 2


def test_unknown_page_is_a_plain_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)
