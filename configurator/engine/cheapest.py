"""The cheapest valid design: what the product list's "from" price means.

A weighted MaxSAT problem (RC2): every valid design is a model of the hard clauses,
and choosing a value costs its price delta. Deltas may be negative or fractional, so
each attribute's deltas are shifted to start at zero (every design takes exactly one
value per attribute, which adds the same constant to all) and scaled to integers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from pysat.examples.rc2 import RC2
from pysat.formula import WCNF

from configurator import pricing

if TYPE_CHECKING:
    from .core import Engine


def cheapest(engine: Engine) -> tuple[Decimal, dict[str, str]] | None:
    """(total, design) of a cheapest valid complete design; None if there is none."""
    enc = engine.encoding
    product = engine.product
    deltas = {key: pricing.delta(product, *key) for key in enc.lits}
    places = max((-d.as_tuple().exponent for d in deltas.values()), default=0)
    scale = 10 ** max(places, 0)
    wcnf = WCNF()
    for clause in engine.hard_clauses():
        wcnf.append(list(clause))
    for attr_id, domain in enc.domains.items():
        floor = min(deltas[(attr_id, v)] for v in domain)
        for value in domain:
            weight = int((deltas[(attr_id, value)] - floor) * scale)
            if weight > 0:
                wcnf.append([-enc.lits[(attr_id, value)]], weight=weight)
    with RC2(wcnf) as solver:
        model = solver.compute()
    if model is None:
        return None
    truth = set(model)
    design = {attr_id: value for (attr_id, value), lit in enc.lits.items() if lit in truth}
    return pricing.total(product, design), design
