"""A saved design survives catalog edits: a removed option, an option renamed through `replaces`,
a price change; each said in words when the design opens, with a one-click update."""

from __future__ import annotations

import re
import shutil

from tests.conftest import CATALOG
from tests.web.test_saving import csrf_of, save

DESIGN = (
    "shell_type=full_face&shell_colour=chrome&finish=gloss&visor=iridium&lining=olive"
    "&_order=shell_type,shell_colour,finish,visor,lining"
)


def edited_catalog(tmp_path):
    """Version 2: olive lining removed, chrome renamed mirror_chrome, iridium 69 -> 79."""
    folder = tmp_path / "catalog-v2"
    shutil.copytree(CATALOG, folder)
    path = folder / "helmet.yaml"
    text = path.read_text()
    start = text.index("      - id: olive\n")
    end = text.index("\n  - id: monogram")
    text = text[:start].rstrip("\n") + "\n" + text[end:]
    text = text.replace(
        "      - id: chrome\n", "      - id: mirror_chrome\n        replaces: [chrome]\n"
    )
    text = re.sub(r"\bshell_colour: chrome\b", "shell_colour: mirror_chrome", text)
    text = text.replace("gunmetal, chrome]", "gunmetal, mirror_chrome]")
    iridium = text.index("      - id: iridium\n")
    price = text.index('price: "69.00"', iridium)
    text = text[:price] + 'price: "79.00"' + text[price + len('price: "69.00"') :]
    path.write_text(text)
    return folder


def test_a_design_opens_under_a_new_catalog_with_every_change_said(
    make_app, database_url, tmp_path
):
    before = make_app(database_url=database_url)
    client = before.test_client()
    response = save(client, query=DESIGN, name="Mirror")
    token = response.headers["Location"].split("/")[-1].split("?")[0]
    page = client.get(f"/designs/{token}").text
    assert "What changed since you saved it" not in page
    old_total = re.search(r"Price today: EUR ([0-9.]+)", page).group(1)

    after = make_app(catalog_dir=edited_catalog(tmp_path), database_url=database_url)
    assert not after.extensions["catalogs"].catalog.problems
    client = after.test_client()
    opened = client.get(f"/designs/{token}")
    assert opened.status_code == 200
    page = opened.text
    assert "What changed since you saved it" in page
    assert "Since you saved this design, Olive is no longer offered for Lining." in page
    new_total = re.search(r"Price today: EUR ([0-9.]+)", page).group(1)
    assert new_total != old_total
    assert f"The price changed from EUR {old_total} to EUR {new_total}." in page
    assert "Chrome" in page and "chrome" not in re.findall(r"no longer offered for (\w+)", page)
    # the rename moved without a word: the configurator link names the new id
    editing = re.search(r'href="(/p/helmet\?[^"]+)">Keep editing', page).group(1)
    assert "shell_colour=mirror_chrome" in editing and "lining=" not in editing
    # one click brings the design up to date: no more notes, today's price kept
    updated = client.post(f"/designs/{token}/update", data={"csrf_token": csrf_of(page)})
    assert updated.status_code == 303
    page = client.get(f"/designs/{token}").text
    assert "What changed since you saved it" not in page
    assert f"Price today: EUR {new_total}" in page
