"""The CNF the engine's own solver runs on: keyed tables as plain clauses, small ones as rows.

The exact encoding gives every auxiliary variable a definition (counting and the
redundant-rule check need that), and gives a table a diagram node per prefix. For
the solver that answers clicks only the designs matter, and it pays for every
variable on every call: each call assigns them all, and picking each decision walks
a heap of every variable. So each allowed table takes the cheapest of three forms:

- keyed: where one column is a key (no value in two rows' cells, as in "for each
  engine, these gearboxes and these wheels"), a row holds exactly when the key takes
  one of its values, so the key's literals stand in for a row variable. No variable
  at all. On the generated catalog (b) every table is keyed: the solver keeps only
  the attribute variables, and valid domains got 25% faster.
- rows: with fewer rows than diagram nodes, one variable per row.
- the diagram, otherwise.

Keys and rows get the same clauses: the root implies some row, a row implies its
cells, and each value of a column needs a row that allows it. Propagation then prunes
what the diagram's clauses prune; both directions matter (without either kind, (b)
takes seconds per click). Rows are not defined back (a row may be false while its
cells hold), so models project onto exactly the same designs, and the rule's root
still means "this table is enforced" when it is true, which is all explanations,
repairs and valid domains assume.
"""

from __future__ import annotations

from collections.abc import Callable

from configurator.catalog.model import ANY, Rule

from ..encoding import Encoding, is_not, is_one_of


def solving_clauses(enc: Encoding) -> tuple[list[list[int]], int]:
    """(structure with tables rewritten, then the rules' clauses; highest variable)."""
    structure, rules, top = solving_parts(enc)
    return structure + [c for clauses in rules for c in clauses], top


def solving_parts(
    enc: Encoding,
) -> tuple[list[list[int]], list[list[list[int]]], int]:
    """(structure with tables rewritten, each rule's clauses, highest variable), numbered
    as in `solving_clauses` (explanations switch the rules on and off one by one)."""
    top = enc.top
    out: list[list[int]] = []
    done = 0
    for rule, root, start, end, nodes, key in enc.tables:
        if key is not None:
            holds = _key_literals(enc, rule, key)
        elif prefer_rows(len(rule.rows), nodes):
            holds = [[top + i] for i in range(1, len(rule.rows) + 1)]
            top += len(rule.rows)
        else:
            continue  # the diagram stays
        out.extend(enc.structure[done:start])
        done = end
        out.extend([-root, *c] for c in _row_clauses(enc, rule, key, holds, lambda lit: [-lit]))
        out.extend([-root, *c] for c in _support_clauses(enc, rule, key, holds))
    out.extend(enc.structure[done:])
    size = len(out)
    out.extend(list(c) for g in enc.groups for c in g.clauses)
    clauses, top = _compact(enc, out)
    rules, start = [], size
    for group in enc.groups:
        rules.append(clauses[start : start + len(group.clauses)])
        start += len(group.clauses)
    return clauses[:size], rules, top


def prefer_rows(rows: int, nodes: int) -> bool:
    """Give the solver one variable per row rather than per diagram node?"""
    return rows < nodes


def keyed_clauses(enc: Encoding, rule: Rule, key: int) -> list[list[int]]:
    """An allowed table as clauses over value literals alone, given its key column
    (exact: a design satisfies them exactly when it matches a row). "Not v" is written
    as the attribute's other values, the way the rules' clauses are (`flips` reads
    them so)."""

    def others(lit: int) -> list[int]:
        (attr_id, value), *_ = enc.values_of(lit)
        return is_not(enc, attr_id, [value])

    return _row_clauses(enc, rule, key, _key_literals(enc, rule, key), others)


def _key_literals(enc: Encoding, rule: Rule, key: int) -> list[list[int]]:
    """Per row, the key's literals: the row holds when one of them does."""
    attr_id = rule.attributes[key]
    return [is_one_of(enc, attr_id, row[key].split("|")) for row in rule.rows]


def _row_clauses(
    enc: Encoding,
    rule: Rule,
    key: int | None,
    holds: list[list[int]],
    negate: Callable[[int], list[int]],
) -> list[list[int]]:
    """Some row holds, and a row that holds has its cells (`holds`: per row, literals
    any of which makes it hold; `negate(lit)`: literals saying `lit` does not)."""
    out = [[lit for when in holds for lit in when]]
    for when, row in zip(holds, rule.rows, strict=True):
        for i, (attr_id, cell) in enumerate(zip(rule.attributes, row, strict=True)):
            if cell != ANY and i != key:
                allowed = is_one_of(enc, attr_id, cell.split("|"))
                out.extend([*negate(lit), *allowed] for lit in when)
    return out


def _support_clauses(
    enc: Encoding, rule: Rule, key: int | None, holds: list[list[int]]
) -> list[list[int]]:
    """Each value needs a row that allows it (implied; makes propagation prune both
    ways). The key's values need nothing more: the first row clause says so."""
    out = []
    for i, attr_id in enumerate(rule.attributes):
        if i == key:
            continue
        wild: list[int] = []
        rows_of: dict[str, list[int]] = {}
        for r, row in enumerate(rule.rows):
            if row[i] == ANY:
                wild.append(r)
            else:
                for value in set(row[i].split("|")):
                    rows_of.setdefault(value, []).append(r)
        for value in enc.domains[attr_id]:
            rows = rows_of.get(value, [])
            if len(rows) + len(wild) < len(rule.rows):
                support = [x for r in sorted(rows + wild) for x in holds[r]]
                out.append([-enc.lits[(attr_id, value)], *support])
    return out


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
