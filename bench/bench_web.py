"""Load the real app under gunicorn (2 workers) with concurrent clients on this machine.

Two requests a shopper makes on every click: the htmx choice request
(GET /p/helmet?... with HX-Request) and the JSON configure request. Each is
measured four ways: closed loop (32 clients, each sends its next request when
the last answer arrives: the throughput ceiling) and open loop at a fixed 400
requests/s over 32 connections (the latency a shopper sees at that load), each
with designs that repeat (server caches warm) and with a fresh design on every
request (no cache can help). Also the configurator page weight.

The bare-Flask ceiling, measured in the same run before and after the shop's rows:
bench/bare_app.py (GET / answers 1 KB of text) under the same gunicorn flags and the same
closed-loop generator. Its req/s (the mean of the two) is the most any Flask view can
reach here; each closed-loop row's `of_ceiling` is its req/s as a fraction of it (target: the fresh htmx click >= 20 %). When the
repository has a gunicorn.conf.py, both servers start with `-c gunicorn.conf.py` and the
bench's explicit flags (which win).

Usage (from the repository root): python -m bench.bench_web [--quick] [--seconds N]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.harness import report, summary
from configurator.catalog import load_product
from configurator.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 32
RATE = 400
CEILING_TARGET = 0.20  # the fresh htmx click's share of the bare-Flask ceiling


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn_command(port: int, target: str) -> list[str]:
    """gunicorn with the bench's flags, after the repository's gunicorn.conf.py when there is one
    (explicit flags beat the file's settings)."""
    command = [str(Path(sys.executable).parent / "gunicorn")]
    if (ROOT / "gunicorn.conf.py").exists():
        command += ["-c", "gunicorn.conf.py"]
    return command + [
        "-w",
        "2",
        "-b",
        f"127.0.0.1:{port}",
        "--backlog",
        "2048",
        "--log-level",
        "warning",
        target,
    ]


def start_server(
    instance: Path, port: int, target: str = "configurator.web:create_app()", upgrade: bool = True
) -> subprocess.Popen:
    env = {**os.environ, "CONFIGURATOR_INSTANCE_DIR": str(instance), "PYTHONPATH": str(ROOT)}
    if upgrade:
        subprocess.run(
            [str(Path(sys.executable).parent / "python"), "-m", "configurator", "db", "upgrade"],
            env=env,
            check=True,
            capture_output=True,
        )
    server = subprocess.Popen(gunicorn_command(port, target), env=env, cwd=ROOT)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


def bare_ceiling(instance: Path, seconds: float, when: str) -> dict:
    """Closed-loop requests a second of bench/bare_app.py (GET /, 1 KB) under the same gunicorn
    settings and load generator: the most this machine serves from any Flask view."""
    port = free_port()
    server = start_server(instance, port, "bench.bare_app:create_app()", upgrade=False)
    payload = (f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").encode()
    try:
        asyncio.run(closed_loop(port, lambda i: payload, 1.0))  # warm
        lat, errors, elapsed = asyncio.run(closed_loop(port, lambda i: payload, seconds))
    finally:
        stop_server(server)
    return load_row("bare Flask GET / (1 KB)", f"- ({when})", "closed", lat, errors, elapsed)


def load_row(request: str, designs: str, mode: str, lat, errors: int, elapsed: float) -> dict:
    """One row of the table: throughput and latency of one load run."""
    stats = summary(lat)
    return {
        "request": request,
        "designs": designs,
        "load": f"{mode} c={CLIENTS}",
        "rps": round(len(lat) / elapsed, 1),
        "p50_ms": stats["median_ms"],
        "p99_ms": stats["p99_ms"],
        "max_ms": stats["max_ms"],
        "errors": errors,
        "n": len(lat),
    }


def random_designs(engine: Engine, count: int, seed: int) -> list[dict[str, str]]:
    """Consistent partial designs of varying size, built by walking the valid domains."""
    rng = random.Random(seed)
    out = []
    choice_attrs = [a for a in engine.product.attributes if a.kind == "choice"]
    for _ in range(count):
        selections: dict[str, str] = {}
        for attr in rng.sample(choice_attrs, rng.randint(1, len(choice_attrs))):
            domains = engine.valid_domains(selections)  # choices only: values as chosen
            values = [v for v, ok in domains[attr.id].items() if ok and v != "none"]
            if values:
                selections[attr.id] = rng.choice(values)
        out.append(selections)
    return out


def htmx_request(port: int, product: str, selections: dict[str, str]) -> bytes:
    from urllib.parse import urlencode

    query = urlencode(selections)
    last = next(reversed(selections), "")
    return (
        f"GET /p/{product}?{query} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHX-Request: true\r\n"
        f"HX-Trigger-Name: {last}\r\nHX-Current-URL: http://127.0.0.1:{port}/p/{product}\r\nConnection: close\r\n\r\n"
    ).encode()


def wrk_line(payload: bytes) -> str:
    """A raw request as one line of bench/wrk.lua's input."""
    head, _, body = payload.partition(b"\r\n\r\n")
    first, *fields = head.decode().split("\r\n")
    method, path, _ = first.split(" ")
    keep = [
        f for f in fields if not f.lower().startswith(("host:", "connection:", "content-length:"))
    ]
    return "\t".join((method, path, "|".join(keep), body.decode())) + "\n"


def wrk_closed(port: int, payloads: list[bytes], seconds: float) -> dict:
    """Closed loop with wrk (C, one thread): the load generator takes far less CPU from
    the server than the Python one. Returns the same fields as the Python runs."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        f.writelines(wrk_line(p) for p in payloads)
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{CLIENTS}",
                f"-d{seconds:.0f}s",
                "-s",
                str(ROOT / "bench" / "wrk.lua"),
                f"http://127.0.0.1:{port}",
                "--",
                f.name,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(f.name)
    result = json.loads(out.strip().splitlines()[-1])
    return {
        "rps": round(result["requests"] / (result["duration_us"] / 1e6), 1),
        "p50_ms": result["p50_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "max_ms": result["max_us"] / 1000,
        "errors": result["errors"],
        "n": result["requests"],
    }


def configure_request(port: int, product: str, selections: dict[str, str]) -> bytes:
    body = json.dumps({"selections": selections}).encode()
    head = (
        f"POST /api/v1/products/{product}/configure HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    return head + body


async def one(port: int, payload: bytes) -> tuple[float, int]:
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(payload)
    await writer.drain()
    data = await reader.read()
    writer.close()
    status = int(data[9:12]) if data[:5] == b"HTTP/" else 0
    return (time.perf_counter() - start) * 1000.0, status


async def closed_loop(port: int, payloads, seconds: float) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    counter = iter(range(10**9))

    async def client() -> None:
        nonlocal errors
        while time.perf_counter() < stop:
            ms, status = await one(port, payloads(next(counter)))
            latencies.append(ms)
            errors += status != 200

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    return latencies, errors, time.perf_counter() - started


async def open_loop(
    port: int, payloads, seconds: float, rate: int
) -> tuple[list[float], int, float]:
    """Requests start on a fixed schedule (no coordinated omission); at most CLIENTS in flight."""
    latencies: list[float] = []
    errors = 0
    gate = asyncio.Semaphore(CLIENTS)
    total = int(seconds * rate)
    started = time.perf_counter()

    async def fire(i: int) -> None:
        nonlocal errors
        due = started + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        async with gate:
            _, status = await one(port, payloads(i))
            latencies.append((time.perf_counter() - due) * 1000.0)  # from when it was due
            errors += status != 200

    await asyncio.gather(*(fire(i) for i in range(total)))
    return latencies, errors, time.perf_counter() - started


def page_weight(port: int) -> dict:
    html = urllib.request.urlopen(f"http://127.0.0.1:{port}/p/helmet").read()
    import re

    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    sizes = {"html": len(html)}
    total = len(html)
    gz = len(gzip.compress(html))
    for asset in assets:
        data = urllib.request.urlopen(f"http://127.0.0.1:{port}{asset.decode()}").read()
        sizes[asset.decode()] = len(data)
        total += len(data)
        gz += len(gzip.compress(data))
    return {"total_bytes": total, "total_gzip_bytes": gz, "parts": sizes}


def of_ceiling(rows: list[dict], ceiling: float) -> dict[str, float]:
    """Add each closed-loop shop row's share of the bare-Flask ceiling (req/s; asyncio
    generator rows only); return the fresh rows' shares by request."""
    fresh = {}
    for row in rows:
        if row["request"].startswith("bare") or row["load"] != f"closed c={CLIENTS}":
            continue
        row["of_ceiling"] = round(row["rps"] / ceiling, 3)
        if row["designs"] == "fresh":
            fresh[row["request"]] = row["of_ceiling"]
            if row["request"] == "htmx choice":
                row["target"] = f">= {CEILING_TARGET:.0%} of ceiling"
                row["pass"] = row["of_ceiling"] >= CEILING_TARGET
    return fresh


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="5 s per run instead of 30 s")
    parser.add_argument("--seconds", type=float, default=None)
    args = parser.parse_args()
    seconds = args.seconds or (5.0 if args.quick else 30.0)
    engine = Engine(load_product(ROOT / "catalog" / "helmet.yaml"))
    repeat_pool = random_designs(engine, 200, seed=1)
    fresh_pool = random_designs(engine, int(seconds * 1500) + 1000, seed=2)
    instance = Path(tempfile.mkdtemp(prefix="bench-web-"))
    before = bare_ceiling(instance, seconds, "before")
    print(before, flush=True)
    rows = [before]
    port = free_port()
    server = start_server(instance, port)
    try:
        weight = page_weight(port)
        for name, build in (("htmx choice", htmx_request), ("api configure", configure_request)):
            repeat = [build(port, "helmet", s) for s in repeat_pool]
            fresh = [build(port, "helmet", s) for s in fresh_pool]
            for _ in range(2):  # warm: every repeating design served once per worker
                asyncio.run(closed_loop(port, lambda i, r=repeat: r[i % len(r)], 1.0))
            offset = {"n": 0}

            def fresh_payload(i, f=fresh, o=offset):
                o["n"] += 1
                return f[o["n"] % len(f)]

            for designs, payloads in (
                ("repeating", lambda i, r=repeat: r[i % len(r)]),
                ("fresh", fresh_payload),
            ):
                for mode in ("closed", "open@400"):
                    if mode == "closed":
                        lat, errors, elapsed = asyncio.run(closed_loop(port, payloads, seconds))
                    else:
                        lat, errors, elapsed = asyncio.run(open_loop(port, payloads, seconds, RATE))
                    rows.append(load_row(name, designs, mode, lat, errors, elapsed))
                    print(rows[-1], flush=True)
                if shutil.which("wrk"):
                    # fresh: the designs not sent yet first; the pool is far larger than
                    # any server cache, so wrapping around still finds them cold
                    start = offset["n"] % len(fresh)
                    pool = repeat if designs == "repeating" else fresh[start:] + fresh[:start]
                    rows.append(
                        {
                            "request": name,
                            "designs": designs,
                            "load": f"closed c={CLIENTS} (wrk)",
                            **wrk_closed(port, pool, seconds),
                        }
                    )
                    print(rows[-1], flush=True)
    finally:
        stop_server(server)
        shutil.rmtree(instance, ignore_errors=True)
    after = bare_ceiling(instance, seconds, "after")
    print(after, flush=True)
    rows.append(after)
    ceiling = round((before["rps"] + after["rps"]) / 2, 1)
    fractions = of_ceiling(rows, ceiling)
    notes = (
        f"gunicorn -w 2 (sync workers) on {os.cpu_count()} cores, load generator on the same machine "
        "(our asyncio one, and wrk where installed: `apt-get install wrk`; it takes less CPU from the server), "
        f"{seconds:.0f} s per run. Targets: p99 <= 25 ms and >= 400 req/s on the helmet. "
        f"Bare-Flask ceiling (bench/bare_app.py, GET / 1 KB, same gunicorn flags"
        f"{' and gunicorn.conf.py' if (ROOT / 'gunicorn.conf.py').exists() else ''}, same generator): "
        f"{ceiling} req/s (the mean of a run before the shop's and one after); of_ceiling = a closed-loop row's req/s as a fraction of it: "
        f"fresh htmx click {fractions['htmx choice']:.0%} (target >= {CEILING_TARGET:.0%}), "
        f"fresh API configure {fractions['api configure']:.0%}. "
        f"Configurator page weight: {weight['total_bytes']} bytes (HTML+CSS+JS), "
        f"{weight['total_gzip_bytes']} gzipped; target < 100 KB. Parts: {weight['parts']}"
        f"{in_process_click()}"
    )
    report("web", rows, notes=notes)


def in_process_click() -> str:
    """The fresh click's CPU and fragment size, in process (bench/bench_click.py writes them
    to click.json; this bench serves over HTTP and cannot time one request's CPU)."""
    path = ROOT / "bench" / "results" / "click.json"
    try:
        found = json.loads(path.read_text())
    except (OSError, ValueError):
        return ". No click.json yet: run `python -m bench.bench_click` for the in-process figures."
    rows = {
        r["metric"]: r
        for r in found.get("rows", [])
        if r.get("catalog", "").startswith("(a)") and "median" in r
    }
    cpu, served = rows.get("click cpu"), rows.get("fragment served")
    if cpu is None or served is None:
        return ""
    return (
        f". In process (click.json, {found.get('when')}): fresh htmx click CPU median "
        f"{cpu['median']} ms (target <= 2), served fragment median {served['median']:.0f} bytes "
        "(target <= 8 KB)."
    )


if __name__ == "__main__":
    main()
