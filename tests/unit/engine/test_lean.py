"""The solver's lean CNF (small tables as rows) allows exactly the designs of the exact one."""

from __future__ import annotations

import random
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from pysat.solvers import Solver

from configurator.engine import Engine, encoding
from tests.support.generate import generated_catalog, products

PROPERTIES = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def designs(
    clauses: list[list[int]], attribute_vars: int, limit: int = 5000
) -> set[tuple[int, ...]]:
    """Every model projected onto the attribute variables (blocking each projection)."""
    found: set[tuple[int, ...]] = set()
    with Solver(name="m22", bootstrap_with=clauses) as solver:
        while len(found) < limit and solver.solve():
            model = solver.get_model()
            projection = tuple(model[:attribute_vars])
            found.add(projection)
            solver.add_clause([-lit for lit in projection])
    return found


@PROPERTIES
@given(products())
def test_lean_and_exact_clauses_allow_the_same_designs(product):
    """With every allowed table as rows (random tables are rarely small enough)."""
    with patch.object(encoding, "prefer_rows", lambda rows, nodes: True):
        engine = Engine(product, circuit=False)
    top = engine.encoding.attribute_vars
    assert designs(engine.hard_clauses(), top) == designs(engine.exact_clauses(), top)


def test_small_tables_become_rows_on_the_generated_catalog():
    """Not vacuous: the generated catalog's small tables take the row encoding, and the
    two encodings agree on random partial selections."""
    engine = Engine(generated_catalog(), circuit=False)
    assert len(engine.encoding.small_tables) > 50
    rng = random.Random(3)
    domains = engine.encoding.domains
    exact = Solver(name="m22", bootstrap_with=engine.exact_clauses())
    lean = Solver(name="m22", bootstrap_with=engine.hard_clauses())
    answers = []
    for _ in range(300):
        picked = rng.sample(sorted(domains), 8)
        assumptions = [engine.lit(a, rng.choice(domains[a])) for a in picked]
        answers.append(exact.solve(assumptions=assumptions))
        assert lean.solve(assumptions=assumptions) == answers[-1], assumptions
    assert 10 < sum(answers) < 290  # both kinds of answer were checked
