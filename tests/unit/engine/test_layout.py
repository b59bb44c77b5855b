"""The engine package's shape: no import cycles (TYPE_CHECKING imports included), no
imports from the rest of the application but the catalog, no threads or processes."""

from __future__ import annotations

import ast
from pathlib import Path

import configurator.engine

PACKAGE = "configurator.engine"
ROOT = Path(configurator.engine.__file__).resolve().parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def imported(path: Path) -> set[str]:
    """Every module `path` imports, anywhere in the file (TYPE_CHECKING blocks and
    function bodies too), resolved to absolute names."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            out.add(base)
            out.update(f"{base}.{alias.name}" for alias in node.names)
    return out


def graph() -> dict[str, set[str]]:
    """module -> engine modules it imports; importing a.b.c also runs a and a.b."""
    modules = {module_name(p): p for p in ROOT.rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for target in imported(path):
            while target and target not in modules:
                target = target.rpartition(".")[0]
            while target.startswith(PACKAGE + ".") or target == PACKAGE:
                if target != name and not name.startswith(target + "."):
                    targets.add(target)
                target = target.rpartition(".")[0]
        edges[name] = targets
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle found by a depth-first search (empty: the graph is acyclic)."""
    found, state = [], dict.fromkeys(edges, 0)  # 0 new, 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state[nxt] == 1:
                found.append(stack[stack.index(nxt) :] + [nxt])
            elif state[nxt] == 0:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if state[node] == 0:
            visit(node)
    return found


def test_the_engine_has_no_import_cycles():
    edges = graph()
    assert "configurator.engine.core" in edges and len(edges) > 15
    assert cycles(edges) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles(graph() | {"configurator.engine.fast.search": {"configurator.engine.core"}})


def test_the_engine_imports_nothing_from_the_application_but_the_catalog():
    for path in ROOT.rglob("*.py"):
        for target in imported(path):
            if target.startswith("configurator") and not target.startswith(PACKAGE):
                assert target.startswith("configurator.catalog"), (path.name, target)


def test_the_engine_starts_no_thread_and_no_process_outside_the_analysis():
    """The count in `analysis` runs d4 in a child process (the README says so)."""
    for path in ROOT.rglob("*.py"):
        if path.name == "analysis.py":
            continue
        names = imported(path)
        assert "Thread(" not in path.read_text(), path.name
        assert not names & {"os", "multiprocessing", "subprocess", "concurrent.futures"}, path.name
