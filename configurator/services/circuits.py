"""Compile each product's circuit once (at publish) and keep it on disk, so workers load it.

A worker's background compile (`services.compiling`) gives up after 10 s, and large
catalogs never get a circuit that way. `compile_and_store` compiles with minutes of
budget and writes `<instance>/circuits/<product id>-<product version>.circuit`;
`Catalogs.engine` calls `load` before it would start a background compile.

The file (format 1): one line `configurator-circuit 1`, one line of JSON (the header),
then d4's NNF text compressed with zlib. The header says what the circuit belongs to,
and `load` checks all of it before parsing anything:

  product, version  the product id and its catalog content hash (`Product.version`)
  encoding          a hash of the engine's variable numbering (every (attribute, value)
                    literal and the number of variables): a circuit answers in
                    variables, so a new engine that numbers them differently must not
                    read an old file of the same catalog
  nvars, edges      the circuit's variables and edges
  sha256            of the compressed body (a torn or altered file is refused)
  compile_s         how long d4 took

The NNF text is the compact form: d4's own, versioned by this header, and what
`Circuit(nnf, nvars)` parses (on car look-alike (d): about 74 MB of text, 11-13 MB
compressed). A file that is missing, unreadable or for anything else is ignored (None):
a worker then falls back to the background compile and SAT, never crashes on a bad file.

Measured on (d) (bench/bench_circuit.py, 2 busy cores, two runs): d4 compiles it in
131-134 s to 97,000-126,000 edges (d4 is not deterministic); a worker loads it in
4-7 s and grows by 1.0-1.2 GB. Valid domains over the same 600 clicks: median 13-15 ms
by SAT, 41-51 ms from the circuit; p99 173-227 ms by SAT, 88-115 ms from the circuit
(the circuit's two passes cost the same at every click; SAT is slow on the first ones).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from configurator.catalog.model import Product
from configurator.config import Settings
from configurator.engine import Circuit, Engine

from . import compiling

FORMAT = 1
MAGIC = f"configurator-circuit {FORMAT}\n".encode()
SUFFIX = ".circuit"
BUDGET_S = 600.0
MAX_HEADER = 64 * 1024

Progress = Callable[[float, str], None]  # (seconds elapsed, phase)

log = logging.getLogger("configurator.circuits")


@dataclass(frozen=True)
class StoredCircuit:
    """A circuit written to `path`: what it belongs to and what it cost (`circuit`: the
    parsed circuit when it was just compiled, None when only the file was looked at)."""

    path: Path
    product_id: str
    version: str
    edges: int
    file_bytes: int
    compile_s: float
    circuit: Circuit | None = field(default=None, repr=False, compare=False)


def folder_of(settings_or_folder: Settings | Path | str) -> Path:
    """The circuits folder: `<instance>/circuits` of settings, or the folder itself."""
    if isinstance(settings_or_folder, Settings):
        return settings_or_folder.instance_dir / "circuits"
    return Path(settings_or_folder)


def path_for(folder: Path | str, product: Product) -> Path:
    """Where the circuit of this product version is kept."""
    return Path(folder) / f"{product.id}-{product.version}{SUFFIX}"


def encoding_hash(engine: Engine) -> str:
    """A hash of the engine's variable numbering: what a stored circuit's answers mean."""
    numbering = sorted([a, v, lit] for (a, v), lit in engine.encoding.lits.items())
    text = json.dumps([engine.encoding.top, numbering], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def compile_and_store(
    settings_or_folder: Settings | Path | str,
    product: Product,
    engine: Engine | None = None,
    *,
    budget_s: float = BUDGET_S,
    progress: Progress | None = None,
) -> StoredCircuit | None:
    """Compile the product's circuit with d4 (in a child process, at most `budget_s`) and
    write it atomically; None when d4 is missing, fails or runs out of time.

    `progress(seconds, phase)` is called with phase "encoding", then about every second
    "compiling", then "parsing", "writing" and "stored" (or "gave up")."""
    started = time.perf_counter()

    def report(phase: str) -> None:
        if progress is not None:
            progress(time.perf_counter() - started, phase)

    report("encoding")
    engine = engine if engine is not None else Engine(product)
    try:
        nnf = compiling.compile_nnf(
            engine.exact_clauses(),
            engine.encoding.top,
            budget_s,
            None if progress is None else lambda _s, phase: report(phase),
        )
    except Exception:  # d4 crashed in its child: no circuit, the caller says so
        log.exception("compiling %s %s failed", product.id, product.version)
        nnf = None
    if nnf is None:
        report("gave up")
        return None
    compile_s = round(time.perf_counter() - started, 3)
    report("parsing")
    circuit = Circuit(nnf, engine.encoding.top)  # refuse to store what cannot be read
    report("writing")
    body = zlib.compress(nnf.encode(), 6)
    header = {
        "product": product.id,
        "version": product.version,
        "encoding": encoding_hash(engine),
        "nvars": engine.encoding.top,
        "edges": circuit.size,
        "sha256": hashlib.sha256(body).hexdigest(),
        "compile_s": compile_s,
    }
    folder = folder_of(settings_or_folder)
    path = path_for(folder, product)
    _write_atomically(path, MAGIC + json.dumps(header).encode() + b"\n" + body)
    report("stored")
    return StoredCircuit(
        path=path,
        product_id=product.id,
        version=product.version,
        edges=circuit.size,
        file_bytes=path.stat().st_size,
        compile_s=compile_s,
        circuit=circuit,
    )


def load(folder: Path | str, product: Product, engine: Engine | None = None) -> Circuit | None:
    """The stored circuit of this product version, or None (absent, unreadable, or made for
    another product, version, file format or, when `engine` is given, variable numbering)."""
    path = path_for(folder, product)
    try:
        with path.open("rb") as file:
            header = _header(file)
            if header is None or not _belongs(header, product, engine):
                log.warning("ignoring %s: made for another product version or engine", path)
                return None
            body = file.read()
        if hashlib.sha256(body).hexdigest() != header["sha256"]:
            log.warning("ignoring %s: its checksum does not match (a torn or altered file)", path)
            return None
        return Circuit(zlib.decompress(body).decode(), int(header["nvars"]))
    except FileNotFoundError:
        return None
    except Exception:  # whatever is wrong with the file, the worker keeps serving by SAT
        log.warning("ignoring %s: it cannot be read", path, exc_info=True)
        return None


def stored(
    folder: Path | str, product: Product, engine: Engine | None = None
) -> StoredCircuit | None:
    """The file kept for this product version, if any (its header checked, its body not read)."""
    path = path_for(folder, product)
    try:
        with path.open("rb") as file:
            header = _header(file)
        if header is None or not _belongs(header, product, engine):
            return None
        return StoredCircuit(
            path=path,
            product_id=product.id,
            version=product.version,
            edges=int(header["edges"]),
            file_bytes=path.stat().st_size,
            compile_s=float(header["compile_s"]),
        )
    except (OSError, KeyError, TypeError, ValueError):
        return None


def compile_all(
    ctx,
    *,
    budget_s: float = BUDGET_S,
    progress: Callable[[Product, float, str], None] | None = None,
    again: bool = False,
    products: Iterable[Product] | None = None,
) -> dict[str, StoredCircuit | None]:
    """Compile and store every product of `ctx.catalogs` (a bootstrap Context) that has no
    stored circuit yet (all of them with `again`); {product id: the stored circuit (the one
    kept, when `progress` says "kept"), or None when it could not be compiled}.

    `progress(product, seconds, phase)`: the phases of `compile_and_store`. `products`:
    these instead of `ctx.catalogs`'s (a catalog being published from another folder)."""
    folder = folder_of(ctx.settings)
    done: dict[str, StoredCircuit | None] = {}
    for product in ctx.catalogs.products if products is None else products:
        engine = Engine(product)  # not the catalogs' own: that one may start a background compile
        kept = None if again else stored(folder, product, engine)
        if kept is not None:
            if progress is not None:
                progress(product, 0.0, "kept")
            done[product.id] = kept
            continue
        on_progress = None
        if progress is not None:

            def on_progress(seconds: float, phase: str, product: Product = product) -> None:
                progress(product, seconds, phase)

        done[product.id] = compile_and_store(
            folder, product, engine, budget_s=budget_s, progress=on_progress
        )
    return done


def _header(file) -> dict | None:
    if file.read(len(MAGIC)) != MAGIC:
        return None
    line = file.readline(MAX_HEADER)
    try:
        header = json.loads(line)
    except ValueError:
        return None
    return header if isinstance(header, dict) else None


def _belongs(header: dict, product: Product, engine: Engine | None) -> bool:
    if (header.get("product"), header.get("version")) != (product.id, product.version):
        return False
    if not isinstance(header.get("sha256"), str) or not isinstance(header.get("nvars"), int):
        return False
    if engine is None:
        return True
    return header.get("nvars") == engine.encoding.top and header.get("encoding") == encoding_hash(
        engine
    )


def _write_atomically(path: Path, content: bytes) -> None:
    """Write beside, flush to disk, then rename: a reader sees the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # workers may run as another user than the publisher
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
