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
    from .solving import Solving


def complete(
    solving: Solving,
    values: dict[str, str],
    valid: dict[str, dict[str, bool]] | None = None,
    preferred: dict[str, str] | None = None,
) -> dict[str, str]:
    """Every attribute given a value: `preferred` values (a shopper's declared preferences)
    and defaults first (greedy, in attribute order; a preferred value before the attribute's
    default), then NONE, then the first possible value; conflicting values are first repaired keeping
    the newest (`repair.clash_repair`). Deterministic: the same values give the same design.

    Cheap on large catalogs, same answers: a design keeping every pick so far is carried
    along, so a value it already takes needs no call, and `valid` (the valid domains of
    `values`, when the caller has them) rules out values no call could accept."""
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
    model = solving.solver.get_model()

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
            if model[abs(lit) - 1] == lit or solving.solver.solve(assumptions=keep + [lit]):
                if model[abs(lit) - 1] != lit:
                    model = solving.solver.get_model()
                keep.append(lit)
                values[attr.id] = wanted
    for attr_id in enc.domains:
        if attr_id not in values:
            allowed = None if valid is None else valid.get(attr_id)
            chosen, model = solving.first_possible(keep, attr_id, model, allowed)
            keep.append(solving.lit(attr_id, chosen))
            values[attr_id] = chosen
    return {a: values[a] for a in enc.domains}


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
