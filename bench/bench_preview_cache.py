"""Preview serving through the render cache: cold render, memory hit, disk hit (helmet, 800 px).

Measured at the service layer (`services.previews.preview`): selection
normalisation, cache key, and the cache itself, as a request would pay them.
Usage: python bench/bench_preview_cache.py [--quick]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_web import random_designs  # noqa: E402
from bench.harness import report, summary, timings  # noqa: E402
from configurator.catalog import load_product  # noqa: E402
from configurator.engine import Engine  # noqa: E402
from configurator.services import previews  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    count = 40 if args.quick else 150
    engine = Engine(load_product(ROOT / "catalog" / "helmet.yaml"))
    designs = random_designs(engine, count, seed=3)
    folder = Path(tempfile.mkdtemp(prefix="bench-previews-"))
    rows = []
    try:
        for fmt in ("webp", "png"):
            cache = previews.make_cache(folder / fmt)
            previews.preview(
                cache, engine, {}, "front", 800, fmt
            )  # artwork scaled once, as in a running worker
            cold, sizes = [], []
            for design in designs:
                ms = timings(
                    lambda d=design, c=cache, f=fmt: previews.preview(
                        c, engine, d, "front", 800, f
                    ),
                    1,
                    warmup=0,
                )[0]
                cold.append(ms)
            memory = [
                timings(
                    lambda d=design, c=cache, f=fmt: previews.preview(
                        c, engine, d, "front", 800, f
                    ),
                    1,
                    warmup=0,
                )[0]
                for design in designs
            ]
            fresh = previews.make_cache(folder / fmt)  # a restarted worker: empty memory, same disk
            disk = []
            for design in designs:
                ms = timings(
                    lambda d=design, c=fresh, f=fmt: previews.preview(
                        c, engine, d, "front", 800, f
                    ),
                    1,
                    warmup=0,
                )[0]
                disk.append(ms)
                sizes.append(len(previews.preview(fresh, engine, design, "front", 800, fmt).body))
            for name, samples, target in (
                ("cold render", cold, 40),
                ("memory hit", memory, 1),
                ("disk hit", disk, 5),
            ):
                stats = summary(samples)
                rows.append(
                    {
                        "format": fmt,
                        "path": name,
                        "median_ms": stats["median_ms"],
                        "p99_ms": stats["p99_ms"],
                        "target_ms": target,
                        "n": stats["n"],
                    }
                )
            rows.append(
                {
                    "format": fmt,
                    "path": "bytes (median, max)",
                    "median_ms": sorted(sizes)[len(sizes) // 2],
                    "p99_ms": max(sizes),
                    "target_ms": 150_000,
                    "n": len(sizes),
                }
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report(
        "preview_cache",
        rows,
        notes="helmet front view at 800 px over random valid designs; "
        "the 'bytes' row holds sizes in the ms columns (target < 150 KB)",
    )


if __name__ == "__main__":
    main()
