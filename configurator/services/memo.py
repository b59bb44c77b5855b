"""Per-context memo caches: results that depend only on their key, kept in a bounded LRU.

One `Memos` belongs to one `Context` (one app, one CLI command), so two apps in one
process never share cached pages, and a test's app starts empty. The LRU itself is
`cachetools.LRUCache`; this module adds only the lock and the "compute on a miss" step.

    rendered = context().memos.get("shop.rendered", maxsize=1024)
    html = rendered.get_or_compute((product.version, query), lambda: render(...))
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from cachetools import LRUCache

V = TypeVar("V")
_MISSING = object()


class Memo(Generic[V]):
    """A thread-safe LRU of at most `maxsize` entries."""

    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._items: LRUCache[Hashable, V] = LRUCache(maxsize)
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The value kept for `key`, else `compute()` kept and returned.

        `compute` runs outside the lock: two threads missing the same key at once may
        both compute it (the values are equal by the memo's contract; the last is kept).
        """
        with self._lock:
            value = self._items.get(key, _MISSING)
        if value is not _MISSING:
            return value
        value = compute()
        with self._lock:
            self._items[key] = value
        return value

    def __len__(self) -> int:
        return len(self._items)


class Memos:
    """The named memos of one context: `get(name, maxsize)` returns the same Memo for a name."""

    def __init__(self) -> None:
        self._memos: dict[str, Memo] = {}
        self._lock = threading.Lock()

    def get(self, name: str, maxsize: int) -> Memo:
        """The memo called `name`, made on first use; asking again with another size is a bug."""
        with self._lock:
            memo = self._memos.get(name)
            if memo is None:
                memo = self._memos[name] = Memo(maxsize)
            elif memo.maxsize != maxsize:
                raise ValueError(f"memo {name!r} has maxsize {memo.maxsize}, not {maxsize}")
            return memo
