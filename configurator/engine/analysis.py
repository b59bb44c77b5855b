"""Catalog analysis: what a merchandiser should know before a shopper finds out.

- unsatisfiable catalog: a minimal set of rules in conflict;
- dead options: never part of a valid design, with the rules responsible;
- core options: part of every valid design;
- redundant rules: removing them changes nothing;
- the exact number of valid complete designs (d4 knowledge compiler), or a
  clearly labelled upper bound when counting is unavailable or too slow.

The one place in the engine package that starts a process: the count runs d4 in a
child process (fork), so that a count over its time limit can be stopped. Only
`analyse(count=True)` does this (the `configurator catalog check` command); answering
a shopper never does.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from configurator.catalog.model import NONE, Rule

from .explain import Explainer

if TYPE_CHECKING:
    from .core import Engine

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DeadOption:
    attribute: str
    value: str
    rules: tuple[Rule, ...]
    minimal: bool = True


@dataclass(frozen=True)
class Analysis:
    satisfiable: bool
    conflict: tuple[Rule, ...]
    dead: tuple[DeadOption, ...]
    core: tuple[tuple[str, str], ...]
    redundant: tuple[Rule, ...]
    redundancy_checked: bool
    count: int | None
    count_exact: bool
    count_note: str


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def analyse(
    engine: Engine,
    *,
    count: bool = True,
    redundancy: bool = True,
    explain_dead: bool = True,
    progress: Progress | None = None,
    budget_s: float = 120.0,
    count_timeout_s: float = 60.0,
) -> Analysis:
    """Run every check; stages over budget are reported as not done, never silently skipped."""
    progress = progress or _quiet
    deadline = time.monotonic() + budget_s
    with engine.lock:
        if not engine.solving.solver.solve():
            core = (
                engine.explainer.mus([], list(engine.explainer.selectors), within_core=True) or []
            )
            rules = tuple(engine.explainer.rule_of[s] for s in core)
            return Analysis(
                False, rules, (), (), (), False, 0, True, "exact: the rules allow no design"
            )
        progress("domains", 0, 1)
        valid = engine.valid_domains({})
        progress("domains", 1, 1)
        dead_values = [
            (a, v) for a, vs in valid.items() for v, ok in vs.items() if not ok and v != NONE
        ]
        core_values = tuple(
            (a, next(v for v, ok in vs.items() if ok))
            for a, vs in valid.items()
            if sum(vs.values()) == 1 and not vs.get(NONE)
        )
        dead = _explain_dead(engine, dead_values, explain_dead, deadline, progress)
        redundant, checked = (), False
        if redundancy:
            redundant, checked = _redundant(engine, deadline, progress)
    n, exact, note = (
        _count(engine, count_timeout_s, valid) if count else (None, False, "not counted")
    )
    return Analysis(True, (), dead, core_values, redundant, checked, n, exact, note)


def _explain_dead(engine: Engine, dead_values, explain: bool, deadline: float, progress: Progress):
    explainer = engine.explainer if explain and dead_values else None
    out = []
    for i, (attr_id, value) in enumerate(dead_values):
        progress("dead options", i, len(dead_values))
        rules: tuple[Rule, ...] = ()
        minimal = False
        if explainer is not None:
            fixed = [engine.encoding.lits[(attr_id, value)]]
            if time.monotonic() < deadline:
                core = explainer.mus(fixed, list(explainer.selectors), within_core=True) or []
                minimal = True
            else:
                explainer.solver.solve(assumptions=fixed + explainer.selectors)
                core = explainer.solver.get_core() or []
            rules = tuple(explainer.rule_of[s] for s in core if s in explainer.rule_of)
        out.append(DeadOption(attr_id, value, rules, minimal))
    progress("dead options", len(dead_values), len(dead_values))
    return tuple(out)


def _redundant(
    engine: Engine, deadline: float, progress: Progress
) -> tuple[tuple[Rule, ...], bool]:
    """A rule is redundant when the other rules already rule out every way of breaking it."""
    explainer = Explainer.exact(engine.encoding)  # violations need every variable defined
    selectors = explainer.selectors
    groups = engine.encoding.groups
    found = []
    for i, group in enumerate(groups):
        if time.monotonic() > deadline:
            return tuple(found), False
        progress("redundant rules", i, len(groups))
        others = selectors[:i] + selectors[i + 1 :]
        if all(not explainer.solver.solve(assumptions=others + list(v)) for v in group.violations):
            found.append(group.rule)
    progress("redundant rules", len(groups), len(groups))
    return tuple(found), True


def _count(engine: Engine, timeout_s: float, valid) -> tuple[int | None, bool, str]:
    """Exact count with d4 in a child process (so a slow count can be stopped)."""
    enc = engine.encoding
    clauses = enc.exact_clauses()
    bound = 1
    for values in valid.values():
        bound *= max(1, sum(values.values()))
    try:
        import py_d4  # noqa: F401
    except ImportError:
        return (
            bound,
            False,
            "upper bound (product of valid domain sizes); install d4solver for an exact count",
        )
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        job = pool.apply_async(_d4_count, (clauses, enc.top))
        try:
            return int(job.get(timeout=timeout_s)), True, "exact"
        except multiprocessing.TimeoutError:
            pool.terminate()
            return (
                bound,
                False,
                f"upper bound (product of valid domain sizes); exact count took over {timeout_s:.0f} s",
            )


def _d4_count(clauses: list[list[int]], nvars: int) -> str:
    import os

    import py_d4

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # d4 prints statistics on stdout; keep the parent's output clean
    os.dup2(devnull, 2)
    if any(not c for c in clauses):
        return "0"
    return py_d4.Solver(clauses, nvars).count().getResult()
