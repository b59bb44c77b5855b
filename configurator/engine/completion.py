"""Complete designs from partial values: the shop's "finish it for me" and "surprise me".

Both fill one attribute at a time, keeping every value chosen so far as assumptions,
so the result is always a valid complete design. FILLED stays FILLED: the caller
puts the typed text back.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from configurator.catalog.model import NONE

from .repair import clash_repair

if TYPE_CHECKING:
    from .fast.flips import Neighbourhood
    from .solving import Solving


def complete(
    solving: Solving,
    values: dict[str, str],
    valid: dict[str, dict[str, bool]] | None = None,
    preferred: dict[str, str] | None = None,
    neighbourhood: Neighbourhood | None = None,
) -> dict[str, str]:
    """Every attribute given a value: `preferred` values (a shopper's declared preferences)
    and defaults first (greedy, in attribute order; a preferred value before the attribute's
    default), then NONE, then the first possible value; conflicting values are first repaired keeping
    the newest (`repair.clash_repair`). Deterministic: the same values give the same design.

    Cheap on large catalogs, same answers: a design keeping every pick so far is carried
    along, so a value it already takes needs no call, and `valid` (the valid domains of
    `values`, when the caller has them) rules out values no call could accept. Given the
    `neighbourhood` (`fast.flips`), a value the carried design can switch to on its own
    (a single change that keeps every rule) needs no call either."""
    enc = solving.encoding
    values = dict(values)
    solving.prefer_defaults(valid, preferred)
    if not solving.solver.solve(assumptions=solving.assumptions(values)):
        found = clash_repair(solving, values)
        dropped = set(found.dropped) if found else set(values)
        values = {a: v for a, v in values.items() if a not in dropped}
        valid = None  # they were the domains of other values
        solving.prefer_defaults(None, preferred)
        if not solving.solver.solve(assumptions=solving.assumptions(values)):
            raise ValueError("the catalog allows no design")
    keep = solving.assumptions(values)
    carried = _Carried(solving, neighbourhood, solving.solver.get_model())

    def possible(attr_id: str, value: str) -> bool:
        return valid is None or valid.get(attr_id, {}).get(value, False)

    preferred = preferred or {}
    for pick in (lambda a: preferred.get(a.id), lambda a: a.default, lambda a: NONE):
        for attr in enc.product.attributes:
            wanted = pick(attr)
            if attr.id in values or (attr.id, wanted) not in enc.lits:
                continue
            if not possible(attr.id, wanted):
                continue
            lit = solving.lit(attr.id, wanted)
            if carried.takes(lit) or carried.switch(attr.id, wanted):
                pass
            elif solving.solver.solve(assumptions=keep + [lit]):
                carried.replace(solving.solver.get_model())
            else:
                continue
            keep.append(lit)
            values[attr.id] = wanted
    for attr_id in enc.domains:
        if attr_id not in values:
            allowed = None if valid is None else valid.get(attr_id)
            carried.earliest(attr_id, allowed)
            chosen, model = solving.first_possible(keep, attr_id, carried.model, allowed)
            if model is not carried.model:
                carried.replace(model)
            keep.append(solving.lit(attr_id, chosen))
            values[attr_id] = chosen
    return {a: values[a] for a in enc.domains}


class _Carried:
    """A valid design keeping every pick so far (a solver model; only its attribute
    variables are read), and what single changes keep it valid, worked out when first
    asked (one `flips` pass answers every attribute until the design changes)."""

    def __init__(self, solving: Solving, neighbourhood: Neighbourhood | None, model: list[int]):
        self.solving = solving
        self.nb = neighbourhood
        self.model = model
        self._reach = None

    def takes(self, lit: int) -> bool:
        return self.model[abs(lit) - 1] == lit

    def replace(self, model: list[int]) -> None:
        self.model = model
        self._reach = None

    def can_switch(self, attr_id: str, value: str) -> bool:
        if self.nb is None:
            return False
        if self._reach is None:
            self._reach = self.nb.flips(self.nb.chosen(self.model))
        return bool(self._reach[self.nb.slot(attr_id, value)])

    def switch(self, attr_id: str, value: str) -> bool:
        """Change the design's value of one attribute, if that keeps it valid."""
        if not self.can_switch(attr_id, value):
            return False
        model = list(self.model)
        for v in self.solving.encoding.domains[attr_id]:
            lit = self.solving.lit(attr_id, v)
            model[abs(lit) - 1] = -lit
        lit = self.solving.lit(attr_id, value)
        model[abs(lit) - 1] = lit
        self.replace(model)
        return True

    def earliest(self, attr_id: str, allowed: dict[str, bool] | None) -> None:
        """Switch to the first value (of those `allowed`) before the design's own that a
        single change reaches: `first_possible` then only asks about values before it."""
        if self.nb is None:
            return
        domain = self.solving.encoding.domains[attr_id]
        current = self.solving.value_in(self.model, attr_id)
        for value in domain[: domain.index(current)]:
            if (allowed is None or allowed.get(value, False)) and self.switch(attr_id, value):
                return


def random_design(solving: Solving, seed: int | None, values: dict[str, str]) -> dict[str, str]:
    """A random valid complete design keeping `values` (all of them dropped if they
    conflict); the same seed and values give the same design."""
    enc = solving.encoding
    rng = random.Random(seed)
    values = dict(values)
    keep = solving.assumptions(values)
    if not solving.solver.solve(assumptions=keep):
        keep, values = [], {}
    attributes = list(enc.domains)
    rng.shuffle(attributes)
    for attr_id in attributes:
        if attr_id in values:
            continue
        choices = list(enc.domains[attr_id])
        rng.shuffle(choices)
        for value in choices:
            lit = solving.lit(attr_id, value)
            if solving.solver.solve(assumptions=keep + [lit]):
                keep.append(lit)
                values[attr_id] = value
                break
    return {a: values[a] for a in enc.domains if a in values}
