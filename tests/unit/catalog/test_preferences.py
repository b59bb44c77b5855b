"""The preferences file (preferences.yaml): questions load into dataclasses, every mistake is
reported at its file:line:column, and the file is never taken for a product."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from configurator.catalog import load_catalog, read_preferences, read_questions
from configurator.catalog.model import Answer, Mapping, Source

from .samples import BASE, edited, errors, warnings, write_product
from .test_fuzz import structures

ROOT = Path(__file__).resolve().parents[3]
NAME = "preferences.yaml"

# Questions about the product in samples.BASE (thing: colour red|blue, size small|large
# optional, name a text attribute of at most 8 capitals). Line numbers in the cases
# refer to this text; most edits keep the line count.
PREFS = """\
questions:
  - key: favourite
    question: Which colour do you prefer?
    purpose: We pre-select the colour of your thing.
    kind: choice
    answers:
      - {id: red, label: Red}
      - {id: blue, label: Blue}
    preselects:
      - product: thing
        attribute: colour
        map: {red: red, blue: blue}
  - key: sizes_i_like
    question: Which sizes do you like?
    purpose: We lean towards them when we finish a design for you.
    kind: choices
    answers:
      - {id: small, label: Small}
      - {id: large, label: Large}
    wishes:
      - {product: thing, attribute: size, map: {small: small, large: large}}
  - key: my_name
    question: Your name, in capitals
    purpose: We pre-fill the name with it.
    kind: text
    pattern: "[A-Z]+"
    max_length: 8
    preselects:
      - {product: thing, attribute: name, map: {"*": "*"}}
"""
PREFERENCE_WORDS = [
    "choice",
    "choices",
    "text",
    "thing",
    "colour",
    "size",
    "name",
    "*",
    "red",
    "blue",
]
TEXT_MAP = 'a text answer goes in as typed: write map: {"*": "*"}'
NOT_ID = "is not a valid id: use lower-case letters, digits, '-' and '_', starting with a letter or digit"


def prefs(*edits: tuple[str, str]) -> str:
    """PREFS with each (old, new) replaced once; fails loudly if `old` is not there."""
    text = PREFS
    for old, new in edits:
        assert old in text, f"edit target not in PREFS: {old!r}"
        text = text.replace(old, new, 1)
    return text


def write_catalog(folder: Path, text: str | bytes = PREFS, product: str = BASE, name=NAME) -> Path:
    """The product of samples.BASE and a preferences file in `folder`; the preferences path."""
    write_product(folder, product)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# (id, preferences text, product text, line, column, message); every problem is in preferences.yaml
CASES = [
    (
        "yaml-syntax",
        prefs(("    question: Which colour", "    question: [Which colour")),
        BASE,
        3,
        15,
        "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence); inside [ ] or { }, quote a value that holds , : [ ] { } (like label: \"Red, matt\" or image: \"art/{size}.png\"), or close the bracket opened here",
    ),
    (
        "empty-file",
        "",
        BASE,
        1,
        1,
        "the file is empty; the top level must be a mapping with the key questions",
    ),
    (
        "top-level-list",
        "- key: favourite\n",
        BASE,
        1,
        1,
        "the top level must be a mapping with the key questions",
    ),
    (
        "not-utf8",
        b"questions:\n  - key: caf\xe9\n",
        BASE,
        2,
        1,
        "not UTF-8 text (invalid continuation byte at byte 23)",
    ),
    (
        "duplicate-yaml-key",
        prefs(("    kind: choice\n", "    kind: choice\n    kind: choices\n")),
        BASE,
        6,
        5,
        "duplicate key 'kind' (first at line 5)",
    ),
    (
        "top-level-unknown-key",
        prefs(("questions:\n", "title: My questions\nquestions:\n")),
        BASE,
        1,
        1,
        "unknown key 'title' (expected one of: questions)",
    ),
    (
        "no-questions",
        "questions: []\n",
        BASE,
        1,
        1,
        "questions: must not be empty",
    ),
    (
        "unknown-key",
        prefs(("    purpose: We pre-select", "    purpose: x\n    purpse: We pre-select")),
        BASE,
        5,
        5,
        "unknown key 'purpse' (did you mean 'purpose'?)",
    ),
    (
        "missing-purpose",
        prefs(("    purpose: We pre-select the colour of your thing.\n", "")),
        BASE,
        2,
        5,
        "missing required key 'purpose'",
    ),
    (
        "empty-question",
        prefs(("    question: Which colour do you prefer?", "    question:")),
        BASE,
        3,
        5,
        "question: is empty",
    ),
    (
        "key-not-an-id",
        prefs(("  - key: favourite", "  - key: Favourite")),
        BASE,
        2,
        10,
        f"key: 'Favourite' {NOT_ID}",
    ),
    (
        "duplicate-question-key",
        prefs(("  - key: sizes_i_like", "  - key: favourite")),
        BASE,
        13,
        10,
        "duplicate question key 'favourite' (first at line 2)",
    ),
    (
        "duplicate-answer-id",
        prefs(("{id: blue, label: Blue}", "{id: red, label: Blue}")),
        BASE,
        8,
        14,
        "duplicate answer id 'red' in question 'favourite' (first at line 7)",
    ),
    (
        "answer-not-an-id",
        prefs(("{id: blue, label: Blue}", "{id: Blue, label: Blue}")),
        BASE,
        8,
        14,
        f"id: 'Blue' {NOT_ID}",
    ),
    (
        "answer-without-label",
        prefs(("{id: blue, label: Blue}", "{id: blue}")),
        BASE,
        8,
        9,
        "missing required key 'label'",
    ),
    (
        "unknown-kind",
        prefs(("    kind: choice", "    kind: choise")),
        BASE,
        5,
        11,
        "kind: 'choise' is not allowed (did you mean 'choice'?)",
    ),
    (
        "choices-without-answers",
        prefs(
            (
                "    answers:\n      - {id: small, label: Small}\n      - {id: large, label: Large}\n",
                "",
            )
        ),
        BASE,
        13,
        5,
        "missing required key 'answers'",
    ),
    (
        "empty-answers",
        prefs(
            (
                "    answers:\n      - {id: small, label: Small}\n      - {id: large, label: Large}\n",
                "    answers: []\n",
            )
        ),
        BASE,
        17,
        5,
        "answers: must not be empty",
    ),
    (
        "text-with-answers",
        prefs(('    pattern: "[A-Z]+"', '    answers: [{id: a, label: A}]\n    pattern: "[A-Z]+"')),
        BASE,
        26,
        5,
        "answers: text questions have none; remove it",
    ),
    (
        "pattern-on-a-choice-question",
        prefs(("    kind: choice\n", '    kind: choice\n    pattern: "[a-z]+"\n')),
        BASE,
        6,
        14,
        "pattern: is only for text questions (a choice question lists answers)",
    ),
    (
        "max-length-on-a-choices-question",
        prefs(("    kind: choices\n", "    kind: choices\n    max_length: 4\n")),
        BASE,
        17,
        17,
        "max_length: is only for text questions (a choice question lists answers)",
    ),
    (
        "pattern-not-a-regex",
        prefs(('    pattern: "[A-Z]+"', '    pattern: "[A-Z+"')),
        BASE,
        26,
        14,
        "pattern '[A-Z+' is not a valid regular expression: unterminated character set at position 0",
    ),
    (
        "pattern-longer-than-max-length",
        prefs(('    pattern: "[A-Z]+"', '    pattern: "[A-Z]{9}"')),
        BASE,
        26,
        14,
        "pattern '[A-Z]{9}' needs at least 9 characters but max_length is 8",
    ),
    (
        "max-length-out-of-range",
        prefs(("    max_length: 8", "    max_length: 500")),
        BASE,
        27,
        17,
        "max_length: must be between 1 and 200, not 500",
    ),
    (
        "preselects-on-a-choices-question",
        prefs(("    wishes:\n", "    preselects:\n")),
        BASE,
        20,
        5,
        "preselects: a choices question takes several answers, which cannot pre-select one "
        "option each; use wishes",
    ),
    (
        "wishes-on-a-choice-question",
        prefs(("    preselects:\n      - product: thing", "    wishes:\n      - product: thing")),
        BASE,
        9,
        5,
        "wishes: are only for choices questions (tastes); a choice question has preselects",
    ),
    (
        "wishes-on-a-text-question",
        prefs(
            (
                "    preselects:\n      - {product: thing, attribute: name",
                "    wishes:\n      - {product: thing, attribute: name",
            )
        ),
        BASE,
        28,
        5,
        "wishes: are only for choices questions (tastes); a text question has preselects",
    ),
    (
        "mapping-without-map",
        prefs(("        map: {red: red, blue: blue}\n", "")),
        BASE,
        10,
        9,
        "missing required key 'map'",
    ),
    (
        "mapping-unknown-key",
        prefs(("        attribute: colour\n", "        attribute: colour\n        option: red\n")),
        BASE,
        12,
        9,
        "unknown key 'option' (expected one of: product, attribute, map)",
    ),
    (
        "map-not-a-mapping",
        prefs(("        map: {red: red, blue: blue}", "        map: [red, blue]")),
        BASE,
        12,
        9,
        "map: must be a mapping of answer: option, like {m: m}, not a list",
    ),
    (
        "map-empty",
        prefs(("        map: {red: red, blue: blue}", "        map: {}")),
        BASE,
        12,
        9,
        "map: maps no answer",
    ),
    (
        "map-value-empty",
        prefs(("        map: {red: red, blue: blue}", "        map: {red: red, blue: }")),
        BASE,
        12,
        25,
        "blue: is empty: write the option id this answer stands for",
    ),
    (
        "unknown-product",
        prefs(
            (
                "      - product: thing\n        attribute: colour",
                "      - product: thimg\n        attribute: colour",
            )
        ),
        BASE,
        10,
        18,
        "unknown product 'thimg' (did you mean 'thing'?)",
    ),
    (
        "unknown-product-no-hint",
        prefs(
            (
                "      - product: thing\n        attribute: colour",
                "      - product: helmet\n        attribute: colour",
            )
        ),
        BASE,
        10,
        18,
        "unknown product 'helmet' (products: thing)",
    ),
    (
        "product-that-failed-to-load",
        PREFS,
        edited(("currency: EUR", "currency: E")),
        10,
        18,
        "unknown product 'thing' (no product loaded)",
    ),
    (
        "unknown-attribute",
        prefs(("        attribute: colour", "        attribute: color")),
        BASE,
        11,
        20,
        "unknown attribute 'color' in product 'thing' (did you mean 'colour'?)",
    ),
    (
        "unknown-option",
        prefs(("        map: {red: red, blue: blue}", "        map: {red: red, blue: bleu}")),
        BASE,
        12,
        31,
        "'bleu' is not an option of 'colour' (did you mean 'blue'?)",
    ),
    (
        "unknown-option-in-wishes",
        prefs(("{small: small, large: large}", "{small: small, large: huge}")),
        BASE,
        21,
        70,
        "'huge' is not an option of 'size'",
    ),
    (
        "map-key-not-an-answer",
        prefs(("        map: {red: red, blue: blue}", "        map: {red: red, bleu: blue}")),
        BASE,
        12,
        25,
        "'bleu' is not an answer of question 'favourite' (did you mean 'blue'?)",
    ),
    (
        "text-question-to-a-choice-attribute",
        prefs(("{product: thing, attribute: name,", "{product: thing, attribute: size,")),
        BASE,
        29,
        37,
        "'size' of 'thing' is a choice attribute: a text question can only fill a text attribute",
    ),
    (
        "choice-question-to-a-text-attribute",
        prefs(("        attribute: colour", "        attribute: name")),
        BASE,
        11,
        20,
        "'name' of 'thing' is a text attribute: a choice question maps its answers "
        "to the options of a choice attribute",
    ),
    (
        "text-map-key-not-a-star",
        prefs(('map: {"*": "*"}', 'map: {name: "*"}')),
        BASE,
        29,
        49,
        TEXT_MAP,
    ),
    (
        "text-map-value-not-a-star",
        prefs(('map: {"*": "*"}', 'map: {"*": name}')),
        BASE,
        29,
        54,
        TEXT_MAP,
    ),
    (
        "same-attribute-pre-selected-twice",
        prefs(
            (
                "        map: {red: red, blue: blue}\n",
                "        map: {red: red, blue: blue}\n"
                "      - {product: thing, attribute: colour, map: {red: blue}}\n",
            )
        ),
        BASE,
        13,
        37,
        "question 'favourite' already pre-selects 'colour' of 'thing' (first at line 10)",
    ),
]


@pytest.mark.parametrize(
    ("text", "product", "line", "column", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_malformed_preferences_are_reported_where_they_are_wrong(
    tmp_path, text, product, line, column, message
):
    path = write_catalog(tmp_path, text, product)
    catalog = load_catalog(tmp_path)
    assert catalog.questions == ()
    found = [
        (Path(p.source.file).name, p.source.line, p.source.column, p.message)
        for p in errors(catalog.problems)
    ]
    assert (NAME, line, column, message) in found, "\n".join(map(str, catalog.problems))
    questions, problems = read_questions(path, {p.id: p for p in catalog.products})
    assert questions == () and errors(problems)


def test_there_are_at_least_twelve_distinct_malformed_preferences():
    assert len({case[0] for case in CASES}) == len(CASES) >= 12


def test_every_problem_in_the_file_is_reported_at_once(tmp_path):
    text = prefs(
        ("  - key: favourite", "  - key: Favourite"),
        ("        attribute: colour", "        attribute: color"),
        ("{small: small, large: large}", "{small: small, large: huge}"),
        ('    pattern: "[A-Z]+"', '    pattern: "[A-Z+"'),
    )
    _, problems = read_questions(write_catalog(tmp_path, text), {})
    assert [(p.source.line, p.message) for p in errors(problems)] == [
        (2, f"key: 'Favourite' {NOT_ID}"),
        (10, "unknown product 'thing' (no product loaded)"),
        (21, "unknown product 'thing' (no product loaded)"),
        (
            26,
            "pattern '[A-Z+' is not a valid regular expression: unterminated character set at position 0",
        ),
        (29, "unknown product 'thing' (no product loaded)"),
    ]
    _, problems = read_preferences(tmp_path / NAME)
    assert [(p.source.line, p.message) for p in errors(problems)] == [
        (2, f"key: 'Favourite' {NOT_ID}"),
        (11, "unknown attribute 'color' in product 'thing' (did you mean 'colour'?)"),
        (21, "'huge' is not an option of 'size'"),
        (
            26,
            "pattern '[A-Z+' is not a valid regular expression: unterminated character set at position 0",
        ),
    ]


def test_valid_preferences_load_into_questions(tmp_path):
    path = write_catalog(tmp_path)
    catalog = load_catalog(tmp_path)
    assert catalog.problems == ()
    assert [p.id for p in catalog.products] == ["thing"]
    assert [q.key for q in catalog.questions] == ["favourite", "sizes_i_like", "my_name"]
    favourite = catalog.question("favourite")
    file = str(path)
    assert (favourite.question, favourite.purpose, favourite.kind) == (
        "Which colour do you prefer?",
        "We pre-select the colour of your thing.",
        "choice",
    )
    assert favourite.answers == (
        Answer("red", "Red", Source(file, 7, 9)),
        Answer("blue", "Blue", Source(file, 8, 9)),
    )
    assert favourite.preselects == (
        Mapping("thing", "colour", (("red", "red"), ("blue", "blue")), Source(file, 10, 9)),
    )
    assert favourite.wishes == () and favourite.pattern is None and favourite.max_length == 40
    assert favourite.source == Source(file, 2, 5)
    tastes = catalog.question("sizes_i_like")
    assert tastes.kind == "choices" and tastes.preselects == ()
    assert tastes.wishes[0].option_for("large") == "large"
    name = catalog.question("my_name")
    assert (name.kind, name.pattern, name.max_length, name.answers) == ("text", "[A-Z]+", 8, ())
    assert name.preselects == (Mapping("thing", "name", (("*", "*"),), Source(file, 29, 9)),)
    assert catalog.question("nothing") is None
    assert read_preferences(path) == (catalog.questions, ())


def test_answers_in_no_map_and_questions_without_mappings_are_warnings(tmp_path):
    text = prefs(
        ("        map: {red: red, blue: blue}", "        map: {red: red}"),
        (
            "    preselects:\n      - {product: thing, attribute: name",
            "    #\n      # {product: thing, attribute: name",
        ),
    )
    write_catalog(tmp_path, text)
    catalog = load_catalog(tmp_path)
    assert len(catalog.questions) == 3
    assert [(p.source.line, p.source.column, p.message) for p in warnings(catalog.problems)] == [
        (8, 14, "answer 'blue' of question 'favourite' is in no map: answering it changes nothing"),
        (22, 10, "question 'my_name' maps to no product attribute: its answers change nothing"),
    ]
    assert errors(catalog.problems) == []


def test_a_folder_without_preferences_has_no_questions(tmp_path):
    write_product(tmp_path, BASE)
    catalog = load_catalog(tmp_path)
    assert catalog.questions == () and catalog.problems == ()
    assert [p.id for p in catalog.products] == ["thing"]


def test_a_broken_preferences_file_leaves_the_products_loading(tmp_path):
    write_catalog(tmp_path, prefs(("    kind: choice", "    kind: choise")))
    catalog = load_catalog(tmp_path)
    assert [p.id for p in catalog.products] == ["thing"]
    assert catalog.questions == ()
    assert {Path(p.source.file).name for p in catalog.problems} == {NAME}


@pytest.mark.parametrize("name", ["preferences.yaml", "preferences.yml"])
def test_the_preferences_file_is_not_a_product(tmp_path, name):
    write_catalog(tmp_path, name=name)
    catalog = load_catalog(tmp_path)
    assert catalog.problems == ()
    assert [p.id for p in catalog.products] == ["thing"]
    assert len(catalog.questions) == 3


def test_one_preferences_file_per_folder(tmp_path):
    write_catalog(tmp_path)
    (tmp_path / "preferences.yml").write_text("questions: broken")
    catalog = load_catalog(tmp_path)
    assert len(catalog.questions) == 3
    assert [(Path(p.source.file).name, p.message) for p in catalog.problems] == [
        (
            "preferences.yml",
            "a catalog folder has one preferences file (also preferences.yaml); this file is left out",
        )
    ]


def test_a_missing_preferences_file_is_a_problem(tmp_path):
    questions, problems = read_questions(tmp_path / NAME, {})
    assert questions == ()
    assert [(p.source.line, p.message) for p in problems] == [(1, "file not found")]


def test_an_oversize_preferences_file_is_refused_before_reading(tmp_path):
    path = write_catalog(tmp_path)
    with open(path, "r+b") as handle:
        handle.truncate(33 * 1024 * 1024)  # sparse: instant, and never parsed
    catalog = load_catalog(tmp_path)
    assert [p.id for p in catalog.products] == ["thing"] and catalog.questions == ()
    assert [p.message for p in catalog.problems] == ["file is 33.0 MB; the limit is 32 MB"]


def test_the_shipped_catalog_asks_its_questions_without_a_problem():
    catalog = load_catalog(ROOT / "catalog")
    assert catalog.problems == ()
    assert [q.key for q in catalog.questions] == [
        "head_size",
        "chest_size",
        "initials",
        "colours_i_like",
        "finishes_i_like",
    ]
    head = catalog.question("head_size")
    assert head.kind == "choice" and head.preselects[0].product == "helmet"
    assert head.preselects[0].option_for("m") == "m"
    chest = catalog.question("chest_size")
    assert (chest.preselects[0].product, chest.preselects[0].attribute) == ("jacket", "size")
    assert chest.preselects[0].option_for("50") == "m"
    initials = catalog.question("initials")
    assert [(m.product, m.attribute) for m in initials.preselects] == [
        ("helmet", "monogram"),
        ("jacket", "initials"),
    ]
    colours = catalog.question("colours_i_like")
    assert colours.kind == "choices" and colours.preselects == ()
    assert [(m.product, m.attribute) for m in colours.wishes] == [
        ("helmet", "shell_colour"),
        ("jacket", "leather_colour"),
    ]
    finishes = catalog.question("finishes_i_like")
    assert [(m.product, m.attribute) for m in finishes.wishes] == [("helmet", "finish")]
    assert {q.source.file for q in catalog.questions} == {str(ROOT / "catalog" / NAME)}


def test_the_example_in_the_catalog_reference_loads_cleanly(tmp_path):
    """docs/CATALOG.md's preferences example, checked against the shipped products."""
    reference = (ROOT / "docs" / "CATALOG.md").read_text(encoding="utf-8")
    section = reference.split("## Preferences (preferences.yaml)", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    folder = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", folder)
    (folder / NAME).write_text(example, encoding="utf-8")
    catalog = load_catalog(folder)
    assert catalog.problems == ()
    assert [q.key for q in catalog.questions] == [
        "head_size",
        "chest_size",
        "colours_i_like",
        "initials",
    ]
    chest = catalog.question("chest_size")
    assert [a.id for a in chest.answers] == ["48", "50", "52"]


def test_numbers_as_answer_ids_and_map_keys_are_read_as_written(tmp_path):
    text = prefs(
        ("{id: red, label: Red}", "{id: 50, label: 50}"),
        ("map: {red: red, blue: blue}", "map: {50: red, blue: blue}"),
    )
    write_catalog(tmp_path, text)
    catalog = load_catalog(tmp_path)
    assert catalog.problems == ()
    favourite = catalog.question("favourite")
    assert favourite.answers[0].id == "50" and favourite.answers[0].label == "50"
    assert favourite.preselects[0].option_for("50") == "red"


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_mutations_of_valid_preferences_never_raise(tmp_path_factory, data):
    """Replace one value somewhere in PREFS with something arbitrary: problems, never an exception;
    questions exactly when there is no error."""
    folder = tmp_path_factory.getbasetemp() / "preferences-mutations"
    if not (folder / "thing.yaml").exists():
        write_product(folder, BASE)
    document = yaml.safe_load(PREFS)
    node, path = document, []
    while isinstance(node, dict | list) and node:
        key = data.draw(
            st.sampled_from(list(node) if isinstance(node, dict) else list(range(len(node))))
        )
        path.append(key)
        if data.draw(st.booleans()):
            break
        node = node[key]
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = data.draw(structures | st.sampled_from(PREFERENCE_WORDS))
    (folder / NAME).write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    questions, problems = read_preferences(folder / NAME)
    assert (questions == ()) == any(p.severity == "error" for p in problems)
    assert all(p.source.line >= 1 and p.source.column >= 1 for p in problems)


def test_a_renamed_option_keeps_its_mappings(tmp_path):
    """An id an option `replaces` stands for that option; the mapping holds the current id."""
    product = edited(
        (
            "      - {id: blue, label: Blue, sku: B}",
            "      - {id: navy, label: Navy, sku: B, replaces: [blue]}",
        ),
        ("then: {colour: blue}", "then: {colour: navy}"),
        ("        - [blue, [small, large]]", "        - [navy, [small, large]]"),
    )
    write_catalog(tmp_path, PREFS, product)
    catalog = load_catalog(tmp_path)
    assert catalog.problems == ()
    (mapping,) = catalog.question("favourite").preselects
    assert mapping.options == (("red", "red"), ("blue", "navy"))
