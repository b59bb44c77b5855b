"""Real feature models (tests/data/feature-models) read as catalogs of excludes rules.

The engine's catalog analysis must reproduce the published dead/core/count figures,
and its valid domains must agree with a plain SAT check built straight from the
DIMACS clauses, and with the engine's own reference implementation, on random partial
selections a shopper could make.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from pysat.solvers import Solver

from configurator.engine import Engine
from tests.support import dimacs

MODELS = Path(__file__).resolve().parent.parent / "data" / "feature-models"
WALKS = 30
PLAIN_SOLVER = "g4"  # not the engine's solver


@dataclass(frozen=True)
class Published:
    """Figures from the README of the feature-model collection."""

    name: str
    variables: int
    clauses: int
    dead: int
    core: int
    count: int | None = None
    count_digits: int | None = None
    count_prefix: str = ""
    slow: bool = False

    @property
    def path(self) -> Path:
        return MODELS / f"{self.name}.dimacs"


PUBLISHED = [
    Published("printer", 172, 309, 0, 49, count=2278241108363321839974600000),
    Published("e_shop", 173, 289, 0, 50, count=247496437923840),
    Published("pc-richmond", 377, 1356, 0, 9, count=3326549945784326553600),
    Published("financial-services01", 771, 7238, 0, 22, count=97451212554676),
    Published(
        "busybox-1.18.0", 854, 1163, 18, 23, count_digits=202, count_prefix="2061138519356781760670"
    ),
    Published("embtoolkit", 1179, 5414, 236, 91),
    Published(
        "automotive01", 2513, 10300, 195, 100, count_digits=211, count_prefix="52785", slow=True
    ),
]


def models(*, counted: bool = False):
    out = []
    for published in PUBLISHED:
        if counted and published.count is None and published.count_digits is None:
            continue
        marks = [pytest.mark.slow] if published.slow else []
        out.append(pytest.param(published, id=published.name, marks=marks))
    return out


@cache
def loaded(published: Published) -> tuple[dimacs.Dimacs, Engine]:
    assert published.path.exists(), f"{published.name} is missing from tests/data (never skipped)"
    model, product = dimacs.load(published.path)
    return model, Engine(product)


@cache
def analysed(published: Published):
    from configurator.engine.analysis import analyse

    return analyse(loaded(published)[1], count=False, redundancy=False)


# -- the plain SAT check --------------------------------------------------------------


def lit_of(attr_id: str, value: str) -> int:
    var = int(attr_id[1:])
    return var if value == dimacs.YES else -var


class PlainCheck:
    """Valid domains by one SAT call per (attribute, value) not yet seen in a model."""

    def __init__(self, model: dimacs.Dimacs):
        self.variables = model.variables
        self.solver = Solver(name=PLAIN_SOLVER, bootstrap_with=[list(c) for c in model.clauses])

    def witnessed(self, assumptions: list[int]) -> set[int] | None:
        """The literals of one model under `assumptions` (free variables both ways); None if UNSAT."""
        if not self.solver.solve(assumptions=assumptions):
            return None
        seen = set(self.solver.get_model() or [])
        for var in range(1, self.variables + 1):
            if var not in seen and -var not in seen:
                seen.update((var, -var))
        return seen

    def consistent(self, selections: dict[str, str]) -> bool:
        return self.witnessed([lit_of(a, v) for a, v in selections.items()]) is not None

    def domains(self, selections: dict[str, str]) -> dict[str, dict[str, bool]]:
        """For unselected attributes: domains[a][v] iff SAT with a=v and every selection."""
        full = [lit_of(a, v) for a, v in selections.items()]
        possible: set[int] = set()
        out = {}
        for var in range(1, self.variables + 1):
            if f"v{var}" in selections:
                continue
            for lit in (var, -var):
                if lit not in possible:
                    possible |= self.witnessed(full + [lit]) or set()
            out[f"v{var}"] = {dimacs.YES: var in possible, dimacs.NO: -var in possible}
        return out

    def selected_domains(self, selections: dict[str, str]) -> dict[str, dict[str, bool]]:
        """For selected attributes: domains[a][v] iff SAT with a=v and the *other* selections."""
        out = {}
        for attr_id in selections:
            rest = [lit_of(a, v) for a, v in selections.items() if a != attr_id]
            out[attr_id] = {
                value: self.witnessed(rest + [lit_of(attr_id, value)]) is not None
                for value in (dimacs.YES, dimacs.NO)
            }
        return out


@cache
def walks(published: Published) -> tuple[dict[str, str], ...]:
    """Random partial selections a shopper could make: each step picks a random attribute and
    one of the values the engine offers for it, checked consistent by the plain solver first."""
    model, engine = loaded(published)
    plain = PlainCheck(model)
    rng = random.Random(zlib.crc32(published.name.encode()))
    attributes = [a.id for a in engine.product.attributes]
    out = []
    for _ in range(WALKS):
        selections: dict[str, str] = {}
        for _ in range(rng.randint(1, 12)):
            domains = engine.configure(selections).valid
            attr_id = rng.choice([a for a in attributes if a not in selections])
            offered = [v for v, ok in domains[attr_id].items() if ok]
            assert offered, f"{attr_id} offers nothing under {selections}"
            value = rng.choice(offered)
            assert plain.consistent({**selections, attr_id: value}), (
                f"the engine offers {attr_id}={value} under {selections}, but it is inconsistent"
            )
            selections[attr_id] = value
        out.append(selections)
    return tuple(out)


# -- the tests --------------------------------------------------------------------


@pytest.mark.parametrize("published", models())
def test_the_catalog_has_one_attribute_per_variable_and_one_rule_per_clause(published):
    model, engine = loaded(published)

    assert (model.variables, len(model.clauses)) == (published.variables, published.clauses)
    assert len(engine.product.attributes) == published.variables
    assert len(engine.product.rules) == published.clauses


@pytest.mark.parametrize("published", models())
def test_dead_features_match_the_published_figure(published):
    analysis = analysed(published)

    assert analysis.satisfiable
    assert sum(1 for d in analysis.dead if d.value == dimacs.YES) == published.dead


@pytest.mark.parametrize("published", models())
def test_core_features_match_the_published_figure(published):
    analysis = analysed(published)

    assert sum(1 for attr_id, value in analysis.core if value == dimacs.YES) == published.core


@pytest.mark.parametrize("published", models(counted=True))
def test_the_exact_count_matches_the_published_figure(published):
    from configurator.engine.analysis import analyse

    analysis = analyse(loaded(published)[1], count=True, redundancy=False)

    assert analysis.count_exact, analysis.count_note
    if published.count is not None:
        assert analysis.count == published.count
    else:
        assert len(str(analysis.count)) == published.count_digits
        assert str(analysis.count).startswith(published.count_prefix)


@pytest.mark.parametrize("published", models())
def test_valid_domains_agree_with_a_plain_sat_check(published):
    model, engine = loaded(published)
    plain = PlainCheck(model)

    for selections in walks(published):
        configuration = engine.configure(selections)
        assert configuration.consistent
        for attr_id, expected in plain.domains(selections).items():
            assert configuration.valid[attr_id] == expected, (attr_id, selections)


@pytest.mark.parametrize("published", models())
def test_selected_attributes_agree_with_a_plain_sat_check(published):
    """A selected attribute's domain is its selection (every selection is kept); the values it
    could switch to, keeping only the *other* selections, are its `alternatives`."""
    model, engine = loaded(published)
    plain = PlainCheck(model)

    for selections in walks(published):
        configuration = engine.configure(selections)
        for attr_id, expected in plain.selected_domains(selections).items():
            chosen = selections[attr_id]
            assert configuration.valid[attr_id] == {
                v: v == chosen for v in (dimacs.YES, dimacs.NO)
            }, (attr_id, selections)
            assert configuration.alternatives[attr_id] == expected, (attr_id, selections)


@pytest.mark.parametrize("published", models())
def test_the_fast_path_agrees_with_the_reference(published):
    """Valid domains and alternatives from the fast path (and, where d4 compiles the
    model, from its circuit) equal the plain reference implementation's."""
    from configurator.services import compiling

    model, engine = loaded(published)
    reference = Engine(engine.product, reference=True)
    circuit = Engine(engine.product)
    circuit.install_circuit(compiling.compile_circuit(circuit, timeout_s=60))

    for selections in walks(published)[:10]:
        expected = reference.valid_domains(selections)
        assert engine.valid_domains(selections) == expected, selections
        assert engine.alternatives(selections) == reference.alternatives(selections), selections
        if circuit.circuit is not None:
            assert circuit.valid_domains(selections) == expected, selections
