"""YAML to positioned values: safe, exact about where things are, and hard to crash."""

from __future__ import annotations

from decimal import Decimal

import pytest
from marshmallow import ValidationError

from configurator.catalog import yamlnodes
from configurator.catalog.fields import Money, Whole
from configurator.catalog.model import Source
from configurator.catalog.yamlnodes import YamlBool, YamlFloat, YamlInt, YamlList, YamlMap, parse


def messages(document) -> list[str]:
    return [str(p) for p in document.problems]


def test_values_keep_their_text_and_position():
    document = parse("a: 1.10\nb: [x, 'y']\nc:\n  d: yes\n", "f.yaml")
    root = document.root
    assert isinstance(root, YamlMap) and isinstance(root["b"], YamlList)
    assert isinstance(root["a"], YamlFloat) and root["a"] == "1.10"
    assert isinstance(root["c"]["d"], YamlBool) and root["c"]["d"] == "yes"
    assert type(root["b"][1]) is str
    assert root.key_source("c") == Source("f.yaml", 3, 1)
    assert root.value_source("a") == Source("f.yaml", 1, 4)
    assert root["b"].item_source(1) == Source("f.yaml", 2, 8)
    assert root["c"].value_source("d") == Source("f.yaml", 4, 6)
    assert document.map_at(Source("f.yaml", 4, 3)) is root["c"]


def test_yaml_11_words_stay_as_written():
    root = parse("ids: [no, on, off, y, null, ~, 0x1F, 012]\n", "f.yaml").root
    assert root["ids"] == ["no", "on", "off", "y", None, None, "0x1F", "012"]
    assert isinstance(root["ids"][6], YamlInt)


def test_aliases_are_shared_not_copied():
    root = parse("a: &layer {view: front}\nb: [*layer, *layer]\n", "f.yaml").root
    assert root["b"][0] is root["a"] and root["b"][1] is root["a"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\na: 2\n", "f.yaml:2:1: duplicate key 'a' (first at line 1)"),
        (
            "a: !!binary aGk=\n",
            "f.yaml:1:4: unsupported YAML tag 'tag:yaml.org,2002:binary'; write plain values",
        ),
        (
            "a: !!python/object/apply:os.system [ls]\n",
            "f.yaml:1:4: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'; write plain values",
        ),
        ("a: *nowhere\n", "f.yaml:1:4: unknown alias *nowhere (no &nowhere above)"),
        ("? [a]\n: 1\n", "f.yaml:1:3: a mapping key must be a plain word, not a mapping or a list"),
        ("a: &x [*x]\n", "f.yaml:1:8: alias *x refers to a collection that contains it"),
        (
            "a: 1\n---\nb: 2\n",
            "f.yaml:2:1: a catalog file holds one YAML document; remove this '---' and what follows",
        ),
        (
            "a: [1\n",
            "f.yaml:1:4: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence); inside [ ] or { }, quote a value that holds , : [ ] { } (like label: \"Red, matt\" or image: \"art/{size}.png\"), or close the bracket opened here",
        ),
        (
            "a: \x07\n",
            "f.yaml:1:4: YAML syntax error: character #x0007: control characters are not allowed",
        ),
        ("[" * 70 + "]" * 70, "f.yaml:1:65: nesting deeper than 64 levels"),
    ],
)
def test_yaml_problems(text, expected):
    assert expected in messages(parse(text, "f.yaml"))


def test_an_alias_bomb_is_stopped():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    document = parse("\n".join(lines) + "\n", "f.yaml")
    assert document.root is None
    assert messages(document)[-1].endswith(
        "aliases expand to too many values; write the values out"
    )


def test_very_deep_nesting_does_not_crash_the_interpreter():
    document = parse("- " * 100_000 + "x", "f.yaml")
    assert messages(document) == ["f.yaml:1:129: nesting deeper than 64 levels"]


def test_the_python_loader_gives_the_same_tree(monkeypatch):
    text = "a: 1.10\nb: [x, {c: no}]\n"
    fast = parse(text, "f.yaml")
    monkeypatch.setattr(yamlnodes, "Loader", yamlnodes.yaml.SafeLoader)
    slow = parse(text, "f.yaml")
    assert slow.root == fast.root
    assert slow.root["b"].item_source(1) == fast.root["b"].item_source(1)


@pytest.mark.parametrize(
    ("written", "amount"),
    [("12.10", "12.10"), ("0", "0"), ("-3.5", "-3.5"), ("+4.00", "4.00"), ("199", "199")],
)
def test_money_is_exact(written, amount):
    for value in (written, YamlFloat(written) if "." in written else YamlInt(written)):
        result = Money().deserialize(value)
        assert result == Decimal(amount) and str(result) == str(Decimal(amount))


@pytest.mark.parametrize("written", ["1.005", "NaN", ".inf", "1e3", "12,5", "abc", ""])
def test_money_rejects_anything_else(written):
    with pytest.raises(ValidationError):
        Money().deserialize(written)


def test_whole_numbers_accept_yaml_int_forms():
    assert Whole().deserialize(YamlInt("0x10")) == 16
    assert Whole().deserialize(YamlInt("1_000")) == 1000
    assert Whole().deserialize("42") == 42
    with pytest.raises(ValidationError):
        Whole().deserialize(YamlFloat("1.5"))
