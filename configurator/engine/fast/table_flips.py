"""Single changes against allowed tables, for `flips.Neighbourhood`.

Changing attribute A alone to v keeps an allowed table satisfied when some row admits
v for A and already holds at every other column. So only rows that miss the design at
one cell at most matter, and they are few: one gather over a width x rows matrix of
cell codes finds them, and only their cells are expanded.

Glossary
--------
column      one (table, attribute) position. A slot needs support from every column of
            its attribute; `pairs` number the (column, slot) combinations.
cell code   an index into the distinct (column, cell text) pairs; every cell of every
            row holds one. PAD (past a table's last column) and each column's "*" code
            always match; a code admits the pairs it lists ("*": all of its column's).
"""

from __future__ import annotations

import numpy as np

from configurator.catalog.model import ANY

PAD = 0


class TableRows:
    def __init__(self, tables, slot_of: dict, slot_attr: np.ndarray, attributes: int):
        """`tables`: (attribute ids, rows) of every allowed table to check."""
        slots = len(slot_attr)
        domain = np.bincount(slot_attr, minlength=attributes)
        first_slot = np.concatenate(([0], np.cumsum(domain)))[:-1]  # slots are by attribute
        attr_of = {key[0]: int(slot_attr[s]) for key, s in slot_of.items()}
        self.never = slots  # a slot never chosen: cells naming no valid value use it
        code_slots: list[list[int]] = [[]]
        code_pairs: list[list[int]] = [[]]
        always = [True]
        pair_slot: list[int] = []
        column_attr: list[int] = []
        width = max((len(attrs) for attrs, _ in tables), default=0)
        matrices = []
        for attrs, rows in tables:
            matrix = np.full((len(rows), width), PAD, dtype=np.int32)
            for j, (attr_id, cells) in enumerate(zip(attrs, zip(*rows, strict=True), strict=True)):
                attr = attr_of[attr_id]
                column_attr.append(attr)
                first_pair = len(pair_slot) - first_slot[attr]  # pair of slot s: first_pair + s
                pair_slot.extend(range(first_slot[attr], first_slot[attr] + domain[attr]))
                codes: dict[str, int] = {}
                column = []
                for cell in cells:
                    code = codes.get(cell)
                    if code is None:
                        code = codes[cell] = len(code_slots)
                        if cell == ANY:
                            found = list(range(first_slot[attr], first_slot[attr] + domain[attr]))
                            code_slots.append([])
                        else:
                            found = [
                                slot_of[(attr_id, v)]
                                for v in cell.split("|")
                                if (attr_id, v) in slot_of
                            ]
                            code_slots.append(found or [self.never])
                        code_pairs.append([first_pair + s for s in found])
                        always.append(cell == ANY)
                    column.append(code)
                matrix[:, j] = column
            matrices.append(matrix)
        cells = np.concatenate(matrices) if matrices else np.zeros((0, 0), np.int32)
        self.width = width
        self.by_column = np.ascontiguousarray(cells.T)  # a gather per column is fastest
        self.code_start, self.code_slot = _csr(code_slots, sentinel=self.never)
        self.pair_start, self.code_pair = _csr(code_pairs)
        self.always = np.array(always, dtype=bool)
        self.pair_slot = np.array(pair_slot, dtype=np.int64)
        self.needed = np.bincount(np.array(column_attr, dtype=np.int64), minlength=attributes)[
            slot_attr
        ]
        self.slots = slots

    def flips(self, chosen: np.ndarray) -> np.ndarray:
        """Per slot: every table still holds after changing the slot's attribute alone to it."""
        hit = np.append(chosen, False)[self.code_slot]
        code_true = np.logical_or.reduceat(hit, self.code_start[:-1]) | self.always
        missed = np.take((~code_true).view(np.uint8), self.by_column).sum(axis=0, dtype=np.uint8)
        near = np.flatnonzero(missed <= 1)
        supported = np.zeros(len(self.pair_slot), dtype=bool)
        if len(near):
            cells = self.by_column[:, near]
            holds = missed[near] == 0
            # a row that holds admits every cell's values; a row missing one cell admits
            # that cell's values for its attribute
            useful = np.zeros(len(self.always), dtype=bool)
            useful[cells[:, holds]] = True
            misses = cells[:, ~holds]
            useful[misses[~code_true[misses]]] = True
            codes = np.flatnonzero(useful)
            supported[self.code_pair[_expand(self.pair_start, codes)]] = True
        count = np.bincount(self.pair_slot, weights=supported, minlength=self.slots)
        return count == self.needed


def _csr(groups: list[list[int]], sentinel: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(starts, flat values); a trailing sentinel value keeps every start a valid index."""
    lengths = np.array([len(g) for g in groups], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths)))
    flat = [v for g in groups for v in g]
    if sentinel is not None:
        flat.append(sentinel)
    return starts, np.array(flat, dtype=np.int64)


def _expand(starts: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The flat indices of the CSR rows `rows`, concatenated."""
    first, counts = starts[rows], starts[rows + 1] - starts[rows]
    offsets = np.cumsum(counts) - counts
    return np.arange(counts.sum()) + np.repeat(first - offsets, counts)
