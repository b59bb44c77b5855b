"""The cheapest valid design: what the product list's "from" price needs.

A weighted MaxSAT problem (RC2): every valid design is a model of the hard clauses,
and taking a value costs what the caller says it costs. Costs may be negative or
fractional, so each attribute's costs are shifted to start at zero (every design takes
exactly one value per attribute, which adds the same constant to all) and scaled to
integers. A fresh RC2 per call: the same costs give the same design.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from pysat.examples.rc2 import RC2
from pysat.formula import WCNF

from .encoding import Encoding


def cheapest(
    encoding: Encoding, hard: list[list[int]], costs: Mapping[tuple[str, str], Decimal]
) -> dict[str, str] | None:
    """A valid complete design minimising the sum of its values' costs (missing: 0);
    None if there is no valid design."""
    zero = Decimal(0)
    cost = {key: Decimal(costs.get(key, zero)) for key in encoding.lits}
    places = max((-c.as_tuple().exponent for c in cost.values()), default=0)
    scale = 10 ** max(places, 0)
    wcnf = WCNF()
    for clause in hard:
        wcnf.append(list(clause))
    for attr_id, domain in encoding.domains.items():
        floor = min(cost[(attr_id, v)] for v in domain)
        for value in domain:
            weight = int((cost[(attr_id, value)] - floor) * scale)
            if weight > 0:
                wcnf.append([-encoding.lits[(attr_id, value)]], weight=weight)
    with RC2(wcnf) as solver:
        model = solver.compute()
    if model is None:
        return None
    truth = set(model)
    return {key[0]: key[1] for key, lit in encoding.lits.items() if lit in truth}
