"""The engine against the brute-force oracle, on small random products (hypothesis).

Every expectation comes from tests/support/oracle.py, which enumerates complete
designs and judges them by the rules as docs/CATALOG.md states them. The engine's
fast path, its plain reference (`Engine(product, reference=True)`) and the oracle
must give the same valid domains, alternatives and configurations.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from configurator.engine import Engine
from configurator.engine.fast import search
from tests.support.generate import products, values
from tests.support.oracle import Oracle

PROPERTIES = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def check_repair(oracle: Oracle, chosen: dict, wanted: list, repair) -> None:
    """A repair changes only values, keeps the rest, is extendable and minimal."""
    wanted_attrs = {a for a, _ in wanted}
    dropped = [a for a, _, _ in repair.changes]
    assert len(set(dropped)) == len(dropped), repair
    assert set(dropped) <= set(chosen) - wanted_attrs, repair
    changed = []
    for attr_id, old, new in repair.changes:
        assert old == chosen[attr_id], repair
        if new is not None:
            assert new in oracle.domains[attr_id], repair
            changed.append((attr_id, new))
        else:
            assert "none" in oracle.domains[attr_id], repair
            changed.append((attr_id, "none"))
    kept = [(a, v) for a, v in chosen.items() if a not in dropped and a not in wanted_attrs]
    assert oracle.satisfiable(kept + changed + wanted), f"repair not extendable: {repair}"
    others = {a: v for a, v in chosen.items() if a not in wanted_attrs}
    assert oracle.is_minimal_correction(others, wanted, set(dropped)), f"not minimal: {repair}"


def rank(chosen: dict, repair) -> tuple[int, int]:
    """The documented order: fewer changes, then older values dropped."""
    position = {a: i for i, a in enumerate(chosen)}
    return len(repair.changes), sum(position[a] for a in repair.dropped)


@PROPERTIES
@given(st.data())
def test_configure_gives_the_exact_valid_domains(data):
    product = data.draw(products())
    oracle = Oracle(product)
    assume(oracle.count() > 0)
    chosen = data.draw(values(product))

    configuration = Engine(product).configure(chosen)

    assert configuration.values == chosen
    if oracle.satisfiable(chosen.items()):
        assert configuration.consistent
        assert configuration.conflict is None
        assert configuration.repair is None
        assert configuration.effective == chosen
    else:
        assert not configuration.consistent
        conflict = configuration.conflict
        assert conflict is not None and conflict.attribute is None
        assert set(conflict.selections) <= set(chosen.items())
        assert set(conflict.rules) <= set(product.rules)
        assert oracle.is_minimal_unsatisfiable([], conflict.selections, conflict.rules), conflict
        assert configuration.repair is not None
        check_repair(oracle, chosen, [], configuration.repair)
        dropped = set(configuration.repair.dropped)
        assert configuration.effective == {a: v for a, v in chosen.items() if a not in dropped}
    expected = oracle.valid_domains(configuration.effective)
    assert set(configuration.valid) == set(expected)
    for attr_id in set(expected) - set(configuration.effective):
        assert configuration.valid[attr_id] == expected[attr_id], attr_id
    assert Engine(product, reference=True).configure(chosen) == configuration


@PROPERTIES
@given(st.data())
def test_selected_attributes_show_what_the_other_values_allow(data):
    """valid[a] of a selected attribute is its value alone (every value reported
    available keeps every selection); alternatives[a] holds the values a valid design may
    give a while keeping every value on the *other* attributes (what it could switch to)."""
    product = data.draw(products())
    oracle = Oracle(product)
    assume(oracle.count() > 0)
    chosen = data.draw(values(product))
    assume(chosen)

    configuration = Engine(product).configure(chosen)

    effective = configuration.effective
    everything = oracle.valid_domains(effective)
    for attr_id, value in effective.items():
        assert configuration.valid[attr_id] == {v: v == value for v in oracle.domains[attr_id]}
        assert everything[attr_id][value], "a kept value is possible"
        others = {a: v for a, v in effective.items() if a != attr_id}
        assert configuration.alternatives[attr_id] == oracle.valid_domains(others)[attr_id], attr_id


@contextmanager
def alternatives_asked(way: str):
    """The search's alternatives one attribute at a time, or all attributes at once
    (`one_change`), whatever the number of selections (the engine picks by that number);
    or the design table's (`fast/table.py`)."""
    saved = search.ONE_BY_ONE_MAX
    search.ONE_BY_ONE_MAX = 10**6 if way == "one by one" else 0
    try:
        yield
    finally:
        search.ONE_BY_ONE_MAX = saved


def engine_for(product, way: str) -> Engine:
    """The design table answers for "table"; the search for the other ways."""
    engine = Engine(product, table=way == "table")
    assert (engine.table is not None) == (way == "table"), "small products have a table"
    return engine


WAYS = ["one by one", "at once", "table"]


@pytest.mark.parametrize("way", WAYS)
@PROPERTIES
@given(data=st.data())
def test_fast_reference_and_oracle_agree_on_valid_domains_and_alternatives(way, data):
    with alternatives_asked(way):
        _fast_reference_and_oracle_agree(data, way)


def _fast_reference_and_oracle_agree(data, way: str):
    product = data.draw(products())
    oracle = Oracle(product)
    chosen = data.draw(values(product))
    fast, reference = engine_for(product, way), Engine(product, reference=True)

    if not oracle.satisfiable(chosen.items()):
        assert not fast.consistent(chosen)
        for engine in (fast, reference):
            with pytest.raises(ValueError):
                engine.valid_domains(chosen)
        return
    expected = {
        a: ({v: v == chosen[a] for v in vs} if a in chosen else vs)
        for a, vs in oracle.valid_domains(chosen).items()
    }
    assert fast.valid_domains(chosen) == expected
    assert reference.valid_domains(chosen) == expected
    switch = {
        a: oracle.valid_domains({b: v for b, v in chosen.items() if b != a})[a] for a in chosen
    }
    assert fast.alternatives(chosen) == switch
    assert reference.alternatives(chosen) == switch


@PROPERTIES
@given(st.data())
def test_explanations_are_sufficient_minimal_and_deterministic(data):
    product = data.draw(products())
    oracle = Oracle(product)
    chosen = data.draw(values(product))
    attr_id = data.draw(st.sampled_from(oracle.attributes))
    value = data.draw(st.sampled_from(oracle.domains[attr_id]))
    busy = Engine(product)  # has answered other questions first: same answer
    for other in oracle.attributes:
        busy.explain(chosen, other, oracle.domains[other][-1])

    explanation = Engine(product).explain(chosen, attr_id, value)

    assert busy.explain(chosen, attr_id, value) == explanation
    if oracle.valid_domains(chosen)[attr_id][value]:
        assert explanation is None
        return
    assert explanation is not None
    assert (explanation.attribute, explanation.value) == (attr_id, value)
    assert set(explanation.selections) <= {(a, v) for a, v in chosen.items() if a != attr_id}
    assert set(explanation.rules) <= set(product.rules)
    assert oracle.is_minimal_unsatisfiable(
        [(attr_id, value)], explanation.selections, explanation.rules
    ), explanation
    order = list(chosen)
    assert [a for a, _ in explanation.selections] == sorted(
        (a for a, _ in explanation.selections), key=order.index
    ), "values oldest first"
    assert list(explanation.rules) == sorted(explanation.rules, key=product.rules.index)


@PROPERTIES
@given(st.data())
def test_repairs_are_minimal_ordered_and_deterministic(data):
    product = data.draw(products())
    oracle = Oracle(product)
    chosen = data.draw(values(product))
    attr_id = data.draw(st.sampled_from(oracle.attributes))
    value = data.draw(st.sampled_from(oracle.domains[attr_id]))
    wanted = [(attr_id, value)]
    busy = Engine(product)  # has answered other questions first: same answer
    busy.configure(chosen)
    for other in oracle.attributes:
        busy.repairs(chosen, (other, oracle.domains[other][-1]))

    repairs = Engine(product).repairs(chosen, (attr_id, value), limit=3)

    assert busy.repairs(chosen, (attr_id, value), limit=3) == repairs
    others = {a: v for a, v in chosen.items() if a != attr_id}
    smallest = oracle.smallest_correction(others, wanted)
    if smallest is None:
        assert repairs == []
        return
    assert 1 <= len(repairs) <= 3
    for repair in repairs:
        assert repair.wanted == (attr_id, value)
        check_repair(oracle, chosen, wanted, repair)
    changed_sets = [frozenset(r.dropped) for r in repairs]
    assert len(set(changed_sets)) == len(changed_sets), "the same repair twice"
    assert len(repairs[0].changes) == smallest
    ranks = [rank(others, r) for r in repairs]
    assert ranks == sorted(ranks), "fewest changes first, then older values dropped"


@PROPERTIES
@given(st.data())
def test_completion_is_valid_keeps_values_and_prefers_defaults(data):
    product = data.draw(products())
    oracle = Oracle(product)
    assume(oracle.count() > 0)
    chosen = data.draw(values(product))
    table = data.draw(st.booleans(), label="table")
    engine = Engine(product, table=table)

    design = engine.complete(chosen)

    assert list(design) == oracle.attributes
    assert oracle.is_valid(design), design
    if oracle.satisfiable(chosen.items()):
        for attr_id, value in chosen.items():
            assert design[attr_id] == value
        for attr_id, default in oracle.greedy_defaults(chosen).items():
            assert design[attr_id] == default, f"default {attr_id}={default} not used: {design}"
    else:
        repair = engine.configure(chosen).repair  # the clash's, around the newest value
        for attr_id, value in chosen.items():
            if attr_id not in repair.dropped:
                assert design[attr_id] == value, "the repair keeps the recent values"
    assert engine.complete(chosen) == design
    assert Engine(product, table=not table).complete(chosen) == design


@PROPERTIES
@given(st.data())
def test_completion_is_the_greedy_design_whatever_the_engine_knows(data):
    """Every pick of `complete` on consistent values, as the shop asks for it (with the
    valid domains, on an engine busy with other queries) and plainly: defaults, then
    empty, then first possible values, in attribute order."""
    product = data.draw(products())
    oracle = Oracle(product)
    assume(oracle.count() > 0)
    chosen = data.draw(values(product))
    assume(oracle.satisfiable(chosen.items()))
    expected = oracle.greedy_completion(chosen)
    table = data.draw(st.booleans(), label="table")
    busy = Engine(product, table=table)
    for other in data.draw(st.lists(values(product), max_size=3)):
        busy.configure(other)
        busy.complete(other)

    assert Engine(product, table=table).complete(chosen) == expected
    assert busy.complete(chosen, busy.configure(chosen).valid) == expected
    assert busy.complete(chosen) == expected


@PROPERTIES
@given(products(), st.integers(0, 2**32 - 1), st.data())
def test_random_designs_are_valid_and_keep_the_values(product, seed, data):
    oracle = Oracle(product)
    assume(oracle.count() > 0)
    chosen = data.draw(values(product))

    design = Engine(product).random_design(seed, chosen)

    assert oracle.is_valid(design), design
    if oracle.satisfiable(chosen.items()):
        assert {a: design[a] for a in chosen} == chosen
    assert Engine(product).random_design(seed, chosen) == design


@settings(PROPERTIES, max_examples=100)
@given(products())
def test_analysis_matches_the_oracle(product):
    from configurator.engine.analysis import analyse

    oracle = Oracle(product)

    analysis = analyse(Engine(product))

    assert analysis.satisfiable == (oracle.count() > 0)
    if not analysis.satisfiable:
        assert oracle.is_minimal_unsatisfiable([], [], analysis.conflict), analysis.conflict
        return
    assert analysis.conflict == ()
    assert {(d.attribute, d.value) for d in analysis.dead} == oracle.dead()
    for dead in analysis.dead:
        assert not oracle.satisfiable([(dead.attribute, dead.value)], dead.rules), dead
    assert set(analysis.core) == oracle.core()
    assert {r.id for r in analysis.redundant} == oracle.redundant()
    assert analysis.count_exact
    assert analysis.count == oracle.count()


@pytest.mark.parametrize("way", WAYS)
@PROPERTIES
@given(data=st.data())
def test_one_engine_stays_exact_over_many_clicks(way, data):
    """One engine answering a run of queries (as in a shop) reuses the designs earlier
    queries found; valid domains and alternatives must stay exact for every query, and
    equal to what a fresh reference engine says."""
    with alternatives_asked(way):
        _one_engine_stays_exact(data, way)


def _one_engine_stays_exact(data, way: str):
    product = data.draw(products())
    oracle = Oracle(product)
    assume(oracle.count() > 0)
    engine = engine_for(product, way)
    reference = Engine(product, reference=True)
    for _ in range(6):
        chosen = data.draw(values(product))
        configuration = engine.configure(chosen)
        effective = configuration.effective
        expected = oracle.valid_domains(effective)
        for attr_id in set(expected) - set(effective):
            assert configuration.valid[attr_id] == expected[attr_id], attr_id
        for attr_id, options in configuration.alternatives.items():
            assert options == expected[attr_id], attr_id
        assert reference.configure(chosen) == configuration
