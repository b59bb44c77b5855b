"""Valid domains from the compiled d-DNNF (engine/circuit.py) against the brute-force oracle."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from configurator.engine import Engine, circuit
from tests.support.generate import products, selections
from tests.support.oracle import Oracle, normalise

pytestmark = pytest.mark.skipif(not circuit.available(), reason="d4 (d4solver) is not installed")


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.data())
def test_circuit_domains_are_exact(data):
    product = data.draw(products())
    oracle = Oracle(product)
    assume(oracle.count() > 0)
    engine = Engine(product, circuit=True)
    assert engine.wait_for_circuit(timeout=30)
    chosen = data.draw(selections(product, problems=False))
    values, _ = normalise(product, chosen)
    configuration = engine.configure(chosen, alternatives=False)
    if not oracle.satisfiable(values.items()):
        assert not configuration.consistent
        return
    expected = oracle.valid_domains(values)
    for attr_id, options in configuration.domains.items():
        if attr_id in values:
            continue
        assert options == expected[attr_id], attr_id


def test_an_unsatisfiable_catalog_compiles_to_no_designs():
    from configurator.catalog.model import Rule
    from tests.support.generate import choice, make_product

    product = make_product(
        [choice("a", ["x", "y"])],
        [
            Rule("r1", "excludes", "never x", when=(("a", ("x",)),)),
            Rule("r2", "excludes", "never y", when=(("a", ("y",)),)),
        ],
    )
    engine = Engine(product, circuit=True)
    assert engine.wait_for_circuit(timeout=30)
    assert engine.circuit.possible([]) is None


def test_small_catalogs_are_not_compiled_unless_asked():
    from tests.support.generate import choice, make_product

    engine = Engine(make_product([choice("a", ["x", "y"])], []))
    assert engine.compiling is None and engine.circuit is None
