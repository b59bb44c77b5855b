"""Brute force: every complete design of a small Product, judged by the rules as the spec states them.

Written from the semantics in docs/CATALOG.md and the engine's contract, never from
the engine's code, so that the engine's answers can be checked against it. It
enumerates the product of the domains, so keep products small (a few thousand designs).

Glossary
--------
domain      an attribute's values: its option ids, plus NONE when it is optional or
            some `applies` rule targets it; a text attribute's is (FILLED, NONE) or (FILLED,).
design      a complete assignment {attribute: value}, one value of each domain.
pairs       a partial assignment as (attribute, value) pairs; a value outside the
            attribute's domain never matches, so pairs holding one are unsatisfiable.
values      selections as domain values (typed text becomes FILLED); selections the
            engine must report as problems are set aside.
rules       a subset of the product's rules to enforce (None: all of them); the domains
            and exactly-one always hold.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from configurator.catalog.model import ANY, FILLED, NONE, Product, Rule

Pairs = Iterable[tuple[str, str]]


def domains_of(product: Product) -> dict[str, tuple[str, ...]]:
    targeted = {r.attribute for r in product.rules if r.kind == "applies"}
    out = {}
    for attr in product.attributes:
        may_be_empty = not attr.required or attr.id in targeted
        if attr.kind == "text":
            out[attr.id] = (FILLED, NONE) if may_be_empty else (FILLED,)
        else:
            out[attr.id] = attr.option_ids + ((NONE,) if may_be_empty else ())
    return out


def holds(design: dict[str, str], condition) -> bool:
    """Every (attribute, values) pair of the condition holds."""
    return all(design.get(attr_id) in values for attr_id, values in condition)


def cell_matches(value: str, cell: str) -> bool:
    return cell == ANY or value in cell.split("|")


def rule_holds(product: Product, design: dict[str, str], rule: Rule) -> bool:
    if rule.kind == "requires":
        return not holds(design, rule.when) or holds(design, rule.then)
    if rule.kind == "excludes":
        return not holds(design, rule.when)
    if rule.kind == "table":
        matched = any(
            all(cell_matches(design.get(a), c) for a, c in zip(rule.attributes, row, strict=True))
            for row in rule.rows
        )
        return matched if rule.allowed else not matched
    if rule.kind == "applies":
        if not holds(design, rule.when):
            return design.get(rule.attribute) == NONE
        return not product.attribute(rule.attribute).required or design.get(rule.attribute) != NONE
    raise ValueError(f"unknown rule kind {rule.kind!r}")


def normalise(product: Product, selections: dict[str, str]) -> tuple[dict[str, str], set[str]]:
    """Selections as domain values, and the attributes whose selection is a problem."""
    domains = domains_of(product)
    values: dict[str, str] = {}
    problems: set[str] = set()
    for attr_id, raw in selections.items():
        attr = product.attribute(attr_id)
        if attr is None:
            problems.add(attr_id)
        elif attr.kind == "text":
            if not raw:
                continue
            too_long = len(raw) > attr.max_length
            if too_long or (attr.pattern and not re.fullmatch(attr.pattern, raw)):
                problems.add(attr_id)
            else:
                values[attr_id] = FILLED
        elif raw in domains[attr_id]:
            values[attr_id] = raw
        elif raw:
            problems.add(attr_id)
    return values, problems


def as_values(product: Product, design: dict[str, str]) -> dict[str, str]:
    """A design the engine returned (texts as typed, NONE when empty) as domain values."""
    out = {}
    for attr_id, value in design.items():
        attr = product.attribute(attr_id)
        if attr is not None and attr.kind == "text":
            out[attr_id] = NONE if value == NONE else FILLED
        else:
            out[attr_id] = value
    return out


class Oracle:
    """Every complete design of one product, each with the set of rules it breaks."""

    def __init__(self, product: Product):
        self.product = product
        self.domains = domains_of(product)
        self.attributes = list(self.domains)
        self.rules = tuple(product.rules)
        self._rule_bit = {rule: 1 << i for i, rule in enumerate(self.rules)}
        self._pair_bit: dict[tuple[str, str], int] = {}
        for attr_id, domain in self.domains.items():
            for value in domain:
                self._pair_bit[(attr_id, value)] = 1 << len(self._pair_bit)
        self._designs: list[
            tuple[int, int, tuple[str, ...]]
        ] = []  # (pairs mask, broken mask, values)
        for combo in itertools.product(*self.domains.values()):
            design = dict(zip(self.attributes, combo, strict=True))
            pairs = 0
            for item in design.items():
                pairs |= self._pair_bit[item]
            broken = 0
            for rule, bit in self._rule_bit.items():
                if not rule_holds(product, design, rule):
                    broken |= bit
            self._designs.append((pairs, broken, combo))
        self._by_rules: dict[int, list[tuple[int, tuple[str, ...]]]] = {}

    # -- primitives -------------------------------------------------------------

    def _rules_mask(self, rules: Iterable[Rule] | None) -> int:
        if rules is None:
            return (1 << len(self.rules)) - 1
        mask = 0
        for rule in rules:
            mask |= self._rule_bit[rule]
        return mask

    def _pairs_mask(self, pairs: Pairs) -> int | None:
        """None when some pair can never hold (value outside the domain)."""
        mask = 0
        for item in pairs:
            bit = self._pair_bit.get(tuple(item))
            if bit is None:
                return None
            mask |= bit
        return mask

    def _allowed(self, rules: Iterable[Rule] | None) -> list[tuple[int, tuple[str, ...]]]:
        key = self._rules_mask(rules)
        found = self._by_rules.get(key)
        if found is None:
            found = [(p, combo) for p, broken, combo in self._designs if not broken & key]
            self._by_rules[key] = found
        return found

    def designs(
        self, pairs: Pairs = (), rules: Iterable[Rule] | None = None
    ) -> list[dict[str, str]]:
        """Every design matching `pairs` that breaks none of `rules`."""
        want = self._pairs_mask(pairs)
        if want is None:
            return []
        return [
            dict(zip(self.attributes, combo, strict=True))
            for p, combo in self._allowed(rules)
            if p & want == want
        ]

    def satisfiable(self, pairs: Pairs = (), rules: Iterable[Rule] | None = None) -> bool:
        want = self._pairs_mask(pairs)
        if want is None:
            return False
        return any(p & want == want for p, _ in self._allowed(rules))

    # -- what the engine is checked against -------------------------------------------

    def count(self) -> int:
        return len(self._allowed(None))

    def is_valid(self, design: dict[str, str]) -> bool:
        """A complete design (every attribute, domain values) breaking no rule."""
        if set(design) != set(self.attributes):
            return False
        return self.satisfiable(design.items())

    def valid_domains(self, values: dict[str, str]) -> dict[str, dict[str, bool]]:
        """domains[a][v]: some valid design has a=v and every selection on the other attributes."""
        out = {}
        for attr_id, domain in self.domains.items():
            others = [(a, v) for a, v in values.items() if a != attr_id]
            seen = {d[attr_id] for d in self.designs(others)}
            out[attr_id] = {v: v in seen for v in domain}
        return out

    def dead(self) -> set[tuple[str, str]]:
        """Values (NONE aside) in no valid design."""
        seen = {item for d in self.designs() for item in d.items()}
        return {
            (a, v) for a, vs in self.domains.items() for v in vs if v != NONE and (a, v) not in seen
        }

    def core(self) -> set[tuple[str, str]]:
        """Values (NONE aside) in every valid design."""
        designs = self.designs()
        if not designs:
            return set()
        common = set(designs[0].items())
        for d in designs[1:]:
            common &= set(d.items())
        return {(a, v) for a, v in common if v != NONE}

    def redundant(self) -> set[str]:
        """Ids of the rules whose removal leaves the set of valid designs unchanged."""
        total = self.count()
        return {
            rule.id
            for rule in self.rules
            if len(self._allowed([r for r in self.rules if r is not rule])) == total
        }

    def is_minimal_unsatisfiable(self, fixed: Pairs, pairs: Pairs, rules: Iterable[Rule]) -> bool:
        """`fixed` + `pairs` under `rules` has no design, and it has one once any pair or rule is dropped."""
        fixed, pairs, rules = list(fixed), list(pairs), list(rules)
        if self.satisfiable(fixed + pairs, rules):
            return False
        for i in range(len(pairs)):
            if not self.satisfiable(fixed + pairs[:i] + pairs[i + 1 :], rules):
                return False
        return all(
            self.satisfiable(fixed + pairs, rules[:i] + rules[i + 1 :]) for i in range(len(rules))
        )

    def is_minimal_correction(
        self, values: dict[str, str], wanted: Pairs, dropped: set[str]
    ) -> bool:
        """Dropping the selections of `dropped` makes `wanted` possible, and no proper subset does."""
        wanted = list(wanted)
        kept = [(a, v) for a, v in values.items() if a not in dropped]
        if not self.satisfiable(kept + wanted):
            return False
        return not any(self.satisfiable(kept + [(a, values[a])] + wanted) for a in dropped)

    def smallest_correction(self, values: dict[str, str], wanted: Pairs) -> int | None:
        """The fewest selections to drop so that `wanted` becomes possible; None if it never is."""
        wanted = list(wanted)
        if not self.satisfiable(wanted):
            return None
        items = list(values.items())
        for size in range(len(items) + 1):
            for dropped in itertools.combinations(range(len(items)), size):
                kept = [item for i, item in enumerate(items) if i not in dropped]
                if self.satisfiable(kept + wanted):
                    return size
        raise AssertionError("dropping every selection leaves `wanted` alone, which is possible")

    def greedy_defaults(self, values: dict[str, str]) -> dict[str, str]:
        """Defaults kept by the greedy rule: in attribute order, each unselected attribute's
        default is kept when it is possible with the selections and the defaults kept before."""
        keep = dict(values)
        kept = {}
        for attr in self.product.attributes:
            if attr.id in values or attr.default is None:
                continue
            if self.satisfiable([*keep.items(), (attr.id, attr.default)]):
                keep[attr.id] = attr.default
                kept[attr.id] = attr.default
        return kept

    def greedy_completion(self, values: dict[str, str]) -> dict[str, str]:
        """The whole design `Engine.complete` promises for consistent values: in attribute
        order, every default that fits, then empty where it fits, then each remaining
        attribute's first possible value in domain order."""
        keep = dict(values)
        for attr in self.product.attributes:
            pick = attr.default
            fits = attr.id not in keep and pick is not None and pick in self.domains[attr.id]
            if fits and self.satisfiable([*keep.items(), (attr.id, pick)]):
                keep[attr.id] = pick
        for attr in self.product.attributes:
            fits = attr.id not in keep and NONE in self.domains[attr.id]
            if fits and self.satisfiable([*keep.items(), (attr.id, NONE)]):
                keep[attr.id] = NONE
        for attr_id in self.attributes:
            if attr_id not in keep:
                keep[attr_id] = next(
                    v
                    for v in self.domains[attr_id]
                    if self.satisfiable([*keep.items(), (attr_id, v)])
                )
        return {a: keep[a] for a in self.attributes}
