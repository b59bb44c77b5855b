"""The product list over real HTTP through the Flask test client."""

from __future__ import annotations

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
    assert "broken.yaml:3" in body
    assert "Catalog problems" in body
    assert body.count('class="product-card"') >= 2


def test_unknown_page_is_a_plain_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)
