"""Every valid design of a small catalog, listed once: a click answered by bit operations.

On a catalog with few valid designs (the shipped helmet has 40,205) the search's solver
calls are most of the engine's work per click. Listing the designs once turns each
question into AND-ing big-integer bitmasks, one per slot (bit i: design i takes it):

- the designs keeping `values`: the AND of their slots' masks (zero: they conflict);
- a value is possible: that AND shares a bit with the value's mask;
- a selected attribute's alternatives: the same without its own mask (prefix and
  suffix ANDs, one pass);
- a completion: the greedy picks of `completion.complete`, each "does a design keep
  every pick so far and take this value" one AND.

Listing: attribute by attribute, the partial designs so far times the next attribute's
values, each rule checked as soon as every attribute it names is placed (numpy over the
whole frontier). It gives up (`build` returns None) when the frontier, the designs or a
table check would grow past the limits below, or when a rule is not one it can read;
the search then goes on answering. The answers are the search's, exactly: valid domains
and alternatives are unique, and the completion takes the same greedy picks.

Glossary
--------
position    a value's index in its attribute's domain (`encoding.domains` order).
frontier    the partial designs over the attributes placed so far, one row each.
check       a rule as the frontier reads it: a clause (some listed attribute takes one
            of its positions) or an allowed table (some row matches every cell).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from configurator.catalog.model import ANY, NONE

from ..encoding import Encoding

# Catalogs of this many values or more get no table: a circuit or the search answers them
# (`services.compiling` compiles circuits from the same size).
MAX_VALUES = 200
# Most designs kept: each query ANDs masks of this many bits.
MAX_DESIGNS = 100_000
# Most partial designs (rows x attributes placed) held while listing.
MAX_FRONTIER_CELLS = 3_000_000
# Most table-row x frontier-row comparisons in one check.
MAX_TABLE_WORK = 50_000_000


@dataclass(frozen=True)
class _Check:
    level: int  # the position in placing order after which every attribute it names is placed
    clause: tuple[tuple[int, np.ndarray], ...] | None  # (attribute, positions lookup) ...
    rows: tuple[tuple[tuple[int, np.ndarray], ...], ...] | None  # table rows, same form


class DesignTable:
    """One bitmask per slot over the listed designs; answers as `search.Fast` does."""

    def __init__(self, enc: Encoding, designs: np.ndarray):
        """`designs`: one row per valid design, one column per attribute (positions)."""
        self.encoding = enc
        self.count = len(designs)
        self.ranges: list[tuple[str, int, int, tuple[str, ...]]] = []
        self._slot: dict[tuple[str, str], int] = {}
        masks: list[int] = []
        for column, (attr_id, domain) in enumerate(enc.domains.items()):
            start = len(masks)
            for position, value in enumerate(domain):
                self._slot[(attr_id, value)] = len(masks)
                masks.append(_bitmask(designs[:, column] == position))
            self.ranges.append((attr_id, start, len(masks), domain))
        self.masks = masks
        self.everything = (1 << self.count) - 1
        self._picks = [(a.id, a.default) for a in enc.product.attributes]

    # -- the answers ---------------------------------------------------------------------

    def rows(self, values: dict[str, str]) -> int:
        """The designs keeping every value (a bitmask; zero when they conflict)."""
        rows = self.everything
        masks, slot = self.masks, self._slot
        for item in values.items():
            rows &= masks[slot[item]]
        return rows

    def consistent(self, values: dict[str, str]) -> bool:
        return self.rows(values) != 0

    def valid_domains(self, values: dict[str, str]) -> dict[str, dict[str, bool]] | None:
        """As `Fast.valid_domains`: a selected attribute shows only its own value."""
        rows = self.rows(values)
        if not rows:
            return None
        masks = self.masks
        out: dict[str, dict[str, bool]] = {}
        for attr_id, start, _end, domain in self.ranges:
            chosen = values.get(attr_id)
            if chosen is None:
                out[attr_id] = {v: rows & masks[start + k] != 0 for k, v in enumerate(domain)}
            else:
                out[attr_id] = {v: v == chosen for v in domain}
        return out

    def alternatives(self, values: dict[str, str]) -> dict[str, dict[str, bool]]:
        """As `Fast.alternatives`: per selected attribute, the values it could switch to
        keeping the other values."""
        masks, slot = self.masks, self._slot
        items = list(values.items())
        after = [self.everything] * (len(items) + 1)  # after[i]: the AND of items[i:]
        for i in range(len(items) - 1, -1, -1):
            after[i] = after[i + 1] & masks[slot[items[i]]]
        before = self.everything
        out: dict[str, dict[str, bool]] = {}
        for i, (attr_id, value) in enumerate(items):
            others = before & after[i + 1]
            start = slot[(attr_id, self.encoding.domains[attr_id][0])]
            domain = self.encoding.domains[attr_id]
            out[attr_id] = {
                v: v == value or others & masks[start + k] != 0 for k, v in enumerate(domain)
            }
            before &= masks[slot[(attr_id, value)]]
        return out

    def complete(
        self, values: dict[str, str], preferred: dict[str, str] | None = None
    ) -> dict[str, str] | None:
        """`completion.complete`'s picks (preferred, then default, then empty, each in
        attribute order where a design keeps every pick so far; then each attribute's
        first possible value); None when the values conflict (the caller repairs)."""
        rows = self.rows(values)
        if not rows:
            return None
        values = dict(values)
        masks, slot = self.masks, self._slot
        preferred = preferred or {}
        for pick in (lambda a, d: preferred.get(a), lambda a, d: d, lambda a, d: NONE):
            for attr_id, default in self._picks:
                if attr_id in values:
                    continue
                wanted = pick(attr_id, default)
                s = slot.get((attr_id, wanted))
                if s is not None and rows & masks[s]:
                    rows &= masks[s]
                    values[attr_id] = wanted
        for attr_id, start, end, domain in self.ranges:
            if attr_id in values:
                continue
            for k, s in enumerate(range(start, end)):
                if rows & masks[s]:
                    rows &= masks[s]
                    values[attr_id] = domain[k]
                    break
        return {a: values[a] for a in self.encoding.domains}


def build(enc: Encoding) -> DesignTable | None:
    """List every valid design, or None when the catalog is past the limits or has a
    rule this module cannot read (the search keeps answering)."""
    domains = list(enc.domains.values())
    if sum(len(d) for d in domains) >= MAX_VALUES:
        return None
    checks = _checks(enc)
    if checks is None:
        return None
    designs = _list(domains, checks)
    if designs is None:
        return None
    return DesignTable(enc, designs)


def _checks(enc: Encoding) -> list[_Check] | None:
    """Every rule as clauses and allowed tables over (attribute, positions), or None."""
    column = {a: i for i, a in enumerate(enc.domains)}
    sizes = [len(d) for d in enc.domains.values()]
    position: dict[int, tuple[int, int]] = {}  # literal -> (attribute, position)
    for (attr_id, value), lit in enc.lits.items():
        position[lit] = (column[attr_id], enc.domains[attr_id].index(value))
    roots = {t.root for t in enc.tables}
    checks: list[_Check] = []
    for group in enc.groups:
        for clause in group.clauses:
            if len(clause) == 1 and clause[0] in roots:
                continue  # an allowed table: checked by its rows below
            parts: dict[int, list[int]] = {}
            for lit in clause:
                found = position.get(lit)
                if found is None:
                    return None  # not a clause over values
                parts.setdefault(found[0], []).append(found[1])
            lookups = tuple((a, _lookup(sizes[a], p)) for a, p in parts.items())
            checks.append(_Check(max(parts, default=-1), lookups, None))
    for table in enc.tables:
        rule = table.rule
        attrs = [column[a] for a in rule.attributes]
        rows = []
        for row in rule.rows:
            cells = []
            for a, attr_id, cell in zip(attrs, rule.attributes, row, strict=True):
                if cell == ANY:
                    continue
                domain = enc.domains[attr_id]
                wanted = [domain.index(v) for v in cell.split("|") if v in domain]
                cells.append((a, _lookup(len(domain), wanted)))
            rows.append(tuple(cells))
        checks.append(_Check(max(attrs), None, tuple(rows)))
    return checks


def _lookup(size: int, positions: list[int]) -> np.ndarray:
    out = np.zeros(size, dtype=bool)
    out[positions] = True
    return out


def _list(domains: list[tuple[str, ...]], checks: list[_Check]) -> np.ndarray | None:
    """The valid designs (positions, one column per attribute), or None past the limits."""
    by_level: dict[int, list[_Check]] = {}
    for check in checks:
        by_level.setdefault(check.level, []).append(check)
    frontier = np.zeros((1, 0), dtype=np.int16)
    for check in by_level.get(-1, []):  # names no attribute: an empty clause, or a row of "*"
        if not _holds(check, frontier).all():
            return np.zeros((0, len(domains)), dtype=np.int16)
    for level, domain in enumerate(domains):
        size = len(domain)
        if len(frontier) * size * (level + 1) > MAX_FRONTIER_CELLS:
            return None
        grown = np.empty((len(frontier) * size, level + 1), dtype=np.int16)
        grown[:, :level] = np.repeat(frontier, size, axis=0)
        grown[:, level] = np.tile(np.arange(size, dtype=np.int16), len(frontier))
        keep = np.ones(len(grown), dtype=bool)
        for check in by_level.get(level, []):
            if check.rows is not None and len(check.rows) * len(grown) > MAX_TABLE_WORK:
                return None
            keep &= _holds(check, grown)
        frontier = grown[keep]
    if len(frontier) > MAX_DESIGNS:
        return None
    return frontier


def _holds(check: _Check, designs: np.ndarray) -> np.ndarray:
    """Per design: does the check hold?"""
    if check.clause is not None:
        return _any_part(check.clause, designs)
    out = np.zeros(len(designs), dtype=bool)
    for row in check.rows:
        out |= _all_parts(row, designs)
    return out


def _any_part(parts, designs: np.ndarray) -> np.ndarray:
    out = np.zeros(len(designs), dtype=bool)
    for column, lookup in parts:
        out |= lookup[designs[:, column]]
    return out


def _all_parts(parts, designs: np.ndarray) -> np.ndarray:
    out = np.ones(len(designs), dtype=bool)
    for column, lookup in parts:
        out &= lookup[designs[:, column]]
    return out


def _bitmask(bits: np.ndarray) -> int:
    """Booleans as a Python int, bit i = bits[i]."""
    return int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")
