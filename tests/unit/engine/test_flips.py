"""Single changes of a valid design (engine/fast/flips.py) against the brute-force oracle."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from configurator.catalog.model import Rule
from configurator.engine import Engine
from configurator.engine.fast.flips import Neighbourhood
from tests.support.generate import car_catalog, choice, make_product, products
from tests.support.oracle import Oracle


def check_every_single_change(nb: Neighbourhood, oracle: Oracle, design: dict[str, str]) -> None:
    chosen = np.array([design[a] == v for a, v in nb.slots])
    reachable = nb.flips(chosen)
    for slot, (attr_id, value) in enumerate(nb.slots):
        changed = dict(design, **{attr_id: value})
        assert bool(reachable[slot]) == oracle.is_valid(changed), (attr_id, value, design)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.data())
def test_flips_are_exactly_the_valid_single_changes(data):
    product = data.draw(products())
    oracle = Oracle(product)
    designs = oracle.designs()
    assume(designs)
    design = data.draw(st.sampled_from(designs))
    check_every_single_change(Neighbourhood(Engine(product).encoding), oracle, design)


def test_flips_on_wide_tables_agree_with_the_solver():
    """A car look-alike (tables up to 10 columns, "*" and "a|b" cells): every single change
    the flips allow is a valid design, and every one they refuse is not."""
    product = car_catalog(attributes=40, tables=30, max_width=8)
    engine = Engine(product)
    nb = Neighbourhood(engine.encoding)
    solver = engine.solving.solver
    for seed in range(3):
        solver.set_phases(
            [
                lit if (lit * (seed + 3)) % 5 < 2 else -lit
                for lit in nb.literals(np.ones(len(nb.slots), bool))
            ]
        )
        assert solver.solve()
        chosen = nb.chosen(solver.get_model())
        reachable = nb.flips(chosen)
        design = dict(nb.values(chosen))
        for slot, (attr_id, value) in enumerate(nb.slots):
            changed = dict(design, **{attr_id: value})
            valid = solver.solve(assumptions=engine.solving.assumptions(changed))
            assert bool(reachable[slot]) == valid, (attr_id, value)


def test_flips_on_attributes_of_more_than_64_values():
    """Clause flips keep refused values as 64-bit words: an attribute of 150 values
    takes three, and a value on each side of a word boundary is refused."""
    many = [f"o{i}" for i in range(150)]
    product = make_product(
        [choice("a", many), choice("b", ["x", "y"]), choice("c", ["p", "q", "r"])],
        [
            Rule(
                "r0", "requires", "", when=(("b", ("y",)),), then=(("a", ("o63", "o64", "o149")),)
            ),
            Rule("r1", "excludes", "", when=(("a", ("o0", "o128")), ("c", ("q",)))),
        ],
    )
    oracle = Oracle(product)
    nb = Neighbourhood(Engine(product).encoding)
    for design in oracle.designs()[::37]:
        check_every_single_change(nb, oracle, design)
    chosen = {"a": "o64", "b": "y", "c": "q"}
    reachable = nb.flips(np.array([chosen[a] == v for a, v in nb.slots]))
    allowed = {v for (a, v), ok in zip(nb.slots, reachable, strict=True) if ok and a == "a"}
    assert allowed == {"o63", "o64", "o149"}
