"""Preview rendering: cold render time (compose + encode, scaled layers already cached) and bytes.

Run from the repository root: `.venv/bin/python -m bench.bench_render`. Target: helmet at 800 px, median <= 40 ms.
"""

from __future__ import annotations

import io
import statistics
import time
from functools import partial
from pathlib import Path

from bench.harness import report, summary, timings
from configurator.catalog import load_product
from configurator.render import compose, render_preview
from configurator.render.artwork import cache_clear
from configurator.render.encode import WEBP_QUALITY, encode

ROOT = Path(__file__).resolve().parents[1]

DESIGNS = {
    "helmet": {
        "shell_type": "modular",
        "size": "l",
        "shell_colour": "arctic_white",
        "finish": "satin",
        "graphics": "flames",
        "visor": "tinted",
        "lining": "royal_blue",
        "monogram": "ABC",
    },
    "helmet-matte": {
        "shell_type": "full_face",
        "size": "m",
        "shell_colour": "carbon_black",
        "finish": "matte",
        "graphics": "stripes",
        "visor": "iridium",
        "lining": "crimson",
        "monogram": "JS7",
    },
    "jacket": {
        "cut": "bomber",
        "size": "m",
        "hide": "cowhide",
        "leather_colour": "cognac",
        "finish": "aniline",
        "collar": "shearling",
        "fur": "natural",
        "lining": "old_gold",
        "hardware": "brass",
        "back_patch": "winged_wheel",
        "back_lettering": "CAFE RACERS",
    },
}
REPEAT = 40
WEBP_SLOWER_METHOD = 4  # shown for comparison with the method encode.py uses


def main() -> None:
    products = {
        name: load_product(ROOT / "catalog" / f"{name}.yaml") for name in ("helmet", "jacket")
    }
    rows = []
    for design, selections in DESIGNS.items():
        product = products[design.split("-")[0]]
        rows += _measure(design, product, selections, product.views[0])
    notes = (
        "cold render = compose + encode with the scaled layers already in the LRU; "
        "first render = the same with that LRU emptied first; cpu = process CPU time "
        "(the figure to trust on a shared machine); "
        "target: helmet at 800 px, cold render <= 40 ms median"
    )
    report("render", rows, notes=notes)


def _measure(design: str, product, selections: dict, view: str) -> list[dict]:
    rows = [_first_render(design, product, selections, view)]
    image = compose(product, selections, view, 800)
    steps = {"compose": partial(compose, product, selections, view, 800)}
    for fmt in ("png", "webp"):
        steps[f"encode {fmt}"] = partial(encode, image, fmt)
        steps[f"cold render {fmt}"] = partial(render_preview, product, selections, view, 800, fmt)
    steps[f"encode webp method {WEBP_SLOWER_METHOD} (not used)"] = partial(
        _webp, image, WEBP_SLOWER_METHOD
    )
    for step, fn in steps.items():
        rows.append(_row(design, step, timings(fn, REPEAT), _cpu_ms(fn, REPEAT)))
    rows[-1]["bytes"] = len(_webp(image, WEBP_SLOWER_METHOD))
    for width in (400, 800, 1600):
        for fmt in ("png", "webp"):
            size = len(render_preview(product, selections, view, width, fmt))
            rows.append({"design": design, "step": f"bytes {fmt}", "width": width, "bytes": size})
    return rows


def _webp(image, method: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=method)
    return buffer.getvalue()


def _first_render(design, product, selections, view) -> dict:
    def run():
        cache_clear()
        render_preview(product, selections, view, 800, "webp")

    return _row(design, "first render webp (layers read)", timings(run, 5))


def _row(design: str, step: str, samples: list[float], cpu: list[float] | None = None) -> dict:
    stats = summary(samples)
    row = {
        "design": design,
        "step": step,
        "width": 800,
        "median_ms": stats["median_ms"],
        "p99_ms": stats["p99_ms"],
    }
    if cpu:
        row["cpu_median_ms"] = round(statistics.median(cpu), 3)
    return row


def _cpu_ms(fn, repeat: int) -> list[float]:
    """CPU time of each run: unlike wall time, barely moved by other processes on a busy machine."""
    fn()
    out = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        out.append((time.process_time() - start) * 1000.0)
    return out


if __name__ == "__main__":
    main()
