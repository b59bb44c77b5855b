"""The engine against the brute-force oracle, on small random products (hypothesis).

Every expectation comes from tests/support/oracle.py, which enumerates complete
designs and judges them by the rules as docs/CATALOG.md states them.
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from configurator.catalog.model import FILLED, NONE
from configurator.engine import Engine
from tests.support.generate import products, selections
from tests.support.oracle import Oracle, as_values, normalise

PROPERTIES = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def value_of(product, selections, attr_id: str, value: str) -> str:
    """A selection as reported by the engine (typed text or domain value) as a domain value."""
    attr = product.attribute(attr_id)
    if attr is not None and attr.kind == "text" and value not in (FILLED, NONE):
        return FILLED
    return value


def check_repair(oracle: Oracle, values: dict, wanted: list, repair) -> None:
    """A repair changes only selections, keeps the rest, is extendable and minimal."""
    product = oracle.product
    wanted_attrs = {a for a, _ in wanted}
    dropped = [a for a, _, _ in repair.changes]
    assert len(set(dropped)) == len(dropped), repair
    assert set(dropped) <= set(values) - wanted_attrs, repair
    for attr_id, old, new in repair.changes:
        assert value_of(product, {}, attr_id, old) == values[attr_id], repair
        if new is not None:
            assert new in oracle.domains[attr_id], repair
    kept = [(a, v) for a, v in values.items() if a not in dropped and a not in wanted_attrs]
    changed = []
    for attr_id, _, new in repair.changes:
        if new is not None:
            changed.append((attr_id, value_of(product, {}, attr_id, new)))
        elif NONE in oracle.domains[attr_id]:
            changed.append((attr_id, NONE))
    assert oracle.satisfiable(kept + changed + wanted), f"repair not extendable: {repair}"
    others = {a: v for a, v in values.items() if a not in wanted_attrs}
    assert oracle.is_minimal_correction(others, wanted, set(dropped)), f"not minimal: {repair}"


@PROPERTIES
@given(st.data())
def test_configure_gives_the_exact_valid_domains(data):
    product = data.draw(products())
    oracle = Oracle(product)
    assume(oracle.count() > 0)
    chosen = data.draw(selections(product))
    values, problems = normalise(product, chosen)

    configuration = Engine(product).configure(chosen)

    assert {p.attribute for p in configuration.problems} == problems
    if oracle.satisfiable(values.items()):
        assert configuration.conflict is None
        assert configuration.repair is None
        assert configuration.effective == values
        assert configuration.consistent == (not problems)
    else:
        assert not configuration.consistent
        conflict = configuration.conflict
        assert conflict is not None and conflict.attribute is None
        pairs = [(a, value_of(product, chosen, a, v)) for a, v in conflict.selections]
        assert set(pairs) <= set(values.items())
        assert set(conflict.rules) <= set(product.rules)
        assert oracle.is_minimal_unsatisfiable([], pairs, conflict.rules), conflict
        assert configuration.repair is not None
        check_repair(oracle, values, [], configuration.repair)
        dropped = set(configuration.repair.dropped)
        assert configuration.effective == {a: v for a, v in values.items() if a not in dropped}
    expected = oracle.valid_domains(configuration.effective)
    assert set(configuration.domains) == set(expected)
    for attr_id in set(expected) - set(configuration.effective):
        assert configuration.domains[attr_id] == expected[attr_id], attr_id


@PROPERTIES
@given(st.data())
def test_selected_attributes_show_what_the_other_selections_allow(data):
    """domains[a] of a selected attribute is its selection alone (every option reported
    available keeps every selection); alternatives[a] holds the values a valid design may
    give a while keeping every selection on the *other* attributes (what it could switch to)."""
    product = data.draw(products())
    oracle = Oracle(product)
    assume(oracle.count() > 0)
    chosen = data.draw(selections(product, problems=False))
    assume(chosen)

    configuration = Engine(product).configure(chosen)

    effective = configuration.effective
    everything = oracle.valid_domains(effective)
    for attr_id, value in effective.items():
        assert configuration.domains[attr_id] == {v: v == value for v in oracle.domains[attr_id]}
        assert everything[attr_id][value], "a kept selection is possible"
        others = {a: v for a, v in effective.items() if a != attr_id}
        assert configuration.alternatives[attr_id] == oracle.valid_domains(others)[attr_id], attr_id


@PROPERTIES
@given(st.data())
def test_explanations_are_sufficient_and_minimal(data):
    product = data.draw(products())
    oracle = Oracle(product)
    chosen = data.draw(selections(product))
    values, _ = normalise(product, chosen)
    attr_id = data.draw(st.sampled_from(oracle.attributes))
    value = data.draw(st.sampled_from(oracle.domains[attr_id]))

    explanation = Engine(product).explain(chosen, attr_id, value)

    if oracle.valid_domains(values)[attr_id][value]:
        assert explanation is None
        return
    assert explanation is not None
    assert (explanation.attribute, explanation.value) == (attr_id, value)
    pairs = [(a, value_of(product, chosen, a, v)) for a, v in explanation.selections]
    assert set(pairs) <= {(a, v) for a, v in values.items() if a != attr_id}
    assert set(explanation.rules) <= set(product.rules)
    assert oracle.is_minimal_unsatisfiable([(attr_id, value)], pairs, explanation.rules), (
        explanation
    )
    for rule in explanation.rules:
        assert rule.message in explanation.text or rule.message + "." in explanation.text


@PROPERTIES
@given(st.data())
def test_repairs_are_minimal_and_the_first_is_smallest(data):
    product = data.draw(products())
    oracle = Oracle(product)
    chosen = data.draw(selections(product))
    values, _ = normalise(product, chosen)
    attr_id = data.draw(st.sampled_from(oracle.attributes))
    value = data.draw(st.sampled_from(oracle.domains[attr_id]))
    wanted = [(attr_id, value)]

    repairs = Engine(product).repairs(chosen, attr_id, value, limit=3)

    others = {a: v for a, v in values.items() if a != attr_id}
    smallest = oracle.smallest_correction(others, wanted)
    if smallest is None:
        assert repairs == []
        return
    assert 1 <= len(repairs) <= 3
    for repair in repairs:
        check_repair(oracle, values, wanted, repair)
    changed_sets = [frozenset(r.dropped) for r in repairs]
    assert len(set(changed_sets)) == len(changed_sets), "the same repair twice"
    assert len(repairs[0].changes) == smallest


@PROPERTIES
@given(st.data())
def test_completion_is_valid_keeps_selections_and_prefers_defaults(data):
    product = data.draw(products())
    oracle = Oracle(product)
    assume(oracle.count() > 0)
    chosen = data.draw(selections(product))
    values, problems = normalise(product, chosen)
    engine = Engine(product)

    design = engine.complete(chosen)

    assert set(design) == set(oracle.attributes)
    assert oracle.is_valid(as_values(product, design)), design
    for attr_id in problems & set(design):
        assert design[attr_id] != chosen[attr_id], "a rejected text must not reach the design"
    if oracle.satisfiable(values.items()):
        for attr_id, value in values.items():
            expected = chosen[attr_id] if value == FILLED else value
            assert design[attr_id] == expected
        for attr_id, default in oracle.greedy_defaults(values).items():
            assert design[attr_id] == default, f"default {attr_id}={default} not used: {design}"
    assert engine.complete(chosen) == design
    assert Engine(product).complete(chosen) == design


@PROPERTIES
@given(products(), st.integers(0, 2**32 - 1))
def test_random_designs_are_valid(product, seed):
    oracle = Oracle(product)
    assume(oracle.count() > 0)

    design = Engine(product).random_design(seed)

    assert oracle.is_valid(as_values(product, design)), design


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


@PROPERTIES
@given(st.data())
def test_one_engine_stays_exact_over_many_clicks(data):
    """One engine answering a run of queries (as in a shop) reuses the designs earlier
    queries found; domains and alternatives must stay exact for every query."""
    product = data.draw(products())
    oracle = Oracle(product)
    assume(oracle.count() > 0)
    engine = Engine(product, circuit=False)
    for _ in range(6):
        chosen = data.draw(selections(product, problems=False))
        configuration = engine.configure(chosen)
        values = configuration.effective
        expected = oracle.valid_domains(values)
        for attr_id in set(expected) - set(values):
            assert configuration.domains[attr_id] == expected[attr_id], attr_id
        for attr_id, options in configuration.alternatives.items():
            assert options == expected[attr_id], attr_id
