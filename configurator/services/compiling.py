"""Compile an engine's d-DNNF circuit in the background: starts a thread and a child process.

The engine itself never does: `Engine(product)` only builds its solvers, and answers
valid domains by SAT search until `engine.install_circuit(circuit)` gives it a compiled
circuit (two linear passes per query instead). Knowledge compilation pays off on
catalogs with structure (the industrial feature models compile in about a second) and
never finishes on others, so `start` runs d4 in a child process (fork, at nice 10,
its output sent to /dev/null) with a time budget, watched by a daemon thread that
installs the circuit when it arrives. A compile that fails or runs out of time only
loses the shortcut.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable

from configurator.engine import Circuit, Engine

# Tried for catalogs with at least this many values, given this long, and not tried at
# all on CNFs this large (they never finish).
MIN_VALUES = 200
TIMEOUT_S = 10.0
MAX_CLAUSES = 200_000
# How often a long compile (`compile_nnf` with `progress`) reports the seconds elapsed.
PROGRESS_EVERY_S = 1.0

Progress = Callable[[float, str], None]  # (seconds elapsed, phase)


class Compiling:
    """One background compile: `ready` is set once it has succeeded or given up."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.circuit: Circuit | None = None
        self.seconds: float | None = None

    def wait(self, timeout: float | None = None) -> Circuit | None:
        """Block until done (or `timeout`); the circuit, if there is one."""
        self.ready.wait(timeout)
        return self.circuit


def available() -> bool:
    """Is the d4 compiler (the d4solver package) installed?"""
    try:
        import py_d4  # noqa: F401
    except ImportError:
        return False
    return True


def worth_compiling(engine: Engine, clauses: list[list[int]] | None = None) -> bool:
    """The policy: catalogs of at least MIN_VALUES values, CNFs of at most MAX_CLAUSES."""
    if len(engine.encoding.lits) < MIN_VALUES or not available():
        return False
    return len(clauses if clauses is not None else engine.exact_clauses()) <= MAX_CLAUSES


def start(
    engine: Engine, timeout_s: float = TIMEOUT_S, clauses: list[list[int]] | None = None
) -> Compiling:
    """Compile in a daemon thread (the work happens in a child process) and install the
    circuit into the engine when it arrives."""
    handle = Compiling()
    clauses = engine.exact_clauses() if clauses is None else clauses
    nvars = engine.encoding.top
    thread = threading.Thread(
        target=_run, args=(engine, handle, clauses, nvars, timeout_s), daemon=True
    )
    thread.start()
    return handle


def start_if_worth_it(engine: Engine) -> Compiling | None:
    """`start` under the policy of `worth_compiling`; None when not worth it."""
    clauses = engine.exact_clauses()
    if not worth_compiling(engine, clauses):
        return None
    return start(engine, clauses=clauses)  # built once: 45 ms on the car look-alike (c)


def compile_circuit(engine: Engine, timeout_s: float = TIMEOUT_S) -> Circuit | None:
    """The engine's circuit, compiled now (blocking; in a child process); None on failure."""
    nnf = compile_nnf(engine.exact_clauses(), engine.encoding.top, timeout_s)
    return Circuit(nnf, engine.encoding.top) if nnf is not None else None


def compile_nnf(
    clauses: list[list[int]],
    nvars: int,
    timeout_s: float,
    progress: Progress | None = None,
) -> str | None:
    """The d-DNNF of the clauses as NNF text, or None when d4 is missing or too slow.

    `progress(seconds, "compiling")` is called about every PROGRESS_EVERY_S while d4 runs
    (for a command that compiles for minutes)."""
    if not available():
        return None
    started = time.perf_counter()
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        job = pool.apply_async(_d4_compile, (clauses, nvars))
        while True:
            elapsed = time.perf_counter() - started
            if elapsed >= timeout_s:
                pool.terminate()
                return None
            job.wait(min(PROGRESS_EVERY_S, timeout_s - elapsed))
            if job.ready():
                return job.get()
            if progress is not None:
                progress(time.perf_counter() - started, "compiling")


def _run(engine: Engine, handle: Compiling, clauses, nvars: int, timeout_s: float) -> None:
    started = time.perf_counter()
    try:
        nnf = compile_nnf(clauses, nvars, timeout_s)
        handle.circuit = Circuit(nnf, nvars) if nnf is not None else None
    except Exception:  # a failed compile only loses the shortcut: SAT still answers
        handle.circuit = None
    handle.seconds = time.perf_counter() - started
    if handle.circuit is not None:
        engine.install_circuit(handle.circuit)
    handle.ready.set()


def _d4_compile(clauses: list[list[int]], nvars: int) -> str:
    """In the child process."""
    import py_d4

    os.nice(10)  # a shortcut only: never at the expense of the clicks answered meanwhile
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # d4 prints statistics on stdout
    os.dup2(devnull, 2)
    return py_d4.Solver(clauses, nvars).compile().getNNFString()
