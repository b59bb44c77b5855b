"""Reduced multi-valued decision diagrams for allowed-row tables.

One SAT variable per table row makes large compatibility tables (hundreds of
thousands of rows) slow to solve. A table's rows share prefixes and suffixes,
so we merge them into a reduced, ordered decision diagram and give the solver
one variable per diagram node instead: usually far fewer than rows.

Glossary
--------
level   position in the table's attribute order; level k is the TRUE terminal.
cell    the values a row allows at one level, as a frozenset, or ANY.
node    (level, edges) where edges maps each child to the values leading to it;
        values absent from every edge lead to FALSE.
"""

from __future__ import annotations

from dataclasses import dataclass

TRUE = 0
FALSE = -1
ANY = None  # a cell that matches every value


@dataclass(frozen=True)
class Diagram:
    """Nodes are numbered from 1; `root` may be TRUE or FALSE for degenerate tables."""

    root: int
    # node id -> (level, ((child id, values), ...)); children are TRUE or node ids
    nodes: dict[int, tuple[int, tuple[tuple[int, frozenset[str]], ...]]]


def build(domains: list[tuple[str, ...]], rows: list[tuple[frozenset[str] | None, ...]]) -> Diagram:
    """Build the reduced diagram of `rows` over attributes with the given value domains.

    A cell is a frozenset of values or ANY; values outside the level's domain are ignored.
    """
    depth = len(domains)
    nodes: dict[int, tuple[int, tuple[tuple[int, frozenset[str]], ...]]] = {}
    unique: dict[tuple, int] = {}
    memo: dict[tuple[int, frozenset], int] = {}

    def node_for(level: int, edges: tuple[tuple[int, frozenset[str]], ...]) -> int:
        if not edges:
            return FALSE
        if len(edges) == 1 and len(edges[0][1]) == len(domains[level]):
            # every value leads to the same child: this level does not matter
            return edges[0][0]
        key = (level, edges)
        found = unique.get(key)
        if found is None:
            found = len(nodes) + 1
            nodes[found] = (level, edges)
            unique[key] = found
        return found

    def make(level: int, suffixes: frozenset) -> int:
        if not suffixes:
            return FALSE
        if level == depth:
            return TRUE
        key = (level, suffixes)
        hit = memo.get(key)
        if hit is not None:
            return hit
        domain = domains[level]
        wildcard: list[tuple] = []
        specific: dict[str, list[tuple]] = {}
        for row in suffixes:
            cell, rest = row[0], row[1:]
            if cell is ANY:
                wildcard.append(rest)
            else:
                for value in cell:
                    specific.setdefault(value, []).append(rest)
        by_child: dict[int, list[str]] = {}
        default_child = make(level + 1, frozenset(wildcard)) if wildcard else FALSE
        for value in domain:
            rests = specific.get(value)
            if rests is None:
                child = default_child
            else:
                child = make(
                    level + 1, frozenset(rests + wildcard) if wildcard else frozenset(rests)
                )
            if child != FALSE:
                by_child.setdefault(child, []).append(value)
        edges = tuple(sorted((c, frozenset(vs)) for c, vs in by_child.items()))
        result = node_for(level, edges)
        memo[key] = result
        return result

    root = make(0, frozenset(tuple(r) for r in rows))
    return Diagram(root=root, nodes=_reachable(root, nodes))


def _reachable(root: int, nodes: dict) -> dict:
    """Keep only the nodes under the root (memoised sub-results may have been merged away)."""
    if root <= 0:
        return {}
    keep: dict = {}
    stack = [root]
    while stack:
        n = stack.pop()
        if n in keep or n <= 0:
            continue
        keep[n] = nodes[n]
        stack.extend(child for child, _ in nodes[n][1])
    return keep
