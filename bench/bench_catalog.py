"""Catalog load + validate time for a large product: 300 attributes, 200,000 table rows.

Generates the catalog in a temporary folder (YAML, CSV tables beside it, one PNG
per option layer), then times `load_catalog` on it. Target: median under 3 s.

    python -m bench.bench_catalog [--repeat N]     # from the repository root
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench import harness
from configurator.catalog import load_catalog

ATTRIBUTES = 300
TOTAL_ROWS = 200_000
INLINE_TABLES = 4  # tables written in the YAML itself
CSV_TABLES = 16  # tables kept in CSV files, as merchandisers keep them
INLINE_ROWS = 5_000  # per inline table; the CSV tables share the rest
SIZES = (2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 30, 40, 60, 300)


def option_count(index: int) -> int:
    """Various sizes; every 14th attribute has 300 options."""
    return SIZES[index % len(SIZES)]


def generate(folder: Path, seed: int = 7) -> dict:
    """Write the catalog into `folder`; return what it holds."""
    chance = random.Random(seed)
    art = folder / "bench"
    art.mkdir(parents=True, exist_ok=True)
    lines = [
        "product:",
        "  id: bench",
        "  name: Benchmark product",
        "  currency: EUR",
        '  base_price: "100.00"',
        "  sku: BN",
        "  views: [front, side]",
        "steps:",
    ]
    names = [f"attr{i:03d}" for i in range(ATTRIBUTES)]
    for step in range(10):
        members = ", ".join(names[step * 30 : (step + 1) * 30])
        lines += [f"  - id: step{step}", f"    label: Step {step}", f"    attributes: [{members}]"]
    lines.append("attributes:")
    options = {}
    for index, name in enumerate(names):
        ids = [f"o{k}" for k in range(option_count(index))]
        options[name] = ids
        lines += [
            f"  - id: {name}",
            f"    label: Attribute {index}",
            f"    required: {str(index % 5 != 0).lower()}",
        ]
        lines.append("    options:")
        for k, option_id in enumerate(ids):
            image = f"bench/{name}-{option_id}.png"
            (folder / image).write_bytes(b"\x89PNG fake " + image.encode())
            lines += [
                f"      - id: {option_id}",
                f"        label: Option {k}",
                f'        price: "{k % 50}.{k % 100:02d}"',
                f"        sku: {name.upper()}{k}",
                f'        swatch: "#{k % 256:02x}{index % 256:02x}80"',
                "        layers:",
                f"          - {{view: front, image: {image}, order: {index}, tint: true}}",
            ]
            if k % 4 == 0:
                lines.append(f"          - {{view: side, effect: gloss, order: {900 + k % 10}}}")
    lines.append("rules:")
    for r in range(100):
        a, b = chance.sample(names, 2)
        when = f"{{{a}: {chance.choice(options[a])}}}"
        then = f"{{{b}: [{', '.join(chance.sample(options[b], min(2, len(options[b]))))}]}}"
        if r % 2:
            lines += [
                f"  - id: req{r}",
                f"    message: Rule {r}.",
                "    requires:",
                f"      when: {when}",
                f"      then: {then}",
            ]
        else:
            lines += [
                f"  - id: exc{r}",
                f"    message: Rule {r}.",
                f"    excludes: {{{a}: {options[a][0]}, {b}: none}}",
            ]
    big = [n for i, n in enumerate(names) if option_count(i) >= 30]
    csv_rows = (TOTAL_ROWS - INLINE_TABLES * INLINE_ROWS) // CSV_TABLES
    for t in range(INLINE_TABLES + CSV_TABLES):
        columns = chance.sample(big, 3)
        inline = t < INLINE_TABLES
        count = INLINE_ROWS if inline else csv_rows
        rows = [[_cell(chance, options[c]) for c in columns] for _ in range(count)]
        lines += [
            f"  - id: table{t}",
            f"    message: Table {t}.",
            "    table:",
            f"      attributes: [{', '.join(columns)}]",
        ]
        lines.append(f"      mode: {'allowed' if t % 3 else 'forbidden'}")
        if inline:
            lines.append("      rows:")
            lines += [f"        - [{', '.join(_yaml_cell(c) for c in row)}]" for row in rows]
        else:
            lines.append(f"      rows_file: table{t}.csv")
            body = "\n".join(",".join(row) for row in rows)
            (folder / f"table{t}.csv").write_text(",".join(columns) + "\n" + body + "\n")
    (folder / "bench.yaml").write_text("\n".join(lines) + "\n")
    return {
        "yaml_mb": round((folder / "bench.yaml").stat().st_size / 1e6, 2),
        "csv_mb": round(sum(p.stat().st_size for p in folder.glob("*.csv")) / 1e6, 2),
        "options": sum(len(v) for v in options.values()),
    }


def _cell(chance: random.Random, values: list[str]) -> str:
    roll = chance.random()
    if roll < 0.1:
        return "*"
    if roll < 0.15:
        return "none"
    if roll < 0.3:
        return "|".join(chance.sample(values, 2))
    return chance.choice(values)


def _yaml_cell(cell: str) -> str:
    if cell == "*":
        return '"*"'
    if "|" in cell:
        return "[" + ", ".join(cell.split("|")) + "]"
    return cell


def cpu_timings(fn, repeat: int) -> list[float]:
    """CPU milliseconds per run: on a busy machine wall time also counts other processes."""
    out = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        out.append((time.process_time() - start) * 1000.0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        facts = generate(folder)
        catalog = load_catalog(folder)
        if catalog.problems and any(p.severity == "error" for p in catalog.problems):
            raise SystemExit(
                "benchmark catalog has errors:\n" + "\n".join(map(str, catalog.problems[:20]))
            )
        product = catalog.products[0]
        rows = sum(len(rule.rows) for rule in product.rules)
        samples = harness.timings(lambda: load_catalog(folder), args.repeat)
        cpu = cpu_timings(lambda: load_catalog(folder), args.repeat)
    stats = harness.summary(samples)
    row = {
        "case": f"{ATTRIBUTES} attributes, {TOTAL_ROWS} rows written",
        **facts,
        "rows_kept": rows,
        **stats,
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "target_ms": 3000,
        "ok": stats["median_ms"] < 3000,
    }
    harness.report(
        "catalog_load", [row], notes="load_catalog on one generated product (YAML + CSV + artwork)"
    )


if __name__ == "__main__":
    main()
