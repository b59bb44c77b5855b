"""Repairs: the fewest values to change so a wanted option (or any design) becomes possible.

A repair is a minimal correction set over the values. We find them with implicit
hitting sets: the main solver proposes cores (sets of values that cannot all stay), a
tiny MaxSAT problem over the values picks the cheapest set that hits every core, and
the main solver checks it. Each found set is blocked to enumerate the next.

Order, and its tie-break: fewer changes first; then those dropping older values (a
lower sum of positions, oldest = 0); then the set whose positions, read as a binary
number, are smaller. Every set has its own cost, so the order depends only on which
sets work, never on the solver's state: the same values give the same repairs on
every process. Single changes come first, oldest first, found without MaxSAT.
A dropped attribute's new value is the first of its domain that works (NONE comes
last in a domain, so "clear it" only when no option fits).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pysat.examples.rc2 import RC2
from pysat.formula import WCNF

from configurator.catalog.model import NONE

from .results import Repair

if TYPE_CHECKING:
    from .solving import Solving

MAX_ROUNDS = 200


def repairs(
    solving: Solving, values: dict[str, str], wanted: tuple[str, str] | None, limit: int = 3
) -> list[Repair]:
    """Up to `limit` repairs, best first; [] when the wanted option is never possible."""
    solver = solving.solver
    target = [] if wanted is None else [solving.lit(*wanted)]
    context = [(a, v) for a, v in values.items() if wanted is None or a != wanted[0]]
    lits = [solving.lit(*item) for item in context]
    if not solver.solve(assumptions=target):
        return []
    if solver.solve(assumptions=target + lits):
        return [Repair(wanted, ())]
    found, singles = _single_changes(solving, wanted, context, target, lits, limit)
    n = len(context)
    if len(found) >= limit or len(singles) == n:
        return found
    wcnf = WCNF()
    for i, weight in enumerate(_weights(n)):
        wcnf.append([-(i + 1)], weight=weight)
    for i in singles:
        wcnf.append([-(i + 1)])  # already offered alone; its supersets are not minimal
    with RC2(wcnf) as hitting:
        for _ in range(MAX_ROUNDS):
            model = hitting.compute()
            if model is None:
                break
            drop = {i for i in range(n) if model[i] > 0} if n else set()
            keep = [lits[i] for i in range(n) if i not in drop]
            if solver.solve(assumptions=target + keep):
                dropped = [context[i] for i in sorted(drop)]
                found.append(_repair(solving, wanted, dropped, target + keep))
                if len(found) >= limit or not drop:
                    break
                hitting.add_clause([-(i + 1) for i in drop])
            else:
                core = set(solver.get_core() or [])
                hit = [i + 1 for i in range(n) if i not in drop and lits[i] in core]
                if not hit:
                    break
                hitting.add_clause(hit)
    return found


def _weights(n: int) -> list[int]:
    """The cost of dropping value i: size first, then the sum of positions, then the
    positions as a binary number (unique per set, so there are no ties)."""
    per_position = 1 << n  # above the sum of every 2**i
    per_drop = (n * (n + 1) // 2 + 1) * per_position  # above every sum of positions
    return [per_drop + (i + 1) * per_position + (1 << i) for i in range(n)]


def _single_changes(solving: Solving, wanted, context, target, lits, limit):
    """The fast common case: changing one value suffices. Oldest first, as RC2 would rank them.

    Such a value is in every core, so only the values in the solver's core are tried.
    """
    solver = solving.solver
    core = set(solver.get_core() or [])
    found: list[Repair] = []
    singles: list[int] = []
    for i, lit in enumerate(lits):
        if lit not in core:
            continue
        keep = target + lits[:i] + lits[i + 1 :]
        if solver.solve(assumptions=keep):
            found.append(_repair(solving, wanted, [context[i]], keep))
            singles.append(i)
            if len(found) >= limit:
                break
    return found, singles


def _repair(solving: Solving, wanted, dropped: list[tuple[str, str]], keep: list[int]) -> Repair:
    """New values for the dropped attributes: each the first of its domain that works,
    oldest attribute first (`keep`: the literals that stay; they are consistent)."""
    keep = list(keep)
    changes = []
    for attr_id, old in dropped:
        new = solving.first_possible(keep, attr_id)
        keep.append(solving.lit(attr_id, new))
        changes.append((attr_id, old, None if new == NONE else new))
    return Repair(wanted, tuple(changes))
