"""Valid designs found by earlier queries, kept to start the next ones.

A design that keeps every current selection proves its own values possible, and so
does each of its single changes (`flips`). Clicks in one session share most selections,
and shoppers start from the same few, so a pool of recent designs often settles most
candidates before the solver is asked anything; on a large catalog the first rounds
are the expensive ones. Exact: every design in the pool is a valid complete design.
"""

from __future__ import annotations

import numpy as np

MEMORY_BYTES = 16 << 20  # per engine, for both matrices
CAPACITY = 2048  # designs, at most


class Witnesses:
    def __init__(self, slots: int):
        self.capacity = max(16, min(CAPACITY, MEMORY_BYTES // (2 * max(slots, 1))))
        self._designs = np.zeros((self.capacity, slots), dtype=bool)
        self._reachable = np.zeros((self.capacity, slots), dtype=bool)
        self._seen: dict[bytes, int] = {}
        self._next = 0
        self._filled = 0

    def add(self, design: np.ndarray, reachable: np.ndarray) -> None:
        key = np.packbits(design).tobytes()
        row = self._seen.get(key)
        if row is not None:
            self._reachable[row] |= reachable
            return
        row = self._next
        if self._filled == self.capacity:  # oldest out
            old = np.packbits(self._designs[row]).tobytes()
            self._seen.pop(old, None)
        self._designs[row] = design
        self._reachable[row] = reachable
        self._seen[key] = row
        self._next = (row + 1) % self.capacity
        self._filled = min(self._filled + 1, self.capacity)

    def proven(self, selected: np.ndarray) -> np.ndarray | None:
        """Union of what the designs keeping every `selected` slot prove; None if none does."""
        if not self._filled:
            return None
        reachable = self._reachable[: self._filled]
        if not len(selected):
            return reachable.any(axis=0)
        keep = self._designs[: self._filled][:, selected].all(axis=1)
        return reachable[keep].any(axis=0) if keep.any() else None

    def all_but_one(self, selected: np.ndarray) -> dict[int, np.ndarray]:
        """{i: union of what the designs keeping every selected slot except selected[i]
        prove}: their values and single changes of that attribute are alternatives for it
        (designs keeping all of them are in `proven`)."""
        if not self._filled or not len(selected):
            return {}
        held = self._designs[: self._filled][:, selected]
        rows = np.flatnonzero(held.sum(axis=1) == len(selected) - 1)
        if not len(rows):
            return {}
        missing = np.argmin(held[rows], axis=1)
        reachable = self._reachable[: self._filled]
        return {int(i): reachable[rows[missing == i]].any(axis=0) for i in np.unique(missing)}
