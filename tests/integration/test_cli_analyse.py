"""`configurator catalog check` with the engine's analysis: findings cite the rule's file:line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from configurator.cli import cli

GOOD = Path(__file__).resolve().parent.parent / "data" / "catalogs" / "good"
SHIPPED = Path(__file__).resolve().parents[2] / "catalog"


def run(*args: str):
    return CliRunner().invoke(cli, ["catalog", "check", *args])


@pytest.fixture
def copy(tmp_path) -> Path:
    folder = tmp_path / "good"
    shutil.copytree(GOOD, folder)
    return folder


def _append_rule(folder: Path, text: str) -> int:
    path = folder / "helmet.yaml"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines) + "\n" + text)
    return len(lines) + 1  # the line the new rule starts on


def test_shipped_catalog_analyses_clean_with_exact_counts():
    result = run("--json", str(SHIPPED))
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["errors"] == 0
    for summary in report["analyses"]:
        assert summary["satisfiable"] and summary["designs_exact"]
        assert int(summary["designs"]) > 1000
        assert summary["dead_options"] == 0


def test_redundant_rules_are_warnings_citing_file_and_line():
    result = run(str(GOOD))
    assert result.exit_code == 0
    assert (
        f"{GOOD / 'helmet.yaml'}:65:5: warning: rule iridium-needs-full-face never restricts anything"
        in result.output
    )
    assert "helmet: 3 attributes, 5 options, 4 rules; 7 valid designs" in result.output


def test_dead_option_names_the_rules_responsible(copy):
    line = _append_rule(
        copy,
        "  - id: no-clear\n    message: Clear visors are sold out.\n    excludes: {visor: clear}\n",
    )
    result = run(str(copy))
    assert result.exit_code == 0, result.output
    dead = [ln for ln in result.output.splitlines() if "warning: dead option" in ln]
    assert len(dead) == 1
    assert "Visor: Clear is never selectable, because of no-clear" in dead[0]
    assert dead[0].startswith(f"{copy / 'helmet.yaml'}:46:9: ")  # where the option is declared
    assert f"no-clear ({copy / 'helmet.yaml'}:{line}:5)" in dead[0]  # and the rule responsible


def test_unsatisfiable_catalog_fails_with_a_minimal_conflict(copy):
    _append_rule(
        copy,
        "  - id: never-full\n    message: No full face.\n    excludes: {shell_type: full_face}\n"
        "  - id: never-open\n    message: Never open face.\n    excludes: {shell_type: open_face}\n",
    )
    result = run(str(copy))
    assert result.exit_code == 1, result.output
    conflict = [ln for ln in result.output.splitlines() if "no design of helmet" in ln]
    assert len(conflict) == 1
    assert "never-full" in conflict[0] and "never-open" in conflict[0]
    assert "visor-by-shell" not in conflict[0] and "iridium" not in conflict[0]  # minimal
