"""The preferred minimal conflict of a list of assumptions: deterministic, whatever the solver learnt.

Of all the minimal unsatisfiable subsets (MUS) of `candidates` (with `fixed` always
assumed), `preferred` returns the one QuickXplain defines for the list's order, built
by progression: its last element is the earliest candidate c such that everything up
to c conflicts; then the same again below c, with the elements found so far kept. That
set depends only on which subsets are satisfiable, never on the solver's learnt
clauses or phases, so every process gives the same answer (`explain` and `repair`
rely on this). The solver only shortens the search: the core of a conflicting prefix
bounds where the next element can be, and the design found for a satisfiable prefix
often satisfies the next candidates too (`holds`), for no call.
"""

from __future__ import annotations

from collections.abc import Callable

Holds = Callable[[list[int], int], bool]  # (model, candidate) -> the model satisfies it


def literal_holds(model: list[int], lit: int) -> bool:
    return model[abs(lit) - 1] == lit


def preferred(
    solver, fixed: list[int], candidates: list[int], holds: Holds = literal_holds
) -> list[int] | None:
    """The preferred MUS of `candidates` (in their order) given `fixed`; None when they
    are all satisfiable together."""
    position = {lit: i for i, lit in enumerate(candidates)}

    def conflicting_prefix(assumed: list[int], end: int) -> int | None:
        """None if assumed + candidates[:end] are satisfiable; else the length of a
        prefix that still conflicts, read from the solver's core."""
        if solver.solve(assumptions=assumed + candidates[:end]):
            return None
        core = solver.get_core() or []
        return max((position[lit] + 1 for lit in core if position.get(lit, end) < end), default=0)

    def extend(low: int) -> int:
        """Past `low`, the candidates the last model satisfies too."""
        model = solver.get_model()
        while low < len(candidates) and holds(model, candidates[low]):
            low += 1
        return low

    kept: list[int] = []  # found so far
    # invariant: fixed + kept + candidates[:end] conflict; kept elements come at or after end
    end = conflicting_prefix(fixed, len(candidates))
    if end is None:
        return None
    while end > 0:
        # the smallest prefix that conflicts with kept; candidates[:low] do not (-1: not
        # known yet). Conflicting calls are cheap and satisfiable ones are not, so the
        # first call tries the likeliest answer, and a core of length 0 ends the search.
        low, top_tried = -1, False
        while end - low > 1:
            if top_tried:
                middle = (max(low, 0) + end) // 2
            else:
                middle, top_tried = end - 1, True  # cores are often exact
            shorter = conflicting_prefix(fixed + kept, middle)
            if shorter is None:
                low = extend(middle)
            else:
                end = shorter
        if end > 0:
            kept.append(candidates[end - 1])
            end -= 1
    return sorted(kept, key=position.__getitem__)
