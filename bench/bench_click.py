"""One fresh htmx click, in process (Flask test client, no server): CPU, wall time and bytes.

Issue #12 item 8, "a cheaper fresh click". Each catalog runs in its own child process
(spawned: nothing cached from another catalog) that builds the real app over a catalog
folder, warms it on other designs, then sends clicks for designs it has never seen, as
htmx sends them (`HX-Request`, `HX-Trigger-Name` = the attribute just changed,
`Accept-Encoding: gzip, br`). So the page memo never hits and what is timed is the
uncached path: engine, reasons and repairs, tiles (their memo is warm), templates, and
compression if the app compresses. The parent stops a child at its time budget, so a
click that takes minutes shows up as a failed row, not a hung bench.

Rows (metric, unit):
  click cpu      time.process_time of one fresh click, ms; the target is on the median
  click wall     time.perf_counter of the same clicks, ms (no target)
  reason cpu     one unavailable tile's reason (the first the fragment links to), fetched
                 as htmx does: the link plus the design form's fields (hx-include), when
                 the app has a route whose endpoint says "why" or "reason" (reasons
                 fetched lazily); otherwise the row says it was skipped
  fragment raw   bytes of the fresh click's body before compression
  fragment gzip-6  the same, gzip level 6 in this process (helmet target: median <= 8 KB,
                 on the served size instead when the app compresses)
  fragment served  the body as served with `Accept-Encoding: gzip, br`, when the app
                 compresses (Content-Encoding in the note)
  calibration cpu  a fixed Python loop timed between clicks (every 25th): this host's
                 speed swings by half from one minute to the next, so read the click
                 rows beside it
Catalogs: (a) the shipped helmet, from catalog/; (c) and (d) the car look-alikes of
bench/models.py, written as YAML + CSV (bench/catalog_yaml.py) into a temporary catalog
folder the app loads as it loads any other. Their background d-DNNF compile is waited
for before any click (the steady state of a running server); the note says if a circuit
was installed. Helmet designs walk the valid domains as bench_web's do; car designs are
random subsets (random size and order) of random valid complete designs.

Budgets (after set-up; --quick: 30 %): helmet 300 warm-up + 1000 clicks or 30 s, car (c)
3 + 100 or 60 s, car (d) 2 + 30 or 120 s. When no timed click finishes in time, the row
fails and its median is a lower bound: the wall time the running click had when stopped.

Usage (from the repository root):
    python -m bench.bench_click [--quick] [--clicks N] [--seconds S] [--only helmet|car|car-large]
"""

from __future__ import annotations

import argparse
import gzip
import multiprocessing
import os
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.harness import report

ROOT = Path(__file__).resolve().parent.parent
SETUP_LIMIT_S = 300.0  # building, loading and compiling a catalog, before its clicks
FRAGMENT_TARGET = 8 * 1024
# Between clicks, every CALIBRATE_EVERY-th: a loop of CALIBRATION_LOOP additions, timed
# (its median is a calibration row).
CALIBRATE_EVERY = 25
CALIBRATION_LOOP = 100_000


@dataclass(frozen=True)
class Case:
    name: str
    label: str
    product: str
    target_ms: float  # CPU median of one fresh click
    clicks: int
    seconds: float  # budget for warm-up and clicks, after set-up
    warm: int  # clicks on other designs before timing
    walk: bool  # designs by walking the domains (small catalogs) or sampled
    fragment_target: int | None = None  # bytes, compressed (median)


def cases(quick: bool, clicks: int | None, seconds: float | None) -> list[Case]:
    scale = 0.3 if quick else 1.0
    return [
        Case(
            "helmet",
            "(a) shipped helmet",
            "helmet",
            2.0,
            clicks or (300 if quick else 1000),
            seconds or 30.0 * scale,
            100 if quick else 300,
            True,
            FRAGMENT_TARGET,
        ),
        Case(
            "car",
            "(c) car look-alike, 150 attributes",
            "car",
            30.0,
            clicks or (30 if quick else 100),
            seconds or 60.0 * scale,
            3,
            False,
        ),
        Case(
            "car-large",
            "(d) car look-alike, 270 attributes",
            "car-large",
            300.0,
            clicks or (10 if quick else 30),
            seconds or 120.0 * scale,
            2,
            False,
        ),
    ]


# -- in the child process ------------------------------------------------------------------


def build_app(case: Case, folder: Path):
    """The real app over a catalog folder holding the case's product."""
    from configurator.web import create_app

    if case.name == "helmet":
        catalog_dir = ROOT / "catalog"
    else:
        from bench.catalog_yaml import write_product
        from bench.models import CATALOGS

        build = next(c.build for c in CATALOGS if c.name == case.name)
        catalog_dir = folder / "catalog"
        write_product(build(), catalog_dir)
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_DIR": str(folder / "instance"),
            "CATALOG_DIR": str(catalog_dir),
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        }
    )
    app.extensions["database"].upgrade()
    return app


def run_case(case: Case, out) -> None:
    """Child process: set up, warm, then send one message per timed click."""
    from bench import clicks
    from configurator.services import compiling

    folder = Path(tempfile.mkdtemp(prefix=f"bench-click-{case.name}-"))
    try:
        started = time.perf_counter()
        app = build_app(case, folder)
        catalogs = app.extensions["catalogs"]
        engine = catalogs.engine(case.product)
        handle = catalogs.background_compile(case.product)
        compiled = "no background compile started"
        if handle is not None:
            circuit = handle.wait(compiling.TIMEOUT_S + 30)
            compiled = (
                f"circuit installed after {handle.seconds:.1f} s"
                if circuit is not None
                else f"background compile gave up after {handle.seconds or 0:.1f} s (SAT answers)"
            )
        make = clicks.walked_designs if case.walk else clicks.sampled_designs
        designs = make(engine, case.warm + case.clicks, seed=8)
        endpoints = clicks.reason_endpoints(app)
        out.send(
            (
                "ready",
                {
                    "setup_s": round(time.perf_counter() - started, 1),
                    "compile": compiled,
                    "reason_endpoints": sorted(endpoints),
                    "designs": len(designs),
                },
            )
        )
        # a shopper's first visit sends no cookie, and the app sets none for a click: the
        # test client's cookie jar work is not the app's
        client = app.test_client(use_cookies=False)
        deadline = time.perf_counter() + case.seconds
        for i, design in enumerate(designs):
            if time.perf_counter() > deadline:
                break
            warm = i < case.warm
            sample = one_click(client, engine, case.product, design)
            links = clicks.reason_links(app, sample.pop("fragment"), endpoints, first=True)
            url = sample.pop("url")
            out.send(("warm" if warm else "click", sample))
            if links:  # the first unavailable tile's reason, as its link fetches it
                reason = one_reason(client, clicks.with_form(links[0], url))
                if not warm:
                    out.send(("reason", reason))
            if not warm and i % CALIBRATE_EVERY == 0:
                out.send(("calibration", {"cpu_ms": calibration_ms()}))
        out.send(("done", {}))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def calibration_ms() -> float:
    """CPU time of a fixed pure-Python loop: how fast this machine runs Python right now.
    The host's speed swings by half from minute to minute; read the click rows beside it."""
    start = time.process_time()
    total = 0
    for i in range(CALIBRATION_LOOP):
        total += i
    return (time.process_time() - start) * 1000.0


def one_click(client, engine, product_id: str, design: dict[str, str]) -> dict:
    from bench import clicks

    url, changed = clicks.click_url(engine, product_id, design)
    headers = clicks.click_headers(product_id, changed)
    cpu, wall = time.process_time(), time.perf_counter()
    response = client.get(url, headers=headers)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    encoding = response.headers.get("Content-Encoding")
    body = response.get_data()
    raw = clicks.decoded(body, encoding)
    sample = {
        "cpu_ms": cpu * 1000.0,
        "wall_ms": wall * 1000.0,
        "raw": len(raw) if raw is not None else None,
        "gzip": len(gzip.compress(raw, compresslevel=6)) if raw is not None else None,
        "served": len(body) if encoding else None,
        "encoding": encoding,
        "fragment": raw.decode("utf-8", "replace") if raw is not None else "",
        "url": url,
    }
    return sample


def one_reason(client, url: str) -> dict:
    cpu, wall = time.process_time(), time.perf_counter()
    headers = {"HX-Request": "true", "Accept-Encoding": "gzip, br"}
    response = client.get(url, headers=headers)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {
        "cpu_ms": cpu * 1000.0,
        "wall_ms": wall * 1000.0,
        "status": response.status_code,
        "url": url,
    }


# -- in the parent ---------------------------------------------------------------------------


def collect(case: Case) -> dict:
    """Run one case in a spawned child; stop it at its budget. Returns what came back."""
    context = multiprocessing.get_context("spawn")
    # a pipe, not a Queue: a Queue's feeder thread pickles and writes each message while
    # the next click is being timed, and process_time counts every thread
    out, into = context.Pipe(duplex=False)
    # not a daemon: the app's background compile starts a child process of its own
    child = context.Process(target=run_case, args=(case, into))
    child.start()
    into.close()  # the child's end: once the child is gone, recv raises EOFError
    got: dict = {
        "ready": None,
        "warm": [],
        "click": [],
        "reason": [],
        "calibration": [],
        "done": False,
    }
    deadline = time.perf_counter() + SETUP_LIMIT_S
    last = time.perf_counter()
    try:
        while True:
            try:
                ready = out.poll(max(0.05, deadline - time.perf_counter()))
                kind, value = out.recv() if ready else (None, None)
            except EOFError:
                break
            if kind is None:
                if not child.is_alive() or time.perf_counter() >= deadline:
                    break
                continue
            last = time.perf_counter()
            if kind == "ready":
                got["ready"] = value
                print(f"  {case.name} ready: {value}", flush=True)
                deadline = last + case.seconds + 5.0  # the child stops starting clicks by then
            elif kind == "done":
                got["done"] = True
                break
            else:
                got[kind].append(value)
                if len(got[kind]) % max(1, case.clicks // 10) == 0:
                    print(f"  {case.name} {kind} {len(got[kind])}: {value['cpu_ms']:.1f} ms cpu")
    finally:
        ended = time.perf_counter()
        got["stopped"] = child.is_alive()  # still busy at the deadline: stopped by us
        if got["stopped"]:
            child.terminate()
        child.join(10)
    got["stuck_s"] = round(ended - last, 1) if got["stopped"] else None
    got["failed"] = not got["done"] and not got["stopped"]
    return got


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def spread(samples: list[float]) -> dict:
    return {
        "median": round(statistics.median(samples), 3),
        "p90": round(percentile(samples, 0.90), 3),
        "p99": round(percentile(samples, 0.99), 3),
    }


def case_rows(case: Case, got: dict) -> list[dict]:
    """The rows of one catalog: click CPU and wall, reasons, fragment sizes."""
    base = {"catalog": case.label}
    ready = got["ready"]
    if got["failed"]:
        note = "the child process failed (its traceback is printed above)"
        return [{**base, "metric": "click cpu", "unit": "ms", "n": 0, "pass": False, "note": note}]
    if ready is None:
        note = f"set-up did not finish within {SETUP_LIMIT_S:.0f} s"
        return [{**base, "metric": "click cpu", "unit": "ms", "n": 0, "pass": False, "note": note}]
    clicks = got["click"]
    setup = f"set-up {ready['setup_s']} s; {ready['compile']}"
    rows = []
    if clicks:
        cpu = spread([s["cpu_ms"] for s in clicks])
        note = setup
        if len(clicks) < case.clicks:
            note += (
                f"; {len(clicks)} of {case.clicks} clicks within the {case.seconds:.0f} s budget"
            )
        rows.append(
            {
                **base,
                "metric": "click cpu",
                "unit": "ms",
                "n": len(clicks),
                **cpu,
                "target": f"median <= {case.target_ms:g}",
                "pass": cpu["median"] <= case.target_ms,
                "note": note,
            }
        )
        rows.append(
            {
                **base,
                "metric": "click wall",
                "unit": "ms",
                "n": len(clicks),
                **spread([s["wall_ms"] for s in clicks]),
            }
        )
    else:
        warmed = len(got["warm"])
        stuck = got["stuck_s"]
        note = (
            f"{setup}; no fresh click finished within the {case.seconds:.0f} s budget "
            f"({warmed} of {case.warm} warm-up clicks did"
            + (f"; the last one running was stopped after {stuck} s" if stuck else "")
            + ")"
        )
        if got["warm"]:
            note += f"; warm-up click cpu median {spread([s['cpu_ms'] for s in got['warm']])['median']} ms"
        rows.append(
            {
                **base,
                "metric": "click cpu",
                "unit": "ms",
                "n": 0,
                "median": f"> {stuck * 1000:.0f}" if stuck else None,
                "target": f"median <= {case.target_ms:g}",
                "pass": False,
                "note": note,
            }
        )
    rows.append(reason_row(base, ready, got["reason"]))
    rows += size_rows(base, clicks or got["warm"], case.fragment_target)
    if got["calibration"]:
        rows.append(
            {
                **base,
                "metric": "calibration cpu",
                "unit": "ms",
                "n": len(got["calibration"]),
                **spread([s["cpu_ms"] for s in got["calibration"]]),
                "note": f"{CALIBRATION_LOOP:,} additions in a Python loop, timed between "
                "clicks: the machine's speed during these clicks",
            }
        )
    return rows


def reason_row(base: dict, ready: dict, reasons: list[dict]) -> dict:
    row = {**base, "metric": "reason cpu", "unit": "ms"}
    if not ready["reason_endpoints"]:
        return {
            **row,
            "n": 0,
            "note": "skipped: no route whose endpoint says why/reason; "
            "reasons come with the page click",
        }
    if not reasons:
        return {
            **row,
            "n": 0,
            "note": f"{ready['reason_endpoints']} exist but no fragment linked to them",
        }
    failed = sum(r["status"] != 200 for r in reasons)
    return {
        **row,
        "n": len(reasons),
        **spread([r["cpu_ms"] for r in reasons]),
        "note": f"endpoints {ready['reason_endpoints']}, e.g. {shorten(reasons[0]['url'])}"
        + (f"; {failed} answers not 200" if failed else ""),
    }


def shorten(url: str, keep: int = 100) -> str:
    return url if len(url) <= keep else url[:keep] + "..."


def size_rows(base: dict, samples: list[dict], target: int | None) -> list[dict]:
    """Raw, gzip-6 and served sizes; the target is on the served size when the app
    compresses, else on gzip-6."""
    if not samples:
        return []
    rows = []
    compressed_target = "served" if any(s["served"] for s in samples) else "gzip"
    for metric, field in (
        ("fragment raw", "raw"),
        ("fragment gzip-6", "gzip"),
        ("fragment served", "served"),
    ):
        values = [s[field] for s in samples if s[field] is not None]
        if not values:
            continue
        row = {**base, "metric": metric, "unit": "bytes", "n": len(values), **spread(values)}
        if field == compressed_target and target is not None:
            row["target"] = f"median <= {target}"
            row["pass"] = row["median"] <= target
        if field == "served":
            encodings = sorted({s["encoding"] for s in samples if s["encoding"]})
            row["note"] = f"Content-Encoding {', '.join(encodings)} (Accept-Encoding: gzip, br)"
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer clicks, shorter budgets")
    parser.add_argument("--clicks", type=int, default=None, help="timed clicks per catalog")
    parser.add_argument("--seconds", type=float, default=None, help="budget per catalog")
    parser.add_argument("--only", action="append", help="helmet, car or car-large (repeatable)")
    args = parser.parse_args()
    rows = []
    for case in cases(args.quick, args.clicks, args.seconds):
        if args.only and case.name not in args.only:
            continue
        print(f"{case.label}: up to {case.clicks} fresh clicks in {case.seconds:.0f} s", flush=True)
        rows += case_rows(case, collect(case))
    notes = (
        "In process (Flask test client), one spawned process per catalog, "
        f"{os.cpu_count()} cores. Fresh clicks: designs never requested in that process "
        "(warm-up clicks on other designs first), so the page memo never hits. "
        "Targets: helmet click CPU median <= 2 ms, car (c) <= 30 ms, car (d) <= 300 ms "
        "(the whole shop click, every unavailable tile's text included), fragment <= 8 KB "
        "compressed. Car catalogs are written as YAML + CSV and loaded by the app's loader."
    )
    report("click", rows, notes=notes)


if __name__ == "__main__":
    main()
