"""Single changes that keep a valid design valid: many supports from one SAT model.

Every value in a model is possible. So is value v of attribute A whenever changing A
alone to v keeps every rule satisfied, since every auxiliary variable is determined by
the attribute literals. `Neighbourhood.flips` answers that for all (A, v) at once with
a few numpy passes over the rules, so one solver call settles far more candidates than
the values it happens to pick.

Glossary
--------
slot        a global index for one (attribute, value) pair, in `encoding.domains` order.
clause      a rule clause over attribute literals: the design must take one of its slots.
            Changing A alone can break it only when A's slots are its only true ones
            (checked for all clauses at once in `clause_flips`).
            Keyed tables are such clauses too (`lean.keyed_clauses`); other allowed
            tables are checked row by row in `table_flips`.
"""

from __future__ import annotations

import itertools

import numpy as np

from ..encoding import Encoding
from . import lean
from .clause_flips import ClauseGroups
from .table_flips import TableRows

# A keyed table of rows x (widest domain) up to this is checked as clauses; beyond, the
# "not this key" literals (every other value) make the clauses bigger than the rows.
KEYED_AS_CLAUSES_MAX = 4096


class Neighbourhood:
    """Built once per encoding; `flips(design)` costs a few passes over the rule data."""

    def __init__(self, enc: Encoding):
        attrs = list(enc.domains)
        attr_index = {a: i for i, a in enumerate(attrs)}
        self._attr_index = attr_index
        self.slots: list[tuple[str, str]] = [(a, v) for a in attrs for v in enc.domains[a]]
        # (attribute, first slot, end slot, values): slots run attribute by attribute
        self.ranges: list[tuple[str, int, int, tuple[str, ...]]] = []
        for a in attrs:
            start = self.ranges[-1][2] if self.ranges else 0
            self.ranges.append((a, start, start + len(enc.domains[a]), enc.domains[a]))
        self.span = {a: (start, end, names) for a, start, end, names in self.ranges}
        slot_of = {key: i for i, key in enumerate(self.slots)}
        self._slot_index = slot_of
        self.slot_attr = np.array([attr_index[a] for a, _ in self.slots], dtype=np.int64)
        lits = np.array([enc.lits[key] for key in self.slots], dtype=np.int64)
        self._lit = lits
        self._var = np.abs(lits) - 1
        self._attributes = len(attrs)
        self._read_upto = enc.attribute_vars
        # a negative literal of a two-value attribute asserts its second value
        self._slot_of_lit = {lit: slot_of[key] for key, lit in enc.lits.items()}
        keyed, self._table_rows = self._tables(enc, slot_of)
        self._clause_groups = self._clauses(enc, keyed)

    # -- building ----------------------------------------------------------

    def _clauses(self, enc: Encoding, keyed: list[list[int]]) -> ClauseGroups:
        groups: list[tuple[int, int, list[int]]] = []
        clause = 0
        for lits in itertools.chain((c for g in enc.groups for c in g.clauses), keyed):
            if any(abs(lit) > self._read_upto for lit in lits):
                continue  # an allowed table's diagram root: handled as rows or keyed
            by_attr: dict[int, list[int]] = {}
            for lit in lits:
                slot = self._slot_of_lit.get(lit)
                if slot is not None:
                    by_attr.setdefault(int(self.slot_attr[slot]), []).append(slot)
            groups.extend((clause, attr, slots) for attr, slots in by_attr.items())
            clause += 1
        return ClauseGroups(groups, self.slot_attr, self._attributes)

    def _tables(self, enc: Encoding, slot_of: dict) -> tuple[list[list[int]], TableRows | None]:
        """Allowed tables: keyed ones as plain clauses, the others as rows (their
        diagrams are for the solver)."""
        keyed: list[list[int]] = []
        tables = []
        for table in enc.tables:
            rule = table.rule
            widest = max(len(enc.domains[a]) for a in rule.attributes)
            if table.key is not None and len(rule.rows) * widest <= KEYED_AS_CLAUSES_MAX:
                keyed.extend(lean.keyed_clauses(enc, rule, table.key))
            else:
                tables.append((rule.attributes, rule.rows))
        rows = TableRows(tables, slot_of, self.slot_attr, self._attributes) if tables else None
        return keyed, rows

    # -- asking ------------------------------------------------------------

    def attribute_mask(self, values: dict[str, str]) -> np.ndarray:
        """Per slot: does its attribute have a selection in `values`?"""
        picked = np.zeros(self._attributes, dtype=bool)
        picked[[self._attr_index[a] for a in values]] = True
        return picked[self.slot_attr]

    def slots_of(self, values: dict[str, str]) -> np.ndarray:
        """The slot indices of the selections."""
        return np.array([self._slot_index[item] for item in values.items()], dtype=np.int64)

    def false_slots(self, implied: list[int]) -> np.ndarray:
        """Slots that propagated literals `implied` rule out."""
        known = np.asarray(implied, dtype=np.int64)
        known = known[np.abs(known) <= self._read_upto]
        value = np.zeros(self._read_upto + 1, dtype=np.int64)
        value[np.abs(known)] = known
        return value[self._var + 1] == -self._lit

    def same_attribute(self, mask: np.ndarray) -> np.ndarray:
        """Every slot of the attributes that have a slot in `mask`."""
        picked = np.zeros(self._attributes, dtype=bool)
        picked[self.slot_attr[mask]] = True
        return picked[self.slot_attr]

    def slot(self, attr_id: str, value: str) -> int:
        return self._slot_index[(attr_id, value)]

    def possible_from(self, can_true: np.ndarray, can_false: np.ndarray) -> np.ndarray:
        """Slots whose literal can hold, given per variable whether it can be true / false."""
        var = self._var + 1
        return np.where(self._lit > 0, can_true[var], can_false[var])

    def literals(self, mask: np.ndarray) -> list[int]:
        """The slots' literals, last slot first: as solver phases, where both values of a
        two-value attribute are wanted, the first value (yes) wins."""
        return self._lit[mask][::-1].tolist()

    def values(self, mask: np.ndarray) -> list[tuple[str, str]]:
        return [self.slots[i] for i in np.flatnonzero(mask)]

    def chosen(self, model: list[int]) -> np.ndarray:
        """The slots a solver model takes, as a boolean vector."""
        values = np.fromiter(model, dtype=np.int64, count=self._read_upto)  # no slice copy
        return values[self._var] == self._lit

    def flips(self, chosen: np.ndarray) -> np.ndarray:
        """Slots (A, v) such that changing A alone to v keeps the design `chosen` valid.

        `chosen` must be a valid design; its own slots are included.
        """
        ok = self._clause_groups.flips(chosen)
        if self._table_rows is not None:
            ok &= self._table_rows.flips(chosen)
        return ok | chosen
