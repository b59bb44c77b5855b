"""The merchandiser's pages on both databases: the candidate's problems and findings with
file:line, the contact sheet's pictures, trying the candidate, publishing it (refused with
errors), and shoppers seeing the published catalog only."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.conftest import CATALOG
from tests.web.staffing import add_people, post_form, sign_in


@pytest.fixture
def folder(tmp_path):
    copy = tmp_path / "candidate"
    shutil.copytree(CATALOG, copy)
    return copy


@pytest.fixture
def shop(make_app, database_url, folder):
    app = make_app(catalog_dir=folder, database_url=database_url)
    add_people(app)
    return app


def total_of(page: str) -> float:
    return float(re.search(r'id="look-title">EUR ([0-9.]+)<', page).group(1))


def test_findings_sheet_try_and_publish(shop, folder):
    client = shop.test_client()
    sign_in(client, "merchandiser")
    post_form(client, "/staff/catalog", "/staff/catalog/publish", {})
    before = total_of(client.get("/staff/catalog/helmet/try?shell_type=open_face").text)
    # a staged change: the base price up by 20
    text = (folder / "helmet.yaml").read_text()
    (folder / "helmet.yaml").write_text(
        text.replace('base_price: "229.00"', 'base_price: "249.00"')
    )
    page = client.get("/staff/catalog").text
    assert "Candidate version" in page and "; shoppers see" in page  # differs from the live one
    plan = re.search(r'<pre class="plan">(.*?)</pre>', page, re.S).group(1)
    assert "229.00" in plan and "249.00" in plan  # the plan names the price change
    sheet = client.get("/staff/catalog/helmet/sheet").text
    pictures = re.findall(r'src="(/staff/catalog/helmet/(?:front|side)\.webp\?[^"]+)"', sheet)
    assert len(pictures) > 40 and "Cobalt blue metallic" in sheet
    for src in pictures[:6]:
        response = client.get(src.replace("&amp;", "&"))
        assert response.status_code == 200 and response.data[:4] == b"RIFF"
    tried = client.get("/staff/catalog/helmet/try?shell_type=open_face").text
    assert total_of(tried) - before == 20  # the candidate's own prices
    assert "EUR 229.00 -&gt; EUR 249.00" in tried  # with the plan beside it
    for src in re.findall(r'src="(/staff/catalog/helmet/\w+\.webp\?[^"]*)"', tried):
        assert client.get(src.replace("&amp;", "&")).status_code == 200
    shopper = shop.test_client().get("/api/v1/products/helmet").get_json()
    assert shopper["base_price"] == "229.00"  # shoppers still see the published one
    (folder / "broken.yaml").write_text("product: {id: [\n")
    refused = post_form(client, "/staff/catalog", "/staff/catalog/publish", {})
    assert refused.status_code == 409 and "broken.yaml" in refused.text
    (folder / "broken.yaml").unlink()
    done = post_form(client, "/staff/catalog", "/staff/catalog/publish", {})
    assert done.status_code == 303
    shop.extensions["live"].checked = float("-inf")  # the next request polls at once
    assert shop.test_client().get("/api/v1/products/helmet").get_json()["base_price"] == "249.00"


def test_problems_are_shown_to_staff_with_their_position_and_never_to_shoppers(shop, folder):
    text = (folder / "helmet.yaml").read_text()
    (folder / "helmet.yaml").write_text(text.replace("price:", "prize:", 1))
    client = shop.test_client()
    sign_in(client, "admin")
    page = client.get("/staff/catalog").text
    assert re.search(r"helmet\.yaml:\d+:\d+: ", page)
    assert "helmet.yaml" not in shop.test_client().get("/").text
