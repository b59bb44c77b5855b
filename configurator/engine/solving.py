"""The main solver: the catalog's clauses loaded once, values passed as assumptions.

Every query module (fast/search, repair, completion) takes a `Solving` as argument
rather than the `Engine`, so none of them imports the engine back.

Learnt clauses pile up across queries with different values. Where calls are easy
(few conflicts each) they are dead weight that slows every propagation: on catalog
(b) a plain call gets 4x slower after a few hundred clicks, and rebuilding the solver
makes valid domains 3-10% faster (100 builds' worth of queries between builds
measured 3% better than 20). Where calls are hard they are what makes the next query
fast: rebuilding doubles the (c) and (d) times. So the solver is rebuilt only when its
calls average fewer than REBUILD_CONFLICTS conflicts, once the time spent on queries
since the last build reaches REBUILD_AFTER times the build.
"""

from __future__ import annotations

import time

from pysat.solvers import Solver

from configurator.catalog.model import NONE

from .encoding import Encoding

SOLVER = "m22"
REBUILD_AFTER = 100
REBUILD_CONFLICTS = 5


class Solving:
    """One solver over `clauses` (variables up to `top`; attribute variables first)."""

    def __init__(self, encoding: Encoding, clauses: list[list[int]], top: int):
        self.encoding = encoding
        self.clauses = clauses
        self.top = top
        self._phases: tuple[list[int], list] | None = None  # `prefer_defaults`, built once
        self._build()

    def lit(self, attribute: str, value: str) -> int:
        return self.encoding.lits[(attribute, value)]

    def assumptions(self, values: dict[str, str], *, without: str | None = None) -> list[int]:
        """The values' literals (leaving out attribute `without`)."""
        lits = self.encoding.lits
        return [lits[(a, v)] for a, v in values.items() if a != without]

    def consistent(self, values: dict[str, str]) -> bool:
        return self.solver.solve(assumptions=self.assumptions(values))

    def value_in(self, model: list[int], attribute: str) -> str:
        """The value a model gives the attribute."""
        for value in self.encoding.domains[attribute]:
            lit = self.lit(attribute, value)
            if model[abs(lit) - 1] == lit:
                return value
        raise AssertionError("a model assigns every attribute")

    def first_possible(
        self,
        keep: list[int],
        attribute: str,
        model: list[int] | None = None,
        allowed: dict[str, bool] | None = None,
    ) -> tuple[str, list[int]] | None:
        """The first value in domain order that some design keeping `keep` takes, and such
        a design (None: `keep` conflicts). `model`, a design keeping `keep` if the caller
        has one, saves a call; so does `allowed` (values known impossible are False: the
        valid domain of a subset of `keep`). Each call asks for a design taking one of the
        values before the best so far (a temporary clause), so it takes one or two calls,
        not one per value."""
        if model is None:
            if not self.solver.solve(assumptions=keep):
                return None
            model = self.solver.get_model()
        domain = self.encoding.domains[attribute]
        best = self.value_in(model, attribute)
        while best != domain[0]:
            earlier = domain[: domain.index(best)]
            if allowed is not None:
                earlier = [v for v in earlier if allowed.get(v, False)]
                if not earlier:
                    break
            before = [self.lit(attribute, v) for v in earlier]
            act = self.fresh_var()
            self.solver.add_clause([-act, *before])
            found = self.solver.solve(assumptions=keep + [act])
            if found:
                model = self.solver.get_model()
                best = self.value_in(model, attribute)
            self.solver.add_clause([-act])
            if not found:
                break
        return best, model

    def prefer_first(self, attributes: list[str]) -> None:
        """Point the solver's phases at each attribute's first value, so that the designs
        it finds next tend to take it (`first_possible` then needs no call)."""
        phases = []
        for attribute in attributes:
            first, *rest = self.encoding.domains[attribute]
            phases.append(self.lit(attribute, first))
            phases.extend(-self.lit(attribute, v) for v in rest)
        self.solver.set_phases(phases)

    def prefer_defaults(
        self,
        valid: dict[str, dict[str, bool]] | None = None,
        preferred: dict[str, str] | None = None,
    ) -> None:
        """Point the solver's phases at what a completion picks for each attribute: its
        `preferred` value, else its default, else empty, else its first value, skipping
        values `valid` (valid domains, when known) rules out. The designs it finds then
        tend to take those picks, and the completion's checks need no call (the answers
        do not depend on phases, only the calls they need)."""
        if self._phases is None:  # every value's literal negated; per attribute, its picks
            phases, picks = [], []
            for attr in self.encoding.product.attributes:
                domain = self.encoding.domains[attr.id]
                order = dict.fromkeys(v for v in (attr.default, NONE, *domain) if v in domain)
                at = {v: len(phases) + i for i, v in enumerate(domain)}
                picks.append((attr.id, tuple(order), at))
                phases.extend(-self.lit(attr.id, v) for v in domain)
            self._phases = (phases, picks)
        base, picks = self._phases
        phases = list(base)
        for attr_id, order, at in picks:
            ok = valid.get(attr_id) if valid is not None else None
            wanted = preferred.get(attr_id) if preferred else None
            pick = None
            if wanted in at and (ok is None or ok.get(wanted, False)):
                pick = wanted
            else:
                for value in order:
                    if ok is None or ok.get(value, False):
                        pick = value
                        break
            # nothing allowed (no valid design): the default, else empty, else the first
            pick = pick if pick is not None else order[0]
            phases[at[pick]] = -phases[at[pick]]
        self.solver.set_phases(phases)

    def fresh_var(self) -> int:
        """A new variable for a temporary clause (the solver is rebuilt before they pile up)."""
        self._next_var += 1
        return self._next_var

    def refresh(self) -> None:
        """Before a query: rebuild the solver when its learnt clauses no longer pay."""
        if self._next_var > 2 * self.top + 500:  # one temporary variable per query
            self.rebuild()
        elif self._busy_s > REBUILD_AFTER * self._build_s:
            conflicts = self.solver.accum_stats().get("conflicts", 0)
            if conflicts < REBUILD_CONFLICTS * self._solves:
                self.rebuild()
            else:
                self._busy_s = 0.0  # look again later: the clicks may change

    def account(self, seconds: float, solves: int) -> None:
        """After a query: what it cost, for `refresh`."""
        self._busy_s += seconds
        self._solves += solves

    def rebuild(self) -> None:
        """Start a clean solver: no learnt clauses, no temporary variables."""
        self.solver.delete()
        self._build()

    def _build(self) -> None:
        start = time.perf_counter()
        self.solver = Solver(name=SOLVER, bootstrap_with=self.clauses)
        self._build_s = time.perf_counter() - start
        self._busy_s = 0.0
        self._solves = 0
        self._next_var = self.top
