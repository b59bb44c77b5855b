"""Valid domains the plain way: one solver call per value not settled yet. Read this first.

This is the definition the engine's fast path (`fast/search.py`) is tested against:
same questions, same answers, no tricks.

Glossary
--------
domain        every value an attribute can take: its option ids, plus NONE ("none")
              when it may be left empty; a text attribute's domain holds FILLED
              ("filled": some typed text) and/or NONE.
values        {attribute: domain value}: what the shopper chose, oldest first.
literal       the solver variable (or its negation) meaning "attribute has this value".
exact CNF     the catalog as clauses (`encoding.py`) whose models are exactly the valid
              complete designs.
assumption    a literal that holds for one solver call only: the clauses are loaded
              once, the values are assumed.
model         what the solver returns when it finds a design: one value per attribute.
valid domain  for an attribute not in `values`: the values some valid complete design
              takes while keeping every value in `values`. A selected attribute shows
              only its own value.
alternatives  for an attribute in `values`: the values some valid design takes while
              keeping the *other* values (what the shopper could switch it to).

The algorithm: for each candidate (attribute, value) not yet seen in a model, ask the
solver for a design with it, keeping the values. If there is one, every value of that
design is possible too, which settles more candidates for free; if not, the candidate
is impossible.
"""

from __future__ import annotations

from pysat.solvers import Solver

from .encoding import Encoding

SOLVER = "m22"


class Reference:
    """Valid domains and alternatives over the exact CNF, on a solver of its own."""

    def __init__(self, encoding: Encoding):
        self.encoding = encoding
        self.solver = Solver(name=SOLVER, bootstrap_with=encoding.exact_clauses())

    def valid_domains(self, values: dict[str, str]) -> dict[str, dict[str, bool]] | None:
        """{attribute: {value: possible}}; None when the values conflict."""
        assumptions = self._literals(values)
        if not self.solver.solve(assumptions=assumptions):
            return None
        domains = self.encoding.domains
        candidates = [(a, v) for a in domains if a not in values for v in domains[a]]
        possible = self._possible(assumptions, candidates)
        out = {}
        for attr_id, domain in domains.items():
            if attr_id in values:
                out[attr_id] = {v: v == values[attr_id] for v in domain}
            else:
                out[attr_id] = {v: (attr_id, v) in possible for v in domain}
        return out

    def alternatives(self, values: dict[str, str]) -> dict[str, dict[str, bool]]:
        """For each attribute in `values`: the values it could take keeping the others."""
        out = {}
        for attr_id in values:
            others = self._literals({a: v for a, v in values.items() if a != attr_id})
            domain = self.encoding.domains[attr_id]
            possible = self._possible(others, [(attr_id, v) for v in domain])
            out[attr_id] = {v: (attr_id, v) in possible for v in domain}
        return out

    def _possible(self, assumptions: list[int], candidates) -> set[tuple[str, str]]:
        """The candidates some model under the assumptions takes."""
        possible: set[tuple[str, str]] = set()
        for attr_id, value in candidates:
            if (attr_id, value) in possible:
                continue
            lit = self.encoding.lits[(attr_id, value)]
            if self.solver.solve(assumptions=assumptions + [lit]):
                possible |= self._taken(self.solver.get_model())
        return possible

    def _taken(self, model: list[int]) -> set[tuple[str, str]]:
        """The (attribute, value) pairs a model takes."""
        truth = set(model)
        return {key for key, lit in self.encoding.lits.items() if lit in truth}

    def _literals(self, values: dict[str, str]) -> list[int]:
        return [self.encoding.lits[item] for item in values.items()]
