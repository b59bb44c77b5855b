"""Valid domains from the compiled d-DNNF (engine/fast/circuit.py) against the brute-force
oracle, and the background compile (services/compiling.py) that supplies it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from configurator.catalog.model import Rule
from configurator.engine import Engine
from configurator.services import compiling
from tests.support.generate import choice, generated_catalog, make_product, products, values
from tests.support.oracle import Oracle

if not compiling.available():  # d4solver is a test dependency: fail loudly, never skip
    pytest.fail("d4 (the d4solver package) is not installed", pytrace=False)


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
    engine = Engine(product, table=False)  # a small product would answer from its table
    circuit = compiling.compile_circuit(engine, timeout_s=30)
    assert circuit is not None
    engine.install_circuit(circuit)
    assert engine.circuit is circuit
    chosen = data.draw(values(product))
    configuration = engine.configure(chosen, alternatives=False)
    if not oracle.satisfiable(chosen.items()):
        assert not configuration.consistent
        return
    expected = oracle.valid_domains(chosen)
    for attr_id, options in configuration.valid.items():
        if attr_id in chosen:
            continue
        assert options == expected[attr_id], attr_id
    assert configuration == Engine(product, reference=True).configure(chosen, alternatives=False)


def test_an_unsatisfiable_catalog_compiles_to_no_designs():
    product = make_product(
        [choice("a", ["x", "y"])],
        [
            Rule("r1", "excludes", "never x", when=(("a", ("x",)),)),
            Rule("r2", "excludes", "never y", when=(("a", ("y",)),)),
        ],
    )
    circuit = compiling.compile_circuit(Engine(product), timeout_s=30)
    assert circuit.possible([]) is None


def test_small_catalogs_are_not_compiled():
    engine = Engine(make_product([choice("a", ["x", "y"])], []))
    assert not compiling.worth_compiling(engine)
    assert compiling.start_if_worth_it(engine) is None
    assert engine.circuit is None


def test_a_background_compile_installs_its_circuit():
    """The policy says yes for catalog (b) (1000 values); with a short budget the compile
    gives up, with a catalog that compiles the circuit arrives and is installed."""
    big = Engine(generated_catalog())
    assert compiling.worth_compiling(big)
    product = make_product(
        [choice(f"a{i}", ["x", "y", "z"]) for i in range(5)],
        [Rule("r1", "excludes", "", when=(("a0", ("x",)), ("a1", ("x",))))],
    )
    engine = Engine(product, table=False)
    handle = compiling.start(engine, timeout_s=30)
    assert handle.ready.wait(30)
    assert handle.circuit is not None and engine.circuit is handle.circuit
    assert handle.seconds is not None
    assert engine.configure({"a0": "x"}).valid["a1"] == {"x": False, "y": True, "z": True}
