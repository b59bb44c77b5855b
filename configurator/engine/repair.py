"""Repairs: the fewest selections to change so a wanted option (or any design) becomes possible.

A repair is a minimal correction set over the shopper's selections. We find
them with implicit hitting sets: the main solver proposes cores (sets of
selections that cannot all stay), a tiny MaxSAT problem over the selections
picks the cheapest set that hits every core, and the main solver checks it.
Costs make smaller sets come first, then those dropping older choices, so the
most recent choices are kept. Each found set is blocked to enumerate the next.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pysat.examples.rc2 import RC2
from pysat.formula import WCNF

from configurator.catalog.model import NONE

from .explain import label_of
from .results import Repair

if TYPE_CHECKING:
    from .core import Engine

MAX_ROUNDS = 200


def repairs(
    engine: Engine, values: dict[str, str], wanted: tuple[str, str] | None, limit: int = 3
) -> list[Repair]:
    """Up to `limit` repairs, best first; [] when the wanted option is never possible."""
    enc = engine.encoding
    solver = engine.solver
    target = [] if wanted is None else [enc.lits[wanted]]
    context = [(a, v) for a, v in values.items() if wanted is None or a != wanted[0]]
    lits = [enc.lits[item] for item in context]
    if not solver.solve(assumptions=target):
        return []
    n = len(context)
    if solver.solve(assumptions=target + lits):
        return [_describe(engine, wanted, [], solver.get_model())]
    found, singles = _single_changes(engine, wanted, context, target, lits, limit)
    if len(found) >= limit or len(singles) == n:
        return found
    big = n * (n + 1) // 2 + 1
    wcnf = WCNF()
    for i in range(n):
        wcnf.append([-(i + 1)], weight=big + i + 1)  # dropping a recent choice costs more
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
                found.append(
                    _describe(
                        engine, wanted, [context[i] for i in sorted(drop)], solver.get_model()
                    )
                )
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


def _single_changes(engine: Engine, wanted, context, target, lits, limit):
    """The fast common case: changing one selection suffices. Oldest first, as RC2 would rank them.

    Only selections in the solver's core can help on their own, so only they are tried.
    """
    solver = engine.solver
    core = set(solver.get_core() or [])
    found: list[Repair] = []
    singles: list[int] = []
    for i, lit in enumerate(lits):
        if lit not in core:
            continue
        if solver.solve(assumptions=target + lits[:i] + lits[i + 1 :]):
            found.append(_describe(engine, wanted, [context[i]], solver.get_model()))
            singles.append(i)
            if len(found) >= limit:
                break
    return found, singles


def _describe(engine: Engine, wanted, dropped: list[tuple[str, str]], model: list[int]) -> Repair:
    product = engine.product
    changes = []
    for attr_id, old in dropped:
        new = engine.value_in(model, attr_id)
        changes.append((attr_id, old, None if new == NONE else new))
    parts = []
    for attr_id, old, new in changes:
        attr = product.attribute(attr_id)
        old_label = _option_label(product, attr_id, old)
        if new is None:
            parts.append(f"clear {attr.label} ({old_label})")
        else:
            parts.append(
                f"change {attr.label} from {old_label} to {_option_label(product, attr_id, new)}"
            )
    action = _join(parts) or "nothing else needs to change"
    if wanted is None:
        text = f"To make your choices fit together, {action}."
    else:
        text = f"To get {label_of(product, *wanted)}, {action}."
    return Repair(wanted, tuple(changes), text[0].upper() + text[1:])


def _option_label(product, attr_id: str, value: str) -> str:
    attr = product.attribute(attr_id)
    option = attr.option(value) if attr else None
    if option is not None:
        return option.label
    return "text" if value != NONE else "none"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
