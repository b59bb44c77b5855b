"""Engine benchmark: compile time and the latency of one click, beside a plain SAT baseline.

    python -m bench.bench_engine [--quick] [--only NAME[,NAME]] [--samples N] [--budget SECONDS]

(from the repository root). For each catalog of bench/models.py: the time to compile it
(`Engine(product)`, and starting the background d-DNNF compile where
`services.compiling` would, as `Catalogs.engine` does; the bench then waits for that
compile and says how it went), then on random consistent partial selections:

- `domains`: `configure(selections, alternatives=False)`, the exact valid domains keeping
  every selection (the issue's figure), with the design as it stands;
- `click`: the whole `configure` the shop calls, adding for each selected attribute the
  options it could switch to (on a second engine, so neither reuses the other's work);

and beside `domains`, on the first of those selections, the baseline measured in the
same run: one plain SAT call on the engine's own solver per candidate (attribute,
value), keeping the selections on the other attributes. Catalog (b) also times `explain` on a random
unavailable option and `repairs` for it; automotive01 times the dead/core analysis.

Selections: subsets (random size, 0 to 30 attributes, random order) of random valid
designs, found by a separate solver with random phases; text attributes are left out.
Each catalog stops sampling at --samples or after --budget seconds, whichever comes
first, so the whole run stays under ten minutes; the `n` column says how many ran.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import zlib

from pysat.solvers import Solver

from bench import harness, models
from configurator.engine import Engine
from configurator.services import compiling

MAX_SELECTED = 30


class Sampler:
    """Random consistent partial selections: subsets of random valid designs."""

    def __init__(self, engine: Engine, seed: int, pool: int):
        enc = engine.encoding
        clauses = [list(c) for c in enc.structure] + [
            list(c) for g in enc.groups for c in g.clauses
        ]
        self.encoding = enc
        self.rng = random.Random(seed)
        self.attributes = [a.id for a in engine.product.attributes if a.kind == "choice"]
        self.variables = sorted({abs(lit) for lit in enc.lits.values()})
        with Solver(name="g4", bootstrap_with=clauses) as solver:
            self.designs = [self._design(solver) for _ in range(pool)]

    def _design(self, solver: Solver) -> dict[str, str]:
        solver.set_phases([v if self.rng.random() < 0.5 else -v for v in self.variables])
        if not solver.solve():
            raise RuntimeError("the catalog allows no design")
        model = set(solver.get_model())
        assigned = {abs(lit) for lit in model}
        design = {}
        for attr_id in self.attributes:
            domain = self.encoding.domains[attr_id]
            chosen = [v for v in domain if self.encoding.lits[(attr_id, v)] in model]
            free = [v for v in domain if abs(self.encoding.lits[(attr_id, v)]) not in assigned]
            design[attr_id] = (chosen or free)[0]
        return design

    def selections(self) -> dict[str, str]:
        design = self.rng.choice(self.designs)
        picked = self.rng.sample(
            self.attributes, self.rng.randint(0, min(len(self.attributes), MAX_SELECTED))
        )
        return {a: design[a] for a in picked}


def baseline(engine: Engine, values: dict[str, str], deadline: float) -> tuple[float, bool]:
    """One plain SAT call per candidate (attribute, value), keeping the other selections.

    Returns (milliseconds, exact); past `deadline` it stops and extrapolates from the
    calls made (exact False), so one very slow catalog cannot eat the whole run.
    """
    enc = engine.encoding
    solver = engine.solving.solver
    full = {a: enc.lits[(a, v)] for a, v in values.items()}
    everything = list(full.values())
    candidates = [(a, v) for a, domain in enc.domains.items() for v in domain]
    start = time.perf_counter()
    for done, (attr_id, value) in enumerate(candidates, start=1):
        rest = [lit for a, lit in full.items() if a != attr_id] if attr_id in full else everything
        solver.solve(assumptions=rest + [enc.lits[(attr_id, value)]])
        if time.perf_counter() > deadline and done < len(candidates):
            return (time.perf_counter() - start) * 1000.0 * len(candidates) / done, False
    return (time.perf_counter() - start) * 1000.0, True


def timed(fn, *args):
    """(milliseconds, result) of one call."""
    start = time.perf_counter()
    result = fn(*args)
    return (time.perf_counter() - start) * 1000.0, result


def verdict(value: float | None, bound: float | None) -> str:
    if bound is None or value is None:
        return ""
    return "ok" if value <= bound else "MISS"


def row(catalog, metric: str, samples: list[float], target_key: str | None = None, **extra) -> dict:
    stats = harness.summary(samples) if samples else {"n": 0}
    target = catalog.targets.get(target_key or metric)
    p99_target = catalog.targets.get(f"{metric}_p99")
    out = {
        "catalog": catalog.name,
        "metric": metric,
        "n": stats["n"],
        "median_ms": stats.get("median_ms", ""),
        "p99_ms": stats.get("p99_ms", ""),
    }
    out.update(extra)
    bounds = []
    if target is not None:
        bounds.append(f"median<={target:g}")
    if p99_target is not None:
        bounds.append(f"p99<={p99_target:g}")
    out["target_ms"] = ", ".join(bounds)
    checks = [verdict(stats.get("median_ms"), target), verdict(stats.get("p99_ms"), p99_target)]
    out["meets"] = "MISS" if "MISS" in checks else ("ok" if "ok" in checks else "")
    return out


def bench_catalog(catalog, options, notes: list[str]) -> list[dict]:
    start = time.perf_counter()
    try:
        product = catalog.build()
    except models.Unavailable as why:
        notes.append(f"{catalog.name}: skipped: {why}")
        return [{"catalog": catalog.name, "metric": "skipped", "n": 0, "meets": str(why)[:80]}]
    built_ms = (time.perf_counter() - start) * 1000.0
    notes.append(
        f"{catalog.name}: {catalog.label}: {models.describe(product)}; built in {built_ms / 1000:.1f} s"
    )

    start = time.perf_counter()
    engine = Engine(product)
    background = compiling.start_if_worth_it(engine)
    compile_ms = (time.perf_counter() - start) * 1000.0
    rows = [row(catalog, "compile", [compile_ms])]
    if background is not None:
        background.wait()
        if engine.circuit is not None:
            notes.append(
                f"{catalog.name}: d-DNNF of {engine.circuit.size} edges compiled in the background "
                f"in {background.seconds:.2f} s; domains come from it"
            )
        else:
            notes.append(
                f"{catalog.name}: the background d-DNNF compile gave up after "
                f"{background.seconds:.1f} s; domains come from the SAT search"
            )

    samples = min(catalog.samples, options.samples)
    sampler = Sampler(engine, seed=zlib.crc32(catalog.name.encode()), pool=min(samples, 40))
    engine.configure({})  # warm up
    clicker = Engine(product)  # its own solver: `click` must not reuse what `domains` learnt
    clicking = compiling.start_if_worth_it(clicker)
    if clicking is not None:
        clicking.wait()
    clicker.configure({})
    chosen: list[dict[str, str]] = []
    ours: list[float] = []
    clicks: list[float] = []
    unavailable: list[tuple[str, str] | None] = []
    rng = random.Random(7)
    inconsistent = 0
    deadline = time.perf_counter() + options.budget
    while len(ours) < samples and time.perf_counter() < deadline:
        selections = sampler.selections()
        ms, configuration = timed(lambda s: engine.configure(s, alternatives=False), selections)
        ours.append(ms)
        clicks.append(timed(clicker.configure, selections)[0])
        inconsistent += not configuration.consistent
        chosen.append(selections)
        candidates = [
            (a, v)
            for a, vs in configuration.valid.items()
            if a not in selections
            for v, ok in vs.items()
            if not ok
        ]
        unavailable.append(rng.choice(candidates) if candidates else None)
    if inconsistent:
        notes.append(
            f"{catalog.name}: {inconsistent} consistent selections were reported inconsistent (engine bug)"
        )

    plain: list[float] = []
    extrapolated = False
    deadline = time.perf_counter() + options.baseline_budget
    while len(plain) < min(len(chosen), options.baseline_samples) and not extrapolated:
        if time.perf_counter() > deadline:
            break
        ms, exact = baseline(engine, chosen[len(plain)], deadline)
        plain.append(ms)
        extrapolated = not exact
    if extrapolated:
        notes.append(
            f"{catalog.name}: the last baseline sample was cut at the time budget and extrapolated"
        )
    ratio = ""
    if plain:
        ratio = round(statistics.median(plain) / statistics.median(ours[: len(plain)]), 2)
    rows.append(
        row(
            catalog,
            "domains",
            ours,
            baseline_n=len(plain),
            baseline_median_ms=round(statistics.median(plain), 3) if plain else "",
            baseline_p99_ms=harness.summary(plain)["p99_ms"] if plain else "",
            ratio=ratio,
        )
    )

    rows.append(row(catalog, "click", clicks))
    if catalog.explain:
        rows.extend(bench_explanations(catalog, engine, chosen, unavailable, options))
    if catalog.analyse:
        rows.append(bench_analysis(catalog, engine, notes))
    return rows


def bench_explanations(catalog, engine, chosen, unavailable, options) -> list[dict]:
    explain_ms: list[float] = []
    repair_ms: list[float] = []
    deadline = time.perf_counter() + options.budget
    for selections, wanted in zip(chosen, unavailable, strict=True):
        if wanted is None:
            continue
        if len(explain_ms) >= options.samples or time.perf_counter() > deadline:
            break
        explain_ms.append(timed(engine.explain, selections, *wanted)[0])
        repair_ms.append(timed(engine.repairs, selections, wanted)[0])
    return [row(catalog, "explain", explain_ms), row(catalog, "repair", repair_ms)]


def bench_analysis(catalog, engine, notes: list[str]) -> dict:
    try:
        from configurator.engine.analysis import analyse
    except ImportError as error:
        notes.append(f"{catalog.name}: analysis skipped: {error}")
        return {
            "catalog": catalog.name,
            "metric": "analyse dead/core",
            "n": 0,
            "meets": "not importable",
        }
    ms, analysis = timed(lambda: analyse(engine, count=False, redundancy=False))
    notes.append(
        f"{catalog.name}: analysis found {len(analysis.dead)} dead values, {len(analysis.core)} core values"
    )
    return row(catalog, "analyse dead/core", [ms], target_key="analyse")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples, shorter budgets")
    parser.add_argument(
        "--only", action="append", default=[], help="catalog name(s), comma separated"
    )
    parser.add_argument(
        "--samples", type=int, help="selections per catalog (default 1000, quick 100)"
    )
    parser.add_argument(
        "--budget", type=float, help="seconds per catalog and measure (default 60, quick 8)"
    )
    options = parser.parse_args(argv)
    options.samples = options.samples or (100 if options.quick else 1000)
    options.budget = options.budget or (8.0 if options.quick else 60.0)
    options.baseline_samples = 10 if options.quick else 100
    options.baseline_budget = options.budget / 2
    wanted = {name for item in options.only for name in item.split(",") if name}
    known = {c.name for c in models.CATALOGS}
    if wanted - known:
        parser.error(f"unknown catalog(s) {sorted(wanted - known)}; known: {sorted(known)}")

    rows: list[dict] = []
    notes = [
        f"load average at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus; "
        f"selections: subsets of 0-{MAX_SELECTED} attributes of random valid designs; "
        "baseline: one engine.solver.solve per candidate (attribute, value) keeping the other selections; "
        "ratio = baseline median / domains median on the same selections; "
        f"each measure stops at {options.samples} samples or {options.budget:g} s (n says how many ran)"
    ]
    for catalog in models.CATALOGS:
        if wanted and catalog.name not in wanted:
            continue
        print(f"... {catalog.name}", file=sys.stderr, flush=True)
        rows.extend(bench_catalog(catalog, options, notes))
    harness.report("engine", rows, notes="\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
