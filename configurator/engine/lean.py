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
repairs and domains assume.
"""

from __future__ import annotations

from collections.abc import Callable

from configurator.catalog.model import ANY, Rule

from .encoding import Encoding, is_not, is_one_of


def solving_clauses(enc: Encoding) -> tuple[list[list[int]], int]:
    """(structure with tables rewritten, then the rules' clauses; highest variable)."""
    top = enc.top
    out: list[list[int]] = []
    done = 0
    for rule, root, start, end, nodes in enc.tables:
        holds = key_rows(enc, rule)
        if holds is None:
            if not prefer_rows(len(rule.rows), nodes):
                continue  # the diagram stays
            holds = [[top + i] for i in range(1, len(rule.rows) + 1)]
            top += len(rule.rows)
        out.extend(enc.structure[done:start])
        done = end
        out.extend([-root, *c] for c in _row_clauses(enc, rule, holds, lambda lit: [-lit]))
        out.extend([-root, *c] for c in _support_clauses(enc, rule, holds))
    out.extend(enc.structure[done:])
    out.extend(list(c) for g in enc.groups for c in g.clauses)
    return _compact(enc, out)


def prefer_rows(rows: int, nodes: int) -> bool:
    """Give the solver one variable per row rather than per diagram node?"""
    return rows < nodes


def keyed_clauses(enc: Encoding, rule: Rule) -> list[list[int]] | None:
    """An allowed table as clauses over value literals alone, if it has a key column
    (exact: a design satisfies them exactly when it matches a row). "Not v" is written
    as the attribute's other values, the way the rules' clauses are (`flips` reads
    them so)."""
    holds = key_rows(enc, rule)
    if holds is None:
        return None

    def others(lit: int) -> list[int]:
        (attr_id, value), *_ = enc.values_of(lit)
        return is_not(enc, attr_id, [value])

    return _row_clauses(enc, rule, holds, others)


def key_rows(enc: Encoding, rule: Rule) -> list[list[int]] | None:
    """Per row, the key literals any of which makes the row hold; None without a key."""
    key = _key_column(rule)
    if key is None:
        return None
    attr_id = rule.attributes[key]
    return [is_one_of(enc, attr_id, row[key].split("|")) for row in rule.rows]


def _key_column(rule: Rule) -> int | None:
    """A column whose cells share no value between rows ("*" only in a one-row table)."""
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


def _row_clauses(
    enc: Encoding, rule: Rule, holds: list[list[int]], negate: Callable[[int], list[int]]
) -> list[list[int]]:
    """Some row holds, and a row that holds has its cells (a key's own cell is its
    literals); `negate(lit)`: literals saying `lit` does not hold."""
    out = [[lit for when in holds for lit in when]]
    for when, row in zip(holds, rule.rows, strict=True):
        for attr_id, cell in zip(rule.attributes, row, strict=True):
            if cell == ANY:
                continue
            allowed = is_one_of(enc, attr_id, cell.split("|"))
            if set(allowed) >= set(when):
                continue  # the key's own column
            out.extend([*negate(lit), *allowed] for lit in when)
    return out


def _support_clauses(enc: Encoding, rule: Rule, holds: list[list[int]]) -> list[list[int]]:
    """Each value needs a row that allows it (implied; makes propagation prune both ways)."""
    everything = [lit for when in holds for lit in when]
    out = []
    for i, attr_id in enumerate(rule.attributes):
        for value in enc.domains[attr_id]:
            lit = enc.lits[(attr_id, value)]
            support = [
                x
                for when, row in zip(holds, rule.rows, strict=True)
                if row[i] == ANY or value in row[i].split("|")
                for x in when
            ]
            if len(support) < len(everything) and lit not in support:
                out.append([-lit, *support])
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
