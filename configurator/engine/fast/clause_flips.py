"""Single changes against clauses over value literals, for `flips.Neighbourhood`.

A clause splits into groups, one per attribute it names: the values of that attribute
it lists. Changing A alone can break the clause only when A's group is its only true
one (the group is critical), and then A may move only to a value the group lists. So
(A, v) is a valid single change when no critical group of A leaves v out.

Each group keeps the bitmask of the values it leaves out, and groups are sorted by
attribute, so one OR-reduce over the critical groups' masks refuses every value at
once: about ten numpy calls per design, whatever the number of clauses (on catalog
(b), 48 us per design instead of 136 us with one mask per clause).

Glossary
--------
position    a value's index within its attribute's domain (a slot minus the
            attribute's first slot).
word        64 positions of a bitmask; an attribute with more values takes more words.
"""

from __future__ import annotations

import numpy as np

WORD = 64


class ClauseGroups:
    def __init__(
        self, groups: list[tuple[int, int, list[int]]], slot_attr: np.ndarray, attributes: int
    ):
        """`groups`: (clause number, attribute index, slots it lists), every slot of the
        group belonging to that attribute."""
        domain = np.bincount(slot_attr, minlength=attributes)
        first = np.concatenate(([0], np.cumsum(domain)))[:-1]
        self.slot_attr = slot_attr
        self.position = np.arange(len(slot_attr)) - first[slot_attr]
        widest = int(domain.max()) if len(domain) else 1
        self.words = -(-widest // WORD)
        self.attributes = attributes
        self.clauses = 1 + max((c for c, _, _ in groups), default=-1)
        groups = sorted(groups, key=lambda g: g[1])  # by attribute: critical ones come sorted
        self.group_clause = np.array([c for c, _, _ in groups], dtype=np.int64)
        self.group_attr = np.array([a for _, a, _ in groups], dtype=np.int64)
        lists = np.zeros((len(groups), widest), dtype=bool)
        for g, (_, _, slots) in enumerate(groups):
            lists[g, self.position[slots]] = True
        self.lists = lists.ravel()  # group g lists position p: lists[g * widest + p]
        self.row = np.arange(len(groups), dtype=np.int64) * widest
        outside = np.zeros((len(groups), self.words * WORD), dtype=bool)
        # leaves out: not listed, and not past the attribute's last value
        outside[:, :widest] = ~lists & (np.arange(widest) < domain[self.group_attr][:, None])
        self.leaves_out = _bitmasks(outside)
        self.slot_word = self.slot_attr * self.words + self.position // WORD
        self.slot_bit = np.left_shift(np.uint64(1), (self.position % WORD).astype(np.uint64))

    def flips(self, chosen: np.ndarray) -> np.ndarray:
        """Per slot: every clause still holds after changing its attribute alone to it
        (`chosen`: a complete design, one slot per attribute)."""
        if not self.clauses:
            return np.ones(len(self.slot_attr), dtype=bool)
        picked = np.flatnonzero(chosen)
        value = np.zeros(self.attributes, dtype=np.int64)
        value[self.slot_attr[picked]] = self.position[picked]
        true = self.lists[self.row + value[self.group_attr]]
        true_groups = np.bincount(self.group_clause[true], minlength=self.clauses)
        critical = np.flatnonzero(true & (true_groups[self.group_clause] == 1))
        refused = np.zeros((self.attributes, self.words), dtype=np.uint64)
        if len(critical):
            attrs = self.group_attr[critical]
            first = np.ones(len(attrs), dtype=bool)  # np.diff(prepend=) costs 20 us
            np.not_equal(attrs[1:], attrs[:-1], out=first[1:])
            starts = np.flatnonzero(first)
            refused[attrs[starts]] = np.bitwise_or.reduceat(
                self.leaves_out[critical], starts, axis=0
            )
        return (refused.ravel()[self.slot_word] & self.slot_bit) == 0


def _bitmasks(bits: np.ndarray) -> np.ndarray:
    """Rows of booleans (a multiple of 64 wide) as rows of uint64 words, bit i = column i."""
    packed = np.packbits(bits, axis=1, bitorder="little")
    return packed.view("<u8").astype(np.uint64)
