"""A bounded two-level cache for rendered previews: memory (LRU, MB-bounded) then disk.

Keys name everything that determines the bytes (catalog version, normalised
selections, view, width, format), so entries never go stale: a new catalog
version simply produces new keys. Concurrent requests for the same uncached
image wait for one render instead of rendering it again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path


class MemoryCache:
    """Least-recently-used bytes, bounded by their total size."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: str, value: bytes) -> None:
        if len(value) > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= len(old)
            self._items[key] = value
            self.size += len(value)
            while self.size > self.max_bytes:
                _, evicted = self._items.popitem(last=False)
                self.size -= len(evicted)

    def __len__(self) -> int:
        return len(self._items)


class DiskCache:
    """Files under a folder, bounded by total size; the oldest files go first.

    Writes go to a temporary file and are renamed into place, so a reader in
    another worker never sees half a file.
    """

    def __init__(self, folder: Path, max_bytes: int):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._writes = 0

    def _path(self, key: str) -> Path:
        """Two-level fan-out by the key's hash, so no folder grows huge."""
        digest = hashlib.sha256(key.encode()).hexdigest()
        return self.folder / digest[:2] / digest

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            return None

    def put(self, key: str, value: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(value)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        with self._lock:
            self._writes += 1
            if self._writes % 32 == 1:
                self.evict()

    def evict(self) -> int:
        """Delete the oldest files until the folder fits its bound; returns how many went."""
        files = []
        total = 0
        for path in self.folder.glob("*/*"):
            if path.name.startswith(".tmp-"):
                continue
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            files.append((stat.st_mtime, stat.st_size, path))
            total += stat.st_size
        removed = 0
        for _, size, path in sorted(files):
            if total <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size
            removed += 1
        return removed


class RenderCache:
    """Memory, then disk, then render once (single flight per key)."""

    def __init__(self, memory: MemoryCache, disk: DiskCache | None):
        self.memory = memory
        self.disk = disk
        self._inflight: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self.renders = 0

    def get_or_render(self, key: str, render: Callable[[], bytes]) -> tuple[bytes, str]:
        """The bytes for `key` and where they came from: 'memory', 'disk' or 'render'."""
        while True:
            found = self.memory.get(key)
            if found is not None:
                return found, "memory"
            if self.disk is not None:
                found = self.disk.get(key)
                if found is not None:
                    self.memory.put(key, found)
                    return found, "disk"
            with self._lock:
                found = self.memory.get(key)  # a render may have finished since we looked
                if found is not None:
                    return found, "memory"
                waiting = self._inflight.get(key)
                if waiting is None:
                    self._inflight[key] = threading.Event()
                    break
            waiting.wait(timeout=30)
        try:
            value = render()
            self.renders += 1
            self.memory.put(key, value)
            if self.disk is not None:
                # a full or read-only disk costs a re-render later, never this answer
                with contextlib.suppress(OSError):
                    self.disk.put(key, value)
            return value, "render"
        finally:
            with self._lock:
                self._inflight.pop(key).set()
