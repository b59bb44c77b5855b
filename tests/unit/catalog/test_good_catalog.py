"""A valid catalog loads into exactly the dataclasses it describes, field by field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from configurator.catalog import load_catalog, load_product, read_product
from configurator.catalog.model import BomLine, Layer, Source, Step, TextStyle

from .samples import GOOD


@pytest.fixture(scope="module")
def helmet():
    return load_product(GOOD / "helmet.yaml")


def at(line: int, column: int) -> Source:
    return Source(str(GOOD / "helmet.yaml"), line, column)


def test_product_fields(helmet):
    assert helmet.id == "helmet"
    assert helmet.name == "Custom helmet"
    assert helmet.description == "Hand-finished shell, made to order."
    assert helmet.currency == "EUR"
    assert helmet.base_price == Decimal("199.00") and isinstance(helmet.base_price, Decimal)
    assert helmet.sku == "HLM"
    assert helmet.views == ("front", "side")
    assert helmet.folder == str(GOOD.absolute())
    assert helmet.source == at(2, 3)
    assert len(helmet.version) == 16 and int(helmet.version, 16) >= 0


def test_steps_in_order(helmet):
    assert helmet.steps == (
        Step("shell", "Shell", ("shell_type", "visor")),
        Step("extras", "Extras", ("monogram",)),
    )


def test_choice_attribute(helmet):
    shell = helmet.attribute("shell_type")
    assert (shell.id, shell.label, shell.kind) == ("shell_type", "Shell type", "choice")
    assert shell.description == "The shape of the helmet."
    assert shell.required is True
    assert shell.default == "full_face"
    assert shell.option_ids == ("open_face", "full_face")
    assert shell.source == at(19, 5)
    assert shell.max_length == 0 and shell.pattern is None and shell.text_styles == ()


def test_option_with_layers_and_bom(helmet):
    open_face = helmet.attribute("shell_type").option("open_face")
    assert open_face.label == "Open face"
    assert open_face.description == ""
    assert open_face.price == Decimal("0.00")
    assert open_face.sku == "OF"
    assert open_face.swatch == "#2b2b2b"
    assert open_face.layers == (
        Layer(view="front", order=10, image="helmet/shell-open_face-front.png", tint=True),
        Layer(
            view="side", order=10, image="helmet/shell-open_face-side.png", tint=True, opacity=0.5
        ),
        Layer(view="front", order=900, effect="gloss"),
    )
    assert open_face.bom == (
        BomLine(part="EPS liner, open face", quantity=Decimal("1"), unit="pcs"),
    )
    assert open_face.source == at(24, 9)


def test_prices_are_exact_decimals_from_the_source_text(helmet):
    shell, visor = helmet.attribute("shell_type"), helmet.attribute("visor")
    full_face = shell.option("full_face")
    assert full_face.price == Decimal("40.5") and str(full_face.price) == "40.5"  # unquoted 40.5
    assert visor.option("clear").price == Decimal("0")
    assert visor.option("tinted").price == Decimal("-5")
    assert str(visor.option("iridium").price) == "30.00"
    assert all(isinstance(o.price, Decimal) for a in helmet.attributes for o in a.options)


def test_placeholder_layers_are_kept_as_written(helmet):
    full_face = helmet.attribute("shell_type").option("full_face")
    assert [layer.image for layer in full_face.layers] == [
        "helmet/shell-{shell_type}-front.png",
        "helmet/shell-{shell_type}-side.png",
    ]


def test_optional_attribute_and_short_swatch(helmet):
    visor = helmet.attribute("visor")
    assert visor.required is False
    assert visor.default is None
    assert visor.option("iridium").swatch == "#abc"


def test_text_attribute(helmet):
    monogram = helmet.attribute("monogram")
    assert monogram.kind == "text"
    assert monogram.required is False
    assert monogram.max_length == 3
    assert monogram.pattern == "[A-Z0-9]+"
    assert monogram.price == Decimal("15.00")
    assert monogram.sku == "MONO"
    assert monogram.options == ()
    assert monogram.text_styles == (
        TextStyle(view="front", x=400, y=520, size=64, colour="#ffffff", order=1000),
    )


def test_requires_rule_conditions_in_written_order(helmet):
    rule = helmet.rule("iridium-needs-full-face")
    assert rule.kind == "requires"
    assert rule.message == "Iridium visors need a full-face shell."
    assert rule.when == (("visor", ("iridium",)),)
    assert rule.then == (("shell_type", ("full_face",)),)
    assert rule.source == at(65, 5)


def test_excludes_rule(helmet):
    rule = helmet.rule("no-monogram-on-open-face")
    assert rule.kind == "excludes"
    assert rule.when == (("monogram", ("filled",)), ("shell_type", ("open_face",)))
    assert rule.then == ()


def test_table_rule_rows_inline_then_csv(helmet):
    rule = helmet.rule("visor-by-shell")
    assert rule.kind == "table"
    assert rule.allowed is False  # mode: forbidden
    assert rule.attributes == ("shell_type", "visor")
    assert rule.rows == (
        ("open_face", "tinted|iridium"),  # [iridium, tinted]: option order, joined by |
        ("open_face", "clear|tinted"),  # "tinted|clear" written inline
        ("open_face", "iridium"),  # from the CSV
        ("full_face", "none"),  # CSV cell " none " trimmed; the blank line skipped
    )


def test_applies_rule(helmet):
    rule = helmet.rule("visor-only-on-full-face")
    assert rule.kind == "applies"
    assert rule.attribute == "visor"
    assert rule.when == (("shell_type", ("full_face",)),)


def test_good_catalog_has_no_problems():
    product, problems = read_product(GOOD / "helmet.yaml")
    assert product is not None
    assert problems == ()
    catalog = load_catalog(GOOD)
    assert [p.id for p in catalog.products] == ["helmet"]
    assert catalog.problems == ()
