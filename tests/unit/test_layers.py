"""The layering rules, checked on the source: the web reaches the engine and pricing only
through the services, and the pure core imports no framework."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "configurator"


def imports_of(path: Path, root: Path = PACKAGE.parent) -> set[str]:
    """Every module a file imports (relative imports resolved), TYPE_CHECKING ones included."""
    tree = ast.parse(path.read_text())
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def sources(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py")) if folder else []


def test_the_web_reaches_engine_and_pricing_only_through_services():
    offending = {
        str(path.relative_to(PACKAGE)): sorted(
            m
            for m in imports_of(path)
            if m.startswith(("configurator.engine", "configurator.pricing"))
        )
        for path in sources("web")
    }
    assert {k: v for k, v in offending.items() if v} == {}


@pytest.mark.parametrize("core", ["catalog", "engine", "render"])
def test_the_pure_core_imports_no_framework(core):
    frameworks = (
        "flask",
        "sqlalchemy",
        "alembic",
        "werkzeug",
        "configurator.web",
        "configurator.services",
        "configurator.store",
    )
    offending = {
        str(path.relative_to(PACKAGE)): sorted(
            m for m in imports_of(path) if m.startswith(frameworks)
        )
        for path in sources(core) + [PACKAGE / "pricing.py"]
    }
    assert {k: v for k, v in offending.items() if v} == {}


def test_the_checker_sees_a_forbidden_import(tmp_path):
    """The rule would catch a view importing the engine (relative or absolute)."""
    sample = tmp_path / "configurator" / "web" / "probe.py"
    sample.parent.mkdir(parents=True)
    sample.write_text("from configurator.engine import Engine\nfrom ..pricing import total\n")
    assert {"configurator.engine", "configurator.pricing"} <= imports_of(sample, tmp_path)
