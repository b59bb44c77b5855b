"""The optional `checks` of a product, an option and a text attribute (the work order's tick
boxes): loaded in the order written, and every mistake reported at its file:line:column."""

from __future__ import annotations

from pathlib import Path

import pytest

from configurator.catalog import read_product

from .samples import edited, errors

PRODUCT_CHECKS = ("  sku: TH\n", "  sku: TH\n  checks:\n    - Shell clean\n    - Label inside\n")


def test_checks_load_where_they_are_written(write):
    text = edited(
        PRODUCT_CHECKS,
        ("      - {id: blue, label: Blue, sku: B}", "      - {id: blue, label: Blue, sku: B, checks: [Blue even]}"),
        ('    price: "5.00"\n', '    price: "5.00"\n    checks: ["Name spelled as ordered"]\n'),
    )  # fmt: skip
    product, problems = read_product(write(text))
    assert product is not None, problems
    assert product.checks == ("Shell clean", "Label inside")
    assert product.attribute("colour").option("blue").checks == ("Blue even",)
    assert product.attribute("colour").option("red").checks == ()
    assert product.attribute("name").checks == ("Name spelled as ordered",)


def test_no_checks_and_an_empty_list_are_the_same(write):
    plain, _ = read_product(write())
    empty, _ = read_product(write(edited(("  sku: TH\n", "  sku: TH\n  checks: []\n"))))
    assert plain.checks == empty.checks == ()


def product_checks(*items: str) -> str:
    return edited(
        ("  sku: TH\n", "  sku: TH\n  checks:\n" + "".join(f"    - {i}\n" for i in items))
    )


# (id, text, line, column, message)
CASES = [
    (
        "not-a-list",
        edited(("  sku: TH\n", "  sku: TH\n  checks: Shell clean\n")),
        7,
        11,
        "checks: must be a list of short texts, like [\"Visor scratch-free\"], not the text 'Shell clean'",
    ),
    ("empty-text", product_checks("Shell clean", '""'), 9, 7, "checks[1]: is empty"),
    ("null-item", product_checks(""), 8, 6, "checks[0]: is empty"),
    (
        "too-long",
        product_checks("x" * 121),
        8,
        7,
        "checks[0]: is 121 characters long; a check has at most 120",
    ),
    (
        "repeated-ignoring-case-and-spaces",
        product_checks("Shell clean", "Label inside", "shell  CLEAN"),
        10,
        7,
        "checks[2]: 'shell  CLEAN' repeats checks[0]: list each check once",
    ),
    (
        "a-mapping",
        product_checks("{check: Shell clean}"),
        8,
        7,
        "checks[0]: must be text, not a mapping",
    ),
    ("a-list", product_checks("[Shell, clean]"), 8, 7, "checks[0]: must be text, not a list"),
    (
        "option-level",
        edited(
            (
                "      - {id: blue, label: Blue, sku: B}",
                "      - {id: blue, label: Blue, sku: B, checks: [Blue even, '']}",
            )
        ),
        24,
        61,
        "checks[1]: is empty",
    ),
    (
        "on-a-choice-attribute",
        edited(("    label: Colour\n", "    label: Colour\n    checks: [Colour even]\n")),
        15,
        5,
        "checks: is only for text attributes (a choice attribute's checks go on its options)",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "column", "message"), [pytest.param(*c[1:], id=c[0]) for c in CASES]
)
def test_a_wrong_check_is_reported_where_it_is_written(write, text, line, column, message):
    path = write(text)
    product, problems = read_product(path)
    assert product is None
    found = [
        (Path(p.source.file).name, p.source.line, p.source.column, p.message)
        for p in errors(problems)
    ]
    assert found == [("thing.yaml", line, column, message)], "\n".join(map(str, problems))
