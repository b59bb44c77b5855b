"""The CNF the engine's own solver runs on: small tables as rows, keyed tables as clauses.

The exact encoding gives every auxiliary variable a definition (counting and the
redundant-rule check need that), and gives a table a diagram node per prefix. For
the solver that answers clicks only the designs matter, and it pays for every
variable on every call: each call assigns them all, and picking the next decision
walks a heap of every variable. A table with fewer rows than diagram nodes is cheaper
as rows: the root implies some row, a row implies its cells, and each value needs a
row that allows it, so propagation prunes what the diagram's clauses prune. Rows are
not defined back (a row may be false while its cells hold), so models project onto
exactly the same designs, and the rule's root still means "this table is enforced"
when it is true, which is all explanations, repairs and domains assume.

Where one column is a key (its cells never share a value, as in "for each engine,
these gearboxes and these wheels"), a row holds exactly when the key takes one of
its values, so the key's literals stand in for the row variable: the same clauses
and the same propagation, with no variable at all. On the generated catalog (b) all
74 small tables are keyed; the solver keeps only the attribute variables.
"""

from __future__ import annotations

from configurator.catalog.model import ANY

from .encoding import Encoding, is_one_of


def solving_clauses(enc: Encoding) -> tuple[list[list[int]], int]:
    """(structure with small tables as rows, then the rules' clauses; highest variable)."""
    top = enc.top
    out: list[list[int]] = []
    done = 0
    for rule, root, start, end in enc.small_tables:
        out.extend(enc.structure[done:start])
        done = end
        key = _key_column(rule)
        # per row: the literals any of which makes the row hold
        if key is None:
            holds = []
            for _ in rule.rows:
                top += 1
                holds.append([top])
        else:
            holds = [is_one_of(enc, rule.attributes[key], row[key].split("|")) for row in rule.rows]
        for when, row in zip(holds, rule.rows, strict=True):
            for i, (attr_id, cell) in enumerate(zip(rule.attributes, row, strict=True)):
                if cell != ANY and i != key:
                    allowed = is_one_of(enc, attr_id, cell.split("|"))
                    out.extend([-lit, *allowed] for lit in when)
        out.append([-root, *(lit for when in holds for lit in when)])
        for i, attr_id in enumerate(rule.attributes):
            if i == key:
                continue  # its values need their own row: the clause above says so
            for value in enc.domains[attr_id]:
                support = [
                    lit
                    for when, row in zip(holds, rule.rows, strict=True)
                    if row[i] == ANY or value in row[i].split("|")
                    for lit in when
                ]
                if len(support) < sum(map(len, holds)):
                    out.append([-root, -enc.lits[(attr_id, value)], *support])
    out.extend(enc.structure[done:])
    out.extend(list(c) for g in enc.groups for c in g.clauses)
    return _compact(enc, out)


def _key_column(rule) -> int | None:
    """A column whose cells share no value between rows, if there is one."""
    for i in range(len(rule.attributes)):
        seen: set[str] = set()
        for row in rule.rows:
            if row[i] == ANY and len(rule.rows) > 1:
                break
            values = set(row[i].split("|"))
            if seen & values:
                break
            seen |= values
        else:
            return i
    return None


def _compact(enc: Encoding, clauses: list[list[int]]) -> tuple[list[list[int]], int]:
    """Renumber the auxiliary variables densely after the attribute ones, closing the
    gaps the dropped diagram nodes left: unused variables cost a decision on every call
    too. Attribute variables keep their numbers: models, assumptions and flips read them."""
    last = enc.attribute_vars
    used = sorted({abs(lit) for c in clauses for lit in c if abs(lit) > last})
    new = {v: last + i for i, v in enumerate(used, start=1)}
    new.update({-v: -n for v, n in new.items()})
    out = [[new.get(lit, lit) for lit in c] for c in clauses]
    return out, last + len(used)
