"""The design table (engine/fast/table.py) against the search and the brute-force oracle.

Random products of hypothesis run through the table in test_properties.py (the "table"
way, and the completion tests); here: the shipped catalogs, where the shop uses it,
and the limits past which the engine keeps the search.
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import pytest

from configurator.catalog import load_product
from configurator.catalog.model import FILLED, NONE, Rule
from configurator.engine import Engine
from configurator.engine.encoding import RuleGroup, encode
from configurator.engine.fast import table
from tests.support.generate import choice, make_product
from tests.support.oracle import Oracle
from tests.unit.engine.test_reference import walks

ROOT = Path(__file__).resolve().parents[3]
CATALOGS = {
    "helmet": ROOT / "catalog" / "helmet.yaml",
    "test-helmet": ROOT / "tests" / "data" / "catalogs" / "good" / "helmet.yaml",
}


@cache
def engines(name: str) -> tuple[Engine, Engine]:
    """(answering from the table, answering by the search)."""
    product = load_product(CATALOGS[name])
    return Engine(product), Engine(product, table=False)


@pytest.mark.parametrize("name", list(CATALOGS))
def test_the_shipped_helmets_list_every_valid_design(name):
    listed, _ = engines(name)
    assert listed.table is not None, "the shop answers the helmet from its table"
    assert listed.table.count == Oracle(listed.product).count()


@pytest.mark.parametrize("name", list(CATALOGS))
def test_the_table_answers_as_the_search_does(name):
    listed, searched = engines(name)
    walked = walks(searched, seed=len(name), count=150, most=len(searched.domains), clash=0.15)
    assert any(not searched.consistent(v) for v in walked), "conflicts are walked too"
    rng = random.Random(name)
    for values in walked:
        assert listed.consistent(values) == searched.consistent(values)
        configuration = listed.configure(values)
        assert configuration == searched.configure(values), values
        assert listed.complete(values) == searched.complete(values), values
        assert listed.complete(values, configuration.valid) == searched.complete(values)
        preferred = {a: rng.choice(listed.domain(a)) for a in rng.sample(list(listed.domains), 3)}
        assert listed.complete(values, None, preferred) == searched.complete(
            values, None, preferred
        ), (values, preferred)


def test_a_catalog_with_no_valid_design_has_an_empty_table():
    product = make_product(
        [choice("a", ["x", "y"]), choice("b", ["p", "q"])],
        [
            Rule("r1", "excludes", "never x", when=(("a", ("x",)),)),
            Rule("r2", "excludes", "never y", when=(("a", ("y",)),)),
        ],
    )
    listed, searched = Engine(product), Engine(product, table=False)
    assert listed.table is not None and listed.table.count == 0
    for values in ({}, {"b": "p"}, {"a": "x", "b": "q"}):
        assert listed.configure(values) == searched.configure(values)
        assert not listed.consistent(values)


def product_of(attributes: int, options: int, rules: list[Rule] | None = None):
    return make_product(
        [choice(f"a{i}", [f"v{j}" for j in range(options)]) for i in range(attributes)],
        rules or [],
    )


def test_past_the_limits_the_search_answers(monkeypatch):
    """Too many values, designs, partial designs or table comparisons: no table, and the
    engine answers by the search."""
    too_many_values = product_of(table.MAX_VALUES // 4, 4)  # exactly MAX_VALUES
    assert Engine(too_many_values).table is None
    six = product_of(6, 4)  # 4,096 designs
    assert Engine(six).table is not None
    monkeypatch.setattr(table, "MAX_DESIGNS", 4095)
    assert Engine(six).table is None
    monkeypatch.setattr(table, "MAX_DESIGNS", 4096)
    monkeypatch.setattr(table, "MAX_FRONTIER_CELLS", 4096 * 6 - 1)
    assert Engine(six).table is None
    monkeypatch.setattr(table, "MAX_FRONTIER_CELLS", 4096 * 6)
    assert Engine(six).table is not None
    allowed = Rule(
        "t", "table", "", attributes=("a0", "a5"), rows=(("v0", "v1"), ("v1", "*"), ("v2", "v2"))
    )
    with_table = product_of(6, 4, [allowed])
    monkeypatch.setattr(table, "MAX_TABLE_WORK", 3 * 4096 - 1)  # 3 rows x the last frontier
    engine = Engine(with_table)
    assert engine.table is None
    assert engine.configure({"a0": "v0"}).valid["a5"] == {
        "v0": False,
        "v1": True,
        "v2": False,
        "v3": False,
    }
    monkeypatch.setattr(table, "MAX_TABLE_WORK", 3 * 4096)
    engine = Engine(with_table)
    assert engine.table is not None and engine.table.count == 4**4 * (1 + 4 + 1)


def test_a_rule_it_cannot_read_leaves_the_search_answering():
    """Only clauses over value literals and allowed tables are read: anything else (here a
    clause on an auxiliary variable) and there is no table."""
    product = product_of(2, 3)
    enc = encode(product)
    assert table.build(enc) is not None
    rule = Rule("odd", "excludes", "", when=(("a0", ("v0",)),))
    enc.groups.append(RuleGroup(rule, ((enc.top + 1,),), ((-(enc.top + 1),),)))
    assert table.build(enc) is None


def test_optional_and_text_attributes_are_listed_with_their_empty_value():
    from tests.support.generate import text

    product = make_product(
        [choice("a", ["x", "y"], required=False), text("t", required=False)],
        [Rule("r", "requires", "", when=(("a", ("x",)),), then=(("t", (FILLED,)),))],
    )
    listed, searched = Engine(product), Engine(product, table=False)
    assert listed.table is not None
    assert listed.table.count == Oracle(product).count()
    for values in ({}, {"a": "x"}, {"a": NONE}, {"t": NONE}, {"a": "x", "t": NONE}):
        assert listed.configure(values) == searched.configure(values), values
        assert listed.complete(values) == searched.complete(values), values
