"""Each malformed catalog is reported at the right file and line, with the exact message.

Every case edits the valid product in samples.BASE (line numbers refer to it) and
may add files beside it. The product must not load, and the expected problem must
be among the errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from configurator.catalog import CatalogError, load_product, read_product

from .samples import edited, errors

CSV = "sizes.csv"
WITH_CSV = (
    "        - [blue, [small, large]]\n",
    "        - [blue, [small, large]]\n      rows_file: sizes.csv\n",
)
NOT_ID = "is not a valid id: use lower-case letters, digits, '-' and '_', starting with a letter or digit"

# (id, text, extra files, expected file, line, message)
CASES = [
    (
        "replaces-a-current-option",
        edited(
            (
                "      - {id: blue, label: Blue, sku: B}",
                "      - {id: blue, label: Blue, sku: B, replaces: [navy, red]}",
            )
        ),
        {},
        "thing.yaml",
        24,
        "option 'blue' replaces 'red', which is still an option of 'colour': remove one of them",
    ),
    (
        "replaced-twice",
        edited(
            (
                "      - {id: blue, label: Blue, sku: B}",
                "      - {id: blue, label: Blue, sku: B, replaces: [navy]}",
            ),
            ('        swatch: "#ff0000"', '        swatch: "#ff0000"\n        replaces: [navy]'),
        ),
        {},
        "thing.yaml",
        25,
        "'navy' is replaced by both 'red' and 'blue': a saved design can move to one option only",
    ),
    (
        "yaml-syntax",
        edited(("  name: Thing", "  name: [Thing")),
        {},
        "thing.yaml",
        3,
        "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence); "
        "inside [ ] or { }, quote a value that holds , : [ ] { } "
        '(like label: "Red, matt" or image: "art/{size}.png"), or close the bracket opened here',
    ),
    (
        "yaml-unquoted-star",
        edited(('        - [red, "*"]', "        - [red, *]")),
        {},
        "thing.yaml",
        49,
        "YAML syntax error: did not find expected alphabetic or numeric character "
        '(while scanning an alias); an unquoted * starts a YAML alias: write "*" in quotes '
        "for any value",
    ),
    (
        "yaml-unquoted-star-in-block-row",
        edited(('        - [red, "*"]', "        - - red\n          - *")),
        {},
        "thing.yaml",
        50,
        "YAML syntax error: did not find expected alphabetic or numeric character "
        '(while scanning an alias); an unquoted * starts a YAML alias: write "*" in quotes '
        "for any value",
    ),
    (
        "yaml-colon-in-text",
        edited(("  name: Thing", "  name: Thing: the best")),
        {},
        "thing.yaml",
        3,
        "YAML syntax error: mapping values are not allowed in this context; a ': ' inside "
        'unquoted text starts a new key: put the text in quotes, like name: "Helmet: carbon"; '
        "or check the indentation of this line",
    ),
    (
        "yaml-bad-indent",
        edited(("  name: Thing", "   name: Thing")),
        {},
        "thing.yaml",
        3,
        "YAML syntax error: mapping values are not allowed in this context; check the "
        "indentation: keys of one mapping start in the same column",
    ),
    (
        "yaml-tab",
        edited(("  name: Thing", "\tname: Thing")),
        {},
        "thing.yaml",
        3,
        "YAML syntax error: found a tab character that violates indentation (while scanning "
        "a plain scalar); indent with spaces, not tabs",
    ),
    (
        "yaml-reserved-start",
        edited(("  name: Thing", "  name: @thing")),
        {},
        "thing.yaml",
        3,
        "YAML syntax error: found character that cannot start any token (while scanning for "
        'the next token); text starting with @ must be in quotes, like label: "@..."',
    ),
    (
        "yaml-unquoted-placeholder",
        edited(("image: art/body.png", "image: art/{size}.png")),
        {},
        "thing.yaml",
        23,
        "YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping); "
        "inside [ ] or { }, quote a value that holds , : [ ] { } "
        '(like label: "Red, matt" or image: "art/{size}.png"), or close the bracket opened here',
    ),
    (
        "yaml-leading-dash",
        edited(("  name: Thing", "  name: - Thing")),
        {},
        "thing.yaml",
        3,
        "YAML syntax error: block sequence entries are not allowed in this context; a '- ' "
        "here starts a list item: put text starting with '-' in quotes",
    ),
    (
        "top-level-list",
        "- product\n- attributes\n",
        {},
        "thing.yaml",
        1,
        "the top level must be a mapping with the keys product, steps, attributes and rules",
    ),
    (
        "empty-file",
        "",
        {},
        "thing.yaml",
        1,
        "the file is empty; the top level must be a mapping with the keys product, steps, attributes and rules",
    ),
    (
        "not-utf8",
        b"product:\n  id: caf\xe9\n",
        {},
        "thing.yaml",
        2,
        "not UTF-8 text (invalid continuation byte at byte 18)",
    ),
    (
        "duplicate-key",
        edited(("  name: Thing\n", "  name: Thing\n  name: Other\n")),
        {},
        "thing.yaml",
        4,
        "duplicate key 'name' (first at line 3)",
    ),
    (
        "unsafe-tag",
        edited(("  name: Thing", "  name: !!python/object:os.system x")),
        {},
        "thing.yaml",
        3,
        "unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system'; write plain values",
    ),
    (
        "unknown-key",
        edited(("  sku: TH", "  skus: TH")),
        {},
        "thing.yaml",
        6,
        "unknown key 'skus' (did you mean 'sku'?)",
    ),
    (
        "unknown-key-no-hint",
        edited(("  sku: TH", "  colour: TH")),
        {},
        "thing.yaml",
        6,
        "unknown key 'colour' (expected one of: id, name, description, currency, base_price, sku, views, checks)",
    ),
    (
        "key-named-like-marshmallow-schema-errors",
        edited(("  sku: TH", "  sku: TH\n  _schema: x")),
        {},
        "thing.yaml",
        7,
        "unknown key '_schema' (expected one of: id, name, description, currency, base_price, sku, views, checks)",
    ),
    (
        "unknown-option-key",
        edited(("        swatch:", "        swath:")),
        {},
        "thing.yaml",
        21,
        "unknown key 'swath' (did you mean 'swatch'?)",
    ),
    (
        "missing-required",
        edited(("    label: Size\n", "")),
        {},
        "thing.yaml",
        25,
        "missing required key 'label'",
    ),
    (
        "wrong-type",
        edited(("max_length: 8", "max_length: eight")),
        {},
        "thing.yaml",
        35,
        "max_length: must be a whole number, not the text 'eight'",
    ),
    (
        "wrong-type-list",
        edited(("    label: Colour", "    label: [a, b]")),
        {},
        "thing.yaml",
        14,
        "label: must be text, not a list",
    ),
    (
        "bad-id",
        edited(("  id: thing", "  id: Thing")),
        {},
        "thing.yaml",
        2,
        f"id: 'Thing' {NOT_ID}",
    ),
    (
        "long-id",
        edited(("  id: thing", "  id: " + "t" * 65)),
        {},
        "thing.yaml",
        2,
        "id: 'tttttttttttttttttttttttt...' is too long for an id (at most 64 characters)",
    ),
    (
        "reserved-option-id",
        edited(("{id: blue,", "{id: none,")),
        {},
        "thing.yaml",
        24,
        "id: 'none' is reserved (it means no value or any value); pick another id",
    ),
    (
        "duplicate-attribute",
        edited(("  - id: size", "  - id: colour")),
        {},
        "thing.yaml",
        25,
        "duplicate attribute id 'colour' (first at line 13)",
    ),
    (
        "duplicate-option",
        edited(("{id: blue,", "{id: red,")),
        {},
        "thing.yaml",
        24,
        "duplicate option id 'red' in attribute 'colour' (first at line 17)",
    ),
    (
        "duplicate-rule",
        edited(("  - id: colour-by-size", "  - id: large-needs-blue")),
        {},
        "thing.yaml",
        44,
        "duplicate rule id 'large-needs-blue' (first at line 39)",
    ),
    (
        "duplicate-step",
        edited(
            (
                "    attributes: [colour, size, name]\n",
                "    attributes: [colour, size]\n  - id: main\n    label: Again\n    attributes: [name]\n",
            )
        ),
        {},
        "thing.yaml",
        12,
        "duplicate step id 'main' (first at line 9)",
    ),
    (
        "rule-unknown-attribute",
        edited(("when: {size: large}", "when: {sise: large}")),
        {},
        "thing.yaml",
        42,
        "unknown attribute 'sise' (did you mean 'size'?)",
    ),
    (
        "rule-unknown-option",
        edited(("then: {colour: blue}", "then: {colour: bleu}")),
        {},
        "thing.yaml",
        43,
        "'bleu' is not an option of 'colour' (did you mean 'blue'?)",
    ),
    (
        "rule-filled-on-choice",
        edited(("then: {colour: blue}", "then: {colour: [blue, filled]}")),
        {},
        "thing.yaml",
        43,
        "'filled' is only for text attributes; 'colour' is a choice attribute",
    ),
    (
        "rule-text-value",
        edited(("when: {size: large}", "when: {name: BOB}")),
        {},
        "thing.yaml",
        42,
        "text attribute 'name' takes filled or none, not 'BOB'",
    ),
    (
        "rule-star-in-condition",
        edited(("when: {size: large}", 'when: {size: "*"}')),
        {},
        "thing.yaml",
        42,
        "'*' is only for table cells; list the values instead",
    ),
    (
        "price-decimals",
        edited(('price: "1.50"', "price: 1.505")),
        {},
        "thing.yaml",
        19,
        "price: '1.505' has more than 2 decimals",
    ),
    (
        "price-nan",
        edited(('price: "1.50"', "price: .nan")),
        {},
        "thing.yaml",
        19,
        "price: '.nan' is not an amount",
    ),
    (
        "price-garbage",
        edited(('price: "1.50"', "price: 1e5")),
        {},
        "thing.yaml",
        19,
        "price: '1e5' is not an amount: write digits with at most 2 decimals, like 12.50",
    ),
    (
        "price-comma",
        edited(('price: "1.50"', 'price: "1,50"')),
        {},
        "thing.yaml",
        19,
        "price: '1,50' is not an amount: use a dot for decimals, like 12.50",
    ),
    (
        "price-bool",
        edited(('price: "1.50"', "price: yes")),
        {},
        "thing.yaml",
        19,
        "price: must be an amount like 12.50, not true/false (yes)",
    ),
    (
        "base-price-negative",
        edited(('base_price: "10.00"', 'base_price: "-1.00"')),
        {},
        "thing.yaml",
        5,
        "base_price: must not be negative (-1.00)",
    ),
    (
        "currency",
        edited(("currency: EUR", "currency: euro")),
        {},
        "thing.yaml",
        4,
        "currency: 'euro' is not a currency code: write three capitals, like EUR",
    ),
    (
        "artwork-missing",
        edited(("art/body.png", "art/bodi.png")),
        {},
        "thing.yaml",
        23,
        "image file not found: 'art/bodi.png'",
    ),
    (
        "artwork-escapes",
        edited(("art/body.png", "../body.png")),
        {},
        "thing.yaml",
        23,
        "image: '../body.png' must stay inside the catalog file's folder (no '..')",
    ),
    (
        "artwork-absolute",
        edited(("art/body.png", "/etc/passwd")),
        {},
        "thing.yaml",
        23,
        "image: '/etc/passwd' must be relative to the catalog file's folder, not absolute",
    ),
    (
        "artwork-placeholder",
        edited(("art/body.png", '"art/{colour}.png"')),
        {"art/red.png": b"png"},
        "thing.yaml",
        23,
        "image file not found: 'art/blue.png' (colour = blue)",
    ),
    (
        "artwork-placeholder-unknown",
        edited(("art/body.png", '"art/{colur}.png"')),
        {},
        "thing.yaml",
        23,
        "placeholder '{colur}' in 'art/{colur}.png' names no attribute (did you mean 'colour'?)",
    ),
    (
        "layer-view",
        edited(("{view: front, image", "{view: back, image")),
        {},
        "thing.yaml",
        23,
        "view 'back' is not one of the product's views (views: front, side)",
    ),
    (
        "layer-effect",
        edited(
            ("tint: true}\n", "tint: true}\n          - {view: side, effect: shiny, order: 900}\n")
        ),
        {},
        "thing.yaml",
        24,
        "effect: 'shiny' is not allowed (did you mean 'satin'?)",
    ),
    (
        "layer-image-and-effect",
        edited(("order: 10, tint: true}", "order: 10, effect: gloss}")),
        {},
        "thing.yaml",
        23,
        "layers[0]: a layer has an image or an effect, not both",
    ),
    (
        "swatch",
        edited(('swatch: "#ff0000"', 'swatch: "#ff00"')),
        {},
        "thing.yaml",
        21,
        "swatch: '#ff00' is not a colour: write #rgb or #rrggbb, like \"#2b2b2b\"",
    ),
    (
        "swatch-unquoted",
        edited(('swatch: "#ff0000"', "swatch: #ff0000")),
        {},
        "thing.yaml",
        21,
        'swatch: is empty: quote colours, like "#2b2b2b" (an unquoted # starts a comment)',
    ),
    (
        "default-not-option",
        edited(("default: red", "default: rad")),
        {},
        "thing.yaml",
        15,
        "default 'rad' is not an option of 'colour' (did you mean 'red'?)",
    ),
    (
        "pattern-invalid",
        edited(('pattern: "[A-Z]+"', 'pattern: "[A-Z"')),
        {},
        "thing.yaml",
        36,
        "pattern '[A-Z' is not a valid regular expression: unterminated character set at position 0",
    ),
    (
        "pattern-too-wide",
        edited(('pattern: "[A-Z]+"', 'pattern: "[A-Z]{9}"')),
        {},
        "thing.yaml",
        36,
        "pattern '[A-Z]{9}' needs at least 9 characters but max_length is 8",
    ),
    (
        "max-length-range",
        edited(("max_length: 8", "max_length: 201")),
        {},
        "thing.yaml",
        35,
        "max_length: must be between 1 and 200, not 201",
    ),
    (
        "text-with-options",
        edited(("    max_length: 8\n", "    max_length: 8\n    options: []\n")),
        {},
        "thing.yaml",
        36,
        "options: text attributes have none; remove it",
    ),
    (
        "choice-without-options",
        edited(
            (
                "    required: false\n    options:\n      - {id: small, label: Small, sku: S}\n"
                '      - {id: large, label: Large, price: "2.00", sku: L}\n',
                "    required: false\n",
            )
        ),
        {},
        "thing.yaml",
        25,
        "missing required key 'options'",
    ),
    (
        "step-unknown-attribute",
        edited(("attributes: [colour, size, name]", "attributes: [colour, sise, name]")),
        {},
        "thing.yaml",
        11,
        "unknown attribute 'sise' (did you mean 'size'?)",
    ),
    (
        "attribute-in-no-step",
        edited(("attributes: [colour, size, name]", "attributes: [colour, size]")),
        {},
        "thing.yaml",
        31,
        "attribute 'name' is in no step; add it to one",
    ),
    (
        "attribute-in-two-steps",
        edited(
            (
                "    attributes: [colour, size, name]\n",
                "    attributes: [colour, size, name]\n  - id: more\n    label: More\n    attributes: [size]\n",
            )
        ),
        {},
        "thing.yaml",
        14,
        "attribute 'size' is already in step 'main'",
    ),
    (
        "rule-no-kind",
        edited(("    requires:\n      when: {size: large}\n      then: {colour: blue}\n", "")),
        {},
        "thing.yaml",
        39,
        "rules[0]: a rule needs one of requires, excludes, table or applies",
    ),
    (
        "rule-two-kinds",
        edited(
            (
                "      then: {colour: blue}\n",
                "      then: {colour: blue}\n    excludes: {size: small}\n",
            )
        ),
        {},
        "thing.yaml",
        39,
        "rules[0]: a rule has exactly one kind, this one has requires and excludes: split it",
    ),
    (
        "table-no-attributes",
        edited(("attributes: [colour, size]\n      rows:", "attributes: []\n      rows:")),
        {},
        "thing.yaml",
        47,
        "attributes: must not be empty",
    ),
    (
        "table-duplicate-attribute",
        edited(
            ("attributes: [colour, size]\n      rows:", "attributes: [colour, colour]\n      rows:")
        ),
        {},
        "thing.yaml",
        47,
        "attribute 'colour' appears twice in the table",
    ),
    (
        "table-bad-mode",
        edited(
            (
                "      attributes: [colour, size]\n",
                "      attributes: [colour, size]\n      mode: sometimes\n",
            )
        ),
        {},
        "thing.yaml",
        48,
        "mode: 'sometimes' is not allowed (one of: allowed, forbidden)",
    ),
    (
        "row-width",
        edited(('        - [red, "*"]', "        - [red]")),
        {},
        "thing.yaml",
        49,
        "row has 1 cell but the table has 2 attributes",
    ),
    (
        "row-unknown-option",
        edited(("[blue, [small, large]]", "[blue, [small, larg]]")),
        {},
        "thing.yaml",
        50,
        "'larg' is not an option of 'size' (did you mean 'large'?)",
    ),
    (
        "row-star-combined",
        edited(('        - [red, "*"]', '        - [red, "*|small"]')),
        {},
        "thing.yaml",
        49,
        "'*|small': * already means any value; write it alone",
    ),
    ("csv-missing", edited(WITH_CSV), {}, "thing.yaml", 51, "rows file not found: 'sizes.csv'"),
    (
        "csv-header-unknown",
        edited(WITH_CSV),
        {CSV: "colour,sise\nred,small\n"},
        CSV,
        1,
        "unknown attribute 'sise' in the header (did you mean 'size'?)",
    ),
    (
        "csv-header-differs",
        edited(WITH_CSV),
        {CSV: "size,colour\nsmall,red\n"},
        CSV,
        1,
        "header 'size,colour' differs from the table's attributes 'colour,size'",
    ),
    (
        "csv-row-width",
        edited(WITH_CSV),
        {CSV: "colour,size\nred,small\nblue,large,x\n"},
        CSV,
        3,
        "row has 3 columns but the header has 2; several values in one cell are separated "
        "by |, like large|x, not commas",
    ),
    (
        "csv-unknown-option",
        edited(WITH_CSV),
        {CSV: "colour,size\nred,small\nblue,small|huge\n"},
        CSV,
        3,
        "'huge' is not an option of 'size'",
    ),
    (
        "csv-commas-in-a-cell",
        edited(WITH_CSV),
        {CSV: 'colour,size\nblue,"small,large"\n'},
        CSV,
        2,
        "'small,large' is not an option of 'size': several values in one cell are "
        "separated by |, like small|large",
    ),
    (
        "csv-commas-between-values",
        edited(WITH_CSV),
        {CSV: "colour,size\nblue,small,large\n"},
        CSV,
        2,
        "row has 3 columns but the header has 2; several values in one cell are separated "
        "by |, like small|large, not commas",
    ),
    (
        "csv-yaml-list-in-a-cell",
        edited(WITH_CSV),
        {CSV: "colour,size\nblue,[small, large]\n"},
        CSV,
        2,
        "row has 3 columns but the header has 2; several values in one cell are separated "
        "by |, like small|large, not commas",
    ),
    (
        "csv-semicolons",
        edited(WITH_CSV),
        {CSV: "colour;size\nblue;small\n"},
        CSV,
        1,
        "the columns are separated by ';': save the file as CSV with commas "
        "(a spreadsheet's 'CSV UTF-8, comma-delimited')",
    ),
    (
        "row-commas-in-a-cell",
        edited(("[blue, [small, large]]", '[blue, "small, large"]')),
        {},
        "thing.yaml",
        50,
        "'small, large' is not an option of 'size': several values in one cell are "
        "separated by |, like small|large",
    ),
    (
        "row-list-written-flat",
        edited(("[blue, [small, large]]", "[blue, small, large]")),
        {},
        "thing.yaml",
        50,
        "row has 3 cells but the table has 2 attributes; a cell with several values is a "
        "list, like [blue, [small, large]]",
    ),
    (
        "csv-filled-on-choice",
        edited(WITH_CSV),
        {CSV: "colour,size\nfilled,small\n"},
        CSV,
        2,
        "'filled' is only for text attributes; 'colour' is a choice attribute",
    ),
    (
        "applies-own-when",
        edited(("when: {size: [small, large]}", "when: {name: filled}")),
        {},
        "thing.yaml",
        55,
        "'name' cannot appear in its own applies condition (it is what the rule switches on and off)",
    ),
    (
        "applies-unknown-attribute",
        edited(("      attribute: name", "      attribute: nme")),
        {},
        "thing.yaml",
        54,
        "unknown attribute 'nme' (did you mean 'name'?)",
    ),
    (
        "multiple-documents",
        edited(("rules:\n", "---\nrules:\n")),
        {},
        "thing.yaml",
        38,
        "a catalog file holds one YAML document; remove this '---' and what follows",
    ),
    (
        "merge-key",
        edited(("  sku: TH\n", "  <<: {sku: TH}\n")),
        {},
        "thing.yaml",
        6,
        "YAML merge keys (<<) are not supported; write the keys out",
    ),
]


@pytest.mark.parametrize(
    ("text", "files", "file", "line", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_malformed_catalog_is_reported_where_it_is_wrong(write, text, files, file, line, message):
    path = write(text, files)
    product, problems = read_product(path)
    assert product is None
    found = [(Path(p.source.file).name, p.source.line, p.message) for p in errors(problems)]
    assert (file, line, message) in found, "\n".join(map(str, problems))


def test_there_are_at_least_thirty_distinct_malformed_catalogs():
    assert len({case[0] for case in CASES}) >= 30


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c[0] in ("unknown-key", "rule-unknown-option", "csv-unknown-option")],
    ids=lambda c: c[0],
)
def test_load_product_raises_with_every_problem(write, case):
    _, text, files, file, line, message = case
    with pytest.raises(CatalogError) as raised:
        load_product(write(text, files))
    assert any(p.message == message and p.source.line == line for p in raised.value.problems)
    assert message in str(raised.value)


def test_every_problem_in_a_file_is_reported_at_once(write):
    text = edited(
        ("currency: EUR", "currency: euro"),
        ('price: "1.50"', "price: 1.505"),
        ("then: {colour: blue}", "then: {colour: bleu}"),
        ("default: red", "default: rad"),
    )
    _, problems = read_product(write(text))
    assert [p.source.line for p in errors(problems)] == [4, 15, 19, 43]


def test_problems_carry_columns(write):
    _, problems = read_product(write(edited(("then: {colour: blue}", "then: {colour: bleu}"))))
    (problem,) = errors(problems)
    assert (problem.source.line, problem.source.column) == (43, 22)
    assert str(problem).endswith(
        "thing.yaml:43:22: 'bleu' is not an option of 'colour' (did you mean 'blue'?)"
    )


def test_csv_cell_problems_name_row_and_column(write):
    path = write(edited(WITH_CSV), {CSV: "colour,size\nred,small\nblue,huge\n"})
    _, problems = read_product(path)
    (problem,) = errors(problems)
    assert problem.source == type(problem.source)(str(path.parent / CSV), 3, 2)


@pytest.mark.parametrize("name", ["thing.yaml", CSV])
def test_oversize_files_are_refused_before_reading(write, name):
    path = write(edited(WITH_CSV), {CSV: "colour,size\nred,small\n"})
    with open(path.parent / name, "r+b") as handle:
        handle.truncate(33 * 1024 * 1024)  # sparse: instant, and never parsed
    _, problems = read_product(path)
    assert any(
        Path(p.source.file).name == name
        and p.source.line == 1
        and p.message == "file is 33.0 MB; the limit is 32 MB"
        for p in problems
    ), problems


def test_malformed_csv_is_a_csv_error(write):
    path = write(edited(WITH_CSV), {CSV: 'colour,size\nred,"small\n'})
    _, problems = read_product(path)
    assert [(Path(p.source.file).name, p.source.line, p.message) for p in errors(problems)] == [
        (
            CSV,
            2,
            'CSV error: unexpected end of data; a quote (") opened in a cell is never closed: close it',
        )
    ]


def test_a_quote_in_the_middle_of_a_csv_cell_says_how_to_quote(write):
    path = write(edited(WITH_CSV), {CSV: 'colour,size\nred,"small"x\n'})
    _, problems = read_product(path)
    assert [(p.source.line, p.message) for p in errors(problems)] == [
        (
            2,
            "CSV error: ',' expected after '\"'; a quoted cell ends at its closing quote: "
            'put the whole cell in quotes, like "a, b"',
        )
    ]


def test_a_wrong_csv_stops_after_fifty_problems(write):
    rows = "".join(f"red,size{n}\n" for n in range(80))
    _, problems = read_product(write(edited(WITH_CSV), {CSV: "colour,size\n" + rows}))
    found = errors(problems)
    assert len(found) == 51
    assert (51, 1, "stopped checking this file after 50 problems") in [
        (p.source.line, p.source.column, p.message) for p in found
    ]
