"""Exact valid domains with few SAT calls.

Candidates are the (attribute, value) literals not yet known possible or
impossible. Each round asks the solver for a design that takes *at least one*
candidate (a temporary clause behind a fresh activation literal), with the
solver's phases pointing at the candidates, so one model usually settles many
of them. When no such design exists, every remaining candidate is impossible
at once. Unit propagation under the selections settles the forced ones first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .core import Engine


def valid_domains(engine: Engine, values: dict[str, str]) -> dict[str, dict[str, bool]] | None:
    """{attribute: {value: possible}} keeping every selection; None if the selections conflict."""
    enc = engine.encoding
    solver = engine.solver
    full = engine.assumptions(values)
    ok, implied = solver.propagate(assumptions=full)
    if not ok:
        return None
    ruled_out = {-lit for lit in implied}
    candidates = {
        enc.lits[(a, v)]
        for a, vs in enc.domains.items()
        if a not in values
        for v in vs
        if enc.lits[(a, v)] not in ruled_out
    }
    possible: set[int] = set()
    solver.set_phases(list(candidates))
    if not solver.solve(assumptions=full):
        return None
    _record(solver.get_model(), candidates, possible)
    # Each round: one temporary clause "some candidate holds", phases pointing at the
    # candidates, so a model settles many at once; no such model settles the rest.
    while candidates:
        solver.set_phases(list(candidates))
        act = engine.fresh_var()
        solver.add_clause([-act, *candidates])
        found = solver.solve(assumptions=full + [act])
        solver.add_clause([-act])
        if not found:
            break
        _record(solver.get_model(), candidates, possible)
    out: dict[str, dict[str, bool]] = {}
    for attr_id, domain in enc.domains.items():
        chosen = values.get(attr_id)
        if chosen is not None:
            out[attr_id] = {v: v == chosen for v in domain}
        else:
            out[attr_id] = {v: enc.lits[(attr_id, v)] in possible for v in domain}
    return out


def _record(model: list[int], candidates: set[int], possible: set[int]) -> None:
    hits = [lit for lit in candidates if model[abs(lit) - 1] == lit]
    possible.update(hits)
    candidates.difference_update(hits)


def alternatives(engine: Engine, values: dict[str, str]) -> dict[str, dict[str, bool]]:
    """For each selected attribute: which values it could switch to, keeping the *other* selections."""
    enc = engine.encoding
    solver = engine.solver
    out: dict[str, dict[str, bool]] = {}
    for attr_id, chosen in values.items():
        rest = engine.assumptions(values, without=attr_id)
        domain = enc.domains[attr_id]
        found = {chosen}
        while len(found) < len(domain):
            block = [-enc.lits[(attr_id, v)] for v in found]
            if not solver.solve(assumptions=rest + block):
                break
            found.add(engine.value_in(solver.get_model(), attr_id))
        out[attr_id] = {v: v in found for v in domain}
    return out
