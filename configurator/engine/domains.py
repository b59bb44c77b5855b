"""Exact valid domains with few SAT calls.

Candidates are the (attribute, value) slots not yet known possible or impossible.
Each round asks the solver for a design that takes *at least one* candidate (a
temporary clause behind a fresh activation literal), with the solver's phases
pointing at the candidates. Every value of that design is possible, and so is every
single change of it that keeps all rules (`flips`), which settles most candidates per
round. When no such design exists, every remaining candidate is impossible at once.
Unit propagation under the selections settles the forced ones first.

The same designs keep every selection, so their single changes of a *selected*
attribute are alternatives for it; `alternatives` only asks the solver about the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .circuit import Circuit
    from .core import Engine
    from .flips import Neighbourhood
    from .witnesses import Witnesses

# Stop checking single changes after this many rounds in a row where they settled
# nothing new (tight catalogs such as feature models: every change breaks a rule).
FLIPS_IDLE_MAX = 2


@dataclass
class Domains:
    """Per slot: possible keeping every selection; `switchable`: reached by changing
    one attribute of a design that keeps every selection (for selected attributes,
    a proven alternative)."""

    possible: np.ndarray
    switchable: np.ndarray
    solves: int = 0  # solver calls it took


def valid_domains(engine: Engine, values: dict[str, str]) -> Domains | None:
    """Possible slots keeping every selection; None if the selections conflict."""
    nb = engine.neighbourhood
    solver = engine.solver
    full = engine.assumptions(values)
    circuit = engine.circuit
    if circuit is not None:
        return _from_circuit(nb, circuit, values, full)
    ok, implied = solver.propagate(assumptions=full)
    if not ok:
        return None
    candidates = ~nb.attribute_mask(values)
    if implied:
        candidates &= ~nb.false_slots(implied)
    search = _Search(nb, candidates, engine.witnesses)
    proven = engine.witnesses.proven(nb.slots_of(values))
    if proven is not None:  # an earlier design keeps every selection: they are consistent
        search.settle(proven)
    else:
        solver.set_phases(nb.literals(candidates))
        search.solves += 1
        if not solver.solve(assumptions=full):
            return None
        search.record(solver.get_model())
    # Each round: one temporary clause "some candidate holds", phases pointing at the
    # candidates; no such design settles every remaining candidate at once.
    # One activation literal for the whole query: each round's clause is a subset of
    # the last one's, so the older clauses are implied and can stay.
    act = engine.fresh_var()
    while search.candidates.any():
        wanted = nb.literals(search.candidates)
        solver.set_phases(wanted)
        solver.add_clause([-act, *wanted])
        search.solves += 1
        if not solver.solve(assumptions=full + [act]):
            break
        search.record(solver.get_model())
    solver.add_clause([-act])
    return search.done()


def _from_circuit(nb: Neighbourhood, circuit: Circuit, values, full: list[int]) -> Domains | None:
    found = circuit.possible(full)
    if found is None:
        return None
    can_true, can_false = found
    possible = nb.possible_from(can_true, can_false) & ~nb.attribute_mask(values)
    return Domains(possible, np.zeros(len(nb.slots), dtype=bool))


class _Search:
    """The candidates still open and what the designs found so far proved."""

    def __init__(self, nb: Neighbourhood, candidates: np.ndarray, pool: Witnesses):
        self.nb = nb
        self.pool = pool
        self.candidates = candidates
        self.possible = np.zeros(len(nb.slots), dtype=bool)
        self.switchable = np.zeros(len(nb.slots), dtype=bool)
        self.idle_flips = 0
        self.solves = 0

    def record(self, model: list[int]) -> None:
        """Settle what a design proves: its own values and, while they pay, its single changes."""
        design = self.nb.chosen(model)
        reachable = design
        if self.idle_flips < FLIPS_IDLE_MAX:
            reachable = self.nb.flips(design)
            extra = (reachable & ~design & self.candidates).any()
            self.idle_flips = 0 if extra else self.idle_flips + 1
        self.pool.add(design, reachable)
        self.settle(reachable)

    def settle(self, reachable: np.ndarray) -> None:
        """Every slot in `reachable` is the value of a design keeping the selections."""
        self.possible |= reachable & self.candidates
        self.switchable |= reachable
        self.candidates &= ~reachable

    def done(self) -> Domains:
        return Domains(self.possible, self.switchable, self.solves)


def as_dict(engine: Engine, values: dict[str, str], found: Domains) -> dict[str, dict[str, bool]]:
    """{attribute: {value: possible}}; a selected attribute shows only its value."""
    possible = found.possible.tolist()
    out: dict[str, dict[str, bool]] = {}
    for attr_id, start, end, names in engine.neighbourhood.ranges:
        chosen = values.get(attr_id)
        if chosen is None:
            out[attr_id] = dict(zip(names, possible[start:end], strict=True))
        else:
            out[attr_id] = {v: v == chosen for v in names}
    return out


def alternatives(
    engine: Engine, values: dict[str, str], known: np.ndarray | None = None
) -> dict[str, dict[str, bool]]:
    """For each selected attribute: which values it could switch to, keeping the *other*
    selections. `known` holds slots already proven (`Domains.switchable`)."""
    enc = engine.encoding
    nb = engine.neighbourhood
    solver = engine.solver
    proven = known if known is not None else np.zeros(len(nb.slots), dtype=bool)
    out: dict[str, dict[str, bool]] = {}
    pooled = engine.witnesses.all_but_one(nb.slots_of(values))
    for position, (attr_id, chosen) in enumerate(values.items()):
        domain = enc.domains[attr_id]
        # designs keeping the other selections; their other slots say nothing here
        mine = proven | pooled[position] if position in pooled else proven
        found = {chosen} | {v for v in domain if mine[nb.slot(attr_id, v)]}
        if len(found) < len(domain):
            rest = engine.assumptions(values, without=attr_id)
        while len(found) < len(domain):
            block = [-enc.lits[(attr_id, v)] for v in found]
            if not solver.solve(assumptions=rest + block):
                break
            # the design keeps the other selections: so do its single changes of this attribute
            design = nb.chosen(solver.get_model())
            reachable = nb.flips(design)
            engine.witnesses.add(design, reachable)
            found.update(v for v in domain if reachable[nb.slot(attr_id, v)])
        out[attr_id] = {v: v in found for v in domain}
    return out
