"""The catalog compiled to a d-DNNF circuit (by d4): valid domains in two linear passes.

Knowledge compilation pays off on catalogs with structure (the industrial feature
models compile to a few thousand nodes in about a second) and does not finish on
others (random rules, wide compatibility tables). This module only reads a compiled
circuit and answers from it: compiling (d4, in a child process, with a time budget)
is `configurator.services.compiling`'s job, which hands the result to
`Engine.install_circuit`. Until it arrives, or if it never does, valid domains come
from the SAT search (`search.py`). Explanations and repairs always use SAT.

d4 writes the circuit in the NNF format of its documentation: `o N 0`, `a N 0`, `t N 0`,
`f N 0` declare or / and / true / false nodes; `P C l1 .. lk 0` is an edge from P to C
that also sets the literals l1..lk. The first node declared is the root.

Glossary
--------
proof tree  one edge below each reached or-node, every edge below each reached and-node:
            the literals on its edges hold, the other variables are free. Every model
            is one proof tree (decomposable and-nodes make the children independent).
missing     for an or-node's edge, the variables its sibling branches mention and it
            does not: free along that edge (this is what smoothing would add).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

AND, OR, TRUE, FALSE = "a", "o", "t", "f"


@dataclass
class _Edge:
    child: int
    pos: int  # bitmask of variables the edge sets true
    neg: int  # ... and false
    missing: int = 0


class Circuit:
    """Parsed once; `possible` answers one query without touching the solver."""

    def __init__(self, nnf: str, nvars: int):
        kinds: dict[int, str] = {}
        edges: dict[int, list[_Edge]] = {}
        root = None
        for line in nnf.splitlines():
            parts = line.split()
            if not parts or parts[0] == "c":
                continue
            if parts[0] in (AND, OR, TRUE, FALSE):
                node = int(parts[1])
                kinds[node] = parts[0]
                edges.setdefault(node, [])
                root = node if root is None else root
                continue
            numbers = [int(p) for p in parts[:-1]]  # the trailing 0 ends the line
            pos = neg = 0
            for lit in numbers[2:]:
                if lit > 0:
                    pos |= 1 << lit
                else:
                    neg |= 1 << -lit
            edges.setdefault(numbers[0], []).append(_Edge(numbers[1], pos, neg))
        if root is None:
            raise ValueError("the circuit has no nodes")
        self.nvars = nvars
        self.root = root
        self.kinds = kinds
        self.edges = edges
        self.order = _post_order(root, edges)  # children before parents
        below: dict[int, int] = {}
        for node in self.order:
            mentioned = 0
            for e in edges[node]:
                mentioned |= e.pos | e.neg | below[e.child]
            below[node] = mentioned
            if kinds[node] == OR:
                for e in edges[node]:
                    e.missing = mentioned & ~(e.pos | e.neg | below[e.child])
        everything = (1 << (nvars + 1)) - 2
        self.unmentioned = everything & ~below[root]
        self.size = sum(len(v) for v in edges.values())
        # flat lists, nodes renumbered 0..n-1, each inner node's edges contiguous
        index = {node: i for i, node in enumerate(self.order)}
        self.root = index[root]
        self._sat_template = [kinds[n] == TRUE for n in self.order]
        self._child: list[int] = []
        self._pos: list[int] = []
        self._neg: list[int] = []
        self._missing: list[int] = []
        self._plan: list[tuple[int, str, int, int]] = []
        for node in self.order:
            if kinds[node] in (TRUE, FALSE):
                continue
            first = len(self._child)
            for e in edges[node]:
                self._child.append(index[e.child])
                self._pos.append(e.pos)
                self._neg.append(e.neg)
                self._missing.append(e.missing)
            self._plan.append((index[node], kinds[node], first, len(self._child)))
        del self.kinds, self.edges

    def possible(self, assumptions: list[int]) -> tuple[np.ndarray, np.ndarray] | None:
        """(can be true, can be false) per variable (index = variable number) under the
        assumed literals; None when they admit no model."""
        true_bits = false_bits = 0
        for lit in assumptions:
            if lit > 0:
                true_bits |= 1 << lit
            else:
                false_bits |= 1 << -lit
        sat = self._sat_template.copy()
        usable = [False] * len(self._child)
        child, pos, neg = self._child, self._pos, self._neg
        for node, kind, first, last in self._plan:
            if kind == AND:
                value = True
                for e in range(first, last):
                    good = sat[child[e]] and not (pos[e] & false_bits or neg[e] & true_bits)
                    usable[e] = good
                    value = value and good
            else:
                value = False
                for e in range(first, last):
                    good = sat[child[e]] and not (pos[e] & false_bits or neg[e] & true_bits)
                    usable[e] = good
                    value = value or good
            sat[node] = value
        if not sat[self.root]:
            return None
        can_true = can_false = 0
        free = self.unmentioned
        missing = self._missing
        reached = [False] * len(sat)
        reached[self.root] = True
        for node, _kind, first, last in reversed(self._plan):  # parents before children
            if not reached[node]:
                continue
            for e in range(first, last):
                if usable[e]:  # at a reached and-node every edge is usable
                    can_true |= pos[e]
                    can_false |= neg[e]
                    free |= missing[e]
                    reached[child[e]] = True
        return _bits(can_true | free, self.nvars), _bits(can_false | free, self.nvars)


def _bits(mask: int, nvars: int) -> np.ndarray:
    raw = np.frombuffer(mask.to_bytes((nvars + 8) // 8 + 1, "little"), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[: nvars + 1].astype(bool)


def _post_order(root: int, edges: dict[int, list[_Edge]]) -> list[int]:
    order: list[int] = []
    done: set[int] = set()
    stack: list[tuple[int, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if node in done:
            continue
        done.add(node)
        stack.append((node, True))
        stack.extend((e.child, False) for e in edges[node] if e.child not in done)
    return order
