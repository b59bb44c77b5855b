"""Minimal explanations: which values and rules, together, rule an option out.

A second solver holds every rule behind its own selector literal, so a rule can be
switched off for one call. An explanation is a minimal unsatisfiable subset (MUS) of
{values} + {rules}, with the wanted option fixed: drop any one element and the option
becomes possible again.

Deterministic: of all the MUSes, we return the *preferred* one for a fixed order
(values oldest first, then rules in catalog order): the one QuickXplain defines, built
by progression. Its last element is the earliest candidate c such that everything up
to c conflicts; then the same again below c, with the elements found so far kept.
That set depends only on which subsets are satisfiable, never on the solver's learnt
clauses, so every process gives the same answer. The solver's cores only shorten the
search: the core of a conflicting prefix bounds where the next element can be, and
the design found for a satisfiable prefix often satisfies the next candidates too.
"""

from __future__ import annotations

from pysat.solvers import Solver

from .encoding import Encoding
from .results import Explanation

SOLVER = "m22"
MEMO_SIZE = 20_000


class Explainer:
    """`structure`: clauses that always hold; `rules[i]`: the clauses of `encoding.groups[i]`
    (same numbering, variables up to `top`). The engine explains over its lean CNF
    (fewer variables: each satisfiable call is about 3x faster on catalog (b)); the
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
            found = self._progression(fixed, candidates)
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = found
        return found

    def _progression(self, fixed: list[int], candidates: list[int]) -> list[int] | None:
        position = {lit: i for i, lit in enumerate(candidates)}
        kept: list[int] = []  # the elements found so far
        # invariant: fixed + kept + candidates[:end] conflict, and every kept element
        # comes at or after `end`
        end = self._conflicting_prefix(fixed, candidates, position, len(candidates))
        if end is None:
            return None
        while end > 0:
            # the smallest prefix that conflicts with kept; candidates[:low] do not (-1:
            # not known yet; conflicting calls are cheap, satisfiable ones are not, so
            # the first call tries the likeliest answer, and a core of length 0 ends it)
            low, top_tried = -1, False
            while end - low > 1:
                if top_tried:
                    middle = (max(low, 0) + end) // 2
                else:
                    middle, top_tried = end - 1, True  # cores are often exact
                shorter = self._conflicting_prefix(fixed + kept, candidates, position, middle)
                if shorter is None:
                    low = self._extend(candidates, middle)
                else:
                    end = shorter
            if end > 0:
                kept.append(candidates[end - 1])
                end -= 1
        return sorted(kept, key=position.__getitem__)

    def _extend(self, candidates: list[int], low: int) -> int:
        """Past `low`, the candidates the last model also satisfies: a longer prefix that
        is satisfiable, for no solver call."""
        model = self.solver.get_model()
        while low < len(candidates) and self._holds(model, candidates[low]):
            low += 1
        return low

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

    def _conflicting_prefix(self, fixed, candidates, position, end) -> int | None:
        """None if fixed + candidates[:end] are satisfiable; else the length of a prefix
        of it that still conflicts, read from the solver's core."""
        if self.solver.solve(assumptions=fixed + candidates[:end]):
            return None
        core = self.solver.get_core() or []
        return max((position[lit] + 1 for lit in core if position.get(lit, end) < end), default=0)

    def _unsat(self, assumptions: list[int]) -> bool:
        return not self.solver.solve(assumptions=assumptions)
