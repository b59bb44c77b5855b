"""Translate a Product into CNF: one literal per (attribute, value), one clause group per rule.

Glossary
--------
domain      the values an attribute can take: its options, plus NONE when it may be
            empty (optional, or governed by an `applies` rule); a text attribute's
            domain is FILLED and/or NONE.
lit         the SAT literal meaning "attribute has this value". An attribute with a
            two-value domain uses one variable (x / -x); larger ones use one
            variable per value plus an exactly-one constraint.
structure   clauses that hold in every catalog (exactly-one, diagram node
            definitions); never part of an explanation.
rule group  the clauses of one rule; `violations` lists assumption sets, each of
            which is one way to break the rule (used to find redundant rules).

Every auxiliary variable is fully determined by the attribute literals, so the
models of the CNF are exactly the valid complete designs (model counting relies
on this).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import NamedTuple

from pysat.card import CardEnc, EncType

from configurator.catalog.model import ANY, FILLED, NONE, Product, Rule

from . import mdd

# Exactly-one over at most this many values uses plain pairwise clauses (no auxiliary
# variables: fewer for the solver to decide); larger domains use a sequential counter.
PAIRWISE_MAX = 12


@dataclass(frozen=True)
class RuleGroup:
    rule: Rule
    clauses: tuple[tuple[int, ...], ...]
    violations: tuple[tuple[int, ...], ...]


class Table(NamedTuple):
    """An allowed table written as a diagram: its clauses are `structure[start:end]`."""

    rule: Rule
    root: int
    start: int
    end: int
    nodes: int
    key: int | None  # a column whose cells share no value between rows, if any


@dataclass
class Encoding:
    product: Product
    domains: dict[str, tuple[str, ...]]
    lits: dict[tuple[str, str], int]
    structure: list[list[int]] = field(default_factory=list)
    groups: list[RuleGroup] = field(default_factory=list)
    top: int = 0
    # `lean.solving_clauses` may write these tables another way for the main solver
    tables: list[Table] = field(default_factory=list)

    def new_var(self) -> int:
        self.top += 1
        return self.top

    def exact_clauses(self) -> list[list[int]]:
        """Structure and every rule's clauses: each auxiliary variable defined, so the
        models are exactly the valid complete designs (variables up to `top`)."""
        clauses = [list(c) for c in self.structure]
        for group in self.groups:
            clauses.extend(list(c) for c in group.clauses)
        return clauses

    def values_of(self, lit: int) -> list[tuple[str, str]]:
        """The (attribute, value) pairs a positive model literal stands for."""
        return self._by_lit.get(lit, [])

    def index_literals(self) -> None:
        self._by_lit: dict[int, list[tuple[str, str]]] = {}
        for key, lit in self.lits.items():
            self._by_lit.setdefault(lit, []).append(key)

    @property
    def attribute_vars(self) -> int:
        """Highest variable number used by attribute literals (they come first)."""
        return max((abs(v) for v in self.lits.values()), default=0)


def domains_of(product: Product) -> dict[str, tuple[str, ...]]:
    applicable = {r.attribute for r in product.rules if r.kind == "applies"}
    out: dict[str, tuple[str, ...]] = {}
    for attr in product.attributes:
        may_be_empty = (not attr.required) or attr.id in applicable
        if attr.kind == "text":
            out[attr.id] = (FILLED, NONE) if may_be_empty else (FILLED,)
        else:
            out[attr.id] = attr.option_ids + ((NONE,) if may_be_empty else ())
    return out


def encode(product: Product) -> Encoding:
    """Build the CNF. Attribute literals get the lowest variable numbers."""
    enc = Encoding(product=product, domains=domains_of(product), lits={})
    exactly_one: list[list[int]] = []
    for attr_id, values in enc.domains.items():
        if len(values) == 1:
            var = enc.new_var()
            enc.lits[(attr_id, values[0])] = var
            enc.structure.append([var])
        elif len(values) == 2:
            var = enc.new_var()
            enc.lits[(attr_id, values[0])] = var
            enc.lits[(attr_id, values[1])] = -var
        else:
            group = [enc.new_var() for _ in values]
            enc.lits.update({(attr_id, v): lit for v, lit in zip(values, group, strict=True)})
            exactly_one.append(group)
    for group in exactly_one:
        enc.structure.append(list(group))
        if len(group) <= PAIRWISE_MAX:
            enc.structure.extend([-a, -b] for i, a in enumerate(group) for b in group[i + 1 :])
        else:
            amo = CardEnc.atmost(lits=group, bound=1, top_id=enc.top, encoding=EncType.seqcounter)
            enc.top = max(enc.top, amo.nv)
            enc.structure.extend(amo.clauses)
    for rule in product.rules:
        enc.groups.append(_encode_rule(enc, rule))
    # A unit clause on a last variable makes the solver know every variable below it, so
    # models cover attributes no clause mentions (a free yes/no choice).
    enc.structure.append([enc.new_var()])
    enc.index_literals()
    return enc


def _values(enc: Encoding, attr_id: str, wanted) -> list[str]:
    domain = enc.domains.get(attr_id, ())
    if ANY in wanted:
        return list(domain)
    wanted = set(wanted)
    return [v for v in domain if v in wanted]


def is_one_of(enc: Encoding, attr_id: str, wanted) -> list[int]:
    """Literals whose disjunction says `attr_id` takes one of `wanted`."""
    return [enc.lits[(attr_id, v)] for v in _values(enc, attr_id, wanted)]


def is_not(enc: Encoding, attr_id: str, wanted) -> list[int]:
    """Literals whose disjunction says `attr_id` takes none of `wanted` (exactly-one makes this exact)."""
    chosen = set(_values(enc, attr_id, wanted))
    return [enc.lits[(attr_id, v)] for v in enc.domains.get(attr_id, ()) if v not in chosen]


def _fails(enc: Encoding, condition) -> list[int]:
    """Literals whose disjunction says the conjunction `condition` does not hold."""
    out: list[int] = []
    for attr_id, values in condition:
        out.extend(is_not(enc, attr_id, values))
    return out


def _clause_group(rule: Rule, clauses: list[list[int]]) -> RuleGroup:
    clauses = [_simplify(c) for c in clauses]
    kept = tuple(tuple(c) for c in clauses if c is not None)
    return RuleGroup(rule, kept, tuple(tuple(-lit for lit in c) for c in kept))


def _simplify(clause: list[int]) -> list[int] | None:
    """Drop duplicate literals; None for a tautology (x or not x)."""
    seen = set(clause)
    if any(-lit in seen for lit in seen):
        return None
    return sorted(seen, key=abs)


def _encode_rule(enc: Encoding, rule: Rule) -> RuleGroup:
    if rule.kind == "requires":
        base = _fails(enc, rule.when)
        return _clause_group(rule, [base + is_one_of(enc, a, vs) for a, vs in rule.then])
    if rule.kind == "excludes":
        return _clause_group(rule, [_fails(enc, rule.when)])
    if rule.kind == "applies":
        empty = is_one_of(enc, rule.attribute, (NONE,))
        clauses = [is_one_of(enc, a, vs) + empty for a, vs in rule.when]
        attr = rule.attribute and enc.product.attribute(rule.attribute)
        if attr is not None and attr.required:
            clauses.append(_fails(enc, rule.when) + is_not(enc, rule.attribute, (NONE,)))
        return _clause_group(rule, clauses)
    if rule.kind == "table":
        return _encode_table(enc, rule)
    raise ValueError(f"unknown rule kind {rule.kind!r}")


@functools.lru_cache(maxsize=65536)
def _cell(cell: str):
    """A table cell as the diagram takes it (cells repeat a lot in big tables: cached)."""
    return mdd.ANY if cell == ANY else frozenset(cell.split("|"))


def _encode_table(enc: Encoding, rule: Rule) -> RuleGroup:
    if not rule.allowed:
        clauses = [
            [
                lit
                for a, c in zip(rule.attributes, row, strict=True)
                if c != ANY
                for lit in is_not(enc, a, c.split("|"))
            ]
            for row in rule.rows
        ]
        return _clause_group(rule, clauses)
    # Rows with "*" in the same places form one diagram over the other attributes; the
    # table holds when any of these diagrams does. Mixing them in one diagram would
    # copy every wildcard row under every value and lose all sharing.
    by_shape: dict[tuple[bool, ...], list[tuple[str, ...]]] = {}
    for row in rule.rows:
        by_shape.setdefault(tuple(c == ANY for c in row), []).append(row)
    start = len(enc.structure)
    nodes = 0
    roots: list[int] = []
    for shape, rows in by_shape.items():
        keep = [i for i, wild in enumerate(shape) if not wild]
        attributes = [rule.attributes[i] for i in keep]
        diagram = mdd.build(
            [enc.domains[a] for a in attributes],
            [tuple(_cell(row[i]) for i in keep) for row in rows],
        )
        if diagram.root == mdd.TRUE:
            return RuleGroup(rule, (), ())
        if diagram.root != mdd.FALSE:
            roots.append(_encode_diagram(enc, attributes, diagram))
            nodes += len(diagram.nodes)
    if not roots:
        return RuleGroup(rule, ((),), ((),))
    if len(roots) == 1:
        root = roots[0]
    else:
        root = enc.new_var()
        enc.structure.append([-root, *roots])
        enc.structure.extend([root, -r] for r in roots)
    enc.tables.append(Table(rule, root, start, len(enc.structure), nodes, key_column(rule)))
    return RuleGroup(rule, ((root,),), ((-root,),))


def key_column(rule: Rule) -> int | None:
    """A column whose cells share no value between rows ("*" only in a one-row table):
    a row then holds exactly when the key takes one of its values (see `lean`)."""
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


def _encode_diagram(enc: Encoding, attributes: list[str], diagram: mdd.Diagram) -> int:
    """Node variables with n <-> (value at this level and child): every node is determined."""
    var_of = {node: enc.new_var() for node in diagram.nodes}
    for node, (level, edges) in diagram.nodes.items():
        n = var_of[node]
        attr_id = attributes[level]
        covered: set[str] = set()
        for child, values in edges:
            for value in values:
                x = enc.lits[(attr_id, value)]
                covered.add(value)
                if child == mdd.TRUE:
                    enc.structure.append([n, -x])
                else:
                    c = var_of[child]
                    enc.structure.append([-n, -x, c])
                    enc.structure.append([n, -x, -c])
        uncovered = [v for v in enc.domains[attr_id] if v not in covered]
        if len(covered) <= len(uncovered):
            enc.structure.append(
                [-n] + [enc.lits[(attr_id, v)] for v in enc.domains[attr_id] if v in covered]
            )
        else:
            enc.structure.extend([-n, -enc.lits[(attr_id, v)]] for v in uncovered)
    return var_of[diagram.root]
