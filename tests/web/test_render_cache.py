"""services/render_cache.py: the memory LRU bounded in bytes, the disk folder bounded by size
(oldest first), atomic writes, and single flight (one render per key however many ask)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from configurator.services import render_cache
from configurator.services.previews import make_cache
from configurator.services.render_cache import DiskCache, MemoryCache, RenderCache

WAIT = 10  # seconds a test thread may wait before the test calls it a deadlock


def blob(n: int, fill: bytes = b"x") -> bytes:
    return fill * n


def files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def run_threads(count: int, target) -> list[threading.Thread]:
    threads = [threading.Thread(target=target, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads


def join_all(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join(WAIT)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"


# -- memory: least recently used, bounded in bytes ------------------------------------------------


def test_memory_keeps_total_bytes_within_its_bound():
    memory = MemoryCache(max_bytes=1000)
    for i in range(50):
        memory.put(f"k{i}", blob(90 + i))
        assert memory.size <= 1000
    assert memory.size == sum(len(memory.get(f"k{i}") or b"") for i in range(50))


def test_memory_evicts_the_least_recently_used_first():
    memory = MemoryCache(max_bytes=300)
    memory.put("a", blob(100, b"a"))
    memory.put("b", blob(100, b"b"))
    memory.put("c", blob(100, b"c"))
    assert memory.get("a") == blob(100, b"a")  # a is now the most recent
    memory.put("d", blob(100, b"d"))
    assert memory.get("b") is None
    assert [memory.get(k) is not None for k in "acd"] == [True, True, True]
    assert len(memory) == 3


def test_memory_evicts_as_many_as_a_big_value_needs():
    memory = MemoryCache(max_bytes=300)
    for key in "abc":
        memory.put(key, blob(100))
    memory.put("big", blob(250))
    assert [memory.get(k) for k in "abc"] == [None, None, None]
    assert memory.get("big") == blob(250)
    assert memory.size == 250


def test_memory_refuses_a_value_larger_than_its_bound():
    memory = MemoryCache(max_bytes=100)
    memory.put("small", blob(60))
    memory.put("huge", blob(101))
    assert memory.get("huge") is None
    assert memory.get("small") == blob(60)
    assert memory.size == 60


def test_memory_replacing_a_key_counts_only_the_new_value():
    memory = MemoryCache(max_bytes=1000)
    memory.put("k", blob(400))
    memory.put("k", blob(100))
    assert memory.size == 100
    assert len(memory) == 1
    assert memory.get("k") == blob(100)


# -- disk: bounded folder, oldest files go first, atomic writes -----------------------------------


def test_disk_round_trip_and_miss(tmp_path):
    disk = DiskCache(tmp_path / "renders", max_bytes=10_000)
    assert disk.get("missing") is None
    disk.put("key", b"\x89PNG bytes")
    assert disk.get("key") == b"\x89PNG bytes"
    assert DiskCache(tmp_path / "renders", max_bytes=10_000).get("key") == b"\x89PNG bytes"


def test_disk_eviction_removes_the_oldest_files_until_the_folder_fits(tmp_path):
    disk = DiskCache(tmp_path / "renders", max_bytes=10 * 1000)
    for i in range(20):
        disk.put(f"k{i}", blob(1000))
    for i, path in enumerate(disk._path(f"k{i}") for i in range(20)):
        os.utime(path, (1_000_000 + i, 1_000_000 + i))  # k0 is the oldest
    removed = disk.evict()
    kept = [i for i in range(20) if disk.get(f"k{i}") is not None]
    assert kept == list(range(20 - len(kept), 20))  # only the newest survive
    assert removed == 20 - len(kept)
    assert sum(p.stat().st_size for p in files_in(disk.folder)) <= 10 * 1000
    assert len(kept) == 10


def test_disk_eviction_goes_by_age_not_by_key_or_size(tmp_path):
    disk = DiskCache(tmp_path / "renders", max_bytes=2000)
    sizes = {"zzz": 1000, "aaa": 500, "mmm": 1000, "bbb": 1000}
    for age, (key, size) in enumerate(sizes.items()):
        disk.put(key, blob(size))
        os.utime(disk._path(key), (2_000_000 + age, 2_000_000 + age))
    assert disk.evict() == 2  # zzz then the small aaa: 3500 -> 2500 -> 2000
    assert [k for k in sizes if disk.get(k) is not None] == ["mmm", "bbb"]


def test_disk_within_its_bound_evicts_nothing(tmp_path):
    disk = DiskCache(tmp_path / "renders", max_bytes=5000)
    for i in range(5):
        disk.put(f"k{i}", blob(1000))
    assert disk.evict() == 0
    assert len(files_in(disk.folder)) == 5


def test_a_fresh_disk_cache_trims_a_folder_left_over_its_bound(tmp_path):
    """A restart with a smaller bound: the first write brings the folder back under it."""
    folder = tmp_path / "renders"
    old = DiskCache(folder, max_bytes=10**9)
    for i in range(30):
        old.put(f"old{i}", blob(1000))
        os.utime(old._path(f"old{i}"), (3_000_000 + i, 3_000_000 + i))
    DiskCache(folder, max_bytes=5000).put("new", blob(1000))
    assert sum(p.stat().st_size for p in files_in(folder)) <= 5000
    assert DiskCache(folder, max_bytes=5000).get("new") == blob(1000)


def test_disk_write_goes_through_a_temporary_file_renamed_into_place(tmp_path, monkeypatch):
    disk = DiskCache(tmp_path / "renders", max_bytes=10**6)
    renames = []
    real_replace = os.replace

    def watching_replace(source, target):
        source, target = Path(source), Path(target)
        renames.append((source, target, source.read_bytes(), target.exists()))
        real_replace(source, target)

    monkeypatch.setattr(render_cache.os, "replace", watching_replace)
    disk.put("key", blob(5000, b"z"))
    (source, target, content, target_existed), *_ = renames
    assert target == disk._path("key")
    assert source.parent == target.parent  # same folder, so the rename is atomic
    assert source.name.startswith(".tmp-")
    assert content == blob(5000, b"z")  # complete before it becomes visible
    assert not target_existed
    assert not source.exists()
    assert files_in(disk.folder) == [target]


def test_a_write_that_fails_half_way_leaves_nothing_behind(tmp_path, monkeypatch):
    """Disk full in the middle of a write: no half file is visible and no temporary is left."""
    disk = DiskCache(tmp_path / "renders", max_bytes=10**6)
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, handle, mode):
            self.file = real_fdopen(handle, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

        def write(self, value):
            self.file.write(value[: len(value) // 2])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(render_cache.os, "fdopen", HalfWriter)
    with pytest.raises(OSError):
        disk.put("key", blob(4000))
    monkeypatch.undo()
    assert disk.get("key") is None
    assert files_in(disk.folder) == []


def test_make_cache_puts_renders_under_the_instance_folder(tmp_path):
    cache = make_cache(tmp_path, memory_mb=1, disk_mb=2)
    assert cache.memory.max_bytes == 1024 * 1024
    assert cache.disk.max_bytes == 2 * 1024 * 1024
    assert cache.disk.folder == tmp_path / "renders"


# -- memory, then disk, then render once ----------------------------------------------------------


def test_sources_go_render_memory_then_disk_after_a_restart(tmp_path):
    def fresh() -> RenderCache:
        return RenderCache(MemoryCache(10**6), DiskCache(tmp_path / "renders", 10**6))

    calls = []
    cache = fresh()
    assert cache.get_or_render("k", lambda: calls.append(1) or b"img") == (b"img", "render")
    assert cache.get_or_render("k", lambda: calls.append(1) or b"other") == (b"img", "memory")
    restarted = fresh()
    assert restarted.get_or_render("k", lambda: b"other") == (b"img", "disk")
    assert restarted.get_or_render("k", lambda: b"other") == (b"img", "memory")
    assert len(calls) == 1


def test_without_a_disk_memory_is_the_only_level():
    cache = RenderCache(MemoryCache(10**6), None)
    assert cache.get_or_render("k", lambda: b"img") == (b"img", "render")
    assert cache.get_or_render("k", lambda: b"x") == (b"img", "memory")


def test_many_threads_asking_for_one_key_render_it_once(tmp_path):
    cache = RenderCache(MemoryCache(10**6), DiskCache(tmp_path / "renders", 10**6))
    release = threading.Event()
    started = threading.Event()
    renders = []
    results = []

    def slow_render() -> bytes:
        renders.append(threading.get_ident())
        started.set()
        assert release.wait(WAIT)
        return b"the picture"

    def ask():
        results.append(cache.get_or_render("same-key", slow_render))

    threads = run_threads(16, ask)
    assert started.wait(WAIT)
    release.set()
    join_all(threads)
    assert len(renders) == 1
    assert cache.renders == 1
    assert len(results) == 16
    assert {body for body, _ in results} == {b"the picture"}
    assert sorted(source for _, source in results).count("render") == 1


def test_different_keys_render_side_by_side(tmp_path):
    """Single flight is per key: one slow render does not hold up another key."""
    cache = RenderCache(MemoryCache(10**6), DiskCache(tmp_path / "renders", 10**6))
    a_started, b_done = threading.Event(), threading.Event()
    outcome = {}

    def render_a() -> bytes:
        a_started.set()
        outcome["b finished while a rendered"] = b_done.wait(WAIT)
        return b"a"

    slow = threading.Thread(target=lambda: cache.get_or_render("a", render_a), daemon=True)
    slow.start()
    assert a_started.wait(WAIT)
    assert cache.get_or_render("b", lambda: b"b") == (b"b", "render")
    b_done.set()
    join_all([slow])
    assert outcome == {"b finished while a rendered": True}


def test_a_failed_render_does_not_block_the_key(tmp_path):
    cache = RenderCache(MemoryCache(10**6), DiskCache(tmp_path / "renders", 10**6))

    def broken() -> bytes:
        raise RuntimeError("font missing")

    with pytest.raises(RuntimeError):
        cache.get_or_render("k", broken)
    assert cache.get_or_render("k", lambda: b"fixed") == (b"fixed", "render")
    assert cache.renders == 1


def test_waiters_take_over_when_the_first_render_fails(tmp_path):
    cache = RenderCache(MemoryCache(10**6), None)
    release, started = threading.Event(), threading.Event()
    attempts = []
    results = []

    def flaky() -> bytes:
        attempts.append(1)
        if len(attempts) == 1:
            started.set()
            assert release.wait(WAIT)
            raise RuntimeError("first attempt fails")
        return b"second attempt"

    def ask():
        try:
            results.append(cache.get_or_render("k", flaky)[0])
        except RuntimeError:
            results.append("failed")

    threads = run_threads(8, ask)
    assert started.wait(WAIT)
    release.set()
    join_all(threads)
    assert results.count("failed") == 1
    assert results.count(b"second attempt") == 7
    assert len(attempts) == 2


def test_a_disk_that_cannot_be_written_still_serves_the_render(tmp_path, monkeypatch):
    """The picture is drawn; failing to keep a copy on disk must not lose it."""
    disk = DiskCache(tmp_path / "renders", 10**6)

    def full(key, value):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(disk, "put", full)
    cache = RenderCache(MemoryCache(10**6), disk)
    assert cache.get_or_render("k", lambda: b"img") == (b"img", "render")
    assert cache.get_or_render("k", lambda: b"again") == (b"img", "memory")
