"""`configurator catalog check` and `catalog load`: text and JSON reports, exit status 0 or 1
(--strict: warnings too), the configured catalog folder wherever the command runs, in-process
and as a real command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from configurator.catalog.model import CatalogProblem
from configurator.cli import check_report, cli

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "tests" / "data" / "catalogs" / "good"
SUMMARY = "helmet: 3 attributes, 5 options, 4 rules"


@pytest.fixture
def broken(tmp_path):
    """A folder with the good helmet and a second product with two errors and a warning."""
    folder = tmp_path / "catalog"
    shutil.copytree(GOOD, folder)
    text = (GOOD / "helmet.yaml").read_text()
    text = text.replace("  id: helmet", "  id: visor", 1).replace("currency: EUR", "currency: eur")
    text = text.replace("then: {shell_type: [full_face]}", "then: {shell_type: [ful_face]}")
    text = text.replace(
        '{id: tinted, label: Tinted, price: "-5", sku: VT}',
        '{id: tinted, label: Tinted, price: "-5"}',
    )
    (folder / "visor.yaml").write_text(text)
    return folder


def run(*args: str):
    return CliRunner().invoke(cli, ["catalog", "check", "--no-analyse", *args])


def test_good_catalog_exits_0_with_a_summary():
    result = run(str(GOOD))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [SUMMARY, "1 product loaded, 0 errors, 0 warnings"]


def test_a_single_file_can_be_checked():
    result = run(str(GOOD / "helmet.yaml"))
    assert result.exit_code == 0
    assert SUMMARY in result.output


def test_problems_are_printed_as_file_line_column(broken):
    result = run(str(broken))
    assert result.exit_code == 1
    visor = broken / "visor.yaml"
    assert result.output.splitlines() == [
        f"{visor}:5:13: currency: 'eur' is not a currency code: write three capitals, like EUR",
        f"{visor}:51:14: warning: option 'tinted' has no sku although the product has sku 'HLM'",
        f"{visor}:69:27: 'ful_face' is not an option of 'shell_type' (did you mean 'full_face'?)",
        SUMMARY,
        "1 product loaded, 2 errors, 1 warning (1 would fail --strict)",
    ]


def test_json_report(broken):
    result = run("--json", str(broken))
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["ok"] is False and report["errors"] == 2 and report["warnings"] == 1
    (product,) = report["products"]
    assert {k: product[k] for k in ("id", "attributes", "options", "rules", "steps")} == {
        "id": "helmet",
        "attributes": 3,
        "options": 5,
        "rules": 4,
        "steps": 2,
    }
    assert report["problems"][0] == {
        "file": str(broken / "visor.yaml"),
        "line": 5,
        "column": 13,
        "message": "currency: 'eur' is not a currency code: write three capitals, like EUR",
        "severity": "error",
    }
    assert [p["severity"] for p in report["problems"]] == ["error", "warning", "error"]


def test_default_path_is_the_configured_catalog_folder(tmp_path, monkeypatch):
    """CONFIGURATOR_CATALOG_DIR, not a catalog/ folder where the command happens to run."""
    shutil.copytree(GOOD, tmp_path / "configured")
    (tmp_path / "catalog").mkdir()  # a decoy where the command runs
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONFIGURATOR_CATALOG_DIR", "configured")
    result = run()
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [SUMMARY, "1 product loaded, 0 errors, 0 warnings"]


def test_without_a_setting_the_default_is_the_repository_catalog(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CONFIGURATOR_CATALOG_DIR", raising=False)
    result = run("--no-artwork")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "2 products loaded, 0 errors, 0 warnings"


def test_missing_path_is_an_error(tmp_path):
    result = run(str(tmp_path / "absent.yaml"))
    assert result.exit_code == 1
    assert f"{tmp_path / 'absent.yaml'}:1:1: file not found" in result.output


def test_analysis_hook_adds_findings():
    def analyse(product):
        yield CatalogProblem(product.source, f"dead option in {product.id}", "warning")

    report = check_report([GOOD], analyse=analyse)
    assert [p.message for p in report.problems] == ["dead option in helmet"]
    assert report.errors == 0 and report.warnings == 1


PREFERENCES = """\
questions:
  - key: initials
    question: Your initials, for monograms
    purpose: We pre-fill the monogram with them.
    kind: text
    pattern: "[A-Z]{1,3}"
    max_length: 3
    preselects:
      - {product: helmet, attribute: monogram, map: {"*": "*"}}
"""


@pytest.fixture
def with_preferences(tmp_path):
    """The good helmet and a preferences file with one question about it."""
    folder = tmp_path / "catalog"
    shutil.copytree(GOOD, folder)
    (folder / "preferences.yaml").write_text(PREFERENCES)
    return folder


def test_a_folder_check_includes_its_preferences(with_preferences):
    result = run(str(with_preferences))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        SUMMARY,
        "preferences: 1 question",
        "1 product loaded, 0 errors, 0 warnings",
    ]


def test_a_preferences_file_can_be_checked_alone(with_preferences):
    result = run(str(with_preferences / "preferences.yaml"))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "preferences: 1 question",
        "0 products loaded, 0 errors, 0 warnings",
    ]


@pytest.mark.parametrize("name", ["", "preferences.yaml"])
def test_preference_problems_are_printed_as_file_line_column(with_preferences, name):
    path = with_preferences / "preferences.yaml"
    path.write_text(PREFERENCES.replace("attribute: monogram", "attribute: monogran"))
    result = run(str(with_preferences / name))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        f"{path}:9:38: unknown attribute 'monogran' in product 'helmet' (did you mean 'monogram'?)"
    )
    assert lines[-2:] == [
        "preferences: left out (see the errors above)",
        f"{0 if name else 1} product{'s' if name else ''} loaded, 1 error, 0 warnings",
    ]


def test_json_report_lists_the_questions(with_preferences):
    result = run("--json", str(with_preferences))
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["preferences"] == [
        {
            "file": str(with_preferences / "preferences.yaml"),
            "loaded": True,
            "questions": [
                {"key": "initials", "kind": "text", "answers": 0, "preselects": 1, "wishes": 0}
            ],
        }
    ]


def test_the_shipped_catalog_and_its_preferences_check_clean():
    result = run(str(ROOT / "catalog"))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2:] == [
        "preferences: 5 questions",
        "2 products loaded, 0 errors, 0 warnings",
    ]


def command(*args: str) -> subprocess.CompletedProcess:
    """Run `python -m configurator ...` as a separate process, as a merchandiser would."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "configurator", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def test_subprocess_good_catalog_exits_0():
    done = command("catalog", "check", str(GOOD))
    assert done.returncode == 0, done.stderr
    assert SUMMARY in done.stdout


def test_subprocess_broken_catalog_exits_1_with_json(broken):
    done = command("catalog", "check", "--json", "--no-analyse", str(broken))
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert [(p["line"], p["severity"]) for p in report["problems"]] == [
        (5, "error"),
        (51, "warning"),
        (69, "error"),
    ]


def test_subprocess_text_report(broken):
    done = command("catalog", "check", str(broken / "visor.yaml"))
    assert done.returncode == 1
    assert (
        f"{broken / 'visor.yaml'}:69:27: 'ful_face' is not an option of 'shell_type'" in done.stdout
    )
    assert done.stdout.strip().endswith(
        "0 products loaded, 2 errors, 1 warning (1 would fail --strict)"
    )


def test_db_upgrade_then_catalog_load_in_a_fresh_instance_folder(tmp_path):
    """`make run`'s first two steps, configured by the environment alone."""
    env = {"CONFIGURATOR_INSTANCE_DIR": str(tmp_path / "instance")}
    upgraded = CliRunner().invoke(cli, ["db", "upgrade"], env=env)
    assert upgraded.exit_code == 0, upgraded.output
    database = tmp_path / "instance" / "configurator.sqlite3"
    assert f"database is up to date: sqlite:///{database}" in upgraded.output
    loaded = CliRunner().invoke(cli, ["catalog", "load"], env=env)
    assert loaded.exit_code == 0, loaded.output
    assert "2 products loaded from" in loaded.output and "(2 new versions)" in loaded.output
    again = CliRunner().invoke(cli, ["catalog", "load"], env=env)
    assert "(0 new versions)" in again.output


def command_in(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run `python -m configurator ...` from `folder`, outside the repository."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    environment.pop("CONFIGURATOR_CATALOG_DIR", None)  # the setting only when a test gives it
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "configurator", *args],
        capture_output=True,
        text=True,
        cwd=folder,
        env=environment,
        timeout=300,
        check=False,
    )


def test_check_from_another_folder_checks_the_repository_catalog(tmp_path):
    """Not `catalog:1:1: file not found`: the configured folder, wherever it is run."""
    done = command_in(tmp_path, "catalog", "check", "--no-analyse", "--no-artwork")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "file not found" not in done.stdout
    assert done.stdout.splitlines()[-1] == "2 products loaded, 0 errors, 0 warnings"


def test_check_from_another_folder_follows_the_setting(tmp_path, broken):
    done = command_in(
        tmp_path, "catalog", "check", "--no-analyse", CONFIGURATOR_CATALOG_DIR=str(broken)
    )
    assert done.returncode == 1
    assert f"{broken / 'visor.yaml'}:5:13: currency" in done.stdout


def test_the_shipped_catalog_passes_strict():
    """The whole check as CI runs it: analysis, artwork opened and every option drawn."""
    done = command_in(ROOT, "catalog", "check", "--strict")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "2 products loaded, 0 errors, 0 warnings"


@pytest.fixture
def with_warning(tmp_path):
    """The good helmet with one warning: an option without its sku."""
    folder = tmp_path / "warned"
    shutil.copytree(GOOD, folder)
    path = folder / "helmet.yaml"
    text = path.read_text()
    path.write_text(
        text.replace(
            '{id: tinted, label: Tinted, price: "-5", sku: VT}',
            '{id: tinted, label: Tinted, price: "-5"}',
        )
    )
    return folder


@pytest.mark.parametrize(
    ("flags", "code", "last"),
    [
        ((), 0, "1 product loaded, 0 errors, 1 warning (1 would fail --strict)"),
        (
            ("--strict",),
            1,
            "1 product loaded, 0 errors, 1 warning (--strict: the check fails on it)",
        ),
    ],
)
def test_exit_status_of_warnings_with_and_without_strict(with_warning, flags, code, last):
    result = run(*flags, str(with_warning))
    assert result.exit_code == code, result.output
    assert result.output.splitlines()[-1] == last


@pytest.mark.parametrize("flags", [(), ("--strict",)])
def test_exit_status_of_errors_with_and_without_strict(broken, flags):
    assert run(*flags, str(broken)).exit_code == 1


def test_exit_status_of_a_clean_catalog_under_strict():
    result = run("--strict", str(GOOD))
    assert result.exit_code == 0, result.output


def test_a_wrong_command_line_exits_2():
    assert run("--no-such-flag").exit_code == 2


def test_json_says_whether_strict_passes(with_warning):
    plain = json.loads(run("--json", str(with_warning)).output)
    strict = json.loads(run("--json", "--strict", str(with_warning)).output)
    assert (plain["ok"], plain["strict"], plain["passes_strict"]) == (True, False, False)
    assert (strict["ok"], strict["strict"], strict["passes_strict"]) == (False, True, False)


def test_subprocess_strict_exit_status(with_warning):
    assert command("catalog", "check", "--no-analyse", str(with_warning)).returncode == 0
    assert (
        command("catalog", "check", "--no-analyse", "--strict", str(with_warning)).returncode == 1
    )


def test_help_documents_the_exit_status():
    result = CliRunner().invoke(cli, ["catalog", "check", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "Exit status: 0 when there is no error (warnings allowed, unless --strict)" in text
    assert "--strict" in text and "--no-analyse" in text and "--no-artwork" in text
    load_help = " ".join(CliRunner().invoke(cli, ["catalog", "load", "--help"]).output.split())
    assert (
        "Exit status: 0 when the catalog has no error (warnings are printed); 1 when it has an error"
        in load_help
    )


def test_load_exits_1_on_errors_and_still_records_the_good_products(tmp_path, broken, database_url):
    env = {
        "CONFIGURATOR_INSTANCE_DIR": str(tmp_path / "instance"),
        "CONFIGURATOR_CATALOG_DIR": str(broken),
        "CONFIGURATOR_DATABASE_URL": database_url,
    }
    assert CliRunner().invoke(cli, ["db", "upgrade"], env=env).exit_code == 0
    loaded = CliRunner().invoke(cli, ["catalog", "load"], env=env)
    assert loaded.exit_code == 1, loaded.output
    visor = broken / "visor.yaml"
    assert loaded.output.splitlines() == [
        f"{visor}:5:13: currency: 'eur' is not a currency code: write three capitals, like EUR",
        f"{visor}:51:14: warning: option 'tinted' has no sku although the product has sku 'HLM'",
        f"{visor}:69:27: 'ful_face' is not an option of 'shell_type' (did you mean 'full_face'?)",
        f"1 product loaded from {broken} (1 new version); 2 errors, see above",
    ]


def test_load_of_a_catalog_with_warnings_only_exits_0(tmp_path, with_warning, database_url):
    env = {
        "CONFIGURATOR_INSTANCE_DIR": str(tmp_path / "instance"),
        "CONFIGURATOR_CATALOG_DIR": str(with_warning),
        "CONFIGURATOR_DATABASE_URL": database_url,
    }
    assert CliRunner().invoke(cli, ["db", "upgrade"], env=env).exit_code == 0
    loaded = CliRunner().invoke(cli, ["catalog", "load"], env=env)
    assert loaded.exit_code == 0, loaded.output
    assert loaded.output.splitlines()[-1] == f"1 product loaded from {with_warning} (1 new version)"


def test_subprocess_load_exit_status(tmp_path, broken, database_url):
    settings = {
        "CONFIGURATOR_INSTANCE_DIR": str(tmp_path / "instance"),
        "CONFIGURATOR_DATABASE_URL": database_url,
    }
    upgraded = command_in(tmp_path, "db", "upgrade", **settings)
    assert upgraded.returncode == 0, upgraded.stderr
    done = command_in(tmp_path, "catalog", "load", CONFIGURATOR_CATALOG_DIR=str(broken), **settings)
    assert done.returncode == 1
    assert f"{broken / 'visor.yaml'}:69:27: 'ful_face' is not an option" in done.stderr
