"""Minimal explanations: which values and rules, together, rule an option out.

A second solver holds every rule behind its own selector literal, so a rule can be
switched off for one call. An explanation is a minimal unsatisfiable subset (MUS) of
{values} + {rules}, with the wanted option fixed: drop any one element and the option
becomes possible again.

Deterministic: of all the MUSes, we return the *preferred* one (`mus.preferred`) for
a fixed order, values oldest first, then rules in catalog order, so every process
gives the same answer whatever its solver answered before.
"""

from __future__ import annotations

from pysat.solvers import Solver

from .encoding import Encoding
from .mus import preferred
from .results import Explanation

SOLVER = "m22"
MEMO_SIZE = 20_000


class Explainer:
    """`structure`: clauses that always hold; `rules[i]`: the clauses of `encoding.groups[i]`
    (same numbering, variables up to `top`). The engine explains over its lean CNF
    (fewer variables: on catalog (b) a satisfiable call takes about 0.03 ms instead of
    0.3 ms, and an explanation 0.5 ms instead of 1.0); the
    analysis's redundancy check assumes a rule's violations, which needs every variable
    defined, so it uses `Explainer.exact`."""

    def __init__(
        self,
        encoding: Encoding,
        structure: list[list[int]],
        rules: list[list[list[int]]],
        top: int,
    ):
        self.encoding = encoding
        self.selectors: list[int] = []
        clauses = [list(c) for c in structure]
        for group in rules:
            top += 1
            self.selectors.append(top)
            clauses.extend(list(c) + [-top] for c in group)
        self.rule_of = {
            sel: group.rule for sel, group in zip(self.selectors, encoding.groups, strict=True)
        }
        self.clauses_of = dict(zip(self.selectors, rules, strict=True))
        self.solver = Solver(name=SOLVER, bootstrap_with=clauses)
        # shops ask about the same few combinations over and over
        self._memo: dict[tuple[int, ...], list[int] | None] = {}

    @classmethod
    def exact(cls, encoding: Encoding) -> Explainer:
        rules = [[list(c) for c in group.clauses] for group in encoding.groups]
        return cls(encoding, encoding.structure, rules, encoding.top)

    def explain(
        self, values: dict[str, str], attribute: str | None, value: str | None
    ) -> Explanation | None:
        """Why attribute=value is impossible keeping the other values (attribute None:
        why the values conflict); None when it is possible."""
        lits = self.encoding.lits
        fixed = [] if attribute is None else [lits[(attribute, value)]]
        chosen = {lits[(a, v)]: (a, v) for a, v in values.items() if a != attribute}
        core = self.mus(fixed, list(chosen) + self.selectors)
        if core is None:
            return None
        involved = tuple(chosen[lit] for lit in core if lit in chosen)
        rules = tuple(self.rule_of[lit] for lit in core if lit in self.rule_of)
        return Explanation(attribute, value, involved, rules)

    def mus(
        self, fixed: list[int], candidates: list[int], *, within_core: bool = False
    ) -> list[int] | None:
        """The preferred minimal subset of `candidates` that with `fixed` is unsatisfiable,
        in `candidates` order; None if they are all satisfiable together.

        `within_core`: shrink the solver's first core by deletion instead (for the
        catalog analysis, where thousands of rules make every prefix call slow: the
        dead options of automotive01 take 1.5 s instead of 35 s). The answer is still
        minimal but depends on the core, so on the queries the solver answered before;
        a fresh engine (as the analysis uses) gives the same answer every run.
        """
        key = (*fixed, 0, *candidates, within_core)
        if key in self._memo:
            return self._memo[key]
        if within_core:
            if self.solver.solve(assumptions=fixed + candidates):
                return None
            core = set(self.solver.get_core() or [])
            found = self._shrink(fixed, [lit for lit in candidates if lit in core])
        else:
            found = preferred(self.solver, fixed, candidates, self._holds)
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = found
        return found

    def _holds(self, model: list[int], lit: int) -> bool:
        """Does the model satisfy this value literal, or every clause of this rule?"""
        clauses = self.clauses_of.get(lit)
        if clauses is None:
            return model[abs(lit) - 1] == lit
        return all(any(model[abs(x) - 1] == x for x in clause) for clause in clauses)

    def _shrink(self, fixed: list[int], core: list[int]) -> list[int]:
        """Deletion-based MUS inside an unsatisfiable core, refined by each new core."""
        i = 0
        while i < len(core):
            trial = core[:i] + core[i + 1 :]
            if self.solver.solve(assumptions=fixed + trial):
                i += 1  # core[i] is needed
            else:
                refined = set(self.solver.get_core() or [])
                core = [lit for lit in trial if lit in refined]
        return core
