"""A catalog folder: good products load, broken ones are left out with their problems, never raised."""

from __future__ import annotations

import shutil

import pytest

from configurator.catalog import CatalogError, load_catalog, load_product, read_product

from .samples import BASE, GOOD, edited, errors, warnings, write_product


def test_empty_folder_is_an_empty_catalog(tmp_path):
    catalog = load_catalog(tmp_path)
    assert catalog.products == () and catalog.problems == ()


def test_missing_folder_is_a_problem_not_an_exception(tmp_path):
    catalog = load_catalog(tmp_path / "nowhere")
    assert [p.message for p in catalog.problems] == ["catalog folder not found"]


def test_a_broken_product_does_not_take_the_others_down(tmp_path):
    write_product(tmp_path, BASE, name="a.yaml")
    write_product(
        tmp_path,
        edited(("  id: thing", "  id: other"), ("currency: EUR", "currency: E")),
        name="b.yml",
    )
    write_product(tmp_path, edited(("  id: thing", "  id: third")), name="c.yaml")
    (tmp_path / "notes.txt").write_text("not a catalog")
    (tmp_path / ".#a.yaml").write_text("an editor's lock file")
    (tmp_path / "sub").mkdir()
    write_product(tmp_path / "sub", BASE, name="ignored.yaml")
    catalog = load_catalog(tmp_path)
    assert [p.id for p in catalog.products] == ["thing", "third"]
    assert [
        (p.source.file.rsplit("/", 1)[-1], p.source.line) for p in errors(catalog.problems)
    ] == [("b.yml", 4)]


def test_duplicate_product_ids_keep_the_first_file(tmp_path):
    write_product(tmp_path, BASE, name="a.yaml")
    write_product(tmp_path, BASE, name="b.yaml")
    catalog = load_catalog(tmp_path)
    assert [p.source.file for p in catalog.products] == [str(tmp_path / "a.yaml")]
    (problem,) = catalog.problems
    assert problem.source.file == str(tmp_path / "b.yaml") and problem.source.line == 2
    assert (
        problem.message
        == f"duplicate product id 'thing' (also in {tmp_path / 'a.yaml'}); this file is left out"
    )


def test_load_product_raises_catalog_error_with_all_problems(tmp_path):
    path = write_product(
        tmp_path, edited(("currency: EUR", "currency: E"), ("default: red", "default: rad"))
    )
    with pytest.raises(CatalogError) as raised:
        load_product(path)
    assert [p.source.line for p in raised.value.problems] == [4, 15]
    assert str(raised.value).startswith("2 error(s) in the catalog:\n")


def test_missing_file_raises_catalog_error(tmp_path):
    with pytest.raises(CatalogError) as raised:
        load_product(tmp_path / "absent.yaml")
    assert [p.message for p in raised.value.problems] == ["file not found"]


def test_warnings_do_not_stop_a_product(tmp_path):
    text = edited(
        ("      - {id: blue, label: Blue, sku: B}\n", ""),  # colour: a single option
        (
            "{id: small, label: Small, sku: S}",
            "{id: small, label: Small}",
        ),  # no sku, product has one
        ('        swatch: "#ff0000"\n', ""),  # a tinted layer without swatch
        ("then: {colour: blue}", "then: {colour: red}"),
        ("        - [blue, [small, large]]\n", ""),
    )
    product, problems = read_product(write_product(tmp_path, text))
    assert product is not None
    assert [(p.source.line, p.message) for p in warnings(problems)] == [
        (13, "attribute 'colour' has a single option: the shopper has nothing to choose"),
        (22, "layer is tinted but option 'red' has no swatch colour"),
        (27, "option 'small' has no sku although the product has sku 'TH'"),
    ]


def test_version_follows_every_file_the_product_uses(tmp_path):
    shutil.copytree(GOOD, tmp_path / "cat")
    folder = tmp_path / "cat"
    first = load_product(folder / "helmet.yaml").version
    assert load_product(folder / "helmet.yaml").version == first
    (folder / "visor-by-shell.csv").write_text("shell_type,visor\nopen_face,iridium\n")
    second = load_product(folder / "helmet.yaml").version
    (folder / "helmet" / "visor-front.png").write_bytes(b"new artwork")
    third = load_product(folder / "helmet.yaml").version
    (folder / "helmet" / "shell-full_face-side.png").write_bytes(b"placeholder artwork counts too")
    fourth = load_product(folder / "helmet.yaml").version
    assert len({first, second, third, fourth}) == 4


def test_folder_is_absolute_even_for_a_relative_path(tmp_path, monkeypatch):
    write_product(tmp_path, BASE)
    monkeypatch.chdir(tmp_path)
    product = load_product("thing.yaml")
    assert product.folder == str(tmp_path)
    assert product.source.file == "thing.yaml"
