"""The solver's lean CNF (keyed tables as clauses, small ones as rows) allows exactly the
designs of the exact one."""

from __future__ import annotations

import contextlib
import random
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pysat.solvers import Solver

from configurator.catalog.model import Rule
from configurator.engine import Engine, encoding
from configurator.engine.fast import lean
from tests.support.generate import choice, generated_catalog, make_product, products

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
@given(products(), st.sampled_from(["as chosen", "keys or rows", "rows"]))
def test_lean_and_exact_clauses_allow_the_same_designs(product, tables):
    """Random tables are rarely small enough for rows: the test also forces every table
    that has no key into rows, or every table into rows."""
    rows = patch.object(lean, "prefer_rows", lambda rows, nodes: tables != "as chosen")
    keys = patch.object(encoding, "key_column", lambda rule: None)
    with rows, keys if tables == "rows" else contextlib.nullcontext():
        engine = Engine(product)
    top = engine.encoding.attribute_vars
    assert designs(engine.hard_clauses(), top) == designs(engine.exact_clauses(), top)


def table(rule_id: str, attributes: list[str], *rows: list[str]) -> Rule:
    return Rule(rule_id, "table", "", attributes=tuple(attributes), rows=tuple(map(tuple, rows)))


def test_keyed_tables_need_no_row_variables():
    """A key column may hold "a|b" cells and values outside the domain; "*" only in a
    table of one row. Rows without a key keep their variables."""
    a, b = choice("a", ["p", "q", "r", "s"]), choice("b", ["p", "q", "r", "s"])
    c = choice("c", ["p", "q", "r"])
    product = make_product(
        [a, b, c],
        [
            table(
                "keyed", ["a", "b", "c"], ["p|q", "r", "*"], ["r|zz", "*", "q|r"], ["s", "p", "p"]
            ),
            table("star", ["b", "c"], ["*", "p|q"]),
            table("unkeyed", ["a", "c"], ["p|q", "p"], ["q|r", "p"]),
        ],
    )
    with patch.object(lean, "prefer_rows", lambda rows, nodes: True):
        engine = Engine(product)
        with patch.object(encoding, "key_column", lambda rule: None):
            rows = Engine(product)
    assert [r.id for r, *_ in engine.encoding.tables] == ["keyed", "star", "unkeyed"]
    assert (
        rows.solving.top - engine.solving.top == 3 + 1
    )  # only the unkeyed table keeps row variables
    top = engine.encoding.attribute_vars
    found = designs(engine.hard_clauses(), top)
    assert found == designs(engine.exact_clauses(), top)
    assert 0 < len(found) < 4 * 4 * 3


def test_the_generated_catalog_needs_no_row_variables():
    """Not vacuous: every table of the generated catalog is keyed (the solver keeps one
    root per table and the attribute variables), and the two encodings agree on random
    partial selections."""
    engine = Engine(generated_catalog())
    assert len(engine.encoding.tables) > 50
    roots = len(engine.encoding.tables) + 1  # and the last variable's unit clause
    assert engine.solving.top <= engine.encoding.attribute_vars + roots
    rng = random.Random(3)
    domains = engine.encoding.domains
    exact = Solver(name="m22", bootstrap_with=engine.exact_clauses())
    lean = Solver(name="m22", bootstrap_with=engine.hard_clauses())
    answers = []
    for _ in range(300):
        picked = rng.sample(sorted(domains), 8)
        assumptions = [engine.encoding.lits[(a, rng.choice(domains[a]))] for a in picked]
        answers.append(exact.solve(assumptions=assumptions))
        assert lean.solve(assumptions=assumptions) == answers[-1], assumptions
    assert 10 < sum(answers) < 290  # both kinds of answer were checked
