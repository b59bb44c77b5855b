"""Shared by every benchmark: time a callable, print a table, write bench/results/<name>.json.

Benchmarks are modules run from the repository root (`python -m bench.bench_x`); `make bench`
runs them all.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def timings(fn, repeat: int, *, warmup: int = 1) -> list[float]:
    """Run fn() `repeat` times; return each run's duration in milliseconds."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000.0)
    return out


def summary(samples_ms: list[float]) -> dict:
    """Median, p99, mean and max of a list of millisecond samples."""
    ordered = sorted(samples_ms)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered), 4),
        "p99_ms": round(p99, 4),
        "mean_ms": round(statistics.fmean(ordered), 4),
        "max_ms": round(ordered[-1], 4),
    }


def report(name: str, rows: list[dict], *, notes: str = "") -> Path:
    """Print rows as an aligned table and write them, with machine facts, to results/<name>.json."""
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    widths = {c: max(len(c), *(len(_fmt(r.get(c, ""))) for r in rows)) for c in columns}
    print(f"\n== {name} ==")
    if notes:
        print(notes)
    print("  ".join(c.ljust(widths[c]) for c in columns))
    print("  ".join("-" * widths[c] for c in columns))
    for row in rows:
        print("  ".join(_fmt(row.get(c, "")).ljust(widths[c]) for c in columns))
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {
        "name": name,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "notes": notes,
        "rows": rows,
    }
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    return path


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)
