"""A circuit compiled once and stored (issue #17 part 4): valid domains with it and without it.

    python -m bench.bench_circuit [--only car-large[,car]] [--budget SECONDS] [--sessions N]

(from the repository root). For each catalog (default: the car look-alike (d) of
bench/models.py), in one run:

1. `compile`: `services.circuits.compile_and_store` into a temporary folder, with the
   budget a publish would give it (default 600 s; progress every 10 s on stderr), and the
   stored file's size;
2. `load`: what a worker pays at start-up, `services.circuits.load` (read, checksum,
   decompress, parse) on a fresh engine, in a fresh (spawned) process, and how much that
   process's memory grew (RSS); then the same load again in this process;
3. `domains`: the same click sequence on two engines, one answering by SAT search as
   every worker does today ((d) is over `compiling.MAX_CLAUSES`, so no background
   compile ever starts), one with the stored circuit installed at start-up; the clicks
   alternate between the two so both see the same machine load. A session is a shopper
   clicking the attributes of one random valid design, one at a time in random order,
   each click timing `configure(selections, alternatives=False)` (valid domains and the
   design as it stands); `first clicks` are the rows with at most 3 selections, where
   every shopper starts.

If d4 runs out of budget, the `compile` row says so and the catalog has no circuit rows.
Results: a table on screen and bench/results/circuit.json.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import tempfile
import time
import zlib
from pathlib import Path

from bench import harness, models
from configurator.engine import Engine
from configurator.services import circuits, compiling

FIRST_CLICKS = 3  # selections
MAX_CLICKS = 30  # per session


def rss_mb() -> float:
    """This process's resident memory now (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def load_in_fresh_process(name: str, folder: str) -> tuple[float, float]:
    """(seconds, RSS growth in MB) of loading the stored circuit in a new worker-like process."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(_load_timed, (name, folder))


def _load_timed(name: str, folder: str) -> tuple[float, float]:
    """In the spawned process: build the product and its engine, then time the load."""
    product = {c.name: c for c in models.CATALOGS}[name].build()
    engine = Engine(product)
    engine.configure({})
    before = rss_mb()
    start = time.perf_counter()
    circuit = circuits.load(folder, product, engine)
    seconds = time.perf_counter() - start
    if circuit is None:
        raise RuntimeError("the stored circuit did not load")
    return seconds, rss_mb() - before


def sessions(engine: Engine, count: int, seed: int) -> list[list[dict[str, str]]]:
    """Each session: the growing selections of a shopper clicking one random valid design's
    attributes in random order (at most MAX_CLICKS clicks)."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        design = engine.random_design(rng.randrange(2**31), {})
        order = sorted(design)
        rng.shuffle(order)
        selections: dict[str, str] = {}
        clicks = []
        for attribute in order[:MAX_CLICKS]:
            selections = {**selections, attribute: design[attribute]}
            clicks.append(selections)
        out.append(clicks)
    return out


def stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    summary = harness.summary(samples)
    return {
        "n": summary["n"],
        "median_ms": summary["median_ms"],
        "p90_ms": round(p90, 3),
        "p99_ms": summary["p99_ms"],
        "max_ms": summary["max_ms"],
    }


def bench_catalog(catalog, options, notes: list[str]) -> list[dict]:
    started = time.perf_counter()
    product = catalog.build()
    notes.append(
        f"{catalog.name}: {catalog.label}: {models.describe(product)}; "
        f"built in {time.perf_counter() - started:.1f} s"
    )
    by_sat = Engine(product)
    clauses = len(by_sat.exact_clauses())
    today = "a background compile" if compiling.worth_compiling(by_sat) else "no background compile"
    notes.append(
        f"{catalog.name}: exact CNF {clauses} clauses, {by_sat.encoding.top} variables: "
        f"today's workers start {today}"
    )
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as folder:
        last = [-10.0]

        def progress(seconds: float, phase: str) -> None:
            if phase != "compiling" or seconds - last[0] >= 10:
                last[0] = seconds
                print(f"   {catalog.name}: {phase} {seconds:.0f} s", file=sys.stderr, flush=True)

        stored = circuits.compile_and_store(
            folder, product, by_sat, budget_s=options.budget, progress=progress
        )
        if stored is None:
            notes.append(f"{catalog.name}: d4 gave up after {options.budget:g} s: no circuit")
            return [{"catalog": catalog.name, "metric": "compile", "n": 0, "note": "gave up"}]
        rows.append(
            {
                "catalog": catalog.name,
                "metric": "compile",
                "n": 1,
                "seconds": stored.compile_s,
                "edges": stored.edges,
                "file_mb": round(stored.file_bytes / 1e6, 2),
            }
        )
        del stored  # its parsed circuit: the engine below loads its own
        fresh_s, growth = load_in_fresh_process(catalog.name, folder)
        rows.append(
            {
                "catalog": catalog.name,
                "metric": "load, fresh worker",
                "n": 1,
                "seconds": round(fresh_s, 3),
                "rss_growth_mb": round(growth, 1),
            }
        )
        with_circuit = Engine(product)
        start = time.perf_counter()
        circuit = circuits.load(folder, product, with_circuit)
        load_s = time.perf_counter() - start
        if circuit is None:
            raise RuntimeError("the stored circuit did not load")
        with_circuit.install_circuit(circuit)
        rows.append(
            {"catalog": catalog.name, "metric": "load, here", "n": 1, "seconds": round(load_s, 3)}
        )
    rows += bench_domains(catalog, options, by_sat, with_circuit, notes)
    return rows


def bench_domains(catalog, options, by_sat: Engine, with_circuit: Engine, notes) -> list[dict]:
    by_sat.configure({})  # warm up, as a worker's first request does
    with_circuit.configure({})
    timed: dict[str, list[tuple[int, float]]] = {"sat": [], "circuit": []}
    differ = 0
    deadline = time.perf_counter() + options.seconds
    clicks = sessions(by_sat, options.sessions, seed=zlib.crc32(catalog.name.encode()))
    done = 0
    for session in clicks:
        if time.perf_counter() > deadline:
            break
        done += 1
        for selections in session:
            answers = {}
            for name, engine in (("sat", by_sat), ("circuit", with_circuit)):
                start = time.perf_counter()
                answers[name] = engine.configure(selections, alternatives=False)
                timed[name].append((len(selections), (time.perf_counter() - start) * 1000.0))
            differ += answers["sat"].valid != answers["circuit"].valid
    notes.append(
        f"{catalog.name}: {done} sessions of up to {MAX_CLICKS} clicks "
        f"({len(timed['sat'])} clicks); the two engines' valid domains differed on {differ}"
    )
    rows = []
    for subset, keep in (("whole sessions", None), ("first clicks", FIRST_CLICKS)):
        for name, label in (("sat", "without circuit"), ("circuit", "with stored circuit")):
            samples = [ms for n, ms in timed[name] if keep is None or n <= keep]
            rows.append(
                {
                    "catalog": catalog.name,
                    "metric": f"domains, {subset}",
                    "engine": label,
                    **stats(samples),
                }
            )
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="car-large", help="catalog name(s), comma separated")
    parser.add_argument("--budget", type=float, default=600.0, help="d4's budget, seconds")
    parser.add_argument("--sessions", type=int, default=20, help="click sessions per catalog")
    parser.add_argument(
        "--seconds", type=float, default=300.0, help="time for the sessions per catalog"
    )
    options = parser.parse_args(argv)
    wanted = [name for name in options.only.split(",") if name]
    known = {c.name: c for c in models.CATALOGS}
    if set(wanted) - set(known):
        parser.error(f"unknown catalog(s) {sorted(set(wanted) - set(known))}")
    notes = [
        f"load average at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus; "
        "domains: configure(selections, alternatives=False) on the same clicks, alternating "
        f"between the engines; first clicks: at most {FIRST_CLICKS} selections"
    ]
    rows: list[dict] = []
    for name in wanted:
        print(f"... {name}", file=sys.stderr, flush=True)
        rows += bench_catalog(known[name], options, notes)
    notes.append(f"load average at the end {os.getloadavg()[0]:.1f}")
    harness.report("circuit", rows, notes="\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
