"""Minimal explanations: which selections and rules, together, rule an option out.

A second solver holds every rule behind its own selector literal, so a rule
can be switched off for one call. An explanation is a minimal unsatisfiable
subset (MUS) over {selections} + {rules}, with the wanted option fixed:
drop any one element and the option becomes possible again. We shrink the
solver's core by deletion, refining with each new core.
"""

from __future__ import annotations

from pysat.solvers import Solver

from configurator.catalog.model import FILLED, NONE, Product, Rule

from .encoding import Encoding
from .results import Explanation

MEMO_SIZE = 20_000


class Explainer:
    def __init__(self, encoding: Encoding, solver_name: str = "m22"):
        self.encoding = encoding
        top = encoding.top
        self.selectors: list[int] = []
        clauses = list(encoding.structure)
        for group in encoding.groups:
            top += 1
            self.selectors.append(top)
            clauses.extend(list(c) + [-top] for c in group.clauses)
        self.rule_of = {
            sel: group.rule for sel, group in zip(self.selectors, encoding.groups, strict=True)
        }
        self.solver = Solver(name=solver_name, bootstrap_with=clauses)
        # first core -> MUS: a MUS found inside one core is valid for any query whose
        # core it is, and shops ask about the same few combinations over and over
        self._memo: dict[tuple[int, ...], list[int]] = {}

    def mus(self, fixed: list[int], candidates: list[int]) -> list[int] | None:
        """A minimal subset of `candidates` that, with `fixed`, is unsatisfiable; None if satisfiable."""
        if self.solver.solve(assumptions=fixed + candidates):
            return None
        wanted = set(candidates)
        core = [lit for lit in self.solver.get_core() or [] if lit in wanted]
        key = (*fixed, 0, *sorted(core))
        found = self._memo.get(key)
        if found is None:
            found = self._shrink(fixed, core)
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = found
        return found

    def _shrink(self, fixed: list[int], core: list[int]) -> list[int]:
        """Deletion-based MUS inside an unsatisfiable core."""
        i = 0
        while i < len(core):
            trial = core[:i] + core[i + 1 :]
            if self.solver.solve(assumptions=fixed + trial):
                i += 1  # core[i] is needed
            else:
                refined = set(self.solver.get_core() or [])
                core = [lit for lit in trial if lit in refined]
        return core

    def explain(
        self, values: dict[str, str], attribute: str | None, value: str | None
    ) -> Explanation | None:
        """Explain attribute=value (or, with attribute None, the conflict among `values`)."""
        enc = self.encoding
        fixed = [] if attribute is None else [enc.lits[(attribute, value)]]
        chosen = {enc.lits[(a, v)]: (a, v) for a, v in values.items() if a != attribute}
        core = self.mus(fixed, list(chosen) + self.selectors)
        if core is None:
            return None
        involved = tuple(chosen[lit] for lit in core if lit in chosen)
        rules = tuple(self.rule_of[lit] for lit in core if lit in self.rule_of)
        text = render(enc.product, attribute, value, involved, rules)
        return Explanation(attribute, value, involved, rules, text)


def label_of(product: Product, attribute: str, value: str) -> str:
    """A value as the shopper reads it: 'Shell type: Open face'."""
    attr = product.attribute(attribute)
    if attr is None:
        return f"{attribute}: {value}"
    if value == NONE:
        return f"no {attr.label.lower()}"
    if value == FILLED:
        return f"{attr.label}: your text"
    option = attr.option(value)
    return f"{attr.label}: {option.label if option else value}"


def render(product: Product, attribute, value, involved, rules: tuple[Rule, ...]) -> str:
    """Rule messages first, then what the shopper chose that triggers them."""
    messages = " ".join(_sentence(r.message) for r in rules)
    if involved:
        chosen = ", ".join(label_of(product, a, v) for a, v in involved)
        return f"{messages} You chose {chosen}.".strip()
    if attribute is not None and not rules:
        return f"{label_of(product, attribute, value)} cannot be combined with the other choices."
    if attribute is not None:
        return f"{messages} {label_of(product, attribute, value)} is never available.".strip()
    return messages


def _sentence(message: str) -> str:
    message = message.strip()
    return message if message.endswith((".", "!", "?")) else message + "."
