"""An order never changes: after the catalog loses the ordered option, changes its price, and
its artwork is redrawn, the order's page, its pictures and its JSON are byte-identical."""

from __future__ import annotations

import re
import shutil

from PIL import Image
from sqlalchemy import select

from configurator.services import outbox
from configurator.store import OutboxMessage
from tests.conftest import CATALOG
from tests.web.test_api_designs import ORDER


def edited_catalog(tmp_path):
    """Cobalt blue gone, graphics stripes repriced, and every helmet shell drawn anew."""
    folder = tmp_path / "catalog-after"
    shutil.copytree(CATALOG, folder)
    path = folder / "helmet.yaml"
    text = path.read_text()
    start = text.index("      - id: cobalt_blue\n")
    end = text.index("      - id: signal_yellow\n")
    text = text[:start] + text[end:]
    text = text.replace("carbon_black, cobalt_blue, gunmetal", "carbon_black, gunmetal")
    text = re.sub(r'(\bid: clear\n(?:.*\n){0,3}?\s+price: )"[0-9.]+"', r'\1"9.00"', text)
    path.write_text(text)
    preferences = folder / "preferences.yaml"
    preferences.write_text(preferences.read_text().replace("          blue: cobalt_blue\n", ""))
    for png in (folder / "helmet").glob("shell-*.png"):
        with Image.open(png) as image:
            Image.new(image.mode, image.size).save(png)  # blank: the artwork changed
    return folder


def test_an_order_outlives_catalog_and_artwork_edits(make_app, database_url, tmp_path):
    order = {
        **ORDER,
        "selections": {**ORDER["selections"], "shell_colour": "cobalt_blue", "visor": "clear"},
    }
    before = make_app(database_url=database_url).test_client()
    made = before.post(
        "/api/v1/products/helmet/orders", json=order, headers={"Idempotency-Key": "snap-1"}
    ).get_json()
    token = made["token"]
    page = before.get(f"/orders/{token}").data
    images = {v: before.get(f"/orders/{token}/{v}.webp").data for v in ("front", "side")}
    as_json = before.get(f"/api/v1/orders/{token}").data
    ctx = before.application.extensions["configurator"]
    with ctx.database.session() as session:
        (queued,) = session.scalars(select(OutboxMessage)).all()
        email = outbox.compose(ctx, queued).as_bytes()

    after_app = make_app(catalog_dir=edited_catalog(tmp_path), database_url=database_url)
    after = after_app.test_client()
    catalog = after_app.extensions["catalogs"].catalog
    assert [p for p in catalog.problems if p.severity == "error"] == []
    helmet = catalog.product("helmet")
    assert helmet.attribute("shell_colour").option("cobalt_blue") is None  # really gone
    assert after.get(f"/orders/{token}").data == page
    assert {v: after.get(f"/orders/{token}/{v}.webp").data for v in images} == images
    assert after.get(f"/api/v1/orders/{token}").data == as_json
    # the confirmation e-mail, sent after the edits, is the one composed before them
    assert outbox.deliver_due(after_app.extensions["configurator"]).sent == 1
    (sent,) = (after_app.extensions["configurator"].settings.instance_dir / "outbox").glob("*.eml")
    assert sent.read_bytes() == email
    assert b"Content-Type: image/png" in email
    # while the shop itself has moved on: the same live preview is drawn anew
    live = "/preview/helmet/front.webp?shell_type=full_face&shell_colour=racing_red&w=400"
    assert after.get(live).data != before.get(live).data
    assert after.get("/p/helmet?shell_colour=cobalt_blue").status_code == 200
