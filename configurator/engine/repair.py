"""Repairs: the fewest values to change so a wanted option (or any design) becomes possible.

A repair is a minimal correction set over the values. We find them with implicit
hitting sets: the main solver proposes cores (sets of values that cannot all stay), a
tiny MaxSAT problem over the values picks the cheapest set that hits every core, and
the main solver checks it. Each found set is blocked to enumerate the next.

Order: fewer changes first, then those dropping older values (a lower sum of
positions, oldest = 0): the MaxSAT costs. Deterministic, ties included: RC2 is given
the same clauses in the same order on every process, because the cores come from
`mus.preferred` (which depends only on which sets of values work), not from the
solver's state. Single changes come first, oldest first, found without MaxSAT.
A dropped attribute's new value is the first of its domain that works (NONE comes
last in a domain, so "clear it" only when no option fits).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pysat.examples.rc2 import RC2
from pysat.formula import WCNF

from configurator.catalog.model import NONE

from .mus import preferred
from .results import Repair

if TYPE_CHECKING:
    from .solving import Solving

MAX_ROUNDS = 200


def clash_repair(solving: Solving, values: dict[str, str]) -> Repair | None:
    """The way out of a clash: keep the newest value (the last; the shopper's latest
    click) and change the fewest older ones around it; only when the newest value can
    never be had with anything, the fewest changes of all. None: no design at all."""
    if values:
        newest = list(values.items())[-1]
        found = repairs(solving, values, newest, limit=1)
        if found:
            return found[0]
    found = repairs(solving, values, None, limit=1)
    return found[0] if found else None


def repairs(
    solving: Solving, values: dict[str, str], wanted: tuple[str, str] | None, limit: int = 3
) -> list[Repair]:
    """Up to `limit` repairs, best first; [] when the wanted option is never possible."""
    solver = solving.solver
    target = [] if wanted is None else [solving.lit(*wanted)]
    context = [(a, v) for a, v in values.items() if wanted is None or a != wanted[0]]
    lits = [solving.lit(*item) for item in context]
    if solver.solve(assumptions=target + lits):
        return [Repair(wanted, ())]
    core = set(solver.get_core() or [])
    if not core.intersection(lits):  # the wanted option conflicts with no value: never
        return []
    found, singles = _single_changes(solving, wanted, context, target, lits, core, limit)
    n = len(context)
    if len(found) >= limit or len(singles) == n or _alone(solving, target, lits, core, singles):
        return found
    big = n * (n + 1) // 2 + 1
    wcnf = WCNF()
    for i in range(n):
        wcnf.append([-(i + 1)], weight=big + i + 1)  # dropping a recent value costs more
    for i in singles:
        wcnf.append([-(i + 1)])  # already offered alone; its supersets are not minimal
    with RC2(wcnf) as hitting:
        for _ in range(MAX_ROUNDS):
            model = hitting.compute()
            if model is None:
                break
            drop = [i for i in range(n) if model[i] > 0]
            keep = [lits[i] for i in range(n) if i not in drop]
            solving.prefer_first([context[i][0] for i in drop])
            if solver.solve(assumptions=target + keep):
                dropped = [context[i] for i in drop]
                found.append(_repair(solving, wanted, dropped, target + keep, solver.get_model()))
                if len(found) >= limit or not drop:
                    break
                hitting.add_clause([-(i + 1) for i in drop])
            else:
                core = set(preferred(solver, target, keep) or [])
                hit = [i + 1 for i in range(n) if i not in drop and lits[i] in core]
                if not hit:
                    break
                hitting.add_clause(hit)
    return found


def _single_changes(solving: Solving, wanted, context, target, lits, core, limit):
    """The fast common case: changing one value suffices. Oldest first, as RC2 would rank them.

    Such a value is in every core, so only the values in the solver's `core` are tried.
    """
    solver = solving.solver
    found: list[Repair] = []
    singles: list[int] = []
    for i, lit in enumerate(lits):
        if lit not in core:
            continue
        keep = target + lits[:i] + lits[i + 1 :]
        solving.prefer_first([context[i][0]])
        if solver.solve(assumptions=keep):
            found.append(_repair(solving, wanted, [context[i]], keep, solver.get_model()))
            singles.append(i)
            if len(found) >= limit:
                break
    return found, singles


def _alone(solving: Solving, target, lits, core, singles) -> bool:
    """Whether some single change's value conflicts with the target on its own: every
    repair then changes it, so no repair of two or more values is minimal and the search
    for them is over before it starts (the common case, settled in one call at most)."""
    if len(core.intersection(lits)) == 1 and singles:
        return True  # the first core already says so (its one value is the single change)
    return any(not solving.solver.solve(assumptions=[*target, lits[i]]) for i in singles)


def _repair(
    solving: Solving, wanted, dropped: list[tuple[str, str]], keep: list[int], model: list[int]
) -> Repair:
    """New values for the dropped attributes: each the first of its domain that works,
    oldest attribute first (`keep`: the literals that stay; `model`: a design keeping them)."""
    keep = list(keep)
    changes = []
    for attr_id, old in dropped:
        new, model = solving.first_possible(keep, attr_id, model)
        keep.append(solving.lit(attr_id, new))
        changes.append((attr_id, old, None if new == NONE else new))
    return Repair(wanted, tuple(changes))
