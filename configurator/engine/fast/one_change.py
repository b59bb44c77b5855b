"""Soft selections: ask one solver call about every selected attribute's alternatives at once.

An alternative for a selected attribute A is a value A could switch to while every
*other* selection holds. Asked one attribute at a time, each attribute whose remaining
values are all impossible costs one refutation (an UNSAT call); on a large catalog a
design with 190 selections spends almost the whole click there. This layer lets a
single call keep every selection but at most one:

    keep(A, v) -> A = v  or  free(A)          one clause per slot
    at most one free(A)                        a sequential counter over the attributes

Assuming keep(A, v) for each selection, a design taking some still-open alternative
(a temporary clause) must free that alternative's attribute and keep all the others:
it proves the alternative, and its single changes of that attribute prove more. When
no such design exists, every open alternative of every selected attribute is ruled out
by one refutation. Nothing is assumed in other queries, so the clauses are inert there
(every keep and free variable can be false).
"""

from __future__ import annotations

from pysat.card import CardEnc, EncType

from ..encoding import Encoding


class OneChange:
    """The layer's variables (after `first_free - 1`) and clauses, for `Solving.add_layer`."""

    def __init__(self, enc: Encoding, slots: list[tuple[str, str]], first_free: int):
        attributes = list(enc.domains)
        free = {a: first_free + i for i, a in enumerate(attributes)}
        top = first_free + len(attributes) - 1
        self.keep: list[int] = list(range(top + 1, top + 1 + len(slots)))  # by slot
        top += len(slots)
        self.clauses: list[list[int]] = [
            [-keep, free[a], enc.lits[(a, v)]]
            for keep, (a, v) in zip(self.keep, slots, strict=True)
        ]
        if len(attributes) > 1:
            amo = CardEnc.atmost(
                lits=list(free.values()), bound=1, top_id=top, encoding=EncType.seqcounter
            )
            self.clauses.extend(amo.clauses)
            top = max(top, amo.nv)
        self.top = top

    def assumptions(self, slots) -> list[int]:
        """Keep these selections (slot indices), all but at most one."""
        return [self.keep[int(s)] for s in slots]
