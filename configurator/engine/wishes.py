"""Soft wishes: as many of a shopper's declared tastes as the rules allow, together.

A weighted MaxSAT problem (RC2) over the main solver's clauses: the values kept as hard
unit clauses, and for each attribute the shopper has wishes for, one soft clause "one of
the wished values" of weight 1. The optimum is the largest set of attributes that can all
take a wished value at once; a fresh RC2 per call gives the same answer for the same input.
"""

from __future__ import annotations

from pysat.examples.rc2 import RC2
from pysat.formula import WCNF

from .encoding import Encoding


def honoured(
    encoding: Encoding,
    hard: list[list[int]],
    values: dict[str, str],
    wishes: list[tuple[str, str]],
) -> dict[str, str] | None:
    """{attribute: wished value} for the largest set of wishes a valid design keeping
    `values` takes together (attributes in `values` are not wished for); None if the values
    conflict. Wishes for unknown values are ignored."""
    lits = encoding.lits
    wanted: dict[str, list[int]] = {}
    for attribute, value in wishes:
        if attribute in values or (attribute, value) not in lits:
            continue
        wanted.setdefault(attribute, []).append(lits[(attribute, value)])
    wcnf = WCNF()
    for clause in hard:
        wcnf.append(list(clause))
    for attribute, value in values.items():
        wcnf.append([lits[(attribute, value)]])
    for attribute in sorted(wanted):
        wcnf.append(sorted(set(wanted[attribute])), weight=1)
    with RC2(wcnf) as solver:
        model = solver.compute()
    if model is None:
        return None
    truth = set(model)
    out = {}
    for attribute, value in wishes:
        if attribute in wanted and attribute not in out and lits[(attribute, value)] in truth:
            out[attribute] = value
    return out
