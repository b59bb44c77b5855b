"""The engine: one compiled product answering what a shopper may choose next.

`Engine` is a facade. It compiles the product once (`encoding`, the lean CNF, the main
solver in `solving`, and for small catalogs the list of every valid design in
`fast.table`) and hands that state to the modules that answer: valid domains
(`fast.table.DesignTable` where it was built, else `fast.search.Fast`, or
`reference.Reference`), explanations (`explain`), repairs
(`repair`), completion (`completion`) and the cheapest design (`cheapest`). None of
them imports this module. See README.md for the glossary.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Protocol

from configurator.catalog.model import NONE, Product

from . import completion
from . import wishes as wishes_mod
from .cheapest import cheapest
from .encoding import Encoding, encode
from .explain import Explainer
from .fast import lean
from .fast import table as design_table
from .fast.circuit import Circuit
from .fast.search import Fast
from .reference import Reference
from .repair import clash_repair, repairs
from .results import Configuration, Explanation, Repair
from .solving import Solving


class ValidDomains(Protocol):
    """What `Fast` and `Reference` both answer: change how valid domains are found here."""

    def valid_domains(self, values: dict[str, str]) -> dict[str, dict[str, bool]] | None: ...

    def alternatives(self, values: dict[str, str]) -> dict[str, dict[str, bool]]: ...


class Engine:
    """Compile once per catalog version; every method is safe to call from several threads.

    `values` everywhere: {attribute id: domain value}, oldest choice first, every pair
    in the domain (callers validate). The engine does no I/O and starts no threads.
    """

    def __init__(self, product: Product, *, reference: bool = False, table: bool = True):
        """`reference`: answer valid domains the plain way (`reference.py`; for tests);
        `table`: list every valid design of a small catalog (`fast/table.py`) and answer
        from the list (False: the search answers, for tests)."""
        self.product = product
        self.encoding: Encoding = encode(product)
        structure, rules, top = lean.solving_parts(self.encoding)
        self._lean = (structure, rules, top)
        self.solving = Solving(self.encoding, structure + [c for r in rules for c in r], top)
        self._search: ValidDomains = Reference(self.encoding) if reference else Fast(self.solving)
        self.table = design_table.build(self.encoding) if table and not reference else None
        self._finder: ValidDomains = self.table if self.table is not None else self._search
        self._explainer: Explainer | None = None
        self.lock = threading.RLock()
        self.domains: Mapping[str, tuple[str, ...]] = MappingProxyType(self.encoding.domains)

    # -- the catalog ------------------------------------------------------------------

    def domain(self, attribute: str) -> tuple[str, ...]:
        """Every value the attribute can take (its options, NONE when it may be empty)."""
        return self.encoding.domains[attribute]

    def hard_clauses(self) -> list[list[int]]:
        """What the main solver runs on: the designs of `exact_clauses`, with keyed and
        small tables written leaner (`fast/lean.py`); variables up to `solving.top`."""
        return [list(c) for c in self.solving.clauses]

    def exact_clauses(self) -> list[list[int]]:
        """The encoding with every auxiliary variable defined (for compiling and counting);
        variables up to `encoding.top`."""
        return self.encoding.exact_clauses()

    def install_circuit(self, circuit: Circuit | None) -> None:
        """Answer valid domains from this compiled circuit from now on (None: stop);
        an engine answering from its design table keeps the table."""
        with self.lock:
            if isinstance(self._search, Fast):
                self._search.circuit = circuit

    @property
    def circuit(self) -> Circuit | None:
        return getattr(self._search, "circuit", None)

    @property
    def explainer(self) -> Explainer:
        with self.lock:
            if self._explainer is None:
                self._explainer = Explainer(self.encoding, *self._lean)
            return self._explainer

    # -- the answers ------------------------------------------------------------------

    def consistent(self, values: dict[str, str]) -> bool:
        if self.table is not None:
            return self.table.consistent(values)
        with self.lock:
            return self.solving.consistent(values)

    def configure(self, values: dict[str, str], *, alternatives: bool = True) -> Configuration:
        """Everything the shop needs after one click: valid domains, alternatives, the
        conflict and its best repair, the design as it stands."""
        with self.lock:
            conflict = repair = None
            effective = dict(values)
            valid = self._finder.valid_domains(effective)
            if valid is None:
                conflict = self.explainer.explain(values, None, None)
                repair = clash_repair(self.solving, values)
                dropped = set(repair.dropped) if repair else set(values)
                effective = {a: v for a, v in values.items() if a not in dropped}
                valid = self._finder.valid_domains(effective)
            if valid is None:  # the catalog allows no design at all
                valid = {a: dict.fromkeys(d, False) for a, d in self.encoding.domains.items()}
                design = None
            else:
                design = self._as_is(effective, valid)
            switch = self._finder.alternatives(effective) if alternatives else {}
        return Configuration(
            values=dict(values),
            effective=effective,
            valid=valid,
            alternatives=switch,
            conflict=conflict,
            repair=repair,
            design=design,
        )

    def _as_is(self, values: dict[str, str], valid: dict[str, dict[str, bool]]) -> dict | None:
        """The design as it stands (unselected: forced value or NONE), if it is valid."""
        design = dict(values)
        guessed = False
        for attr_id, options in valid.items():
            if attr_id in design:
                continue
            possible = [v for v, ok in options.items() if ok]
            if len(possible) == 1:
                design[attr_id] = possible[0]
            elif options.get(NONE):
                design[attr_id] = NONE
                guessed = True
            else:
                return None
        if guessed and not self.consistent(design):
            return None
        return {a: design[a] for a in self.encoding.domains}  # every value forced: valid

    def valid_domains(self, values: dict[str, str]) -> dict[str, dict[str, bool]]:
        """Exact valid domains keeping every value; `values` must be consistent."""
        with self.lock:
            found = self._finder.valid_domains(values)
        if found is None:
            raise ValueError("valid_domains needs consistent values; use configure()")
        return found

    def alternatives(self, values: dict[str, str]) -> dict[str, dict[str, bool]]:
        """For selected attributes, the values they could switch to keeping the other values."""
        with self.lock:
            return self._finder.alternatives(values)

    def explain(
        self, values: dict[str, str], attribute: str | None, value: str | None
    ) -> Explanation | None:
        """Why attribute=value is impossible keeping the other values (attribute None:
        why the values conflict); None when it is possible."""
        with self.lock:
            return self.explainer.explain(values, attribute, value)

    def repairs(
        self, values: dict[str, str], wanted: tuple[str, str] | None, limit: int = 3
    ) -> list[Repair]:
        """Smallest sets of other values to change so that `wanted` (None: any design)
        becomes possible, best first."""
        with self.lock:
            return repairs(self.solving, values, wanted, limit=limit)

    def complete(
        self,
        values: dict[str, str],
        valid: dict[str, dict[str, bool]] | None = None,
        preferred: dict[str, str] | None = None,
    ) -> dict[str, str]:
        """A complete valid design, every attribute a domain value (see `completion`);
        `valid`: the valid domains of `values` if the caller has them (fewer calls);
        `preferred`: values to take before the defaults where they fit."""
        if self.table is not None:
            design = self.table.complete(values, preferred)
            if design is not None:
                return design
        with self.lock:
            nb = getattr(self._search, "neighbourhood", None)
            return completion.complete(self.solving, values, valid, preferred, nb)

    def honoured(
        self, values: dict[str, str], wishes: list[tuple[str, str]]
    ) -> dict[str, str] | None:
        """As many wished (attribute, value) pairs as a valid design keeping `values` can take
        together (`wishes.honoured`); None if the values conflict."""
        return wishes_mod.honoured(self.encoding, self.hard_clauses(), values, wishes)

    def random_design(self, seed: int | None, values: dict[str, str]) -> dict[str, str]:
        """A random valid complete design keeping `values` (Surprise me)."""
        with self.lock:
            return completion.random_design(self.solving, seed, values)

    def cheapest(self, costs: Mapping[tuple[str, str], Decimal]) -> dict[str, str] | None:
        """A valid complete design minimising the sum of its values' costs."""
        return cheapest(self.encoding, self.hard_clauses(), costs)
