"""Exact valid domains with few SAT calls: the fast path behind `reference.Reference`'s interface.

Candidates are the slots not yet known possible or impossible. Each round asks the
solver for a design that takes *at least one* candidate (a temporary clause behind a
fresh activation literal), with the solver's phases pointing at the candidates. Every
value of that design is possible, and so is every single change of it that keeps all
rules (`flips`), which settles most candidates per round. When no such design exists,
every remaining candidate is impossible at once. Unit propagation under the values
settles the forced ones first, and designs found by earlier queries (`witnesses`)
settle what they can before the solver is asked anything. Once a compiled circuit is
installed (`circuit`), it answers instead: two passes, no solver call.

The same designs keep every value, so their single changes of a *selected* attribute
are alternatives for it; `alternatives` only asks the solver about the rest.

Measured (bench/bench_engine.py, medians): catalog (b) 9.2 ms per query, against
71 ms for one plain SAT call per candidate on the same solver (ratio 7.8).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .flips import Neighbourhood
from .one_change import OneChange
from .witnesses import Witnesses

if TYPE_CHECKING:
    from ..solving import Solving
    from .circuit import Circuit

# Alternatives of up to this many attributes are asked one attribute at a time on the main
# solver; more at once (`one_change`), whose rounds cost more but whose one refutation
# replaces one per attribute. Catalog (b) (under 32 selections, cheap refutations): one
# by one is 12-17 % faster per click; car (c) with 86 selections: at once, 25 -> 2.5 ms.
ONE_BY_ONE_MAX = 32

# Alternatives look through the witness pool only on catalogs with at least this many
# values: on smaller ones the solver calls it saves cost less than the look (the helmet's
# 40 values: API configure 7 % fewer instructions without it; valid domains still use
# the pool, which pays there).
POOL_ALTERNATIVES_MIN_VALUES = 200

# Stop checking single changes after this many rounds in a row where they settled
# nothing new (tight catalogs such as feature models: every change breaks a rule).
FLIPS_IDLE_MAX = 2


@dataclass
class Slots:
    """Per slot: `possible` keeping every value; `switchable`: reached by changing one
    attribute of a design that keeps every value (for selected attributes, a proven
    alternative)."""

    possible: np.ndarray
    switchable: np.ndarray
    solves: int = 0  # solver calls it took


class Fast:
    """Valid domains and alternatives, as `reference.Reference` answers them, faster."""

    def __init__(self, solving: Solving):
        self.solving = solving
        self.neighbourhood = Neighbourhood(solving.encoding)
        self.witnesses = Witnesses(len(self.neighbourhood.slots))
        self.one_change = OneChange(solving)
        self.circuit: Circuit | None = None
        self._last: tuple[tuple, np.ndarray] | None = None  # values, switchable

    def valid_domains(self, values: dict[str, str]) -> dict[str, dict[str, bool]] | None:
        """{attribute: {value: possible}}; None when the values conflict."""
        solving = self.solving
        solving.refresh()
        start = time.perf_counter()
        found = self._slots(values)
        solving.account(time.perf_counter() - start, found.solves if found is not None else 1)
        if found is None:
            return None
        self._last = (tuple(values.items()), found.switchable)
        return self._as_dict(values, found.possible)

    def alternatives(self, values: dict[str, str]) -> dict[str, dict[str, bool]]:
        """For each selected attribute: the values it could switch to, keeping the *other*
        values. What the last `valid_domains` of the same values proved and the witness
        pool settle most; the rest is asked of every selected attribute at once
        (`one_change`): rounds of "a design keeping all selections but one, taking some
        open alternative", and one refutation for all the alternatives left."""
        nb = self.neighbourhood
        span = nb.span  # attribute -> (first slot, end slot, values): slots run by attribute
        found = np.zeros(len(nb.slots), dtype=bool)
        selected = nb.slots_of(values)
        found[selected] = True
        if self._last is not None and self._last[0] == tuple(values.items()):
            found |= self._last[1]  # what it settled for the other attributes is not read
        attributes = list(values)
        still = [a for a in attributes if not found[span[a][0] : span[a][1]].all()]
        if still and len(nb.slots) >= POOL_ALTERNATIVES_MIN_VALUES:
            for position, reachable in self.witnesses.all_but_one(selected).items():
                # designs keeping the other values; their other slots say nothing here
                start, end, _ = span[attributes[position]]
                found[start:end] |= reachable[start:end]
            still = [a for a in still if not found[span[a][0] : span[a][1]].all()]
        if len(still) > ONE_BY_ONE_MAX:
            self._all_at_once(values, found, still)
        elif still:
            self._one_by_one(values, found, still)
        out = {}
        for attr_id in attributes:
            start, end, names = span[attr_id]
            out[attr_id] = dict(zip(names, found[start:end].tolist(), strict=True))
        return out

    def _one_by_one(self, values: dict[str, str], found: np.ndarray, still: list[str]) -> None:
        """Each attribute with open values on the main solver: designs keeping the other
        values and taking a value not yet found, until a refutation closes the rest."""
        nb = self.neighbourhood
        solving = self.solving
        for attr_id in still:
            start, end, names = nb.span[attr_id]
            rest = solving.assumptions(values, without=attr_id)
            while not found[start:end].all():
                known = found[start:end].tolist()
                block = [-solving.lit(attr_id, v) for v, ok in zip(names, known, strict=True) if ok]
                if not solving.solver.solve(assumptions=rest + block):
                    break
                # the design keeps the other values: so do its single changes of this attribute
                design = nb.chosen(solving.solver.get_model())
                reachable = nb.flips(design)
                self.witnesses.add(design, reachable)
                found[start:end] |= reachable[start:end]

    def _all_at_once(self, values: dict[str, str], found: np.ndarray, still: list[str]) -> None:
        """Every selected attribute together (`one_change`): rounds of "a design keeping
        all selections but one, taking some open value", then one refutation for the rest."""
        nb = self.neighbourhood
        open_ = np.zeros(len(nb.slots), dtype=bool)
        for attr_id in still:
            start, end, _ = nb.span[attr_id]
            open_[start:end] = ~found[start:end]
        solver, assume = self.one_change.start(values)
        act = assume[-1]
        while open_.any():
            wanted = nb.literals(open_)
            solver.set_phases(wanted)
            solver.add_clause([-act, *wanted])
            if not solver.solve(assumptions=assume):
                break
            # keeps every selection but the one it changed: so do its single changes of
            # that attribute
            design = nb.chosen(solver.get_model())
            reachable = nb.flips(design)
            self.witnesses.add(design, reachable)
            mine = nb.same_attribute(open_ & design) & reachable
            found |= mine
            open_ &= ~mine
        solver.add_clause([-act])

    def _as_dict(self, values: dict[str, str], possible: np.ndarray) -> dict[str, dict[str, bool]]:
        """A selected attribute shows only its own value."""
        flags = possible.tolist()
        out: dict[str, dict[str, bool]] = {}
        for attr_id, start, end, names in self.neighbourhood.ranges:
            chosen = values.get(attr_id)
            if chosen is None:
                out[attr_id] = dict(zip(names, flags[start:end], strict=True))
            else:
                out[attr_id] = {v: v == chosen for v in names}
        return out

    def _slots(self, values: dict[str, str]) -> Slots | None:
        """Possible slots keeping every value; None if the values conflict."""
        nb = self.neighbourhood
        solving = self.solving
        solver = solving.solver
        full = solving.assumptions(values)
        if self.circuit is not None:
            return self._from_circuit(values, full)
        ok, implied = solver.propagate(assumptions=full)
        if not ok:
            return None
        candidates = ~nb.attribute_mask(values)
        if implied:
            candidates &= ~nb.false_slots(implied)
        search = _Search(nb, candidates, self.witnesses)
        proven = self.witnesses.proven(nb.slots_of(values))
        if proven is not None:  # an earlier design keeps every value: they are consistent
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
        act = solving.fresh_var()
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

    def _from_circuit(self, values: dict[str, str], full: list[int]) -> Slots | None:
        nb = self.neighbourhood
        found = self.circuit.possible(full)
        if found is None:
            return None
        can_true, can_false = found
        possible = nb.possible_from(can_true, can_false) & ~nb.attribute_mask(values)
        return Slots(possible, np.zeros(len(nb.slots), dtype=bool))


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
        """Every slot in `reachable` is the value of a design keeping the values."""
        self.possible |= reachable & self.candidates
        self.switchable |= reachable
        self.candidates &= ~reachable

    def done(self) -> Slots:
        return Slots(self.possible, self.switchable, self.solves)
