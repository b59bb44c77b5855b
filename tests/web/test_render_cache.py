"""services/render_cache.py: the memory LRU bounded in bytes, the disk folder bounded by size
(least recently stored first), atomic writes, and single flight (one render per key however
many ask); services/memo.py: the per-context memos."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import diskcache
import pytest

from configurator.services.memo import Memos
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


# -- disk: bounded folder, least recently stored first, atomic writes ------------------------------

BIG = 40_000  # over diskcache's 32 KB threshold: kept in a file of its own, as most previews are


def test_disk_round_trip_and_miss(tmp_path):
    disk = DiskCache(tmp_path / "renders", max_bytes=10**6)
    assert disk.get("missing") is None
    disk.put("key", b"\x89PNG bytes")
    disk.put("big", blob(BIG, b"b"))
    assert disk.get("key") == b"\x89PNG bytes"
    reopened = DiskCache(tmp_path / "renders", max_bytes=10**6)
    assert reopened.get("key") == b"\x89PNG bytes"
    assert reopened.get("big") == blob(BIG, b"b")


def test_disk_keeps_its_folder_within_the_bound_while_writing(tmp_path):
    """Each write over the bound evicts the ten least recently stored entries (diskcache's batch)."""
    disk = DiskCache(tmp_path / "renders", max_bytes=10**6)
    for i in range(60):
        disk.put(f"k{i}", blob(BIG))
        assert disk.volume <= 10**6
    kept = [i for i in range(60) if disk.get(f"k{i}") is not None]
    assert kept == list(range(60 - len(kept), 60))  # only the newest survive
    assert len(kept) >= 10**6 // BIG - 10
    # SQLite's write-ahead log (a few MB at most, reset at each checkpoint) is not counted
    counted = [p for p in files_in(disk.folder) if not p.name.endswith(("-wal", "-shm"))]
    assert sum(p.stat().st_size for p in counted) <= 10**6


def test_a_fresh_disk_cache_trims_a_folder_left_over_its_bound(tmp_path):
    """A restart with a smaller bound: opening the folder brings it back under the bound."""
    folder = tmp_path / "renders"
    old = DiskCache(folder, max_bytes=10**9)
    for i in range(30):
        old.put(f"old{i}", blob(BIG))
    old.close()
    smaller = DiskCache(folder, max_bytes=600_000)
    assert smaller.volume <= 600_000
    kept = [i for i in range(30) if smaller.get(f"old{i}") is not None]
    assert kept == list(range(20, 30))
    assert smaller.evict() == 0  # already fits


def test_disk_eviction_goes_by_storing_order_not_by_key_size_or_reads(tmp_path):
    folder = tmp_path / "renders"
    disk = DiskCache(folder, max_bytes=10**9)
    keys = [f"{chr(ord('z') - i)}{i}" for i in range(30)]  # stored in reverse key order
    for i, key in enumerate(keys):
        disk.put(key, blob(BIG * (1 + i % 3)))
    assert disk.get(keys[0]) is not None  # a read does not make an entry younger
    volume = disk.volume
    disk.close()
    trimmed = DiskCache(folder, max_bytes=volume - 1)
    assert [k for k in keys if trimmed.get(k) is not None] == keys[10:]


def test_disk_within_its_bound_evicts_nothing(tmp_path):
    disk = DiskCache(tmp_path / "renders", max_bytes=10**6)
    for i in range(5):
        disk.put(f"k{i}", blob(BIG))
    assert disk.evict() == 0
    assert len(disk) == 5


def test_a_write_that_fails_half_way_leaves_nothing_visible(tmp_path, monkeypatch):
    """Disk full in the middle of writing an image file: no entry appears, here or after a restart."""
    disk = DiskCache(tmp_path / "renders", max_bytes=10**6)
    real_open = open

    class HalfWriter:
        def __init__(self, path, mode, encoding=None):
            self.file = real_open(path, mode, encoding=encoding)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

        def write(self, value):
            self.file.write(value[: len(value) // 2])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(diskcache.core, "open", HalfWriter, raising=False)
    with pytest.raises(OSError):
        disk.put("key", blob(BIG))
    monkeypatch.undo()
    assert disk.get("key") is None
    assert len(disk) == 0
    assert DiskCache(tmp_path / "renders", max_bytes=10**6).get("key") is None


def test_under_puts_renders_under_the_instance_folder(tmp_path):
    cache = RenderCache.under(tmp_path, memory_mb=1, disk_mb=2)
    assert cache.memory.max_bytes == 1024 * 1024
    assert cache.disk.max_bytes == 2 * 1024 * 1024
    assert cache.disk.folder == tmp_path / "renders"
    cache.get_or_render("k", lambda: blob(BIG))
    assert any(path.is_relative_to(tmp_path / "renders") for path in files_in(tmp_path))


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


@pytest.mark.parametrize(
    "failure",
    [
        OSError(28, "No space left on device"),
        sqlite3.OperationalError("database is locked"),
        diskcache.Timeout(),
    ],
    ids=["disk full", "locked", "timeout"],
)
def test_a_disk_that_cannot_be_written_still_serves_the_render(tmp_path, monkeypatch, failure):
    """The picture is drawn; failing to keep a copy on disk must not lose it."""
    disk = DiskCache(tmp_path / "renders", 10**6)

    def broken(*_args):
        raise failure

    monkeypatch.setattr(disk, "put", broken)
    cache = RenderCache(MemoryCache(10**6), disk)
    assert cache.get_or_render("k", lambda: b"img") == (b"img", "render")
    assert cache.get_or_render("k", lambda: b"again") == (b"img", "memory")
    monkeypatch.setattr(disk, "get", broken)
    restarted = RenderCache(MemoryCache(10**6), disk)
    assert restarted.get_or_render("k", lambda: b"drawn again") == (b"drawn again", "render")


# -- memos: one per name per context, least recently used, bounded in entries --------------------


def test_a_memo_computes_once_per_key_and_drops_the_least_recently_used():
    memo = Memos().get("pages", maxsize=2)
    calls = []

    def page(key):
        return memo.get_or_compute(key, lambda: calls.append(key) or f"page {key}")

    assert [page("a"), page("b"), page("a")] == ["page a", "page b", "page a"]
    page("c")  # b is the least recently used
    assert len(memo) == 2
    assert page("a") == "page a" and page("b") == "page b"
    assert calls == ["a", "b", "c", "b"]


def test_memos_give_the_same_memo_for_a_name_and_refuse_another_size():
    memos = Memos()
    assert memos.get("tiles", 8) is memos.get("tiles", 8)
    assert memos.get("tiles", 8) is not memos.get("pages", 8)
    assert memos.get("tiles", 8) is not Memos().get("tiles", 8)  # another context, another memo
    with pytest.raises(ValueError, match="tiles"):
        memos.get("tiles", 16)


def test_a_memo_is_safe_to_share_between_threads():
    memo = Memos().get("squares", maxsize=50)
    results = []

    def work():
        results.append([memo.get_or_compute(i % 80, lambda i=i: (i % 80) ** 2) for i in range(400)])

    join_all(run_threads(8, work))
    assert all(found == [(i % 80) ** 2 for i in range(400)] for found in results)
    assert len(memo) == 50
